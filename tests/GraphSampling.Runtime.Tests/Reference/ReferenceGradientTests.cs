using System;
using System.Collections.Generic;
using GraphSampling.Ir;
using Xunit;

namespace GraphSampling.Runtime.Tests.Reference
{
    /// <summary>
    /// The reference backward of every differentiable op against central finite differences of its own forward, in
    /// double (eps = 1e-6, tolerance and its justification in <see cref="Check.Gradients"/>), over random shapes with
    /// fixed seeds, random upstream gradients, and batches below capacity.
    /// </summary>
    public sealed class ReferenceGradientTests
    {
        private static Dictionary<string, double[]> Floats() => new Dictionary<string, double[]>(StringComparer.Ordinal);

        private static Dictionary<string, long[]> Ints() => new Dictionary<string, long[]>(StringComparer.Ordinal);

        private static long[] RandomIds(Random rng, int n, int rows)
        {
            var ids = new long[n];
            for (int i = 0; i < n; i++) ids[i] = rng.Next(rows);
            if (n >= 2) ids[n - 1] = ids[0]; // a repeated id: its gradient rows must accumulate
            return ids;
        }

        // ---- EmbeddingLookup --------------------------------------------------------------------------------------

        public static TheoryData<int, int, Partition, string> LookupCases()
        {
            var d = new TheoryData<int, int, Partition, string>();
            foreach (int seed in new[] { 1, 2 })
            {
                foreach (var (shards, partition) in new[] { (1, Partition.Div), (3, Partition.Mod), (3, Partition.Div), (4, Partition.Div) })
                {
                    foreach (string clip in new[] { "none", "inactive", "active" }) d.Add(seed, shards, partition, clip);
                }
            }
            return d;
        }

        /// <summary>Params [rows, D] with rows not a multiple of the shard count (uneven shards), ids batched [cap, T]
        /// with batch &lt; cap and a repeated id; max-norm absent, above every row norm, or between row norms.</summary>
        [Theory]
        [MemberData(nameof(LookupCases))]
        public void EmbeddingLookup_MatchesFiniteDifferences(int seed, int shards, Partition partition, string clip)
        {
            var rng = new Random(seed * 100 + shards * 10 + (int)partition);
            int rows = 7 + rng.Next(3), dim = 2 + rng.Next(3), cap = 4, batch = 3, t = 2;
            double[] table = Check.Random(rng, rows * dim);
            var norms = new List<double>();
            for (int r = 0; r < rows; r++)
            {
                double s = 0;
                for (int k = 0; k < dim; k++) s += table[r * dim + k] * table[r * dim + k];
                norms.Add(Math.Sqrt(s));
            }
            norms.Sort();
            // Between two row norms (well away from both, so finite differences never straddle the kink): some rows
            // clip and some do not.
            double maxNorm = clip switch
            {
                "none" => double.NaN,
                "inactive" => norms[^1] * 2,
                _ => 0.5 * (norms[rows / 2] + norms[rows / 2 + 1]),
            };
            if (clip == "active") Assert.True(norms[rows / 2 + 1] - norms[rows / 2] > 1e-3, "row norms too close for a clean finite difference");

            var g = new TestGraph();
            ValueRef p = g.Parameter("E", new long[] { rows, dim }, shards, partition);
            ValueRef ids = g.Int("ids", true, cap, t);
            ValueRef scale = g.Float("scale", true, cap, t, 1);
            ValueRef output = g.Multiply(g.Lookup(p, ids, maxNorm), scale);
            var floats = Floats();
            floats["E"] = table;
            floats["scale"] = Check.Random(rng, batch * t, 0.5, 1.5);
            var ints = Ints();
            ints["ids"] = RandomIds(rng, batch * t, rows);
            Check.Gradients(g.Build(output), floats, ints, batch, seed);
        }

        [Theory]
        [InlineData(1, false)]
        [InlineData(2, true)]
        public void EmbeddingLookup_RankOneParameter_MatchesFiniteDifferences(int seed, bool clip)
        {
            var rng = new Random(seed);
            var g = new TestGraph();
            ValueRef p = g.Parameter("bias", new long[] { 6 }, 2, Partition.Mod);
            ValueRef ids = g.Int("ids", false, 5);
            ValueRef output = g.Lookup(p, ids, clip ? 0.5 : double.NaN);
            var floats = Floats();
            floats["bias"] = new[] { 0.9, -0.2, 0.3, -1.4, 0.05, 0.7 };
            var ints = Ints();
            ints["ids"] = new long[] { 0, 3, 1, 3, 5 };
            Check.Gradients(g.Build(output), floats, ints, 0, seed);
        }

        // ---- MatMul, BiasAdd ---------------------------------------------------------------------------------------

        [Theory]
        [InlineData(1, false, false)]
        [InlineData(2, true, false)]
        [InlineData(3, false, true)]
        [InlineData(4, true, true)]
        public void MatMul_TransposeFlags_MatchFiniteDifferences(int seed, bool ta, bool tb)
        {
            var rng = new Random(seed);
            int m = 2 + rng.Next(3), k = 2 + rng.Next(3), n = 2 + rng.Next(3);
            var g = new TestGraph();
            ValueRef a = g.Float("a", false, ta ? k : m, ta ? m : k);
            ValueRef b = g.Float("b", false, tb ? n : k, tb ? k : n);
            var floats = Floats();
            floats["a"] = Check.Random(rng, m * k);
            floats["b"] = Check.Random(rng, k * n);
            Check.Gradients(g.Build(g.MatMul(a, b, ta, tb)), floats, null, 0, seed);
        }

        [Theory]
        [InlineData(1, false)]
        [InlineData(2, true)]
        public void MatMul_BatchedRows_BelowCapacity_MatchesFiniteDifferences(int seed, bool tb)
        {
            var rng = new Random(seed);
            int cap = 5, batch = 3, k = 3, n = 4;
            var g = new TestGraph();
            ValueRef a = g.Float("a", true, cap, k);
            ValueRef b = g.Float("b", false, tb ? n : k, tb ? k : n);
            var floats = Floats();
            floats["a"] = Check.Random(rng, batch * k);
            floats["b"] = Check.Random(rng, k * n);
            Check.Gradients(g.Build(g.MatMul(a, b, false, tb)), floats, null, batch, seed);
        }

        [Fact]
        public void MatMul_ContractionOverBatch_MatchesFiniteDifferences()
        {
            var rng = new Random(7);
            int cap = 6, batch = 4;
            var g = new TestGraph();
            ValueRef a = g.Float("a", true, cap, 3);
            ValueRef b = g.Float("b", true, cap, 2);
            var floats = Floats();
            floats["a"] = Check.Random(rng, batch * 3);
            floats["b"] = Check.Random(rng, batch * 2);
            Check.Gradients(g.Build(g.MatMul(a, b, transposeA: true)), floats, null, batch, 7);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void BiasAdd_MatchesFiniteDifferences(int seed)
        {
            var rng = new Random(seed);
            int cap = 4, batch = 2, mid = 3, n = 2 + rng.Next(3);
            var g = new TestGraph();
            ValueRef v = g.Float("v", true, cap, mid, n);
            ValueRef bias = g.Float("bias", false, n);
            var floats = Floats();
            floats["v"] = Check.Random(rng, batch * mid * n);
            floats["bias"] = Check.Random(rng, n);
            Check.Gradients(g.Build(g.BiasAdd(v, bias)), floats, null, batch, seed);
        }

        // ---- Add, Subtract, Multiply with broadcasting, Log ----------------------------------------------------------

        public static TheoryData<OpKind, string> BroadcastCases()
        {
            var d = new TheoryData<OpKind, string>();
            foreach (var op in new[] { OpKind.Add, OpKind.Subtract, OpKind.Multiply })
            {
                foreach (string c in new[] { "[B,3] . [3]", "[B,1,4] . [3,1]", "[B,3] . [1,3]", "[2,3] . [2,1]", "[B,3] . []", "[B,3] . [B,1]", "[3] . [B,2,3]", "[B,2,3] . [B,2,3]" })
                {
                    d.Add(op, c);
                }
            }
            return d;
        }

        [Theory]
        [MemberData(nameof(BroadcastCases))]
        public void Broadcasting_MatchesFiniteDifferences(OpKind op, string shapes)
        {
            const int cap = 4, batch = 3;
            var (xd, xb) = ParseShape(shapes.Split(" . ")[0], cap);
            var (yd, yb) = ParseShape(shapes.Split(" . ")[1], cap);
            var rng = new Random(shapes.Length * 31 + (int)op);
            var g = new TestGraph();
            ValueRef x = g.Float("x", xb, xd);
            ValueRef y = g.Float("y", yb, yd);
            var floats = Floats();
            floats["x"] = Check.Random(rng, LiveSize(xd, xb, batch));
            floats["y"] = Check.Random(rng, LiveSize(yd, yb, batch));
            Check.Gradients(g.Build(g.Op(op, new[] { x, y }, "z")), floats, null, batch, 11);
        }

        private static (long[] Dims, bool Batched) ParseShape(string s, int cap)
        {
            string inner = s.Trim('[', ']');
            if (inner.Length == 0) return (new long[0], false);
            string[] parts = inner.Split(',');
            var dims = new long[parts.Length];
            bool batched = false;
            for (int i = 0; i < parts.Length; i++)
            {
                if (parts[i] == "B")
                {
                    dims[i] = cap;
                    batched = true;
                }
                else
                {
                    dims[i] = long.Parse(parts[i], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            return (dims, batched);
        }

        private static int LiveSize(long[] dims, bool batched, int batch)
        {
            int n = 1;
            for (int i = 0; i < dims.Length; i++) n *= i == 0 && batched ? batch : (int)dims[i];
            return n;
        }

        [Fact]
        public void Log_MatchesFiniteDifferences()
        {
            var rng = new Random(3);
            var g = new TestGraph();
            ValueRef x = g.Float("x", true, 5, 3);
            var floats = Floats();
            floats["x"] = Check.Random(rng, 4 * 3, 0.5, 2.0);
            Check.Gradients(g.Build(g.Log(x)), floats, null, 4, 3);
        }

        [Fact]
        public void SameValueOnBothSides_AccumulatesBothPartials()
        {
            // x·x + x: d/dx = 2x + 1 accumulates three contributions into one buffer.
            var g = new TestGraph();
            ValueRef x = g.Float("x", false, 3);
            var floats = Floats();
            floats["x"] = new[] { 0.3, -1.2, 2.0 };
            Check.Gradients(g.Build(g.Add(g.Multiply(x, x), x)), floats, null, 0, 5);
        }

        // ---- Concat, Reshape --------------------------------------------------------------------------------------

        [Theory]
        [InlineData(-1)]
        [InlineData(1)]
        [InlineData(2)]
        public void Concat_Batched_MatchesFiniteDifferences(long axis)
        {
            var rng = new Random((int)axis + 10);
            const int cap = 3, batch = 2;
            var g = new TestGraph();
            ValueRef a = g.Float("a", true, cap, 2, 3);
            ValueRef b = g.Float("b", true, cap, axis == 1 ? 1 : 2, axis == 1 ? 3 : 1);
            ValueRef c = g.Float("c", true, cap, axis == 1 ? 3 : 2, axis == 1 ? 3 : 2);
            var floats = Floats();
            floats["a"] = Check.Random(rng, batch * 6);
            floats["b"] = Check.Random(rng, batch * (axis == 1 ? 3 : 2));
            floats["c"] = Check.Random(rng, batch * (axis == 1 ? 9 : 4));
            Check.Gradients(g.Build(g.Concat(axis, a, b, c)), floats, null, batch, (int)axis + 20);
        }

        [Fact]
        public void Concat_NonBatchedAxisZero_MatchesFiniteDifferences()
        {
            var rng = new Random(4);
            var g = new TestGraph();
            ValueRef a = g.Float("a", false, 2, 3);
            ValueRef b = g.Float("b", false, 1, 3);
            var floats = Floats();
            floats["a"] = Check.Random(rng, 6);
            floats["b"] = Check.Random(rng, 3);
            Check.Gradients(g.Build(g.Concat(0, a, b)), floats, null, 0, 4);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Reshape_MatchesFiniteDifferences(bool batched)
        {
            var rng = new Random(batched ? 1 : 2);
            var g = new TestGraph();
            ValueRef x = g.Float("x", batched, 4, 6);
            ValueRef w = g.Float("w", false, 3);
            // Multiply after the reshape so that the gradient's element order matters.
            ValueRef y = g.Multiply(g.Reshape(x, 4, 2, 3), w);
            int batch = batched ? 3 : 0;
            var floats = Floats();
            floats["x"] = Check.Random(rng, (batched ? batch : 4) * 6);
            floats["w"] = Check.Random(rng, 3);
            Check.Gradients(g.Build(y), floats, null, batch, 6);
        }

        // ---- ReduceSum, ReduceLogSumExp -------------------------------------------------------------------------------

        public static TheoryData<OpKind, long, bool> ReduceCases()
        {
            var d = new TheoryData<OpKind, long, bool>();
            foreach (var op in new[] { OpKind.ReduceSum, OpKind.ReduceLogSumExp })
            {
                foreach (long axis in new long[] { 0, 1, -1, 2 })
                {
                    d.Add(op, axis, false);
                    d.Add(op, axis, true);
                }
            }
            return d;
        }

        /// <summary>x batched [B, 3, 4] with batch below capacity; axis 0 reduces over the live rows.</summary>
        [Theory]
        [MemberData(nameof(ReduceCases))]
        public void Reduce_MatchesFiniteDifferences(OpKind op, long axis, bool keepDims)
        {
            var rng = new Random((int)op * 10 + (int)axis + (keepDims ? 100 : 0));
            const int cap = 5, batch = 3;
            var g = new TestGraph();
            ValueRef x = g.Float("x", true, cap, 3, 4);
            ValueRef r = op == OpKind.ReduceSum ? g.ReduceSum(x, axis, keepDims) : g.ReduceLogSumExp(x, axis, keepDims);
            var floats = Floats();
            floats["x"] = Check.Random(rng, batch * 12, -2, 2);
            Check.Gradients(g.Build(r), floats, null, batch, 8);
        }

        // ---- SparseToDense ---------------------------------------------------------------------------------------

        [Fact]
        public void SparseToDense_VectorValuesWithOverwrites_MatchesFiniteDifferences()
        {
            var g = new TestGraph();
            ValueRef idx = g.Int("idx", false, 5, 2);
            ValueRef vals = g.Float("vals", false, 5);
            ValueRef dense = g.SparseToDense(idx, vals, new long[] { 3, 4 }, 0.25, false);
            var floats = Floats();
            floats["vals"] = new[] { 0.5, -1.5, 2.0, 0.75, -0.25 };
            var ints = Ints();
            ints["idx"] = new long[] { 2, 1, 0, 3, 2, 1, 1, 1, 0, 3 }; // entries 0 and 2 hit (2,1); entries 1 and 4 hit (0,3)
            Check.Gradients(g.Build(dense), floats, ints, 0, 12);
        }

        [Fact]
        public void SparseToDense_ScalarValueRankOneIndices_MatchesFiniteDifferences()
        {
            var g = new TestGraph();
            ValueRef idx = g.Int("idx", false, 4);
            ValueRef val = g.Float("val", false);
            ValueRef scale = g.Float("scale", false, 6);
            ValueRef y = g.Multiply(g.SparseToDense(idx, val, new long[] { 6 }, -1.0, true), scale);
            var floats = Floats();
            floats["val"] = new[] { 1.3 };
            floats["scale"] = new[] { 0.5, 1.5, -2.0, 0.25, 1.0, 3.0 };
            var ints = Ints();
            ints["idx"] = new long[] { 0, 2, 3, 5 };
            Check.Gradients(g.Build(y), floats, ints, 0, 13);
        }

        [Fact]
        public void SparseToDense_BatchedIndices_MatchesFiniteDifferences()
        {
            var g = new TestGraph();
            ValueRef idx = g.Int("idx", true, 4, 1);
            ValueRef vals = g.Float("vals", true, 4);
            ValueRef dense = g.SparseToDense(idx, vals, new long[] { 5 }, 0.0, false);
            var floats = Floats();
            floats["vals"] = new[] { 0.5, -1.5, 2.0 };
            var ints = Ints();
            ints["idx"] = new long[] { 4, 0, 4 };
            Check.Gradients(g.Build(dense), floats, ints, 3, 14);
        }

        // ---- Losses ----------------------------------------------------------------------------------------------

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void SoftmaxCrossEntropy_LogitsAndLabels_MatchFiniteDifferences(int seed)
        {
            var rng = new Random(seed);
            int cap = 5, batch = 3, c = 3 + rng.Next(4);
            var g = new TestGraph();
            ValueRef y = g.Float("y", true, cap, c);
            ValueRef z = g.Float("z", true, cap, c);
            var labels = Check.Random(rng, batch * c, 0.05, 1);
            // TF's logits gradient is softmax − y, the true derivative when each label row sums to 1 (as sampled
            // softmax's [1/T.. | 0..] rows do); normalise so finite differences can confirm it.
            for (int i = 0; i < batch; i++)
            {
                double s = 0;
                for (int j = 0; j < c; j++) s += labels[i * c + j];
                for (int j = 0; j < c; j++) labels[i * c + j] /= s;
            }
            var floats = Floats();
            floats["z"] = Check.Random(rng, batch * c, -3, 3);
            floats["y"] = labels;
            Check.Gradients(g.Build(g.SoftmaxCrossEntropy(y, z)), floats, null, batch, seed, new[] { "z" });
            // The labels gradient −log_softmax is exact for any labels; perturbing a label breaks the row sum, which is
            // fine for that derivative.
            Check.Gradients(g.Build(g.SoftmaxCrossEntropy(y, z)), floats, null, batch, seed, new[] { "y" });
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void SparseSoftmaxCrossEntropy_MatchesFiniteDifferences(int seed)
        {
            var rng = new Random(seed);
            int cap = 4, batch = 3, c = 4 + rng.Next(3);
            var g = new TestGraph();
            ValueRef labels = g.Int("labels", true, cap);
            ValueRef z = g.Float("z", true, cap, c);
            var floats = Floats();
            floats["z"] = Check.Random(rng, batch * c, -3, 3);
            var ints = Ints();
            ints["labels"] = new long[] { 0, c - 1, rng.Next(c) };
            Check.Gradients(g.Build(g.SparseSoftmaxCrossEntropy(labels, z)), floats, ints, batch, seed);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void SigmoidCrossEntropy_LogitsAndLabels_MatchFiniteDifferences(int seed)
        {
            var rng = new Random(seed);
            var g = new TestGraph();
            ValueRef y = g.Float("y", true, 4, 2, 3);
            ValueRef z = g.Float("z", true, 4, 2, 3);
            var floats = Floats();
            floats["z"] = Check.Random(rng, 3 * 6, -6, 6);
            floats["y"] = Check.Random(rng, 3 * 6, 0, 1);
            Check.Gradients(g.Build(g.SigmoidCrossEntropy(y, z)), floats, null, 3, seed);
        }

        // ---- Divide, Gather, constants -------------------------------------------------------------------------------

        [Theory]
        [InlineData("[B,3]/[3]")]
        [InlineData("[B,3]/[B,3]")]
        [InlineData("[]/[B,3]")]
        public void Divide_MatchesFiniteDifferences(string shapes)
        {
            var rng = new Random(shapes.Length);
            const int cap = 4, batch = 3;
            var g = new TestGraph();
            ValueRef x = shapes.StartsWith("[]", StringComparison.Ordinal) ? g.Float("x", false) : g.Float("x", true, cap, 3);
            ValueRef y = shapes.EndsWith("[3]", StringComparison.Ordinal) && !shapes.EndsWith("B,3]", StringComparison.Ordinal) ? g.Float("y", false, 3) : g.Float("y", true, cap, 3);
            var floats = Floats();
            floats["x"] = Check.Random(rng, shapes.StartsWith("[]", StringComparison.Ordinal) ? 1 : batch * 3);
            // Divisors kept away from 0 so the finite difference stays in its linear range.
            floats["y"] = Check.Random(rng, shapes.EndsWith("B,3]", StringComparison.Ordinal) ? batch * 3 : 3, 0.5, 2.0);
            Check.Gradients(g.Build(g.Divide(x, y)), floats, null, batch, 3);
        }

        [Theory]
        [InlineData(0, false)]
        [InlineData(1, false)]
        [InlineData(0, true)]
        public void Gather_MatchesFiniteDifferences_RepeatedIndicesAccumulate(long axis, bool batchedIndices)
        {
            var rng = new Random((int)axis * 10 + (batchedIndices ? 1 : 0));
            const int cap = 4, batch = 3;
            var g = new TestGraph();
            ValueRef table = g.Parameter("table", new long[] { 5, 3 });
            ValueRef ids = batchedIndices ? g.Int("ids", true, cap, 2) : g.Int("ids", false, 4);
            ValueRef picked = g.Gather(table, ids, axis);
            ValueRef weight = g.Float("weight", false, 1);
            ValueRef output = g.Multiply(picked, weight);
            var floats = Floats();
            floats["table"] = Check.Random(rng, 15);
            floats["weight"] = new[] { 1.5 };
            var ints = Ints();
            ints["ids"] = batchedIndices ? new long[] { 4, 0, 4, 2, 1, 4 } : axis == 0 ? new long[] { 1, 3, 1, 0 } : new long[] { 2, 0, 2, 1 };
            Check.Gradients(g.Build(output), floats, ints, batch, 5, new[] { "table" });
        }

        [Fact]
        public void ConstantsCarryNoGradient_AndScaleLikeData()
        {
            var rng = new Random(4);
            var g = new TestGraph();
            ValueRef x = g.Float("x", true, 4, 3);
            ValueRef output = g.Multiply(g.Divide(x, g.Constant(0.5, false)), g.Constant(3.0, true, 4, 3));
            var floats = Floats();
            floats["x"] = Check.Random(rng, 9);
            Check.Gradients(g.Build(output), floats, null, 3, 6);
        }

        // ---- The composite sampled losses, evaluated directly from the spec ----------------------------------------

        public static TheoryData<OpKind, int, bool, bool, Partition> CompositeCases()
        {
            var d = new TheoryData<OpKind, int, bool, bool, Partition>();
            foreach (var kind in new[] { OpKind.SampledSoftmaxLoss, OpKind.NceLoss, OpKind.SampledSparseSoftmaxLoss, OpKind.RankSampledSoftmaxLoss })
            {
                foreach (bool hits in new[] { false, true })
                {
                    d.Add(kind, kind == OpKind.SampledSparseSoftmaxLoss ? 1 : 2, hits, true, Partition.Div);
                }
                if (kind != OpKind.SampledSparseSoftmaxLoss) d.Add(kind, 1, true, false, Partition.Mod);
            }
            return d;
        }

        /// <summary>Batch 3 of capacity 4, 3 uneven shards, a repeated candidate and accidental hits: the reference's
        /// direct composite backward (spec 11) against finite differences of its direct forward.</summary>
        [Theory]
        [MemberData(nameof(CompositeCases))]
        public void CompositeLoss_MatchesFiniteDifferences(OpKind kind, int t, bool hits, bool logQ, Partition partition)
        {
            var rng = new Random((int)kind * 7 + t + (hits ? 50 : 0));
            const int cap = 4, batch = 3, d = 3, c = 8;
            int k = kind == OpKind.RankSampledSoftmaxLoss ? 6 : 4;
            var g = new TestGraph();
            ValueRef x = g.Float("X", true, cap, d);
            ValueRef labels = g.Int("L", true, cap, t);
            ValueRef values = g.SampledValues(g.Int("S", false, k), g.Float("Qt", true, cap, t), g.Float("Qs", false, k));
            ValueRef w = g.Parameter("W", new long[] { c, d }, 3, partition);
            ValueRef b = g.Parameter("b", new long[] { c }, 3, partition);
            ValueRef loss = g.SampledLoss(kind, w, b, labels, x, values, k, c, t, hits, logQ, numResampled: 3, temperature: 0.8);

            var floats = Floats();
            floats["X"] = Check.Random(rng, batch * d);
            floats["W"] = Check.Random(rng, c * d);
            floats["b"] = Check.Random(rng, c, -0.3, 0.3);
            floats["Qt"] = Check.Random(rng, batch * t, 0.2, 1.4);
            floats["Qs"] = Check.Random(rng, k, 0.2, 1.4);
            var ints = Ints();
            ints["S"] = kind == OpKind.RankSampledSoftmaxLoss ? new long[] { 1, 4, 6, 4, 0, 7 } : new long[] { 1, 4, 6, 4 };
            ints["L"] = new long[batch * t];
            for (int i = 0; i < ints["L"].Length; i++) ints["L"][i] = rng.Next(c);
            ints["L"][0] = 4;   // an accidental hit on the repeated candidate: only its last position is masked
            Check.Gradients(g.Build(loss), floats, ints, batch, 11, new[] { "X", "W", "b" });
        }

        // ---- Whole pipelines ------------------------------------------------------------------------------------

        [Theory]
        [InlineData(1, false, Partition.Mod)]
        [InlineData(2, true, Partition.Div)]
        [InlineData(3, true, Partition.Mod)]
        public void SampledLossPipeline_RandomData_MatchesFiniteDifferences(int seed, bool nce, Partition partition)
        {
            // The spec 5 graph with T = 2 at random data, batch 3 of capacity 4, sharded tables, a repeated sampled id,
            // and an accidental-hit mask fed as data.
            var rng = new Random(seed);
            const int cap = 4, batch = 3, d = 3, c = 7, t = 2, k = 4;
            var g = new TestGraph();
            ValueRef x = g.Float("X", true, cap, d);
            ValueRef labels = g.Int("L", true, cap, t);
            ValueRef s = g.Int("S", false, k);
            ValueRef qt = g.Float("Qt", true, cap, t);
            ValueRef qs = g.Float("Qs", false, k);
            ValueRef y = g.Float("Y", true, cap, t + k);
            ValueRef mask = g.Float("M", true, cap, k);
            ValueRef w = g.Parameter("W", new long[] { c, d }, 3, partition);
            ValueRef b = g.Parameter("b", new long[] { c }, 2, partition);
            ValueRef trueLogits = g.Add(g.ReduceSum(g.Multiply(g.Reshape(x, cap, 1, d), g.Lookup(w, labels)), 2), g.Lookup(b, labels));
            ValueRef sampled = g.Add(g.BiasAdd(g.MatMul(x, g.Lookup(w, s), transposeB: true), g.Lookup(b, s)), mask);
            ValueRef z = g.Concat(1, g.Subtract(trueLogits, g.Log(qt)), g.Subtract(sampled, g.Log(qs)));
            ValueRef loss = nce ? g.ReduceSum(g.SigmoidCrossEntropy(y, z), 1) : g.SoftmaxCrossEntropy(y, z);

            var floats = Floats();
            floats["X"] = Check.Random(rng, batch * d);
            floats["W"] = Check.Random(rng, c * d);
            floats["b"] = Check.Random(rng, c, -0.1, 0.1);
            floats["Qt"] = Check.Random(rng, batch * t, 0.2, 1.2);
            floats["Qs"] = Check.Random(rng, k, 0.2, 1.2);
            var yv = new double[batch * (t + k)];
            var m = new double[batch * k];
            var ints = Ints();
            ints["L"] = new long[batch * t];
            ints["S"] = new long[] { 1, 4, 6, 4 };
            for (int i = 0; i < batch; i++)
            {
                for (int j = 0; j < t; j++)
                {
                    yv[i * (t + k) + j] = 0.5;
                    ints["L"][i * t + j] = rng.Next(c);
                }
            }
            ints["L"][0] = 6; // row 0 has an accidental hit at sampled position 2
            m[2] = -3.4028234663852886e38;
            floats["Y"] = yv;
            floats["M"] = m;
            Check.Gradients(g.Build(loss), floats, ints, batch, seed, new[] { "X", "W", "b", "Qt", "Qs" });
        }
    }
}
