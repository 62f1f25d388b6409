using System;
using BenchmarkDotNet.Attributes;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Optimizers;

namespace GraphSampling.Benchmarks.Optimizers
{
    /// <summary>
    /// One optimizer step on the sparse gradient of 8,192 distinct rows of an 800,000 x 512 table (issue 8's case).
    /// Run: <c>dotnet run -c Release --project bench/GraphSampling.Benchmarks -- --filter '*OptimizerStep*' --job short</c>.
    /// Needs about 6 GB (the table and two moment tables).
    /// </summary>
    [MemoryDiagnoser]
    public class OptimizerStepBenchmarks
    {
        private const int Rows = 800_000, Width = 512, Touched = 8192;

        private ParameterTable _table = null!;
        private SparseRowGradient _gradient = null!;
        private Momentum _momentum = null!;
        private Adagrad _adagrad = null!;
        private LazyAdam _lazyAdam = null!;

        [GlobalSetup]
        public void Setup()
        {
            _table = new ParameterTable("classes", Rows, Width);
            _table.InitializeUniform(0.05f, seed: 1);
            var rng = new Random(3);
            var ids = new long[Touched];
            var seen = new System.Collections.Generic.HashSet<long>();
            for (int i = 0; i < Touched; i++)
            {
                long id;
                do id = rng.Next(Rows); while (!seen.Add(id));
                ids[i] = id;
            }
            _gradient = new SparseRowGradient("classes", Rows, Width, Touched);
            _gradient.Begin();
            _gradient.AddIds(ids);
            _gradient.Seal();
            var rows = new float[Touched * Width];
            for (int i = 0; i < rows.Length; i++) rows[i] = (float)(rng.NextDouble() - 0.5) * 0.01f;
            _gradient.AddRows(ids, rows);
            _momentum = new Momentum(0.01f, 0.9f);
            _adagrad = new Adagrad(0.01f);
            _lazyAdam = new LazyAdam(1e-3f);
            // First updates size each optimizer's state (the once-per-table allocation), outside the measurement.
            Step(_momentum);
            Step(_adagrad);
            Step(_lazyAdam);
        }

        private void Step(Optimizer o)
        {
            o.BeginStep();
            o.Update(_table, _gradient);
            o.EndStep();
        }

        [Benchmark(Baseline = true, Description = "plain SGD (Sgd.Apply)")]
        public void PlainSgd() => Sgd.Apply(_table, _gradient, 0.01f);

        [Benchmark(Description = "Momentum 0.9")]
        public void MomentumStep() => Step(_momentum);

        [Benchmark(Description = "Adagrad")]
        public void AdagradStep() => Step(_adagrad);

        [Benchmark(Description = "LazyAdam")]
        public void LazyAdamStep() => Step(_lazyAdam);
    }
}
