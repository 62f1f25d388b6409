using System;
using GraphSampling.Ir;
using GraphSampling.Runtime.Reference;
using Xunit;

namespace GraphSampling.Runtime.Tests.Reference
{
    /// <summary>Invalid graphs, unsupported ops, bad feeds and out-of-range data.</summary>
    public sealed class ReferenceErrorTests
    {
        private static InvalidOperationException Invalid(TestGraph g, ValueRef output) =>
            Assert.Throws<InvalidOperationException>(() => new ReferenceInterpreter(g.Build(output)));

        // ---- Data out of range ------------------------------------------------------------------------------------

        [Theory]
        [InlineData(5)]
        [InlineData(-1)]
        public void EmbeddingLookup_IdOutOfRange_NamesTheIdsInputPositionAndBound(long badId)
        {
            var g = new TestGraph();
            ValueRef e = g.Parameter("W", new long[] { 5, 2 });
            ValueRef labels = g.Int("labels", true, 4, 2);
            ValueRef y = g.Lookup(e, labels, name: "trueW");
            var feeds = new ReferenceFeeds().Float("W", new double[10]).Int("labels", new long[] { 0, 4, 1, badId });
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ReferenceInterpreter(g.Build(y)).Run(feeds, 2));
            Assert.Equal("labels", ex.ParamName);
            Assert.Equal(badId, ex.ActualValue);
            Assert.Contains("position 3", ex.Message);
            Assert.Contains("[1, 1]", ex.Message);
            Assert.Contains("[0, 5)", ex.Message);
            Assert.Contains("'trueW'", ex.Message);
        }

        [Fact]
        public void EmbeddingLookup_IdsNotDirectlyAnInput_NamesTheProducingNode()
        {
            var g = new TestGraph();
            ValueRef e = g.Parameter("W", new long[] { 3 });
            ValueRef labels = g.Int("labels", true, 4, 2);
            ValueRef flat = g.Op(OpKind.Reshape, new[] { labels }, "flatLabels", OpAttribute.IntArray("dims", new long[] { 4, 2, 1 }));
            ValueRef y = g.Lookup(e, flat);
            var feeds = new ReferenceFeeds().Float("W", new double[3]).Int("labels", new long[] { 0, 3 });
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ReferenceInterpreter(g.Build(y)).Run(feeds, 1));
            Assert.Equal("flatLabels", ex.ParamName);
            Assert.Contains("position 1", ex.Message);
            Assert.Contains("[0, 3)", ex.Message);
        }

        [Theory]
        [InlineData(4)]
        [InlineData(-2)]
        public void SparseSoftmaxCrossEntropy_LabelOutOfRange_NamesRowAndBound(long badLabel)
        {
            var g = new TestGraph();
            ValueRef labels = g.Int("labels", true, 3);
            ValueRef z = g.Float("z", true, 3, 4);
            var interpreter = new ReferenceInterpreter(g.Build(g.SparseSoftmaxCrossEntropy(labels, z)));
            var feeds = new ReferenceFeeds().Int("labels", new long[] { 3, badLabel }).Float("z", new double[8]);
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => interpreter.Run(feeds, 2));
            Assert.Equal("labels", ex.ParamName);
            Assert.Contains("row 1", ex.Message);
            Assert.Contains("[0, 4)", ex.Message);
        }

        // ---- Invalid graphs -------------------------------------------------------------------------------------

        [Fact]
        public void MatMul_InnerDimensionMismatch_NamesTheNode()
        {
            var g = new TestGraph();
            ValueRef a = g.Float("a", true, 4, 3);
            ValueRef b = g.Float("b", false, 2, 5);
            var e = Invalid(g, g.MatMul(a, b, name: "logits"));
            Assert.Contains("t2 'logits' (MatMul)", e.Message);
            Assert.Contains("inner dimensions", e.Message);
        }

        [Fact]
        public void MatMul_ContractingTheBatchOfOnlyOneOperand_IsRejected()
        {
            var g = new TestGraph();
            ValueRef a = g.Float("a", true, 4, 3);
            ValueRef b = g.Float("b", false, 4, 2);
            Assert.Contains("batch axis of only one operand", Invalid(g, g.MatMul(a, b, transposeA: true)).Message);
            var g2 = new TestGraph();
            ValueRef a2 = g2.Float("a", false, 2, 3);
            ValueRef b2 = g2.Float("b", true, 4, 3);
            Assert.Contains("only axis 0", Invalid(g2, g2.MatMul(a2, b2, transposeB: true)).Message);
        }

        [Theory]
        [InlineData("[B,3] . [4]")]
        [InlineData("[B,3] . [4,3]")]
        [InlineData("[3] . [B,3]")]
        [InlineData("[B,2] . [B,2]")]
        public void Broadcast_IncompatibleShapes_Throw(string shapes)
        {
            var g = new TestGraph();
            ValueRef x = shapes.StartsWith("[B,3]", StringComparison.Ordinal) ? g.Float("x", true, 4, 3) : shapes.StartsWith("[3]", StringComparison.Ordinal) ? g.Float("x", false, 3) : g.Float("x", true, 4, 2);
            ValueRef y = shapes switch
            {
                "[B,3] . [4]" => g.Float("y", false, 4),
                "[B,3] . [4,3]" => g.Float("y", false, 4, 3), // capacity-sized but not batched: needs 1 there
                "[3] . [B,3]" => g.Float("y", true, 4, 3),
                _ => g.Float("y", true, 5, 2), // different capacity
            };
            if (shapes == "[3] . [B,3]")
            {
                // Valid: the batched operand keeps axis 0. Its mirror with a rank-3 result is not.
                Assert.NotNull(new ReferenceInterpreter(g.Build(g.Add(x, y))));
                var g3 = new TestGraph();
                ValueRef bx = g3.Float("x", true, 4, 3);
                ValueRef by = g3.Float("y", false, 2, 1, 3);
                Assert.Contains("t2", Invalid(g3, g3.Add(bx, by, "sum")).Message);
                return;
            }
            var e = Invalid(g, g.Multiply(x, y, "prod"));
            Assert.Contains("t2 'prod' (Multiply)", e.Message);
        }

        [Fact]
        public void Concat_AlongBatchAxis_OrMixedDtypes_Throws()
        {
            var g = new TestGraph();
            ValueRef a = g.Float("a", true, 4, 3);
            ValueRef b = g.Float("b", true, 4, 3);
            Assert.Contains("batch axis", Invalid(g, g.Concat(0, a, b)).Message);
            var g2 = new TestGraph();
            ValueRef f = g2.Float("f", true, 4, 3);
            ValueRef i = g2.Int("i", true, 4, 3);
            Assert.Contains("must agree", Invalid(g2, g2.Concat(1, f, i)).Message);
            var g3 = new TestGraph();
            ValueRef c = g3.Float("c", true, 4, 3);
            Assert.Contains("axis -3", Invalid(g3, g3.Concat(-3, c)).Message);
        }

        [Fact]
        public void Reshape_BatchedWithOtherLeadingDim_OrOtherCount_Throws()
        {
            var g = new TestGraph();
            ValueRef x = g.Float("x", true, 4, 6);
            Assert.Contains("capacity 4", Invalid(g, g.Reshape(x, 8, 3)).Message);
            var g2 = new TestGraph();
            ValueRef x2 = g2.Float("x", false, 4, 6);
            Assert.Contains("cannot reshape", Invalid(g2, g2.Reshape(x2, 5, 5)).Message);
            var g3 = new TestGraph();
            ValueRef x3 = g3.Float("x", false, 4, 6);
            Assert.Contains("no -1", Invalid(g3, g3.Reshape(x3, -1, 6)).Message);
        }

        [Fact]
        public void OtherShapeRules_Throw_NamingTheNode()
        {
            var g = new TestGraph();
            ValueRef v = g.Float("v", true, 4, 3);
            ValueRef wrongBias = g.Float("bias", false, 2);
            Assert.Contains("t2", Invalid(g, g.BiasAdd(v, wrongBias)).Message);

            var g2 = new TestGraph();
            ValueRef y = g2.Float("y", true, 4, 3);
            ValueRef z = g2.Float("z", true, 4, 4);
            Assert.Contains("same shape", Invalid(g2, g2.SoftmaxCrossEntropy(y, z, "loss")).Message);

            var g3 = new TestGraph();
            ValueRef x = g3.Float("x", false, 2, 3);
            Assert.Contains("k = 4", Invalid(g3, g3.TopK(x, 4).Values).Message);

            var g4 = new TestGraph();
            ValueRef r = g4.Float("r", false, 2, 3);
            Assert.Contains("axis 2", Invalid(g4, g4.ReduceSum(r, 2)).Message);

            var g5 = new TestGraph();
            ValueRef idx = g5.Int("idx", false, 2, 2);
            ValueRef vals = g5.Float("vals", false, 2);
            Assert.Contains("R = 2", Invalid(g5, g5.SparseToDense(idx, vals, new long[] { 4 }, 0, false)).Message);

            var g6 = new TestGraph();
            ValueRef notParam = g6.Float("table", false, 3, 2);
            ValueRef ids = g6.Int("ids", false, 2);
            Assert.Contains("must be a Parameter", Invalid(g6, g6.Lookup(notParam, ids)).Message);

            var g7 = new TestGraph();
            ValueRef p7 = g7.Parameter("W", new long[] { 3, 2 });
            ValueRef floatIds = g7.Float("ids", false, 2);
            Assert.Contains("int64", Invalid(g7, g7.Lookup(p7, floatIds)).Message);

            var g8 = new TestGraph();
            ValueRef x8 = g8.Float("x", false, 2);
            Assert.Contains("missing attribute 'axis'", Invalid(g8, g8.Op(OpKind.ReduceSum, new[] { x8 }, "s", OpAttribute.Bool("keepDims", false))).Message);

            var g9 = new TestGraph();
            g9.Float("x", false, 2);
            ValueRef dup = g9.Float("x", false, 3);
            Assert.Contains("already used", Invalid(g9, dup).Message);
        }

        [Theory]
        [InlineData(OpKind.LogUniformCandidateSampler)]
        [InlineData(OpKind.ComputeAccidentalHits)]
        [InlineData(OpKind.AddN)]
        [InlineData(OpKind.EmbeddingRowsGrad)]
        public void SamplerAndBackwardOnlyKinds_AreNotEvaluated(OpKind kind)
        {
            var g = new TestGraph();
            ValueRef x = g.Int("x", true, 4, 1);
            ValueRef op = g.Op(kind, new[] { x }, "op");
            var e = Assert.Throws<NotSupportedException>(() => new ReferenceInterpreter(g.Build(op)));
            Assert.Contains("is not an op the reference interpreter evaluates", e.Message);
            Assert.Contains("t1 'op'", e.Message);
        }

        [Fact]
        public void CompositeLossWithoutSampledValues_IsNotEvaluated_AndSaysToFeedThem()
        {
            var g = new TestGraph();
            ValueRef x = g.Float("X", true, 4, 3);
            ValueRef labels = g.Int("L", true, 4, 1);
            ValueRef w = g.Parameter("W", new long[] { 5, 3 });
            ValueRef b = g.Parameter("b", new long[] { 5 });
            ValueRef loss = g.Op(OpKind.NceLoss, new[] { w, b, labels, x }, "loss", OpAttribute.Bool("hasSampledValues", false), OpAttribute.Int("numSampled", 2),
                OpAttribute.Int("numClasses", 5), OpAttribute.Int("numTrue", 1), OpAttribute.Bool("removeAccidentalHits", false), OpAttribute.Int("seed", 0),
                OpAttribute.Bool("subtractLogQ", true));
            var e = Assert.Throws<NotSupportedException>(() => new ReferenceInterpreter(g.Build(loss)));
            Assert.Contains("sampledValues", e.Message);
        }

        [Fact]
        public void FedSampledValues_OutOfRange_OrNotPositive_Throw()
        {
            var g = new TestGraph();
            ValueRef x = g.Float("X", true, 4, 3);
            ValueRef labels = g.Int("L", true, 4, 1);
            ValueRef values = g.SampledValues(g.Int("S", false, 2), g.Float("Qt", true, 4, 1), g.Float("Qs", false, 2));
            ValueRef w = g.Parameter("W", new long[] { 5, 3 });
            ValueRef b = g.Parameter("b", new long[] { 5 });
            var interpreter = new ReferenceInterpreter(g.Build(g.SampledLoss(OpKind.SampledSoftmaxLoss, w, b, labels, x, values, 2, 5, 1, true, true)));
            ReferenceFeeds Feeds(long s1, double q1) => new ReferenceFeeds().Float("X", new double[6]).Int("L", new long[] { 1, 2 }).Int("S", new long[] { 0, s1 })
                .Float("Qt", new[] { 0.5, 0.5 }).Float("Qs", new[] { 0.5, q1 }).Float("W", new double[15]).Float("b", new double[5]);
            Assert.Equal(2, interpreter.Run(Feeds(4, 0.5), 2).Output.Length);
            Assert.Contains("outside [0, 5)", Assert.Throws<ArgumentOutOfRangeException>(() => interpreter.Run(Feeds(5, 0.5), 2)).Message);
            Assert.Contains("not finite and positive", Assert.Throws<ArgumentOutOfRangeException>(() => interpreter.Run(Feeds(4, 0), 2)).Message);
        }

        // ---- Bad runs -------------------------------------------------------------------------------------------

        [Fact]
        public void Run_BadFeedsAndBatches_Throw()
        {
            var g = new TestGraph();
            ValueRef x = g.Float("x", true, 3, 2);
            ValueRef ids = g.Int("ids", false, 1);
            ValueRef p = g.Parameter("W", new long[] { 2, 2 });
            ValueRef y = g.Add(x, g.ReduceSum(g.Lookup(p, ids), 0));
            var interpreter = new ReferenceInterpreter(g.Build(y));
            ReferenceFeeds Good() => new ReferenceFeeds().Float("x", new double[4]).Int("ids", new long[] { 1 }).Float("W", new double[4]);

            Assert.Equal(4, interpreter.Run(Good(), 2).Output.Length);
            Assert.Throws<ArgumentOutOfRangeException>(() => interpreter.Run(Good(), 4));
            Assert.Throws<ArgumentOutOfRangeException>(() => interpreter.Run(Good(), -1));
            Assert.Contains("holds 6", Assert.Throws<ArgumentException>(() => interpreter.Run(Good(), 3)).Message);
            Assert.Contains("No value was fed for float input 'x'", Assert.Throws<ArgumentException>(() =>
                interpreter.Run(new ReferenceFeeds().Int("ids", new long[] { 1 }).Float("W", new double[4]), 2)).Message);
            Assert.Contains("is int64 but was fed float", Assert.Throws<ArgumentException>(() =>
                interpreter.Run(Good().Float("ids", new[] { 1.0 }), 2)).Message);
            Assert.Contains("'extra'", Assert.Throws<ArgumentException>(() => interpreter.Run(Good().Float("extra", new double[1]), 2)).Message);
            Assert.Contains("parameter 'W'", Assert.Throws<ArgumentException>(() =>
                interpreter.Run(new ReferenceFeeds().Float("x", new double[4]).Int("ids", new long[] { 1 }), 2)).Message);
            Assert.Throws<ArgumentException>(() => interpreter.Run(Good(), 2, new double[3]));
        }

        [Fact]
        public void Backward_FromInt64Output_Throws()
        {
            var g = new TestGraph();
            ValueRef x = g.Float("x", false, 1, 3);
            var (_, indices) = g.TopK(x, 2);
            var interpreter = new ReferenceInterpreter(g.Build(indices));
            var feeds = new ReferenceFeeds().Float("x", new[] { 1.0, 2, 3 });
            Assert.Equal(new double[] { 2, 1 }, interpreter.Run(feeds, 0).Output);
            Assert.Throws<InvalidOperationException>(() => interpreter.Run(feeds, 0, new double[2]));
        }
    }
}
