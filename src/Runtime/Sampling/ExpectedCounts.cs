using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>TensorFlow's expected-count rule (spec 3.3), for one probability or a span of them.</summary>
    /// <remarks>
    /// Every overload applies the same rule to <c>q</c> in double: <c>q·K</c> rounded once to float when
    /// <c>numTries == K</c> (no draw was rejected), otherwise <c>1 − (1 − q)^numTries = −expm1(numTries · log1p(−q))</c>
    /// evaluated with accurate log1p/expm1 and rounded once, within 1 ulp of TF's float arithmetic.
    /// </remarks>
    public static class ExpectedCounts
    {
        /// <summary>
        /// <c>p·K</c> when <paramref name="numTries"/> equals <paramref name="numSampled"/> (no draw was rejected),
        /// otherwise <c>1 − (1 − p)^numTries = −expm1(numTries · log1p(−p))</c>. The first branch is TF's float product
        /// (the product of two floats is exact in double, so rounding it once gives the same bits); the second is
        /// evaluated in double with accurate log1p/expm1 and rounded once, within 1 ulp of TF's float.
        /// </summary>
        public static float Compute(float probability, int numSampled, int numTries) => Count(probability, numSampled, numTries);

        /// <summary>
        /// The same rule for a probability held in double (the renormalised proposal of an excluding sampler), rounded
        /// to float only at the end.
        /// </summary>
        public static float Compute(double probability, int numSampled, int numTries) => Count(probability, numSampled, numTries);

        /// <summary>
        /// The rule for a span of probabilities, each first scaled and capped: <c>q = min(1, p · scale)</c> in double.
        /// Element i of <paramref name="destination"/> is exactly what <see cref="Compute(double, int, int)"/> would
        /// give for that <c>q</c>, up to the accuracy stated below; with <paramref name="scale"/> = 1 and
        /// <c>p</c> in [0, 1] it is what <see cref="Compute(float, int, int)"/> gives for <c>p</c>.
        /// </summary>
        /// <remarks>
        /// <para>
        /// Vectorised over double lanes (Vector512 where accelerated, else Vector256, else scalar). The <c>q·K</c>
        /// branch, and the other branch wherever <c>numTries · log1p(−q)</c> lies in (−0.5, 0.5), give the same bits as
        /// the scalar overloads; where it is at most −0.5 (the most probable classes of a call with many rejections)
        /// the vector <c>exp</c> may differ from <see cref="Math.Exp"/> by an ulp in double, so the float result is
        /// within 1 float ulp of the scalar one (and nearly always equal).
        /// </para>
        /// <para>
        /// <paramref name="destination"/> may be the same memory as <paramref name="probabilities"/> (the sampler
        /// computes the counts in place over the probabilities); any other overlap is rejected.
        /// </para>
        /// </remarks>
        /// <param name="probabilities">Per-element probabilities <c>p</c> of one draw.</param>
        /// <param name="scale">Factor applied to each <c>p</c> before the cap at 1 (1 for TF's rule; <c>1 / (1 − q(E))</c>
        /// for a sampler that excludes the true classes).</param>
        /// <param name="numSampled">K, the number of sampled candidates of the call.</param>
        /// <param name="numTries">TF's <c>num_tries</c> of the call.</param>
        /// <param name="destination">Receives the expected counts; at least as long as <paramref name="probabilities"/>.</param>
        public static void Compute(ReadOnlySpan<float> probabilities, double scale, int numSampled, int numTries, Span<float> destination)
        {
            if (destination.Length < probabilities.Length)
            {
                throw new ArgumentException(
                    $"destination has length {destination.Length}; it must be at least the number of probabilities, {probabilities.Length}.",
                    nameof(destination));
            }

            if (probabilities.Overlaps(destination, out int offset) && offset != 0)
            {
                throw new ArgumentException(
                    "destination overlaps probabilities at a different offset; it may only be the same memory or separate.",
                    nameof(destination));
            }

            int length = probabilities.Length;
            bool linear = numTries == numSampled;
            ref float source = ref MemoryMarshal.GetReference(probabilities);
            ref float target = ref MemoryMarshal.GetReference(destination);
            int i = 0;

            // Element i is read before it is written and no element is read twice, so in-place use is safe; the
            // remainder is done with narrower vectors and then the scalar rule, never with an overlapping last vector.
            if (Vector512.IsHardwareAccelerated)
            {
                for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
                {
                    (Vector512<double> low, Vector512<double> high) = Vector512.Widen(Vector512.LoadUnsafe(ref source, (nuint)i));
                    Vector512.Narrow(
                        Count(low, scale, numSampled, numTries, linear),
                        Count(high, scale, numSampled, numTries, linear)).StoreUnsafe(ref target, (nuint)i);
                }
            }

            if (Vector256.IsHardwareAccelerated)
            {
                for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    (Vector256<double> low, Vector256<double> high) = Vector256.Widen(Vector256.LoadUnsafe(ref source, (nuint)i));
                    Vector256.Narrow(
                        Count(low, scale, numSampled, numTries, linear),
                        Count(high, scale, numSampled, numTries, linear)).StoreUnsafe(ref target, (nuint)i);
                }
            }

            for (; i < length; i++)
            {
                Unsafe.Add(ref target, i) = Count(Math.Min(1.0, Unsafe.Add(ref source, i) * scale), numSampled, numTries);
            }
        }

        /// <summary>The rule for one q (spec 3.3): the single definition every overload and vector lane follows.</summary>
        /// <remarks>
        /// K is converted to float first, as TF does (<c>p * num_sampled</c> in float); for a float q the double product
        /// is then exact, so one rounding gives TF's bits for every K.
        /// </remarks>
        private static float Count(double q, int numSampled, int numTries) =>
            numTries == numSampled
                ? (float)(q * (float)numSampled)
                : (float)-AccurateMath.ExpM1(numTries * AccurateMath.Log1P(-q));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<double> Count(Vector512<double> p, double scale, int numSampled, int numTries, bool linear)
        {
            Vector512<double> q = Vector512.Min(p * Vector512.Create(scale), Vector512<double>.One);
            if (linear)
            {
                return q * Vector512.Create((double)(float)numSampled);
            }

            return -AccurateMath.ExpM1(Vector512.Create((double)numTries) * AccurateMath.Log1P(-q));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> Count(Vector256<double> p, double scale, int numSampled, int numTries, bool linear)
        {
            Vector256<double> q = Vector256.Min(p * Vector256.Create(scale), Vector256<double>.One);
            if (linear)
            {
                return q * Vector256.Create((double)(float)numSampled);
            }

            return -AccurateMath.ExpM1(Vector256.Create((double)numTries) * AccurateMath.Log1P(-q));
        }
    }
}
