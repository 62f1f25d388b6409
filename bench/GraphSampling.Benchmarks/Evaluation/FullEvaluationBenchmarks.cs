using System;
using BenchmarkDotNet.Attributes;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Cpu;
using GraphSampling.Runtime.Evaluation;

namespace GraphSampling.Benchmarks.Evaluation
{
    /// <summary>
    /// Full-softmax evaluation of B = 256, D = 512 over C = 800,000 classes (issue 8's case): the evaluator (chunked GEMM,
    /// log-sum-exp, rank, top-10) against the same chunked GEMM alone, so the ratio is the cost of everything besides the
    /// product. GFLOP/s = 2·B·C·D / time = 209.7 GFLOP / seconds. Memory: the 1.6 GB table plus B x chunk floats.
    /// Run: <c>dotnet run -c Release --project bench/GraphSampling.Benchmarks -- --filter '*FullEvaluation*' --job short</c>.
    /// </summary>
    [MemoryDiagnoser]
    public class FullEvaluationBenchmarks
    {
        private const int B = 256, D = 512, C = 800_000, Chunk = 4096;

        private ParameterTable _weights = null!;
        private ParameterTable _biases = null!;
        private float[] _inputs = null!;
        private long[] _labels = null!;
        private float[] _chunk = null!;
        private FullEvaluator _evaluator = null!;

        [GlobalSetup]
        public void Setup()
        {
            _weights = new ParameterTable("classes", C, D);
            _weights.InitializeUniform(0.05f, seed: 1);
            _biases = new ParameterTable("biases", C, 1);
            _biases.InitializeUniform(0.05f, seed: 2);
            var rng = new Random(3);
            _inputs = new float[B * D];
            for (int i = 0; i < _inputs.Length; i++) _inputs[i] = (float)(rng.NextDouble() - 0.5);
            _labels = new long[B];
            for (int i = 0; i < B; i++) _labels[i] = rng.Next(C);
            _chunk = new float[B * Chunk];
            _evaluator = new FullEvaluator(B, D, topK: 10, chunkClasses: Chunk);
        }

        /// <summary>The product alone, chunk by chunk into one [B, chunk] buffer: the GEMM rate the evaluator runs at.</summary>
        [Benchmark(Baseline = true)]
        public float ChunkedGemm()
        {
            var table = _weights.Data;
            for (int start = 0; start < C; start += Chunk)
            {
                int n = Math.Min(Chunk, C - start);
                Kernels.MatMul(_inputs, D, false, table.Slice(start * D, n * D), D, true, _chunk.AsSpan(0, B * n), n, B, n, D, accumulate: false);
            }
            return _chunk[0];
        }

        [Benchmark]
        public float Evaluate()
        {
            _evaluator.Evaluate(B, _inputs, _weights, _biases, _labels);
            return _evaluator.SoftmaxLoss[0];
        }
    }
}
