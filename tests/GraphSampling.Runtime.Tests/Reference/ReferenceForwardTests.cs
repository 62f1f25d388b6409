using System;
using GraphSampling.Ir;
using GraphSampling.Runtime.Reference;
using Xunit;

namespace GraphSampling.Runtime.Tests.Reference
{
    /// <summary>Forward semantics and gradient details of single ops, with expected values worked out by hand from the
    /// spec and the OpKind contract.</summary>
    public sealed class ReferenceForwardTests
    {
        private const double Tight = 1e-14;

        [Fact]
        public void EmbeddingLookup_MaxNorm_ClipsLongRows_KeepsShortAndZeroRows_TieGradientTakesNormBranch()
        {
            var g = new TestGraph();
            ValueRef e = g.Parameter("E", new long[] { 4, 2 }, 2, Partition.Mod);
            ValueRef ids = g.Int("ids", false, 5);
            ValueRef y = g.Lookup(e, ids, 5.0);
            var interpreter = new ReferenceInterpreter(g.Build(y));
            // Rows: |[6,8]| = 10 > 5 (clipped), |[3,4]| = 5 (the tie), [0,0] (left as is), |[0.3,0.4]| = 0.5 < 5 (kept).
            var feeds = new ReferenceFeeds().Float("E", new[] { 6.0, 8, 3, 4, 0, 0, 0.3, 0.4 }).Int("ids", new long[] { 0, 1, 2, 1, 3 });
            double[] upstream = { 1, 0, 1, 0, 1, 0, 0, 1, 2, -1 };
            ReferenceResult r = interpreter.Run(feeds, 0, upstream);
            Check.Close(new[] { 3.0, 4, 3, 4, 0, 0, 3, 4, 0.3, 0.4 }, r.Output, Tight, Tight, "clipped rows");
            // id 0, |t| = 10: c/|t|·(g − t(t·g)/|t|²) with g = [1,0]: 0.5·([1,0] − [6,8]·6/100) = [0.32, −0.24].
            // id 1, the tie |t| = c: norm branch, g − t(t·g)/25: g = [1,0] → [0.64, −0.48]; g = [0,1] → [−0.48, 0.36].
            // id 2, zero row: g. id 3, |t| < c: g.
            Check.Close(new[] { 0.32, -0.24, 0.16, -0.12, 1, 0, 2, -1 }, r.Gradient("E")!, Tight, 1e-13, "dE");
            Assert.Equal(new long[] { 0, 1, 2, 3 }, r.TouchedRows("E"));
        }

        [Fact]
        public void EmbeddingLookup_GathersRowsByIdWhateverTheSharding_AndSumsRepeatedIds()
        {
            foreach (var (shards, partition) in new[] { (1, Partition.Div), (2, Partition.Mod), (3, Partition.Div) })
            {
                var g = new TestGraph();
                ValueRef e = g.Parameter("E", new long[] { 5, 2 }, shards, partition);
                ValueRef ids = g.Int("ids", true, 4, 2);
                ValueRef y = g.Lookup(e, ids);
                var feeds = new ReferenceFeeds().Float("E", new double[] { 0, 1, 10, 11, 20, 21, 30, 31, 40, 41 }).Int("ids", new long[] { 4, 1, 1, 0, 4, 4 });
                ReferenceResult r = new ReferenceInterpreter(g.Build(y)).Run(feeds, 3, new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 });
                Assert.Equal(new[] { 3, 2, 2 }, r.OutputShape);
                Assert.Equal(new double[] { 40, 41, 10, 11, 10, 11, 0, 1, 40, 41, 40, 41 }, r.Output);
                Assert.Equal(new double[] { 7, 8, 8, 10, 0, 0, 0, 0, 1 + 9 + 11, 2 + 10 + 12 }, r.Gradient("E"));
                Assert.Equal(new long[] { 0, 1, 4 }, r.TouchedRows("E"));
            }
        }

        [Fact]
        public void SigmoidCrossEntropy_IsStableAtLargeLogits_AndAccurateForTinyTerms()
        {
            var g = new TestGraph();
            ValueRef z = g.Float("z", false, 5);
            ValueRef x = g.Float("x", false, 5);
            var interpreter = new ReferenceInterpreter(g.Build(g.SigmoidCrossEntropy(z, x)));
            var feeds = new ReferenceFeeds().Float("x", new[] { 800.0, -800, 0, 40, -3.4028234663852886e38 }).Float("z", new[] { 1.0, 0, 0.25, 1, 0 });
            ReferenceResult r = interpreter.Run(feeds, 0, new[] { 1.0, 1, 1, 1, 1 });
            // 800 − 800 + log1p(e^−800) = 0; 0 − 0 + log1p(e^−800) = 0; log 2 at x = 0; at x = 40, z = 1 only
            // log1p(e^−40) = e^−40 − e^−80/2 remains (a naive log(1 + e^−40) gives 0); a masked −FLT_MAX logit gives 0.
            Assert.Equal(0.0, r.Output[0]);
            Assert.Equal(0.0, r.Output[1]);
            Assert.Equal(Math.Log(2), r.Output[2], 15);
            Check.Close(new[] { Math.Exp(-40) - Math.Exp(-80) / 2 }, new[] { r.Output[3] }, 0, 1e-12, "log1p term");
            Assert.Equal(0.0, r.Output[4]);
            // dlogits = σ(x) − z: 1 − 1, 0 − 0, 0.5 − 0.25, σ(40) − 1, 0 − 0; dlabels = −x.
            Check.Close(new[] { 0.0, 0, 0.25, -Math.Exp(-40) / (1 + Math.Exp(-40)), 0 }, r.Gradient("x")!, 1e-30, 1e-12, "dx");
            Check.Close(new[] { -800.0, 800, 0, -40, 3.4028234663852886e38 }, r.Gradient("z")!, 0, 0, "dz");
        }

        [Fact]
        public void ReduceLogSumExp_ShiftIsMaxOrZeroWhenNotFinite()
        {
            var g = new TestGraph();
            ValueRef x = g.Float("x", false, 4, 2);
            var interpreter = new ReferenceInterpreter(g.Build(g.ReduceLogSumExp(x, 1)));
            double inf = double.PositiveInfinity;
            var feeds = new ReferenceFeeds().Float("x", new[] { -inf, -inf, inf, 1, 1000, 1000, 1, 2 });
            double[] y = interpreter.Run(feeds, 0).Output;
            Assert.Equal(double.NegativeInfinity, y[0]); // shift 0: log(0) + 0
            Assert.Equal(inf, y[1]);                     // shift 0: log(inf) + 0
            Assert.Equal(1000 + Math.Log(2), y[2], 12);  // shifted by 1000: no overflow
            Assert.Equal(2 + Math.Log(1 + Math.Exp(-1)), y[3], 14);
        }

        [Fact]
        public void SoftmaxCrossEntropy_UsesTfGradient_SoftmaxMinusLabels_EvenWhenLabelsDoNotSumToOne()
        {
            var g = new TestGraph();
            ValueRef y = g.Float("y", false, 1, 3);
            ValueRef z = g.Float("z", false, 1, 3);
            var interpreter = new ReferenceInterpreter(g.Build(g.SoftmaxCrossEntropy(y, z)));
            var feeds = new ReferenceFeeds().Float("y", new[] { 1.0, 1, 0 }).Float("z", new[] { 0.0, 0, -3.4028234663852886e38 });
            ReferenceResult r = interpreter.Run(feeds, 0, new[] { 2.0 });
            // Softmax = [1/2, 1/2, 0]; loss = Σ y (log s − sh) = 2 log 2; dz = g (softmax − y) = 2·[−1/2, −1/2, 0];
            // dy = g (log s − sh) = 2·[log 2, log 2, log 2 + FLT_MAX].
            Check.Close(new[] { 2 * Math.Log(2) }, r.Output, Tight, Tight, "loss");
            Check.Close(new[] { -1.0, -1, 0 }, r.Gradient("z")!, Tight, Tight, "dz");
            Check.Close(new[] { 2 * Math.Log(2), 2 * Math.Log(2), 2 * 3.4028234663852886e38 }, r.Gradient("y")!, Tight, Tight, "dy");
        }

        [Fact]
        public void SparseSoftmaxCrossEntropy_IsLogSumExpMinusLabelLogit()
        {
            var g = new TestGraph();
            ValueRef labels = g.Int("labels", true, 3);
            ValueRef z = g.Float("z", true, 3, 3);
            var interpreter = new ReferenceInterpreter(g.Build(g.SparseSoftmaxCrossEntropy(labels, z)));
            var feeds = new ReferenceFeeds().Int("labels", new long[] { 2, 0 }).Float("z", new[] { 1.0, 2, 3, 0, 0, 0 });
            ReferenceResult r = interpreter.Run(feeds, 2, new[] { 1.0, 1 });
            double lse = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
            Check.Close(new[] { lse - 3, Math.Log(3) }, r.Output, Tight, Tight, "loss");
            Check.Close(new[] { Math.Exp(1 - lse), Math.Exp(2 - lse), Math.Exp(3 - lse) - 1, 1 / 3.0 - 1, 1 / 3.0, 1 / 3.0 }, r.Gradient("z")!, Tight, Tight, "dz");
        }

        [Fact]
        public void TopK_SortsDescendingWithTiesToLowerIndex_AndPassesNoGradient()
        {
            var g = new TestGraph();
            ValueRef x = g.Float("x", true, 3, 4);
            var (values, indices) = g.TopK(x, 3);
            ValueRef total = g.ReduceSum(values, 1);
            var interpreter = new ReferenceInterpreter(g.Build(total));
            ReferenceResult r = interpreter.Run(new ReferenceFeeds().Float("x", new[] { 1.0, 3, 3, 2, 5, -1, 5, 5 }), 2, new[] { 1.0, 1 });
            Assert.Equal(new[] { 2, 3 }, r.ShapeOf(values));
            Assert.Equal(new double[] { 3, 3, 2, 5, 5, 5 }, r.Value(values));
            Assert.Equal(new long[] { 1, 2, 3, 0, 2, 3 }, r.IntValue(indices));
            Assert.Equal(new double[8], r.Gradient("x")); // no gradient flows through TopK (OpKind contract)

            var g0 = new TestGraph();
            var (v0, _) = g0.TopK(g0.Float("x", false, 2, 4), 0);
            ReferenceResult r0 = new ReferenceInterpreter(g0.Build(v0)).Run(new ReferenceFeeds().Float("x", new double[8]), 0);
            Assert.Equal(new[] { 2, 0 }, r0.OutputShape);
        }

        [Fact]
        public void SparseToDense_LastWriteWins_DefaultFills_ScalarBroadcasts()
        {
            var g = new TestGraph();
            ValueRef idx = g.Int("idx", false, 3, 2);
            ValueRef vals = g.Float("vals", false, 3);
            ValueRef dense = g.SparseToDense(idx, vals, new long[] { 2, 2 }, 7.0, false);
            ReferenceResult r = new ReferenceInterpreter(g.Build(dense)).Run(
                new ReferenceFeeds().Int("idx", new long[] { 1, 0, 0, 1, 1, 0 }).Float("vals", new[] { 1.0, 2, 3 }), 0, new[] { 10.0, 20, 30, 40 });
            Assert.Equal(new double[] { 7, 2, 3, 7 }, r.Output);
            Assert.Equal(new double[] { 0, 20, 30 }, r.Gradient("vals")); // entry 0 was overwritten by entry 2

            var gs = new TestGraph();
            ValueRef sidx = gs.Int("idx", false, 2);
            ValueRef sval = gs.Float("v", false);
            ReferenceResult rs = new ReferenceInterpreter(gs.Build(gs.SparseToDense(sidx, sval, new long[] { 4 }, 0.0, true))).Run(
                new ReferenceFeeds().Int("idx", new long[] { 1, 3 }).Float("v", new[] { -2.5 }), 0, new[] { 1.0, 2, 3, 4 });
            Assert.Equal(new double[] { 0, -2.5, 0, -2.5 }, rs.Output);
            Assert.Equal(new double[] { 6 }, rs.Gradient("v"));
        }

        [Fact]
        public void SparseToDense_ValidateIndices_RejectsUnsortedAndRepeated_BoundsAlwaysChecked()
        {
            ReferenceInterpreter Make(bool validate)
            {
                var g = new TestGraph();
                ValueRef idx = g.Int("idx", false, 2);
                ValueRef vals = g.Float("vals", false, 2);
                return new ReferenceInterpreter(g.Build(g.SparseToDense(idx, vals, new long[] { 4 }, 0.0, validate, "dense")));
            }
            ReferenceFeeds Feeds(long a, long b) => new ReferenceFeeds().Int("idx", new[] { a, b }).Float("vals", new[] { 1.0, 2 });

            var unsorted = Assert.Throws<ArgumentException>(() => Make(true).Run(Feeds(2, 1), 0));
            Assert.Contains("out of order", unsorted.Message);
            Assert.Contains("'dense'", unsorted.Message);
            var repeated = Assert.Throws<ArgumentException>(() => Make(true).Run(Feeds(2, 2), 0));
            Assert.Contains("repeated", repeated.Message);
            Assert.Equal(new double[] { 0, 2, 1, 0 }, Make(false).Run(Feeds(2, 1), 0).Output);
            Assert.Equal(new double[] { 0, 0, 2, 0 }, Make(false).Run(Feeds(2, 2), 0).Output);
            foreach (bool validate in new[] { true, false })
            {
                var e = Assert.Throws<ArgumentOutOfRangeException>(() => Make(validate).Run(Feeds(1, 4), 0));
                Assert.Equal("idx", e.ParamName);
                Assert.Contains("[0, 4)", e.Message);
                Assert.Throws<ArgumentOutOfRangeException>(() => Make(validate).Run(Feeds(-1, 2), 0));
            }
        }

        [Fact]
        public void BatchedValues_HaveLiveShapes_AndBatchReductionsAreNotBatched()
        {
            var g = new TestGraph();
            ValueRef x = g.Float("x", true, 4, 2);
            ValueRef w = g.Float("w", true, 4, 1);
            ValueRef gram = g.MatMul(x, w, transposeA: true);              // [2,1], contracted over the live rows
            ValueRef colSum = g.ReduceSum(x, 0, keepDims: true);          // [1,2]
            ValueRef shaped = g.Reshape(x, 4, 1, 2);                      // [B,1,2]
            ValueRef total = g.Add(g.ReduceSum(g.ReduceSum(shaped, 1), 1), g.ReduceSum(g.ReduceSum(colSum, 1), 0));
            var interpreter = new ReferenceInterpreter(g.Build(total));
            Assert.Equal(new[] { 4, 1, 2 }, interpreter.DeclaredShape(shaped));
            Assert.True(interpreter.IsBatched(shaped));
            Assert.False(interpreter.IsBatched(colSum));
            ReferenceResult r = interpreter.Run(new ReferenceFeeds().Float("x", new[] { 1.0, 2, 3, 4 }).Float("w", new[] { 1.0, 1 }), 2);
            Assert.Equal(new double[] { 4, 6 }, r.Value(gram));
            Assert.Equal(new[] { 1, 2 }, r.ShapeOf(colSum));
            Assert.Equal(new double[] { 4, 6 }, r.Value(colSum));
            Assert.Equal(new[] { 2, 1, 2 }, r.ShapeOf(shaped));
            Assert.Equal(new[] { 2 }, r.OutputShape);
            Assert.Equal(new double[] { 3 + 10, 7 + 10 }, r.Output);

            ReferenceResult empty = interpreter.Run(new ReferenceFeeds().Float("x", new double[0]).Float("w", new double[0]), 0);
            Assert.Equal(new[] { 0 }, empty.OutputShape);
            Assert.Equal(new double[] { 0, 0 }, empty.Value(gram));
        }

        [Fact]
        public void Concat_JoinsInt64AndFloat_AlongNegativeAxis()
        {
            var g = new TestGraph();
            ValueRef a = g.Int("a", true, 3, 1);
            ValueRef b = g.Int("b", true, 3, 2);
            ValueRef ab = g.Concat(-1, a, b);
            ReferenceResult r = new ReferenceInterpreter(g.Build(ab)).Run(new ReferenceFeeds().Int("a", new long[] { 1, 2 }).Int("b", new long[] { 10, 11, 20, 21 }), 2);
            Assert.Equal(new long[] { 1, 10, 11, 2, 20, 21 }, r.IntValue(ab));
            Assert.Equal(new[] { 2, 3 }, r.OutputShape);
        }

        [Fact]
        public void Broadcast_LiveShape_FollowsTheBatch()
        {
            var g = new TestGraph();
            ValueRef x = g.Float("x", true, 5, 1, 3);
            ValueRef y = g.Float("y", false, 2, 1);
            ValueRef z = g.Subtract(x, y);
            ReferenceResult r = new ReferenceInterpreter(g.Build(z)).Run(new ReferenceFeeds().Float("x", new[] { 1.0, 2, 3 }).Float("y", new[] { 10.0, 20 }), 1, new[] { 1.0, 1, 1, 1, 1, 1 });
            Assert.Equal(new[] { 1, 2, 3 }, r.OutputShape);
            Assert.Equal(new double[] { -9, -8, -7, -19, -18, -17 }, r.Output);
            Assert.Equal(new double[] { 2, 2, 2 }, r.Gradient("x"));
            Assert.Equal(new double[] { -3, -3 }, r.Gradient("y"));
        }

        [Fact]
        public void Results_ExposeValuesAndGradientsOnlyAsRun()
        {
            var g = new TestGraph();
            ValueRef ids = g.Int("ids", false, 1);
            ValueRef e = g.Parameter("E", new long[] { 3, 1 });
            ValueRef unused = g.Parameter("U", new long[] { 2 });
            ValueRef y = g.Lookup(e, ids);
            var interpreter = new ReferenceInterpreter(g.Build(y));
            var feeds = new ReferenceFeeds().Int("ids", new long[] { 2 }).Float("E", new[] { 1.0, 2, 3 }).Float("U", new[] { 0.0, 0 });
            ReferenceResult forward = interpreter.Run(feeds, 0);
            Assert.False(forward.HasGradients);
            Assert.Null(forward.Gradient("E"));
            Assert.Null(forward.GradientShards("E"));
            Assert.Equal(new double[] { 2 }, forward.Value(ids));
            Assert.Throws<ArgumentException>(() => forward.IntValue(y));
            Assert.Throws<ArgumentException>(() => forward.Gradient("ids"));
            Assert.Throws<ArgumentException>(() => forward.Gradient("nope"));
            Assert.Throws<ArgumentException>(() => forward.Value(new ValueRef(9)));
            Assert.Throws<ArgumentException>(() => forward.TouchedRows("ids"));
            Assert.Empty(forward.TouchedRows("U"));
            ReferenceResult backward = interpreter.Run(feeds, 0, new[] { 5.0 });
            Assert.Equal(new double[] { 0, 0, 5 }, backward.Gradient("E"));
            Assert.Equal(new double[] { 0, 0 }, backward.Gradient("U"));
        }
    }
}
