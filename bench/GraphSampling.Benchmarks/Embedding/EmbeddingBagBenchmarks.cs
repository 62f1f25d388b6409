using System;
using BenchmarkDotNet.Attributes;
using GraphSampling;

namespace GraphSampling.Benchmarks.Embedding
{
    /// <summary>A training step of a bag-of-ids classifier over rows with 10 real ids padded to 80 (issue 8's case): the
    /// embedding bag, which reads only the real ids, against what a user writes without it, a lookup of all 80 with a
    /// per-id weight of 0 for padding and a sum. Both: B = 256, a 100,000 x 64 table, a 16-class head.
    /// Run: <c>dotnet run -c Release --project bench/GraphSampling.Benchmarks -- --filter '*EmbeddingBag*' --job short</c>.</summary>
    [MemoryDiagnoser]
    public class EmbeddingBagBenchmarks
    {
        private const int B = BagStep.B, L = BagStep.L, Real = 10;
        private readonly BagStep.CpuProgram _bag = new();
        private readonly PaddedBagStep.CpuProgram _padded = new();
        private readonly long[] _bagIds = new long[B * L], _paddedIds = new long[B * L], _labels = new long[B];
        private readonly float[] _weights = new float[B * L], _loss = new float[B];

        [GlobalSetup]
        public void Setup()
        {
            var rng = new Random(1);
            for (int i = 0; i < B; i++)
            {
                _labels[i] = rng.Next(BagStep.C);
                for (int j = 0; j < L; j++)
                {
                    bool real = j < Real;
                    long id = rng.Next(BagStep.V);
                    _bagIds[i * L + j] = real ? id : -1;
                    _paddedIds[i * L + j] = real ? id : 0;   // padding points at row 0 with weight 0
                    _weights[i * L + j] = real ? 1f : 0f;
                }
            }
            _bag.Table.InitializeUniform(0.05f, seed: 2);
            _padded.Table.InitializeUniform(0.05f, seed: 2);
        }

        [Benchmark(Baseline = true)]
        public float Padded()
        {
            _padded.ForwardBackward(B, _paddedIds, _weights, _labels, _loss);
            return _loss[0];
        }

        [Benchmark]
        public float Bag()
        {
            _bag.ForwardBackward(B, _bagIds, _weights, _labels, _loss);
            return _loss[0];
        }
    }

    /// <summary>The embedding bag: sums the rows of each example's real ids.</summary>
    [ComputationGraph]
    public static partial class BagStep
    {
        public const int B = 256, L = 80, V = 100_000, D = 64, C = 16;

        static Tensor<float> Define(GraphBuilder g)
        {
            var ids = g.Input<long>("ids", B, L);
            var weights = g.StopGradient(g.Input<float>("weights", B, L));
            var labels = g.Input<long>("labels", B);
            var table = g.Parameter("table", V, D);
            var output = g.Parameter("output", C, D);
            var bag = g.EmbeddingLookupSparse(table, ids, weights, Combiner.Sum);
            return g.SparseSoftmaxCrossEntropyWithLogits(labels, g.MatMul(bag, output, transposeB: true));
        }
    }

    /// <summary>The same model written without the bag: every padded slot is looked up, weighted (0 for padding) and summed.</summary>
    [ComputationGraph]
    public static partial class PaddedBagStep
    {
        public const int B = BagStep.B, L = BagStep.L, V = BagStep.V, D = BagStep.D, C = BagStep.C;

        static Tensor<float> Define(GraphBuilder g)
        {
            var ids = g.Input<long>("ids", B, L);
            var weights = g.StopGradient(g.Input<float>("weights", B, L));
            var labels = g.Input<long>("labels", B);
            var table = g.Parameter("table", V, D);
            var output = g.Parameter("output", C, D);
            var rows = g.EmbeddingLookup(table, ids);                                   // [B, 80, 64]
            var bag = g.ReduceSum(rows * g.Reshape(weights, [B, L, 1]), axis: 1);      // [B, 64]
            return g.SparseSoftmaxCrossEntropyWithLogits(labels, g.MatMul(bag, output, transposeB: true));
        }
    }
}
