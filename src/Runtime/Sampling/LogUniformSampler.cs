using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using GraphSampling.Runtime.Cpu;

namespace GraphSampling.Runtime.Sampling
{
    /// <summary>
    /// TF <c>log_uniform_candidate_sampler</c> (spec 3.5), the Zipfian proposal for classes sorted by decreasing
    /// frequency: <c>P(v) = log((v + 2) / (v + 1)) / log(rangeMax + 1)</c>, evaluated in double and rounded to float.
    /// </summary>
    public sealed class LogUniformSampler : CandidateSampler
    {
        private readonly double _logRange;

        /// <summary>Ranges up to this size keep every class's probability in a table (4 bytes a class): the expected
        /// counts of a call then cost a lookup each instead of a log. The values are the same floats either way.</summary>
        private const long TableLimit = 1 << 22;

        private readonly float[]? _probabilities;

        // 2^52, and the relative distance to an integer (over 20 times the 2-ulp bound between the two exps) below
        // which a vector lane is recomputed with Math.Exp.
        private const double TwoTo52 = 4503599627370496.0;
        private const double IntegerTolerance = 1e-14;

        private readonly double[] _uniforms = new double[DrawBlockLength];

        /// <summary>Creates a log-uniform sampler over <c>[0, rangeMax)</c>.</summary>
        public LogUniformSampler(long rangeMax, bool unique, ulong seed, ulong stream)
            : base(rangeMax, unique, seed, stream)
        {
            // rangeMax + 1 is exact in double for every practical range, so log(range + 1) equals TF's log1p(range)
            // up to libm rounding (spec 1).
            _logRange = Math.Log(rangeMax + 1.0);
            if (rangeMax <= TableLimit)
            {
                _probabilities = new float[rangeMax];
                for (long v = 0; v < rangeMax; v++) _probabilities[v] = Compute(v);
            }
        }

        /// <inheritdoc/>
        /// <remarks>Defined for any value, as in TF; the ratio is formed first, then its log.</remarks>
        public override float Probability(long value) =>
            _probabilities != null && (ulong)value < (ulong)_probabilities.Length ? _probabilities[value] : Compute(value);

        /// <inheritdoc/>
        /// <remarks>A lookup per value in the table (the values of <see cref="Probability"/>), without a virtual call each.</remarks>
        protected override void Probabilities(ReadOnlySpan<long> values, Span<float> destination)
        {
            float[]? table = _probabilities;
            if (table == null)
            {
                base.Probabilities(values, destination);
                return;
            }

            destination = destination.Slice(0, values.Length);
            ref float first = ref MemoryMarshal.GetArrayDataReference(table);
            ulong length = (ulong)table.Length;
            for (int i = 0; i < values.Length; i++)
            {
                long v = values[i];
                destination[i] = (ulong)v < length ? Unsafe.Add(ref first, (nint)v) : Compute(v);
            }
        }

        private float Compute(long value) => (float)(Math.Log((value + 2.0) / (value + 1.0)) / _logRange);

        /// <inheritdoc/>
        protected override long Draw(ref PhiloxStream rng) => ToClass(rng.NextDouble(), _logRange, RangeMax);

        /// <inheritdoc/>
        /// <remarks>
        /// The same values as <see cref="Draw"/>, which uses <see cref="Math.Exp"/> (glibc's <c>exp</c>, as TF). The
        /// vector path evaluates <c>exp</c> with <see cref="VectorMath.ExpDouble(Vector512{double})"/>, within 2 ulps
        /// of it, so the two can floor differently only when the value lies within a few ulps of an integer; such lanes
        /// (about one draw in 10^9) are redone with <see cref="Math.Exp"/>, which keeps every class identical.
        /// </remarks>
        protected override void DrawMany(ref PhiloxStream rng, Span<long> destination)
        {
            for (int start = 0; start < destination.Length; start += _uniforms.Length)
            {
                Span<long> chunk = destination.Slice(start, Math.Min(_uniforms.Length, destination.Length - start));
                Span<double> uniforms = _uniforms.AsSpan(0, chunk.Length);
                rng.FillDoubles(uniforms);
                MapToClasses(uniforms, _logRange, RangeMax, chunk);
            }
        }

        /// <summary>Maps uniforms to classes exactly as <see cref="ToClass"/> does one at a time.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal static void MapToClasses(ReadOnlySpan<double> uniforms, double logRangePlusOne, long rangeMax, Span<long> classes)
        {
            ref double u = ref MemoryMarshal.GetReference(uniforms);
            ref long c = ref MemoryMarshal.GetReference(classes);
            int i = 0;
            // The conversion below is exact while exp(...) <= rangeMax + 1 stays under 2^52.
            bool vectorizable = rangeMax < (1L << 51);
            if (Vector512.IsHardwareAccelerated && vectorizable)
            {
                Vector512<double> logRange = Vector512.Create(logRangePlusOne);
                Vector512<long> range = Vector512.Create(rangeMax);
                for (; i + Vector512<double>.Count <= uniforms.Length; i += Vector512<double>.Count)
                {
                    Vector512<double> e = VectorMath.ExpDouble(Vector512.LoadUnsafe(ref u, (nuint)i) * logRange);
                    Vector512<double> floor = Vector512.Floor(e);
                    Vector512<double> fraction = e - floor;
                    Vector512<double> tolerance = e * Vector512.Create(IntegerTolerance);
                    // Exact: floor is an integer below 2^52, so adding 2^52 puts it in the low mantissa bits.
                    Vector512<long> v = (floor + Vector512.Create(TwoTo52)).AsInt64() - Vector512.Create(TwoTo52).AsInt64() - Vector512<long>.One;
                    v = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(v, range), v - range, v);
                    v.StoreUnsafe(ref c, (nuint)i);
                    Vector512<double> nearInteger = Vector512.LessThan(fraction, tolerance) | Vector512.GreaterThan(fraction, Vector512<double>.One - tolerance);
                    if (nearInteger != Vector512<double>.Zero)
                    {
                        MapScalar(uniforms, logRangePlusOne, rangeMax, classes, i, i + Vector512<double>.Count);
                    }
                }
            }

            if (Vector256.IsHardwareAccelerated && vectorizable)
            {
                Vector256<double> logRange = Vector256.Create(logRangePlusOne);
                Vector256<long> range = Vector256.Create(rangeMax);
                for (; i + Vector256<double>.Count <= uniforms.Length; i += Vector256<double>.Count)
                {
                    Vector256<double> e = VectorMath.ExpDouble(Vector256.LoadUnsafe(ref u, (nuint)i) * logRange);
                    Vector256<double> floor = Vector256.Floor(e);
                    Vector256<double> fraction = e - floor;
                    Vector256<double> tolerance = e * Vector256.Create(IntegerTolerance);
                    Vector256<long> v = (floor + Vector256.Create(TwoTo52)).AsInt64() - Vector256.Create(TwoTo52).AsInt64() - Vector256<long>.One;
                    v = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(v, range), v - range, v);
                    v.StoreUnsafe(ref c, (nuint)i);
                    Vector256<double> nearInteger = Vector256.LessThan(fraction, tolerance) | Vector256.GreaterThan(fraction, Vector256<double>.One - tolerance);
                    if (nearInteger != Vector256<double>.Zero)
                    {
                        MapScalar(uniforms, logRangePlusOne, rangeMax, classes, i, i + Vector256<double>.Count);
                    }
                }
            }

            MapScalar(uniforms, logRangePlusOne, rangeMax, classes, i, uniforms.Length);
        }

        // The reference mapping for [start, end): the tail, and vectors with a lane near an integer (rare).
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void MapScalar(ReadOnlySpan<double> uniforms, double logRangePlusOne, long rangeMax, Span<long> classes, int start, int end)
        {
            for (int j = start; j < end; j++)
            {
                classes[j] = ToClass(uniforms[j], logRangePlusOne, rangeMax);
            }
        }

        // Inverse CDF: exp(u·log(R+1)) is uniform in log space on [1, R+1); TF's mod only guards a rounding to R.
        // Since u < 1, v lies in [0, R], so "v == R ? 0 : v" is that mod without a 64-bit division per draw.
        private static long ToClass(double uniform, double logRangePlusOne, long rangeMax)
        {
            long v = (long)Math.Exp(uniform * logRangePlusOne) - 1;
            return v >= rangeMax ? v - rangeMax : v;
        }
    }
}
