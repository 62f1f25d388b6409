using System;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;

namespace GraphSampling.Runtime.Gpu.Sampling
{
    /// <summary>
    /// A batch-shared candidate sampler on the device: for the same (seed, stream, step) it gives the candidates,
    /// num_tries and expected counts of <see cref="GraphSampling.Runtime.Sampling.UniformSampler"/> or
    /// <see cref="GraphSampling.Runtime.Sampling.LogUniformSampler"/> (same Philox stream and word order, TF's rejection
    /// loop for <c>unique</c>). Every device buffer is allocated here, once; a call launches four kernels and allocates
    /// nothing.
    /// <para>
    /// Unique sampling: the first <see cref="DrawCapacity"/> draws are generated in parallel, then one thread runs the
    /// rejection loop over them in stream order (it is inherently sequential: whether draw j is a repeat depends on
    /// all earlier picks) with a bit per class, going on from the stream in the rare case they run out. Exclusion of
    /// true classes and per-row sampling are not implemented on the device yet.
    /// </para>
    /// </summary>
    public sealed class DeviceCandidateSampler : IDisposable
    {
        private readonly GpuContext _context;
        private readonly string _name;
        private readonly MemoryBuffer1D<long, Stride1D.Dense> _draws;
        private readonly MemoryBuffer1D<long, Stride1D.Dense> _candidates;
        private readonly MemoryBuffer1D<float, Stride1D.Dense> _sampledCounts;
        private readonly MemoryBuffer1D<long, Stride1D.Dense> _trueClasses;
        private readonly MemoryBuffer1D<float, Stride1D.Dense> _trueCounts;
        private readonly MemoryBuffer1D<uint, Stride1D.Dense> _marks;
        private readonly MemoryBuffer1D<int, Stride1D.Dense> _state; // [0] num_tries of the last call, [1] rejection flag
        private readonly int[] _hostState = new int[2];
        private SamplerLaunch _launch;

        private readonly Action<Index1D, SamplerLaunch, ArrayView<long>, ArrayView<int>> _draw;
        private readonly Action<Index1D, SamplerLaunch, ArrayView<long>, ArrayView<long>, ArrayView<uint>, ArrayView<int>> _select;
        private readonly Action<Index1D, SamplerLaunch, ArrayView<long>, ArrayView<long>, ArrayView<float>, ArrayView<float>, ArrayView<int>> _counts;
        private readonly Action<Index1D, ArrayView<long>, ArrayView<uint>> _clear;

        /// <summary>Creates the sampler and its device buffers.</summary>
        /// <param name="context">The device.</param>
        /// <param name="kind">The proposal distribution.</param>
        /// <param name="rangeMax">Number of classes (TF <c>range_max</c>); at most 2^31 − 1 when <paramref name="unique"/>.</param>
        /// <param name="unique">TF <c>unique</c>.</param>
        /// <param name="seed">Philox key, as the CPU sampler's seed.</param>
        /// <param name="stream">High half of the Philox counter, as the CPU sampler's stream.</param>
        /// <param name="numSampled">K, fixed for the sampler's life (the device buffers are sized for it).</param>
        /// <param name="maxTrueClasses">Most true classes a call reports expected counts for.</param>
        /// <param name="drawCapacity">Unique only: draws generated in parallel per call (default 2K + 64, rounded up to even).</param>
        /// <param name="name">Names the sampler in error messages.</param>
        public DeviceCandidateSampler(
            GpuContext context, DeviceSamplerKind kind, long rangeMax, bool unique, ulong seed, ulong stream,
            int numSampled, int maxTrueClasses, int drawCapacity = 0, string name = "sampler")
        {
            ArgumentNullException.ThrowIfNull(context);
            if (rangeMax < 1) throw new ArgumentOutOfRangeException(nameof(rangeMax), rangeMax, "rangeMax must be at least 1.");
            if (numSampled < 1) throw new ArgumentOutOfRangeException(nameof(numSampled), numSampled, "The number of sampled candidates must be at least 1.");
            if (maxTrueClasses < 0) throw new ArgumentOutOfRangeException(nameof(maxTrueClasses), maxTrueClasses, "maxTrueClasses must be non-negative.");
            if (unique && numSampled > rangeMax)
            {
                throw new ArgumentException(
                    $"Sampler's range is too small: {numSampled} unique candidates were requested from rangeMax = {rangeMax} classes.", nameof(numSampled));
            }

            if (unique && rangeMax > int.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(rangeMax), rangeMax, "Unique device sampling keeps a bit per class; rangeMax must be below 2^31.");
            }

            _context = context;
            _name = name;
            Kind = kind;
            RangeMax = rangeMax;
            Unique = unique;
            Seed = seed;
            Stream = stream;
            NumSampled = numSampled;
            int capacity = unique ? (drawCapacity > 0 ? drawCapacity : (2 * numSampled) + 64) : numSampled;
            DrawCapacity = (capacity + 1) & ~1;
            ulong n = (ulong)rangeMax;
            _launch = new SamplerLaunch
            {
                Key = seed,
                RangeMax = rangeMax,
                RejectionBound = (n & (n - 1)) == 0 ? 0 : (ulong.MaxValue % n) + 1,
                LogRange = Math.Log(rangeMax + 1.0),
                UniformProbability = (float)(1.0 / rangeMax),
                Kind = (int)kind,
                NumSampled = numSampled,
                DrawCapacity = DrawCapacity,
                Unique = unique ? 1 : 0,
            };

            Accelerator a = context.Accelerator;
            try
            {
                _draws = a.Allocate1D<long>(unique ? DrawCapacity : 1);
                _candidates = a.Allocate1D<long>(numSampled);
                _sampledCounts = a.Allocate1D<float>(numSampled);
                _trueClasses = a.Allocate1D<long>(Math.Max(1, maxTrueClasses));
                _trueCounts = a.Allocate1D<float>(Math.Max(1, maxTrueClasses));
                _marks = a.Allocate1D<uint>(unique ? (rangeMax + 31) >> 5 : 1);
                _state = a.Allocate1D<int>(2);
                _marks.MemSetToZero();
                _state.MemSetToZero();
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                Dispose();
                throw new GpuOperationException("allocate sampler buffers", name, e);
            }

            MaxTrueClasses = maxTrueClasses;
            _draw = KernelLoader.Load(context, "sampler draw", (Action<Index1D, SamplerLaunch, ArrayView<long>, ArrayView<int>>)SamplerKernels.Draw, KernelGrouping.Implicit,
                acc => acc.LoadAutoGroupedStreamKernel<Index1D, SamplerLaunch, ArrayView<long>, ArrayView<int>>(SamplerKernels.Draw));
            _select = KernelLoader.Load(context, "sampler select", (Action<Index1D, SamplerLaunch, ArrayView<long>, ArrayView<long>, ArrayView<uint>, ArrayView<int>>)SamplerKernels.Select, KernelGrouping.Implicit,
                acc => acc.LoadAutoGroupedStreamKernel<Index1D, SamplerLaunch, ArrayView<long>, ArrayView<long>, ArrayView<uint>, ArrayView<int>>(SamplerKernels.Select));
            _counts = KernelLoader.Load(context, "sampler expected counts", (Action<Index1D, SamplerLaunch, ArrayView<long>, ArrayView<long>, ArrayView<float>, ArrayView<float>, ArrayView<int>>)SamplerKernels.ExpectedCounts, KernelGrouping.Implicit,
                acc => acc.LoadAutoGroupedStreamKernel<Index1D, SamplerLaunch, ArrayView<long>, ArrayView<long>, ArrayView<float>, ArrayView<float>, ArrayView<int>>(SamplerKernels.ExpectedCounts));
            _clear = KernelLoader.Load(context, "sampler clear marks", (Action<Index1D, ArrayView<long>, ArrayView<uint>>)SamplerKernels.ClearMarks, KernelGrouping.Implicit,
                acc => acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<long>, ArrayView<uint>>(SamplerKernels.ClearMarks));
        }

        /// <summary>The proposal distribution.</summary>
        public DeviceSamplerKind Kind { get; }

        /// <summary>Number of classes.</summary>
        public long RangeMax { get; }

        /// <summary>Whether candidates are drawn without replacement.</summary>
        public bool Unique { get; }

        /// <summary>The Philox key.</summary>
        public ulong Seed { get; }

        /// <summary>The high 64 bits of the Philox counter.</summary>
        public ulong Stream { get; }

        /// <summary>K.</summary>
        public int NumSampled { get; }

        /// <summary>Most true classes per call.</summary>
        public int MaxTrueClasses { get; }

        /// <summary>Draws generated in parallel per unique call (K when not unique).</summary>
        public int DrawCapacity { get; }

        /// <summary>The last call's candidates, on the device (length K).</summary>
        public ArrayView<long> Candidates => _candidates.View;

        /// <summary>The last call's candidate expected counts, on the device (length K).</summary>
        public ArrayView<float> SampledExpectedCounts => _sampledCounts.View;

        /// <summary>The last call's true-class expected counts, on the device (length of its true classes).</summary>
        public ArrayView<float> TrueExpectedCounts => _trueCounts.View;

        /// <summary>The last call's num_tries, on the device (element 0).</summary>
        public ArrayView<int> NumTries => _state.View.SubView(0, 1);

        /// <summary>
        /// One call entirely on the device: the true classes are already there (<paramref name="trueClasses"/>, each in
        /// [0, RangeMax): not checked, as the device cannot throw). Results stay in <see cref="Candidates"/>,
        /// <see cref="SampledExpectedCounts"/>, <see cref="TrueExpectedCounts"/> and <see cref="NumTries"/>.
        /// </summary>
        public void Sample(long step, ArrayView<long> trueClasses)
        {
            if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "step must be non-negative.");
            if (trueClasses.Length > MaxTrueClasses)
            {
                throw new ArgumentException($"{trueClasses.Length} true classes exceed the sampler's maxTrueClasses = {MaxTrueClasses}.", nameof(trueClasses));
            }

            // PhiloxStream.ForCall: counter = stream·2^64 + step·512·K (mod 2^128).
            UInt128 start = ((UInt128)Stream << 64) + ((UInt128)(ulong)step * (ulong)GraphSampling.Runtime.Sampling.PhiloxStream.BlocksPerCandidate * (ulong)(uint)NumSampled);
            _launch.CounterLow = (ulong)start;
            _launch.CounterHigh = (ulong)(start >> 64);
            _launch.TrueCount = (int)trueClasses.Length;
            ArrayView<long> trueView = trueClasses.Length > 0 ? trueClasses : _trueClasses.View.SubView(0, 1);
            try
            {
                _draw((int)(Unique ? DrawCapacity : NumSampled), _launch, Unique ? _draws.View : _candidates.View, _state.View);
                _select(1, _launch, _draws.View, _candidates.View, _marks.View, _state.View);
                _counts(NumSampled + (int)trueClasses.Length, _launch, _candidates.View, trueView, _sampledCounts.View, _trueCounts.View, _state.View);
                if (Unique)
                {
                    _clear(NumSampled, _candidates.View, _marks.View);
                }
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("sample candidates", _name, e);
            }
        }

        /// <summary>
        /// One call from host memory, as <see cref="GraphSampling.Runtime.Sampling.CandidateSampler.SampleCandidates"/>:
        /// uploads the true classes, samples on the device, downloads the results and returns num_tries.
        /// </summary>
        public int Sample(long step, ReadOnlySpan<long> trueClasses, Span<long> sampledCandidates, Span<float> trueExpectedCount, Span<float> sampledExpectedCount)
        {
            if (sampledCandidates.Length != NumSampled || sampledExpectedCount.Length != NumSampled)
            {
                throw new ArgumentException($"sampledCandidates and sampledExpectedCount must have length K = {NumSampled}.", nameof(sampledCandidates));
            }

            if (trueExpectedCount.Length != trueClasses.Length)
            {
                throw new ArgumentException("trueExpectedCount must have the length of trueClasses.", nameof(trueExpectedCount));
            }

            if (trueClasses.Length > MaxTrueClasses)
            {
                throw new ArgumentException($"{trueClasses.Length} true classes exceed the sampler's maxTrueClasses = {MaxTrueClasses}.", nameof(trueClasses));
            }

            for (int i = 0; i < trueClasses.Length; i++)
            {
                if ((ulong)trueClasses[i] >= (ulong)RangeMax)
                {
                    throw new ArgumentOutOfRangeException(nameof(trueClasses), trueClasses[i], $"true class {i} is {trueClasses[i]}; it must lie in [0, {RangeMax}).");
                }
            }

            try
            {
                ArrayView<long> trueView = _trueClasses.View.SubView(0, trueClasses.Length);
                if (trueClasses.Length > 0)
                {
                    trueView.CopyFromCPU(ref MemoryMarshal.GetReference(trueClasses), trueClasses.Length);
                }

                Sample(step, trueView);
                _candidates.View.CopyToCPU(ref MemoryMarshal.GetReference(sampledCandidates), NumSampled);
                _sampledCounts.View.CopyToCPU(ref MemoryMarshal.GetReference(sampledExpectedCount), NumSampled);
                if (trueClasses.Length > 0)
                {
                    _trueCounts.View.SubView(0, trueClasses.Length).CopyToCPU(ref MemoryMarshal.GetReference(trueExpectedCount), trueClasses.Length);
                }

                _state.View.CopyToCPU(ref _hostState[0], 2);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("sample candidates", _name, e);
            }

            return _hostState[0];
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            _draws?.Dispose();
            _candidates?.Dispose();
            _sampledCounts?.Dispose();
            _trueClasses?.Dispose();
            _trueCounts?.Dispose();
            _marks?.Dispose();
            _state?.Dispose();
        }
    }
}
