using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphSampling.Runtime.Cpu;

/// <summary>
/// Vector <c>exp</c> and <c>log</c> for float lanes. Each lane is widened to double, evaluated
/// with a short polynomial whose error (about 1e-12 relative) is far below float resolution, and
/// rounded once back to float, so results stay within 1 ulp of the scalar <see cref="MathF"/>
/// functions (checked by the tests). Special values (NaN, infinities, zero, negatives, overflow,
/// underflow into subnormals) follow <see cref="MathF.Exp"/> and <see cref="MathF.Log(float)"/>.
/// <para>
/// <see cref="ExpDouble(Vector512{double})"/> and <see cref="ExpM1Double(Vector512{double})"/> are separate, accurate
/// exp and expm1 for double lanes (about 1 double ulp), for callers that need double results, not only float ones.
/// </para>
/// </summary>
public static class VectorMath
{
    // Outside [ExpLowerBound, ExpUpperBound] e^x rounds to 0 or overflows to +inf in float.
    private const float ExpLowerBound = -104.0f;
    private const float ExpUpperBound = 89.0f;

    // 1.5 * 2^52: adding it rounds a double to an integer held in the low mantissa bits.
    private const double RoundingMagic = 6755399441055744.0;
    private const double Log2E = 1.4426950408889634;
    private const double Ln2 = 0.69314718055994531;
    private const long SqrtHalfBits = 0x3FE6A09E667F3BCD;

    // Taylor coefficients 1/k! for the reduced argument |r| <= ln2/2; the degree-10 truncation
    // error is below 3e-13 relative.
    private const double ExpC3 = 1.0 / 6;
    private const double ExpC4 = 1.0 / 24;
    private const double ExpC5 = 1.0 / 120;
    private const double ExpC6 = 1.0 / 720;
    private const double ExpC7 = 1.0 / 5040;
    private const double ExpC8 = 1.0 / 40320;
    private const double ExpC9 = 1.0 / 362880;
    private const double ExpC10 = 1.0 / 3628800;

    // Accurate double exp (ExpDouble). Cody-Waite reduction x = n·ln2 + r with ln2 = Ln2Hi + Ln2Lo (fdlibm's split):
    // Ln2Hi has 32 significant bits, so n·Ln2Hi is exact for |n| <= 2^21 and x - n·Ln2Hi is exact (Sterbenz).
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;

    // Outside [ExpDoubleLowerBound, ExpDoubleUpperBound] e^x rounds to 0 or overflows to +inf in double; clamping
    // keeps n in [-1076, 1024], where the two-factor scaling below is exact or rounds once.
    private const double ExpDoubleLowerBound = -746.0;
    private const double ExpDoubleUpperBound = 710.0;

    // ExpM1Double: below -60 e^x − 1 rounds to -1; above 700 it rounds to e^x (computed by ExpDouble).
    private const double ExpM1LowerBound = -60.0;
    private const double ExpM1UpperBound = 700.0;

    // Taylor coefficients 1/k! for k = 11..13: with |r| <= ln2/2 the degree-13 truncation error is below 5e-18
    // relative, a few hundredths of a double ulp.
    private const double ExpC11 = 1.0 / 39916800;
    private const double ExpC12 = 1.0 / 479001600;
    private const double ExpC13 = 1.0 / 6227020800;

    /// <summary>Lane-wise <c>e^x</c>, within 1 ulp of <see cref="MathF.Exp"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        // Clamping keeps 2^n inside the double exponent range; the narrowing below turns the
        // clamped ends into +inf and 0 exactly as the float result would be.
        Vector512<float> clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(ExpLowerBound)), Vector512.Create(ExpUpperBound));
        (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(clamped);
        Vector512<float> result = Vector512.Narrow(ExpCore(lo), ExpCore(hi));
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> ExpCore(Vector512<double> x)
    {
        Vector512<double> magic = Vector512.Create(RoundingMagic);
        Vector512<double> kd = Vector512.MultiplyAddEstimate(x, Vector512.Create(Log2E), magic);
        Vector512<double> n = kd - magic;
        Vector512<double> r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-Ln2), x);
        Vector512<double> p = Vector512.Create(ExpC10);
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(ExpC9));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(ExpC8));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(ExpC7));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(ExpC6));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(ExpC5));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(ExpC4));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(ExpC3));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(0.5));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512<double>.One);
        p = Vector512.MultiplyAddEstimate(p, r, Vector512<double>.One);
        // The low bits of kd hold n in two's complement; shifting them into the exponent field scales by 2^n.
        Vector512<long> scale = Vector512.ShiftLeft(kd.AsInt64(), 52);
        return (p.AsInt64() + scale).AsDouble();
    }

    /// <summary>
    /// Lane-wise <c>e^x</c> in double, within 1 double ulp of the exact value and within 2 ulps of
    /// <see cref="Math.Exp"/> over [-745, 709] (tested over a sweep of that range; subnormal results within 2
    /// subnormal steps). Overflow gives +inf (x &gt; 709.78), underflow gives 0 (x &lt; -745.13), NaN stays NaN.
    /// </summary>
    /// <remarks>
    /// Cody-Waite reduction <c>x = n·ln2 + r</c>, <c>|r| &lt;= ln2/2</c>, with the rounding error of <c>r</c> carried
    /// as a correction; <c>e^r = 1 + (r + r²·P(r))</c> with a degree-13 Taylor polynomial, so the only sizeable
    /// rounding is the final addition to 1. The result is scaled by <c>2^n</c> in two exact power-of-two factors,
    /// so results in the subnormal range round once.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ExpDouble(Vector512<double> x)
    {
        Vector512<double> clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(ExpDoubleLowerBound)), Vector512.Create(ExpDoubleUpperBound));
        Vector512<double> magic = Vector512.Create(RoundingMagic);
        Vector512<double> kd = Vector512.MultiplyAddEstimate(clamped, Vector512.Create(Log2E), magic);
        Vector512<double> n = kd - magic;

        // hi is exact whether or not the multiply-add is fused; r = hi - lo rounds, and rLow restores what it lost.
        Vector512<double> hi = Vector512.MultiplyAddEstimate(n, Vector512.Create(-Ln2Hi), clamped);
        Vector512<double> lo = n * Vector512.Create(Ln2Lo);
        Vector512<double> r = hi - lo;
        Vector512<double> rLow = (hi - r) - lo;

        Vector512<double> e = Vector512<double>.One + (r + Vector512.MultiplyAddEstimate(r * r, ExpTail(r), rLow));

        // 2^n = 2^h · 2^(n-h) with h = floor(n / 2): both factors are normal for n in [-1076, 1024], e·2^h is exact,
        // and the second product rounds once (subnormal results) or overflows to +inf (n = 1024, e >= 1).
        Vector512<long> ni = kd.AsInt64() - magic.AsInt64();
        Vector512<long> h = Vector512.ShiftRightLogical(ni + Vector512.Create(2048L), 1) - Vector512.Create(1024L);
        Vector512<double> scaleHigh = Vector512.ShiftLeft(h + Vector512.Create(1023L), 52).AsDouble();
        Vector512<double> scaleLow = Vector512.ShiftLeft(ni - h + Vector512.Create(1023L), 52).AsDouble();
        Vector512<double> result = e * scaleHigh * scaleLow;
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }

    /// <summary>
    /// Lane-wise <c>e^x − 1</c> in double, accurate for every x: within 1 double ulp of the exact value for x &lt;= 0
    /// and within 2 for x &gt; 0 (measured against a double-double reference over tiny arguments of both signs,
    /// [-60, 0] and [0, 709]); -1 for x &lt; -60 (as in double), +inf on overflow, NaN stays NaN.
    /// </summary>
    /// <remarks>
    /// The same reduction as <see cref="ExpDouble(Vector512{double})"/>, <c>x = n·ln2 + r</c>, then
    /// <c>e^x − 1 = 2^n·expm1(r) + (2^n − 1)</c>: <c>expm1(r) = r + r²·P(r)</c> has no cancellation, <c>2^n − 1</c> is
    /// exact for the n that matter, and the sum rounds once; for n = 0 (|x| &lt; ln2/2) the result is <c>expm1(r)</c>
    /// itself, so tiny arguments keep full relative accuracy. No branch on the data except for lanes above 700.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ExpM1Double(Vector512<double> x)
    {
        // Below -60, e^x < 2^-86 and e^x − 1 rounds to -1; above 700 the lanes are replaced by e^x below.
        Vector512<double> clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(ExpM1LowerBound)), Vector512.Create(ExpM1UpperBound));
        Vector512<double> magic = Vector512.Create(RoundingMagic);
        Vector512<double> kd = Vector512.MultiplyAddEstimate(clamped, Vector512.Create(Log2E), magic);
        Vector512<double> n = kd - magic;
        Vector512<double> hi = Vector512.MultiplyAddEstimate(n, Vector512.Create(-Ln2Hi), clamped);
        Vector512<double> lo = n * Vector512.Create(Ln2Lo);
        Vector512<double> r = hi - lo;
        Vector512<double> rLow = (hi - r) - lo;
        Vector512<double> em1 = r + Vector512.MultiplyAddEstimate(r * r, ExpTail(r), rLow);

        // n lies in [-87, 1010], so 2^n is a normal double and 2^n·expm1(r) is exact before the final rounding.
        Vector512<long> ni = kd.AsInt64() - magic.AsInt64();
        Vector512<double> scale = Vector512.ShiftLeft(ni + Vector512.Create(1023L), 52).AsDouble();
        Vector512<double> result = Vector512.MultiplyAddEstimate(scale, em1, scale - Vector512<double>.One);
        if (Vector512.GreaterThanAny(x, Vector512.Create(ExpM1UpperBound)))
        {
            // e^x − 1 rounds to e^x there (and overflows to +inf from 709.78 on).
            result = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(ExpM1UpperBound)), ExpDouble(x), result);
        }

        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }

    /// <summary>
    /// <c>(e^r − 1 − r) / r²</c> for <c>|r| &lt;= ln2/2</c>: the Taylor polynomial 1/2! + r/3! + ... + r^11/13!, in
    /// Estrin's form (pairs, then powers r², r⁴, r⁸), which has a third of Horner's latency. Its rounding errors are
    /// scaled by r² &lt;= 0.12 in the result, so the order of evaluation does not matter for accuracy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> ExpTail(Vector512<double> r)
    {
        Vector512<double> r2 = r * r;
        Vector512<double> r4 = r2 * r2;
        Vector512<double> a0 = Vector512.MultiplyAddEstimate(Vector512.Create(ExpC3), r, Vector512.Create(0.5));
        Vector512<double> a1 = Vector512.MultiplyAddEstimate(Vector512.Create(ExpC5), r, Vector512.Create(ExpC4));
        Vector512<double> a2 = Vector512.MultiplyAddEstimate(Vector512.Create(ExpC7), r, Vector512.Create(ExpC6));
        Vector512<double> a3 = Vector512.MultiplyAddEstimate(Vector512.Create(ExpC9), r, Vector512.Create(ExpC8));
        Vector512<double> a4 = Vector512.MultiplyAddEstimate(Vector512.Create(ExpC11), r, Vector512.Create(ExpC10));
        Vector512<double> a5 = Vector512.MultiplyAddEstimate(Vector512.Create(ExpC13), r, Vector512.Create(ExpC12));
        Vector512<double> b0 = Vector512.MultiplyAddEstimate(a1, r2, a0);
        Vector512<double> b1 = Vector512.MultiplyAddEstimate(a3, r2, a2);
        Vector512<double> b2 = Vector512.MultiplyAddEstimate(a5, r2, a4);
        return Vector512.MultiplyAddEstimate(Vector512.MultiplyAddEstimate(b2, r4, b1), r4, b0);
    }

    /// <summary>Lane-wise natural logarithm, within 1 ulp of <see cref="MathF.Log(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x)
    {
        (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(x);
        Vector512<float> result = Vector512.Narrow(LogCore(lo), LogCore(hi));
        result = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<float>.Zero), Vector512.Create(float.NegativeInfinity), result);
        result = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(float.PositiveInfinity)), x, result);
        // Negative inputs and NaN give NaN; comparisons with NaN are false, so test "not (x >= 0)".
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), result, Vector512.Create(float.NaN));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> LogCore(Vector512<double> x)
    {
        // x = 2^e * m with m in [sqrt(1/2), sqrt(2)); the bias keeps the shifted value non-negative
        // so that a logical shift extracts e (every positive float is a normal double).
        Vector512<long> bits = x.AsInt64();
        Vector512<long> e = Vector512.ShiftRightLogical(bits - Vector512.Create(SqrtHalfBits - (1024L << 52)), 52) - Vector512.Create(1024L);
        Vector512<double> m = (bits - Vector512.ShiftLeft(e, 52)).AsDouble();
        Vector512<double> magic = Vector512.Create(RoundingMagic);
        Vector512<double> ed = (magic.AsInt64() + e).AsDouble() - magic;
        Vector512<double> one = Vector512<double>.One;
        Vector512<double> s = (m - one) / (m + one);
        Vector512<double> s2 = s * s;
        Vector512<double> q = Vector512.Create(1.0 / 17);
        q = Vector512.MultiplyAddEstimate(q, s2, Vector512.Create(1.0 / 15));
        q = Vector512.MultiplyAddEstimate(q, s2, Vector512.Create(1.0 / 13));
        q = Vector512.MultiplyAddEstimate(q, s2, Vector512.Create(1.0 / 11));
        q = Vector512.MultiplyAddEstimate(q, s2, Vector512.Create(1.0 / 9));
        q = Vector512.MultiplyAddEstimate(q, s2, Vector512.Create(1.0 / 7));
        q = Vector512.MultiplyAddEstimate(q, s2, Vector512.Create(1.0 / 5));
        q = Vector512.MultiplyAddEstimate(q, s2, Vector512.Create(1.0 / 3));
        q = Vector512.MultiplyAddEstimate(q, s2, one);
        return Vector512.MultiplyAddEstimate(ed, Vector512.Create(Ln2), (s + s) * q);
    }

    /// <summary>Lane-wise <c>e^x</c>, within 1 ulp of <see cref="MathF.Exp"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        // Clamping keeps 2^n inside the double exponent range; the narrowing below turns the
        // clamped ends into +inf and 0 exactly as the float result would be.
        Vector256<float> clamped = Vector256.Min(Vector256.Max(x, Vector256.Create(ExpLowerBound)), Vector256.Create(ExpUpperBound));
        (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(clamped);
        Vector256<float> result = Vector256.Narrow(ExpCore(lo), ExpCore(hi));
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ExpCore(Vector256<double> x)
    {
        Vector256<double> magic = Vector256.Create(RoundingMagic);
        Vector256<double> kd = Vector256.MultiplyAddEstimate(x, Vector256.Create(Log2E), magic);
        Vector256<double> n = kd - magic;
        Vector256<double> r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2), x);
        Vector256<double> p = Vector256.Create(ExpC10);
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(ExpC9));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(ExpC8));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(ExpC7));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(ExpC6));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(ExpC5));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(ExpC4));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(ExpC3));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(0.5));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256<double>.One);
        p = Vector256.MultiplyAddEstimate(p, r, Vector256<double>.One);
        // The low bits of kd hold n in two's complement; shifting them into the exponent field scales by 2^n.
        Vector256<long> scale = Vector256.ShiftLeft(kd.AsInt64(), 52);
        return (p.AsInt64() + scale).AsDouble();
    }

    /// <summary>
    /// Lane-wise <c>e^x</c> in double, within 1 double ulp of the exact value and within 2 ulps of
    /// <see cref="Math.Exp"/> over [-745, 709] (tested over a sweep of that range; subnormal results within 2
    /// subnormal steps). Overflow gives +inf (x &gt; 709.78), underflow gives 0 (x &lt; -745.13), NaN stays NaN.
    /// </summary>
    /// <remarks>
    /// Cody-Waite reduction <c>x = n·ln2 + r</c>, <c>|r| &lt;= ln2/2</c>, with the rounding error of <c>r</c> carried
    /// as a correction; <c>e^r = 1 + (r + r²·P(r))</c> with a degree-13 Taylor polynomial, so the only sizeable
    /// rounding is the final addition to 1. The result is scaled by <c>2^n</c> in two exact power-of-two factors,
    /// so results in the subnormal range round once.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ExpDouble(Vector256<double> x)
    {
        Vector256<double> clamped = Vector256.Min(Vector256.Max(x, Vector256.Create(ExpDoubleLowerBound)), Vector256.Create(ExpDoubleUpperBound));
        Vector256<double> magic = Vector256.Create(RoundingMagic);
        Vector256<double> kd = Vector256.MultiplyAddEstimate(clamped, Vector256.Create(Log2E), magic);
        Vector256<double> n = kd - magic;

        // hi is exact whether or not the multiply-add is fused; r = hi - lo rounds, and rLow restores what it lost.
        Vector256<double> hi = Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2Hi), clamped);
        Vector256<double> lo = n * Vector256.Create(Ln2Lo);
        Vector256<double> r = hi - lo;
        Vector256<double> rLow = (hi - r) - lo;

        Vector256<double> e = Vector256<double>.One + (r + Vector256.MultiplyAddEstimate(r * r, ExpTail(r), rLow));

        // 2^n = 2^h · 2^(n-h) with h = floor(n / 2): both factors are normal for n in [-1076, 1024], e·2^h is exact,
        // and the second product rounds once (subnormal results) or overflows to +inf (n = 1024, e >= 1).
        Vector256<long> ni = kd.AsInt64() - magic.AsInt64();
        Vector256<long> h = Vector256.ShiftRightLogical(ni + Vector256.Create(2048L), 1) - Vector256.Create(1024L);
        Vector256<double> scaleHigh = Vector256.ShiftLeft(h + Vector256.Create(1023L), 52).AsDouble();
        Vector256<double> scaleLow = Vector256.ShiftLeft(ni - h + Vector256.Create(1023L), 52).AsDouble();
        Vector256<double> result = e * scaleHigh * scaleLow;
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    /// <summary>
    /// Lane-wise <c>e^x − 1</c> in double, accurate for every x: within 1 double ulp of the exact value for x &lt;= 0
    /// and within 2 for x &gt; 0 (measured against a double-double reference over tiny arguments of both signs,
    /// [-60, 0] and [0, 709]); -1 for x &lt; -60 (as in double), +inf on overflow, NaN stays NaN.
    /// </summary>
    /// <remarks>
    /// The same reduction as <see cref="ExpDouble(Vector256{double})"/>, <c>x = n·ln2 + r</c>, then
    /// <c>e^x − 1 = 2^n·expm1(r) + (2^n − 1)</c>: <c>expm1(r) = r + r²·P(r)</c> has no cancellation, <c>2^n − 1</c> is
    /// exact for the n that matter, and the sum rounds once; for n = 0 (|x| &lt; ln2/2) the result is <c>expm1(r)</c>
    /// itself, so tiny arguments keep full relative accuracy. No branch on the data except for lanes above 700.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ExpM1Double(Vector256<double> x)
    {
        // Below -60, e^x < 2^-86 and e^x − 1 rounds to -1; above 700 the lanes are replaced by e^x below.
        Vector256<double> clamped = Vector256.Min(Vector256.Max(x, Vector256.Create(ExpM1LowerBound)), Vector256.Create(ExpM1UpperBound));
        Vector256<double> magic = Vector256.Create(RoundingMagic);
        Vector256<double> kd = Vector256.MultiplyAddEstimate(clamped, Vector256.Create(Log2E), magic);
        Vector256<double> n = kd - magic;
        Vector256<double> hi = Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2Hi), clamped);
        Vector256<double> lo = n * Vector256.Create(Ln2Lo);
        Vector256<double> r = hi - lo;
        Vector256<double> rLow = (hi - r) - lo;
        Vector256<double> em1 = r + Vector256.MultiplyAddEstimate(r * r, ExpTail(r), rLow);

        // n lies in [-87, 1010], so 2^n is a normal double and 2^n·expm1(r) is exact before the final rounding.
        Vector256<long> ni = kd.AsInt64() - magic.AsInt64();
        Vector256<double> scale = Vector256.ShiftLeft(ni + Vector256.Create(1023L), 52).AsDouble();
        Vector256<double> result = Vector256.MultiplyAddEstimate(scale, em1, scale - Vector256<double>.One);
        if (Vector256.GreaterThanAny(x, Vector256.Create(ExpM1UpperBound)))
        {
            // e^x − 1 rounds to e^x there (and overflows to +inf from 709.78 on).
            result = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(ExpM1UpperBound)), ExpDouble(x), result);
        }

        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    /// <summary>
    /// <c>(e^r − 1 − r) / r²</c> for <c>|r| &lt;= ln2/2</c>: the Taylor polynomial 1/2! + r/3! + ... + r^11/13!, in
    /// Estrin's form (pairs, then powers r², r⁴, r⁸), which has a third of Horner's latency. Its rounding errors are
    /// scaled by r² &lt;= 0.12 in the result, so the order of evaluation does not matter for accuracy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ExpTail(Vector256<double> r)
    {
        Vector256<double> r2 = r * r;
        Vector256<double> r4 = r2 * r2;
        Vector256<double> a0 = Vector256.MultiplyAddEstimate(Vector256.Create(ExpC3), r, Vector256.Create(0.5));
        Vector256<double> a1 = Vector256.MultiplyAddEstimate(Vector256.Create(ExpC5), r, Vector256.Create(ExpC4));
        Vector256<double> a2 = Vector256.MultiplyAddEstimate(Vector256.Create(ExpC7), r, Vector256.Create(ExpC6));
        Vector256<double> a3 = Vector256.MultiplyAddEstimate(Vector256.Create(ExpC9), r, Vector256.Create(ExpC8));
        Vector256<double> a4 = Vector256.MultiplyAddEstimate(Vector256.Create(ExpC11), r, Vector256.Create(ExpC10));
        Vector256<double> a5 = Vector256.MultiplyAddEstimate(Vector256.Create(ExpC13), r, Vector256.Create(ExpC12));
        Vector256<double> b0 = Vector256.MultiplyAddEstimate(a1, r2, a0);
        Vector256<double> b1 = Vector256.MultiplyAddEstimate(a3, r2, a2);
        Vector256<double> b2 = Vector256.MultiplyAddEstimate(a5, r2, a4);
        return Vector256.MultiplyAddEstimate(Vector256.MultiplyAddEstimate(b2, r4, b1), r4, b0);
    }

    /// <summary>Lane-wise natural logarithm, within 1 ulp of <see cref="MathF.Log(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x)
    {
        (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(x);
        Vector256<float> result = Vector256.Narrow(LogCore(lo), LogCore(hi));
        result = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<float>.Zero), Vector256.Create(float.NegativeInfinity), result);
        result = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.PositiveInfinity)), x, result);
        // Negative inputs and NaN give NaN; comparisons with NaN are false, so test "not (x >= 0)".
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), result, Vector256.Create(float.NaN));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> LogCore(Vector256<double> x)
    {
        // x = 2^e * m with m in [sqrt(1/2), sqrt(2)); the bias keeps the shifted value non-negative
        // so that a logical shift extracts e (every positive float is a normal double).
        Vector256<long> bits = x.AsInt64();
        Vector256<long> e = Vector256.ShiftRightLogical(bits - Vector256.Create(SqrtHalfBits - (1024L << 52)), 52) - Vector256.Create(1024L);
        Vector256<double> m = (bits - Vector256.ShiftLeft(e, 52)).AsDouble();
        Vector256<double> magic = Vector256.Create(RoundingMagic);
        Vector256<double> ed = (magic.AsInt64() + e).AsDouble() - magic;
        Vector256<double> one = Vector256<double>.One;
        Vector256<double> s = (m - one) / (m + one);
        Vector256<double> s2 = s * s;
        Vector256<double> q = Vector256.Create(1.0 / 17);
        q = Vector256.MultiplyAddEstimate(q, s2, Vector256.Create(1.0 / 15));
        q = Vector256.MultiplyAddEstimate(q, s2, Vector256.Create(1.0 / 13));
        q = Vector256.MultiplyAddEstimate(q, s2, Vector256.Create(1.0 / 11));
        q = Vector256.MultiplyAddEstimate(q, s2, Vector256.Create(1.0 / 9));
        q = Vector256.MultiplyAddEstimate(q, s2, Vector256.Create(1.0 / 7));
        q = Vector256.MultiplyAddEstimate(q, s2, Vector256.Create(1.0 / 5));
        q = Vector256.MultiplyAddEstimate(q, s2, Vector256.Create(1.0 / 3));
        q = Vector256.MultiplyAddEstimate(q, s2, one);
        return Vector256.MultiplyAddEstimate(ed, Vector256.Create(Ln2), (s + s) * q);
    }

    /// <summary>Lane-wise <c>e^x</c>, within 1 ulp of <see cref="MathF.Exp"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        // Clamping keeps 2^n inside the double exponent range; the narrowing below turns the
        // clamped ends into +inf and 0 exactly as the float result would be.
        Vector128<float> clamped = Vector128.Min(Vector128.Max(x, Vector128.Create(ExpLowerBound)), Vector128.Create(ExpUpperBound));
        (Vector128<double> lo, Vector128<double> hi) = Vector128.Widen(clamped);
        Vector128<float> result = Vector128.Narrow(ExpCore(lo), ExpCore(hi));
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> ExpCore(Vector128<double> x)
    {
        Vector128<double> magic = Vector128.Create(RoundingMagic);
        Vector128<double> kd = Vector128.MultiplyAddEstimate(x, Vector128.Create(Log2E), magic);
        Vector128<double> n = kd - magic;
        Vector128<double> r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-Ln2), x);
        Vector128<double> p = Vector128.Create(ExpC10);
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(ExpC9));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(ExpC8));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(ExpC7));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(ExpC6));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(ExpC5));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(ExpC4));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(ExpC3));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(0.5));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128<double>.One);
        p = Vector128.MultiplyAddEstimate(p, r, Vector128<double>.One);
        // The low bits of kd hold n in two's complement; shifting them into the exponent field scales by 2^n.
        Vector128<long> scale = Vector128.ShiftLeft(kd.AsInt64(), 52);
        return (p.AsInt64() + scale).AsDouble();
    }

    /// <summary>The natural logarithm of one float as the vector overloads compute it (not <see cref="MathF.Log(float)"/>,
    /// which may differ by an ulp): a row's scalar tail then rounds as its vector body, and a fused pass as the unfused one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log(float x) => Log(Vector128.Create(x)).ToScalar();

    /// <summary>Lane-wise natural logarithm, within 1 ulp of <see cref="MathF.Log(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log(Vector128<float> x)
    {
        (Vector128<double> lo, Vector128<double> hi) = Vector128.Widen(x);
        Vector128<float> result = Vector128.Narrow(LogCore(lo), LogCore(hi));
        result = Vector128.ConditionalSelect(Vector128.Equals(x, Vector128<float>.Zero), Vector128.Create(float.NegativeInfinity), result);
        result = Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(float.PositiveInfinity)), x, result);
        // Negative inputs and NaN give NaN; comparisons with NaN are false, so test "not (x >= 0)".
        return Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), result, Vector128.Create(float.NaN));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> LogCore(Vector128<double> x)
    {
        // x = 2^e * m with m in [sqrt(1/2), sqrt(2)); the bias keeps the shifted value non-negative
        // so that a logical shift extracts e (every positive float is a normal double).
        Vector128<long> bits = x.AsInt64();
        Vector128<long> e = Vector128.ShiftRightLogical(bits - Vector128.Create(SqrtHalfBits - (1024L << 52)), 52) - Vector128.Create(1024L);
        Vector128<double> m = (bits - Vector128.ShiftLeft(e, 52)).AsDouble();
        Vector128<double> magic = Vector128.Create(RoundingMagic);
        Vector128<double> ed = (magic.AsInt64() + e).AsDouble() - magic;
        Vector128<double> one = Vector128<double>.One;
        Vector128<double> s = (m - one) / (m + one);
        Vector128<double> s2 = s * s;
        Vector128<double> q = Vector128.Create(1.0 / 17);
        q = Vector128.MultiplyAddEstimate(q, s2, Vector128.Create(1.0 / 15));
        q = Vector128.MultiplyAddEstimate(q, s2, Vector128.Create(1.0 / 13));
        q = Vector128.MultiplyAddEstimate(q, s2, Vector128.Create(1.0 / 11));
        q = Vector128.MultiplyAddEstimate(q, s2, Vector128.Create(1.0 / 9));
        q = Vector128.MultiplyAddEstimate(q, s2, Vector128.Create(1.0 / 7));
        q = Vector128.MultiplyAddEstimate(q, s2, Vector128.Create(1.0 / 5));
        q = Vector128.MultiplyAddEstimate(q, s2, Vector128.Create(1.0 / 3));
        q = Vector128.MultiplyAddEstimate(q, s2, one);
        return Vector128.MultiplyAddEstimate(ed, Vector128.Create(Ln2), (s + s) * q);
    }
}
