using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using GraphSampling.Runtime.Cpu;

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
        /// branch gives the same bits as the scalar overloads. The other branch uses the vector
        /// <see cref="AccurateMath.Log1P(Vector512{double})"/> and <see cref="VectorMath.ExpM1Double(Vector512{double})"/>,
        /// each within an ulp or two of the scalar functions in double, so the float result is within 1 float ulp of the
        /// scalar rule and nearly always equal to it (differences need a double result within a few double ulps of a
        /// float rounding boundary). A vector with a <c>q</c> of 2^-7 or more (one of the few most probable classes)
        /// takes the scalar log1p lane by lane.
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
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

            // Element i is read before it is written and no element is read twice, so in-place use is safe. The
            // remainder goes through the same vector code on a zero-padded copy, so an element's count does not depend
            // on its position (a class gets the same count as a candidate and as a true class).
            if (Vector512.IsHardwareAccelerated)
            {
                for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
                {
                    Count(Vector512.LoadUnsafe(ref source, (nuint)i), scale, numSampled, numTries, linear).StoreUnsafe(ref target, (nuint)i);
                }

                if (i < length)
                {
                    Span<float> padded = stackalloc float[Vector512<float>.Count];
                    padded.Clear();
                    probabilities.Slice(i).CopyTo(padded);
                    Count(Vector512.Create<float>(padded), scale, numSampled, numTries, linear).CopyTo(padded);
                    padded.Slice(0, length - i).CopyTo(destination.Slice(i));
                }

                return;
            }

            if (Vector256.IsHardwareAccelerated)
            {
                for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    Count(Vector256.LoadUnsafe(ref source, (nuint)i), scale, numSampled, numTries, linear).StoreUnsafe(ref target, (nuint)i);
                }

                if (i < length)
                {
                    Span<float> padded = stackalloc float[Vector256<float>.Count];
                    padded.Clear();
                    probabilities.Slice(i).CopyTo(padded);
                    Count(Vector256.Create<float>(padded), scale, numSampled, numTries, linear).CopyTo(padded);
                    padded.Slice(0, length - i).CopyTo(destination.Slice(i));
                }

                return;
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

        /// <summary>
        /// The rule for one float vector, evaluated in two double vectors (each step for both halves before the next;
        /// the two chains are independent).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> Count(Vector512<float> probabilities, double scale, int numSampled, int numTries, bool linear)
        {
            (Vector512<double> low, Vector512<double> high) = Vector512.Widen(probabilities);
            Vector512<double> factor = Vector512.Create(scale);
            Vector512<double> qLow = Vector512.Min(low * factor, Vector512<double>.One);
            Vector512<double> qHigh = Vector512.Min(high * factor, Vector512<double>.One);
            if (linear)
            {
                Vector512<double> k = Vector512.Create((double)(float)numSampled);
                return Vector512.Narrow(qLow * k, qHigh * k);
            }

            Vector512<double> tries = Vector512.Create((double)numTries);
            Vector512<double> yLow = tries * AccurateMath.Log1P(-qLow);
            Vector512<double> yHigh = tries * AccurateMath.Log1P(-qHigh);
            return Vector512.Narrow(-VectorMath.ExpM1Double(yLow), -VectorMath.ExpM1Double(yHigh));
        }

        /// <summary>
        /// The rule for one float vector, evaluated in two double vectors (each step for both halves before the next;
        /// the two chains are independent).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Count(Vector256<float> probabilities, double scale, int numSampled, int numTries, bool linear)
        {
            (Vector256<double> low, Vector256<double> high) = Vector256.Widen(probabilities);
            Vector256<double> factor = Vector256.Create(scale);
            Vector256<double> qLow = Vector256.Min(low * factor, Vector256<double>.One);
            Vector256<double> qHigh = Vector256.Min(high * factor, Vector256<double>.One);
            if (linear)
            {
                Vector256<double> k = Vector256.Create((double)(float)numSampled);
                return Vector256.Narrow(qLow * k, qHigh * k);
            }

            Vector256<double> tries = Vector256.Create((double)numTries);
            Vector256<double> yLow = tries * AccurateMath.Log1P(-qLow);
            Vector256<double> yHigh = tries * AccurateMath.Log1P(-qHigh);
            return Vector256.Narrow(-VectorMath.ExpM1Double(yLow), -VectorMath.ExpM1Double(yHigh));
        }
    }
}
