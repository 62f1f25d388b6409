using System;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace GraphSampling.Runtime.Gpu.Sampling
{
    /// <summary>
    /// <c>exp</c>, <c>log</c>, <c>log1p</c> and <c>expm1</c> in double for device code, accurate enough to reproduce the
    /// CPU samplers' results. ILGPU's own double <c>Math.Exp</c> on CUDA is a CORDIC iteration (XMath) that is several
    /// ulps off, so <c>floor(exp(u·log(R+1)))</c>, the log-uniform class, would differ from the CPU's glibc
    /// <c>exp</c> near every integer. Here <see cref="Exp"/> and <see cref="Log"/> are computed in double-double
    /// (about 100 bits) and rounded once, so they are the correctly rounded values except within about 2^-40 ulp of a
    /// rounding midpoint; glibc's <c>exp</c>/<c>log</c> are correctly rounded outside a similarly tiny set, so the two
    /// agree bit for bit except with a probability far below one in 10^12 per value.
    /// <para>
    /// Exactness of the double-double steps needs exact products that are not contracted into a following add:
    /// on CUDA they are emitted as inline <c>mul.rn.f64</c> and <c>fma.rn.f64</c> (plain PTX <c>mul.f64</c>/<c>add.f64</c>
    /// may be fused by ptxas), on the CPU accelerator computed with Dekker's split. Valid for finite arguments with results in the normal range (|x| &lt; 708).
    /// </para>
    /// </summary>
    public static class DeviceMath
    {
        private const double Ln2Hi = 6.93147180559945286227e-01;  // 0x3FE62E42FEFA39EF
        private const double Ln2Lo = 2.319046813846299558e-17;    // 0x3C7ABC9E3B39803F, ln 2 - Ln2Hi
        private const double InvLn2 = 1.4426950408889634;
        private const int Halvings = 10;                          // exp(r) = exp(r / 2^10)^(2^10)
        private const double SeriesLimit = 0.0078125;             // 2^-7, as AccurateMath

        /// <summary>exp(x), correctly rounded but for a vanishing set of arguments (see the type remarks).</summary>
        public static double Exp(double x)
        {
            if (x > 709.0)
            {
                return double.PositiveInfinity;
            }

            if (x < -708.0)
            {
                return 0.0;
            }

            ExpDoubleDouble(x, out double hi, out double lo);
            return hi + lo;
        }

        /// <summary>log(a) for a &gt; 0, correctly rounded but for a vanishing set of arguments; NaN or -inf otherwise.</summary>
        public static double Log(double a)
        {
            if (!(a > 0.0) || a > double.MaxValue)
            {
                return a == 0.0 ? double.NegativeInfinity : a > 0.0 ? a : double.NaN;
            }

            // A few-ulp estimate, then one Newton step against the double-double exp: y = y0 + (a - e^y0) / e^y0.
            double y0 = LogEstimate(a);
            ExpDoubleDouble(y0, out double eh, out double el);
            double d = ((a - eh) - el) / eh;
            return y0 + d;
        }

        /// <summary><see cref="GraphSampling.Runtime.Sampling.AccurateMath.Log1P(double)"/> with <see cref="Log"/>.</summary>
        public static double Log1P(double x)
        {
            if (Math.Abs(x) < SeriesLimit)
            {
                double t = -1.0 / 8 + x / 9;
                t = 1.0 / 7 + x * t;
                t = -1.0 / 6 + x * t;
                t = 1.0 / 5 + x * t;
                t = -1.0 / 4 + x * t;
                t = 1.0 / 3 + x * t;
                t = -1.0 / 2 + x * t;
                return x + x * (x * t);
            }

            double u = 1.0 + x;
            if (u <= 0.0 || u > double.MaxValue || double.IsNaN(u))
            {
                return Log(u);
            }

            return Log(u) * (x / (u - 1.0));
        }

        /// <summary><see cref="GraphSampling.Runtime.Sampling.AccurateMath.ExpM1(double)"/> with <see cref="Exp"/>.</summary>
        public static double ExpM1(double x)
        {
            double ax = Math.Abs(x);
            if (ax >= 0.5 || double.IsNaN(x))
            {
                return Exp(x) - 1.0;
            }

            int halvings = 0;
            while (ax >= SeriesLimit)
            {
                x *= 0.5;
                ax *= 0.5;
                halvings++;
            }

            double t = 1.0 / 5040 * x + 1.0 / 720;
            t = 1.0 / 120 + x * t;
            t = 1.0 / 24 + x * t;
            t = 1.0 / 6 + x * t;
            t = 0.5 + x * t;
            double e = x + x * (x * t);
            for (int i = 0; i < halvings; i++)
            {
                e *= e + 2.0;
            }

            return e;
        }

        /// <summary>a·b rounded on its own, never fused with a later add (PTX <c>mul.rn.f64</c> on CUDA).</summary>
        public static double Mul(double a, double b)
        {
            if (CudaAsm.IsSupported)
            {
                CudaAsm.Emit("mul.rn.f64 %0, %1, %2;", out double r, a, b);
                return r;
            }

            return a * b;
        }

        // exp(x) as hi + lo (|lo| <= ulp(hi) / 2) with about 100 correct bits, for |x| <= 708.
        private static void ExpDoubleDouble(double x, out double hi, out double lo)
        {
            double kd = x * InvLn2;
            int k = (int)(kd + (kd >= 0.0 ? 0.5 : -0.5));
            double kf = k;

            // r = x - k·ln2 in double-double from exact products: x - k·Ln2Hi is exact (the two are within a factor of
            // two of each other, Sterbenz), the rest is carried in the low word.
            TwoProduct(kf, Ln2Hi, out double p1, out double e1);
            TwoSum(x - p1, -e1, out double rh, out double rl);
            TwoProduct(kf, Ln2Lo, out double p2, out double e2);
            TwoSum(rh, -p2, out rh, out double t);
            rl += t - e2;
            QuickTwoSum(rh, rl, out rh, out rl);

            // s = r / 2^10 (exact), expm1(s) by its Taylor series to s^9/9! in double-double Horner form.
            const double scale = 1.0 / (1 << Halvings);
            double sh = rh * scale;
            double sl = rl * scale;
            double th = 1.0 / 362880;
            double tl = 0.0;
            MulAddDd(th, tl, sh, sl, 1.0 / 40320, out th, out tl);
            MulAddDd(th, tl, sh, sl, 1.0 / 5040, out th, out tl);
            MulAddDd(th, tl, sh, sl, 1.0 / 720, out th, out tl);
            MulAddDd(th, tl, sh, sl, 1.0 / 120, out th, out tl);
            MulAddDd(th, tl, sh, sl, 1.0 / 24, out th, out tl);
            MulAddDd(th, tl, sh, sl, 1.0 / 6, out th, out tl);
            MulAddDd(th, tl, sh, sl, 0.5, out th, out tl);
            MulAddDd(th, tl, sh, sl, 1.0, out th, out tl);
            MulDd(th, tl, sh, sl, out double mh, out double ml);

            // Undo the halvings with expm1(2y) = expm1(y)·(expm1(y) + 2): no cancellation.
            for (int i = 0; i < Halvings; i++)
            {
                TwoSum(mh, 2.0, out double ah, out double al);
                al += ml;
                MulDd(mh, ml, ah, al, out mh, out ml);
            }

            // 1 + expm1(r), then the exact scaling by 2^k.
            TwoSum(1.0, mh, out double h, out double l);
            l += ml;
            QuickTwoSum(h, l, out h, out l);
            double twoK = Interop.IntAsFloat((ulong)(k + 1023) << 52);
            hi = h * twoK;
            lo = l * twoK;
        }

        // log(a) within a few ulps: a = m·2^e with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh((m - 1) / (m + 1)).
        private static double LogEstimate(double a)
        {
            ulong bits = Interop.FloatAsInt(a);
            int e = (int)((bits >> 52) & 0x7FF);
            if (e == 0)
            {
                // Subnormal: scale into the normal range first.
                a *= 18014398509481984.0; // 2^54
                bits = Interop.FloatAsInt(a);
                e = (int)((bits >> 52) & 0x7FF) - 54;
            }

            e -= 1023;
            double m = Interop.IntAsFloat((bits & 0x000FFFFFFFFFFFFFUL) | 0x3FF0000000000000UL);
            if (m > 1.4142135623730951)
            {
                m *= 0.5;
                e++;
            }

            double f = (m - 1.0) / (m + 1.0);
            double s = f * f;
            double t = 1.0 / 21;
            t = 1.0 / 19 + s * t;
            t = 1.0 / 17 + s * t;
            t = 1.0 / 15 + s * t;
            t = 1.0 / 13 + s * t;
            t = 1.0 / 11 + s * t;
            t = 1.0 / 9 + s * t;
            t = 1.0 / 7 + s * t;
            t = 1.0 / 5 + s * t;
            t = 1.0 / 3 + s * t;
            double logM = 2.0 * f + 2.0 * f * (s * t);
            return e * Ln2Hi + (logM + e * Ln2Lo);
        }

        private static void TwoSum(double a, double b, out double s, out double e)
        {
            s = a + b;
            double bb = s - a;
            e = (a - (s - bb)) + (b - bb);
        }

        private static void QuickTwoSum(double a, double b, out double s, out double e)
        {
            s = a + b;
            e = b - (s - a);
        }

        // a·b = p + e exactly. On CUDA with fma.rn; elsewhere with Dekker's split (exact in .NET, which never fuses a
        // multiply into an add). Math.FusedMultiplyAdd cannot be used: ILGPU leaves it an unresolved PTX extern.
        private static void TwoProduct(double a, double b, out double p, out double e)
        {
            if (CudaAsm.IsSupported)
            {
                CudaAsm.Emit("mul.rn.f64 %0, %1, %2;", out p, a, b);
                CudaAsm.Emit("fma.rn.f64 %0, %1, %2, %3;", out e, a, b, -p);
                return;
            }

            p = a * b;
            Split(a, out double ah, out double al);
            Split(b, out double bh, out double bl);
            e = (((ah * bh) - p) + (ah * bl) + (al * bh)) + (al * bl);
        }

        // Veltkamp's split of a into 26 + 27 significant bits (|a| < 2^995).
        private static void Split(double a, out double hi, out double lo)
        {
            double c = 134217729.0 * a; // 2^27 + 1
            hi = c - (c - a);
            lo = a - hi;
        }

        // (ah, al)·(bh, bl) in double-double; the cross terms only affect the low word, so their rounding is harmless.
        private static void MulDd(double ah, double al, double bh, double bl, out double h, out double l)
        {
            TwoProduct(ah, bh, out double p, out double e);
            e += ah * bl + al * bh;
            QuickTwoSum(p, e, out h, out l);
        }

        // (th, tl)·(sh, sl) + c in double-double.
        private static void MulAddDd(double th, double tl, double sh, double sl, double c, out double h, out double l)
        {
            MulDd(th, tl, sh, sl, out double ph, out double pl);
            TwoSum(ph, c, out double s, out double e);
            e += pl;
            QuickTwoSum(s, e, out h, out l);
        }
    }
}
