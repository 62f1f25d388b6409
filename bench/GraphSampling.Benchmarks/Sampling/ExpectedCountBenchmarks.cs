using System;
using BenchmarkDotNet.Attributes;
using GraphSampling.Runtime.Sampling;

namespace GraphSampling.Benchmarks.Sampling
{
    /// <summary>
    /// The expected-count part of a log-uniform unique call (K = 8,192 of 800,000 classes, B = 128 labels, num_tries of
    /// a real call, about 16,000): the per-element scalar rule against the batch rule.
    /// Run: <c>dotnet run -c Release --project bench/GraphSampling.Benchmarks -- --filter '*ExpectedCount*' --job short</c>.
    /// </summary>
    public class ExpectedCountBenchmarks
    {
        private const int Range = 800_000;
        private const int K = 8192;
        private const int Batch = 128;

        private readonly long[] _labels = new long[Batch];
        private readonly long[] _sampled = new long[K];
        private readonly float[] _trueCounts = new float[Batch];
        private readonly float[] _sampledCounts = new float[K];
        private readonly float[] _sampledProbabilities = new float[K];
        private readonly float[] _trueProbabilities = new float[Batch];
        private LogUniformSampler _sampler = null!;
        private int _tries;

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(1);
            for (int i = 0; i < Batch; i++)
            {
                _labels[i] = (long)Math.Exp(random.NextDouble() * Math.Log(Range)) - 1;
            }

            _sampler = new LogUniformSampler(Range, unique: true, seed: 1, stream: 2);
            _tries = _sampler.SampleCandidates(0, _labels, 1, _sampled, _trueCounts, _sampledCounts);
            for (int i = 0; i < K; i++)
            {
                _sampledProbabilities[i] = _sampler.Probability(_sampled[i]);
            }

            for (int i = 0; i < Batch; i++)
            {
                _trueProbabilities[i] = _sampler.Probability(_labels[i]);
            }
        }

        [Benchmark(Baseline = true, Description = "scalar rule, 8192 + 128 counts")]
        public float Scalar()
        {
            for (int i = 0; i < K; i++)
            {
                _sampledCounts[i] = ExpectedCounts.Compute(_sampler.Probability(_sampled[i]), K, _tries);
            }

            for (int i = 0; i < Batch; i++)
            {
                _trueCounts[i] = ExpectedCounts.Compute(_sampler.Probability(_labels[i]), K, _tries);
            }

            return _sampledCounts[0];
        }

        [Benchmark(Description = "batch rule, 8192 + 128 counts (probabilities copied in)")]
        public float BatchRule()
        {
            // The sampler's table lookups are protected; a copy of the same floats stands in for them here.
            _sampledProbabilities.CopyTo(_sampledCounts, 0);
            _trueProbabilities.CopyTo(_trueCounts, 0);
            ExpectedCounts.Compute(_sampledCounts, 1.0, K, _tries, _sampledCounts);
            ExpectedCounts.Compute(_trueCounts, 1.0, K, _tries, _trueCounts);
            return _sampledCounts[0];
        }
    }
}
