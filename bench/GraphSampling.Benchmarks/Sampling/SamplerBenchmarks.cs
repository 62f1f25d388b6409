using System;
using BenchmarkDotNet.Attributes;
using GraphSampling.Runtime.Sampling;

namespace GraphSampling.Benchmarks.Sampling
{
    /// <summary>
    /// One sampler call each: K = 8,192 candidates from 800,000 classes, a batch of B = 128 labels (T = 1).
    /// Run: <c>dotnet run -c Release --project bench/GraphSampling.Benchmarks -- --filter '*Sampl*' --job short</c>.
    /// </summary>
    [MemoryDiagnoser]
    public class SamplerBenchmarks
    {
        private const int Range = 800_000;
        private const int K = 8192;
        private const int Batch = 128;

        private readonly long[] _labels = new long[Batch];
        private readonly long[] _sampled = new long[K];
        private readonly float[] _trueCounts = new float[Batch];
        private readonly float[] _sampledCounts = new float[K];
        private readonly long[] _perRow = new long[Batch * 64];
        private readonly float[] _perRowCounts = new float[Batch * 64];
        private readonly long[] _mixed = new long[Batch + K];
        private readonly float[] _mixedCounts = new float[Batch + K];
        private readonly float[] _mask = new float[Batch * K];
        private readonly bool[] _predicate = new bool[Batch * K];
        private readonly float[] _logits = new float[Batch * K];

        private LogUniformSampler _logUniformUnique = null!;
        private LogUniformSampler _logUniform = null!;
        private LogUniformSampler _logUniformExcluding = null!;
        private UniformSampler _uniformUnique = null!;
        private LearnedUnigramSampler _learned = null!;
        private LearnedUnigramSampler _learnedUnique = null!;
        private FixedUnigramSampler _fixed = null!;
        private FixedUnigramSampler _fixedUnique = null!;
        private MixedNegativeSampler _mixedSampler = null!;
        private long _step;

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(1);
            for (int i = 0; i < Batch; i++)
            {
                _labels[i] = (long)Math.Exp(random.NextDouble() * Math.Log(Range)) - 1;
            }

            var weights = new float[Range];
            for (int i = 0; i < Range; i++)
            {
                weights[i] = 1_000_000f / (i + 1); // Zipf-like corpus counts
            }

            _logUniformUnique = new LogUniformSampler(Range, unique: true, seed: 1, stream: 2);
            _logUniform = new LogUniformSampler(Range, unique: false, seed: 1, stream: 2);
            _logUniformExcluding = new LogUniformSampler(Range, unique: true, seed: 1, stream: 2) { ExcludeTrueClasses = true };
            _uniformUnique = new UniformSampler(Range, unique: true, seed: 1, stream: 2);
            _learned = new LearnedUnigramSampler(Range, unique: false, seed: 1, stream: 2);
            _learnedUnique = new LearnedUnigramSampler(Range, unique: true, seed: 1, stream: 2);
            _fixed = new FixedUnigramSampler(Range, unique: false, seed: 1, stream: 2, unigrams: weights);
            _fixedUnique = new FixedUnigramSampler(Range, unique: true, seed: 1, stream: 2, unigrams: weights);
            _mixedSampler = new MixedNegativeSampler(new LogUniformSampler(Range, true, 1, 2), new LogUniformSampler(Range, false, 0, 0));
        }

        [Benchmark(Description = "log-uniform unique 8192/800k")]
        public int LogUniformUnique() => _logUniformUnique.SampleCandidates(_step++, _labels, 1, _sampled, _trueCounts, _sampledCounts);

        [Benchmark(Description = "log-uniform 8192/800k")]
        public int LogUniform() => _logUniform.SampleCandidates(_step++, _labels, 1, _sampled, _trueCounts, _sampledCounts);

        [Benchmark(Description = "log-uniform unique excluding labels")]
        public int LogUniformUniqueExcluding() => _logUniformExcluding.SampleCandidates(_step++, _labels, 1, _sampled, _trueCounts, _sampledCounts);

        [Benchmark(Description = "uniform unique 8192/800k")]
        public int UniformUnique() => _uniformUnique.SampleCandidates(_step++, _labels, 1, _sampled, _trueCounts, _sampledCounts);

        [Benchmark(Description = "learned unigram 8192/800k + update")]
        public int LearnedUnigram() => _learned.SampleCandidates(_step++, _labels, 1, _sampled, _trueCounts, _sampledCounts);

        [Benchmark(Description = "learned unigram unique 8192/800k + update")]
        public int LearnedUnigramUnique() => _learnedUnique.SampleCandidates(_step++, _labels, 1, _sampled, _trueCounts, _sampledCounts);

        [Benchmark(Description = "fixed unigram (alias) 8192/800k")]
        public int FixedUnigram() => _fixed.SampleCandidates(_step++, _labels, 1, _sampled, _trueCounts, _sampledCounts);

        [Benchmark(Description = "fixed unigram (alias) unique 8192/800k")]
        public int FixedUnigramUnique() => _fixedUnique.SampleCandidates(_step++, _labels, 1, _sampled, _trueCounts, _sampledCounts);

        [Benchmark(Description = "log-uniform per-row 128x64 unique")]
        public void LogUniformPerRow() => _logUniformUnique.SampleCandidatesPerRow(_step++, _labels, 1, 64, _perRow, _trueCounts, _perRowCounts);

        [Benchmark(Description = "mixed in-batch 128 + 8192 unique")]
        public int Mixed() => _mixedSampler.Sample(_step++, _labels, 1, K, _mixed, _trueCounts, _mixedCounts);

        [Benchmark(Description = "accidental-hit float mask 128x8192")]
        public void AccidentalHitMask() => AccidentalHits.AccidentalHitMask(_labels, 1, _sampled, _mask);

        [Benchmark(Description = "accidental-hit predicate + apply 128x8192")]
        public void AccidentalHitPredicateApply()
        {
            AccidentalHits.AccidentalHitPredicate(_labels, 1, _sampled, _predicate);
            AccidentalHits.ApplyMask<float>(_logits, _predicate);
        }
    }

    /// <summary>Raw Philox throughput: 4,096 blocks (16,384 words) per invocation.</summary>
    public class PhiloxSamplingBenchmarks
    {
        private long _step;

        [Benchmark(Description = "Philox4x32-10 16384 words")]
        public uint Words()
        {
            var rng = PhiloxStream.ForCall(1, 2, _step++, 8);
            uint acc = 0;
            for (int i = 0; i < 16384; i++)
            {
                acc ^= rng.NextUInt32();
            }

            return acc;
        }
    }
}
