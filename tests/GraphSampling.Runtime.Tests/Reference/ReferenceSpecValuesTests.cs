using System;
using System.Collections.Generic;
using GraphSampling.Ir;
using GraphSampling.Runtime.Reference;
using Xunit;

namespace GraphSampling.Runtime.Tests.Reference
{
    /// <summary>
    /// Spec 13 worked values (R0 counts, R1, R2, R3, R4) reproduced by primitive graphs with the sampled values fed as
    /// data. The spec prints its float64 values to 9-10 significant digits (rounding error up to 5e-10 absolute), so
    /// comparisons allow 2e-9 absolute + 1e-8 relative: a few print roundings, and nothing a wrong formula could hide
    /// in. The expected counts are fed so that the graph's Log reproduces the spec's float32 log Q (SpecData.LogQ).
    /// </summary>
    public sealed class ReferenceSpecValuesTests
    {
        private const double Abs = 2e-9, Rel = 1e-8;
        private static readonly double FltMax = ReferenceInterpreter.AccidentalHitLogit;

        // ---- R0 -------------------------------------------------------------------------------------------------

        [Fact]
        public void R0_LogUniformProbabilitiesAndCounts_MatchSpec()
        {
            var p = new double[5];
            var q3 = new double[5];
            var q4 = new double[5];
            for (int v = 0; v < 5; v++)
            {
                p[v] = SpecData.P(v);
                q3[v] = SpecData.Q(v, 3, 3);
                q4[v] = SpecData.Q(v, 3, 4);
            }
            // Printed to 9 decimals: 6e-10 absolute covers the print rounding only.
            Check.Close(new[] { 0.386852801, 0.226294383, 0.160558417, 0.124538787, 0.101755597 }, p, 6e-10, 0, "P");
            Check.Close(new[] { 1.160558462, 0.678883135, 0.481675267, 0.373616368, 0.305266798 }, q3, 6e-10, 0, "counts, num_tries=3");
            Check.Close(new[] { 0.858662009, 0.641653657, 0.503451228, 0.412581474, 0.349004358 }, q4, 6e-10, 0, "counts, num_tries=4");
        }

        [Fact]
        public void AccidentalHitValue_IsMinusFltMax()
        {
            Assert.Equal(-(double)float.MaxValue, ReferenceInterpreter.AccidentalHitLogit);
            Assert.Equal(-3.4028234663852886e38, ReferenceInterpreter.AccidentalHitLogit);
        }

        // ---- R1 / R2: sampled softmax and NCE -----------------------------------------------------------------------

        /// <summary>One worked case of spec 13.</summary>
        private sealed record SampledCase(int T, long[] Labels, bool Nce, (int Row, int Pos)[] Hits, double[]? Logits,
            double[] Loss, double[] DInputs, double[] DWeights, double[] DBiases)
        {
            public long[] S { get; init; } = { 1, 3, 4 };
            public int Tries => T == 1 ? 3 : 4;
        }

        private static readonly Dictionary<string, SampledCase> Cases = new Dictionary<string, SampledCase>
        {
            ["R1 softmax"] = new SampledCase(1, new long[] { 1, 2 }, false, Array.Empty<(int, int)>(),
                new[] { 0.267306273, 0.267306273, 1.104525800, 1.001569095, 1.100485082, 0.197306273, 0.754525800, 1.556569095 },
                new[] { 1.855341363, 1.305817091 },
                new[] { 0.186329394, -0.390331165, -0.155895088, -0.468167079, -0.039329276, -0.042213828 },
                new[] { 0, 0, 0, -0.024795749, 0.137440182, -0.261065700, -0.291619579, 0, 0.364524474, 0.112810907, -0.072254567, 0.012527320, 0.203604421, -0.065185616, -0.115986093 },
                new[] { 0, -0.577390057, -0.729048947, 0.552981892, 0.753457112 }),
            ["R1 softmax, hits removed"] = new SampledCase(1, new long[] { 1, 2 }, false, new[] { (0, 0) },
                new[] { 0.267306273, -3.402823466e+38, 1.104525800, 1.001569095, 1.100485082, 0.197306273, 0.754525800, 1.556569095 },
                new[] { 1.685265073, 1.305817091 },
                new[] { 0.220873984, -0.462696722, -0.184797302, -0.468167079, -0.039329276, -0.042213828 },
                new[] { 0, 0, 0, -0.037536130, 0.162920944, -0.299286842, -0.291619579, 0, 0.364524474, 0.119508735, -0.085650222, 0.032620804, 0.209646974, -0.077270721, -0.097858435 },
                new[] { 0, -0.704793863, -0.729048947, 0.619960171, 0.813882640 }),
            ["R1 nce"] = new SampledCase(1, new long[] { 1, 2 }, true, Array.Empty<(int, int)>(), null,
                new[] { 4.109246391, 3.971718445 },
                new[] { -0.078401254, -0.014601287, -0.200201743, -0.341262940, 0.200346308, -0.186620559 },
                new[] { 0, 0, 0, 0.232953162, -0.026572592, -0.234724695, -0.099859606, 0, 0.124824508, 0.347176333, -0.150221429, -0.114749881, 0.403480893, -0.146273394, -0.193520154 },
                new[] { 0, 0.682030126, -0.249649016, 1.431271191, 1.557227459 }),
            ["R1 nce, hits removed"] = new SampledCase(1, new long[] { 1, 2 }, true, new[] { (0, 0) }, null,
                new[] { 3.273540959, 3.971718445 },
                new[] { 0.091528190, -0.297817027, -0.256844891, -0.341262940, 0.200346308, -0.186620559 },
                new[] { 0, 0, 0, 0.176310014, 0.086713704, -0.404654139, -0.099859606, 0, 0.124824508, 0.347176333, -0.150221429, -0.114749881, 0.403480893, -0.146273394, -0.193520154 },
                new[] { 0, 0.115598646, -0.249649016, 1.431271191, 1.557227459 }),
            ["R2 softmax"] = new SampledCase(2, new long[] { 1, 2, 4, 0 }, false, Array.Empty<(int, int)>(),
                new[] { 0.323706602, 0.676268449, 0.323706602, 1.005321617, 0.867670836, 1.422670836, 0.042379900, 0.253706602, 0.655321617, 1.422670836 },
                new[] { 1.786991737, 1.797531154 },
                new[] { -0.130055184, -0.208119038, -0.023725182, -0.121474303, 0.079913580, -0.206980351 },
                new[] { -0.166758871, 0, 0.208448589, 0.019142932, 0.043840723, -0.117090202, -0.030025442, 0.060050884, -0.090076325, 0.089115930, -0.055515359, 0.006575226, 0.088525451, -0.048376248, -0.007857288 },
                new[] { -0.416897178, -0.116545380, -0.300254418, 0.430972421, 0.402724556 }),
            ["R2 softmax, hits removed"] = new SampledCase(2, new long[] { 1, 2, 4, 0 }, false, new[] { (0, 0), (1, 2) }, null,
                new[] { 1.635705725, 1.396424047 },
                new[] { -0.077798810, -0.266610382, -0.052099601, -0.144408312, 0.020653667, -0.062381829 },
                new[] { -0.150355131, 0, 0.187943914, 0.027660027, 0.067334133, -0.177660066, -0.026763010, 0.053526021, -0.080289031, 0.123928472, -0.064582646, -0.017672468, 0.025529642, -0.056277508, 0.087677651 },
                new[] { -0.375887829, -0.183352929, -0.267630105, 0.552006102, 0.274864761 }),
            ["R2 nce"] = new SampledCase(2, new long[] { 1, 2, 4, 0 }, true, Array.Empty<(int, int)>(), null,
                new[] { 4.858920093, 5.160904376 },
                new[] { -0.138390498, 0.281245193, -0.169461021, -0.177053095, 0.350655564, -0.408899315 },
                new[] { 0.004237356, 0, -0.005296695, 0.291280907, -0.132090925, -0.083407918, 0.016290535, -0.032581069, 0.048871604, 0.336493828, -0.146420717, -0.109473261, 0.515031504, -0.140852163, -0.344478533 },
                new[] { 0.010593390, 1.223543236, 0.162905346, 1.390312258, 1.815774372 }),
            ["R2 nce, hits removed"] = new SampledCase(2, new long[] { 1, 2, 4, 0 }, true, new[] { (0, 0), (1, 2) }, null,
                new[] { 3.990878158, 3.522260193 },
                new[] { 0.035677696, -0.008868463, -0.227483752, -0.217340934, 0.108928531, 0.074554752 },
                new[] { 0.004237356, 0, -0.005296695, 0.233258176, -0.016045463, -0.257476111, 0.016290535, -0.032581069, 0.048871604, 0.336493828, -0.146420717, -0.109473261, 0.192728793, -0.140852163, 0.058399856 },
                new[] { 0.010593390, 0.643315924, 0.162905346, 1.390312258, 1.010017594 }),
        };

        /// <summary>How a case's graph is laid out: batched inputs with capacity 4 and the mask fed as a float input, or
        /// every input non-batched, the mask built by SparseToDense and both parameters sharded.</summary>
        public enum Layout
        {
            BatchedMaskInput,
            UnbatchedSparseToDenseSharded,
        }

        private sealed class SampledGraph
        {
            public required IrGraph Graph { get; init; }
            public required ValueRef Logits { get; init; }
            public required ReferenceFeeds Feeds { get; init; }
        }

        /// <summary>
        /// _compute_sampled_logits (spec 5) in primitives: true logits = ReduceSum(Reshape(X,[B,1,D]) * W[L], axis 2) + b[L];
        /// sampled logits = X·W[S]ᵀ + b[S] (+ mask); Z = Concat([Zt − log Qt, Zs − log Qs], 1); then softmax
        /// cross-entropy against Y = [1/T.. | 0..] (spec 6) or the row sum of sigmoid cross-entropy (spec 7).
        /// </summary>
        private static SampledGraph Build(SampledCase c, Layout layout, double[] x, double[] w, double[] bias, int capacity = 4)
        {
            int k = c.S.Length, t = c.T;
            bool batched = layout == Layout.BatchedMaskInput;
            long cap = batched ? capacity : SpecData.B;
            var g = new TestGraph();
            ValueRef xIn = g.Float("X", batched, cap, SpecData.D);
            ValueRef labels = g.Int("L", batched, cap, t);
            ValueRef sampled = g.Int("S", false, k);
            ValueRef qt = g.Float("Qt", batched, cap, t);
            ValueRef qs = g.Float("Qs", false, k);
            ValueRef y = g.Float("Y", batched, cap, t + k);
            ValueRef wp = batched ? g.Parameter("W", new long[] { SpecData.C, SpecData.D }) : g.Parameter("W", new long[] { SpecData.C, SpecData.D }, 2, Partition.Mod);
            ValueRef bp = batched ? g.Parameter("b", new long[] { SpecData.C }) : g.Parameter("b", new long[] { SpecData.C }, 3, Partition.Div);

            ValueRef trueW = g.Lookup(wp, labels);
            ValueRef trueB = g.Lookup(bp, labels);
            ValueRef trueLogits = g.Add(g.ReduceSum(g.Multiply(g.Reshape(xIn, cap, 1, SpecData.D), trueW), 2), trueB, "trueLogits");
            ValueRef sampledLogits = g.BiasAdd(g.MatMul(xIn, g.Lookup(wp, sampled), transposeB: true), g.Lookup(bp, sampled), "sampledLogits");

            var feeds = new ReferenceFeeds()
                .Float("X", x).Int("L", c.Labels).Int("S", c.S).Float("W", w).Float("b", bias);
            if (c.Hits.Length > 0)
            {
                if (batched)
                {
                    ValueRef mask = g.Float("M", true, cap, k);
                    sampledLogits = g.Add(sampledLogits, mask);
                    var m = new double[SpecData.B * k];
                    foreach (var (row, pos) in c.Hits) m[row * k + pos] = FltMax;
                    feeds.Float("M", m);
                }
                else
                {
                    ValueRef hitIds = g.Int("hits", false, c.Hits.Length, 2);
                    ValueRef hitValue = g.Float("hitValue", false);
                    sampledLogits = g.Add(sampledLogits, g.SparseToDense(hitIds, hitValue, new long[] { SpecData.B, k }, 0.0, false));
                    var h = new long[c.Hits.Length * 2];
                    for (int i = 0; i < c.Hits.Length; i++)
                    {
                        h[2 * i] = c.Hits[i].Row;
                        h[2 * i + 1] = c.Hits[i].Pos;
                    }
                    feeds.Int("hits", h).Float("hitValue", new[] { FltMax });
                }
            }
            ValueRef z = g.Concat(batched ? 1 : -1, g.Subtract(trueLogits, g.Log(qt)), g.Subtract(sampledLogits, g.Log(qs)));
            ValueRef loss = c.Nce ? g.ReduceSum(g.SigmoidCrossEntropy(y, z), 1) : g.SoftmaxCrossEntropy(y, z);

            var qtv = new double[c.Labels.Length];
            for (int i = 0; i < qtv.Length; i++) qtv[i] = SpecData.FeedCount((int)c.Labels[i], k, c.Tries);
            var qsv = new double[k];
            for (int i = 0; i < k; i++) qsv[i] = SpecData.FeedCount((int)c.S[i], k, c.Tries);
            var yv = new double[SpecData.B * (t + k)];
            for (int i = 0; i < SpecData.B; i++)
            {
                for (int j = 0; j < t; j++) yv[i * (t + k) + j] = 1.0 / t;
            }
            feeds.Float("Qt", qtv).Float("Qs", qsv).Float("Y", yv);
            return new SampledGraph { Graph = g.Build(loss), Logits = z, Feeds = feeds };
        }

        public static TheoryData<string, Layout> CaseNames()
        {
            var data = new TheoryData<string, Layout>();
            foreach (string name in Cases.Keys)
            {
                data.Add(name, Layout.BatchedMaskInput);
                data.Add(name, Layout.UnbatchedSparseToDenseSharded);
            }
            return data;
        }

        [Theory]
        [MemberData(nameof(CaseNames))]
        public void SampledLoss_MatchesSpecValues(string name, Layout layout)
        {
            SampledCase c = Cases[name];
            SampledGraph sg = Build(c, layout, SpecData.X, SpecData.W, SpecData.Bias);
            ReferenceResult r = new ReferenceInterpreter(sg.Graph).Run(sg.Feeds, SpecData.B, new[] { 1.0, 1.0 });

            Assert.Equal(new[] { SpecData.B }, r.OutputShape);
            Check.Close(c.Loss, r.Output, Abs, Rel, name + " loss");
            if (c.Logits is not null) Check.Close(c.Logits, r.Value(sg.Logits), Abs, Rel, name + " logits");
            Assert.Equal(new[] { SpecData.B, c.T + c.S.Length }, r.ShapeOf(sg.Logits));
            Check.Close(c.DInputs, r.Gradient("X")!, Abs, Rel, name + " dinputs");
            Check.Close(c.DWeights, r.Gradient("W")!, Abs, Rel, name + " dweights");
            Check.Close(c.DBiases, r.Gradient("b")!, Abs, Rel, name + " dbiases");

            var expectedTouched = new SortedSet<long>(c.Labels);
            expectedTouched.UnionWith(c.S);
            Assert.Equal(expectedTouched, r.TouchedRows("W"));
            Assert.Equal(expectedTouched, r.TouchedRows("b"));
        }

        public static TheoryData<string> CompositeCaseNames()
        {
            var data = new TheoryData<string>();
            foreach (string name in Cases.Keys) data.Add(name);
            return data;
        }

        /// <summary>The reference's direct evaluation of the composite losses (spec 5-8, not through primitives) on the
        /// R1/R2 data: equal to the primitive pipeline above within double rounding, and so to the spec's values.</summary>
        [Theory]
        [MemberData(nameof(CompositeCaseNames))]
        public void CompositeNode_MatchesThePrimitivePipelineAndTheSpec(string name)
        {
            SampledCase c = Cases[name];
            SampledGraph sg = Build(c, Layout.BatchedMaskInput, SpecData.X, SpecData.W, SpecData.Bias);
            ReferenceResult primitive = new ReferenceInterpreter(sg.Graph).Run(sg.Feeds, SpecData.B, new[] { 1.0, 1.0 });

            int k = c.S.Length;
            var g = new TestGraph();
            ValueRef x = g.Float("X", true, 4, SpecData.D);
            ValueRef labels = g.Int("L", true, 4, c.T);
            ValueRef values = g.SampledValues(g.Int("S", false, k), g.Float("Qt", true, 4, c.T), g.Float("Qs", false, k));
            ValueRef w = g.Parameter("W", new long[] { SpecData.C, SpecData.D });
            ValueRef b = g.Parameter("b", new long[] { SpecData.C });
            ValueRef loss = g.SampledLoss(c.Nce ? OpKind.NceLoss : OpKind.SampledSoftmaxLoss, w, b, labels, x, values, k, SpecData.C, c.T, c.Hits.Length > 0, true);
            var qt = new double[c.Labels.Length];
            for (int i = 0; i < qt.Length; i++) qt[i] = SpecData.FeedCount((int)c.Labels[i], k, c.Tries);
            var qs = new double[k];
            for (int i = 0; i < k; i++) qs[i] = SpecData.FeedCount((int)c.S[i], k, c.Tries);
            var feeds = new ReferenceFeeds().Float("X", SpecData.X).Int("L", c.Labels).Int("S", c.S).Float("Qt", qt).Float("Qs", qs)
                .Float("W", SpecData.W).Float("b", SpecData.Bias);
            ReferenceResult r = new ReferenceInterpreter(g.Build(loss)).Run(feeds, SpecData.B, new[] { 1.0, 1.0 });

            // Same math, different summation order: agreement to double rounding.
            Check.Close(primitive.Output, r.Output, 1e-13, 1e-13, name + " loss vs primitives");
            Check.Close(primitive.Gradient("X")!, r.Gradient("X")!, 1e-13, 1e-13, name + " dinputs vs primitives");
            Check.Close(primitive.Gradient("W")!, r.Gradient("W")!, 1e-13, 1e-13, name + " dweights vs primitives");
            Check.Close(c.Loss, r.Output, Abs, Rel, name + " loss");
            Check.Close(c.DBiases, r.Gradient("b")!, Abs, Rel, name + " dbiases");
            var touched = new SortedSet<long>(c.Labels);
            touched.UnionWith(c.S);
            Assert.Equal(touched, r.TouchedRows("W"));
        }

        [Fact]
        public void R3_TapasCompositeNode_MatchesSpec()
        {
            var g = new TestGraph();
            ValueRef x = g.Float("X", true, 4, SpecData.D);
            ValueRef labels = g.Int("L", true, 4, 1);
            ValueRef values = g.SampledValues(g.Int("S", false, 4), g.Float("Qt", true, 4, 1), g.Float("Qs", false, 4));
            ValueRef w = g.Parameter("W", new long[] { SpecData.C, SpecData.D }, 2, Partition.Div);
            ValueRef b = g.Parameter("b", new long[] { SpecData.C }, 2, Partition.Div);
            ValueRef loss = g.SampledLoss(OpKind.RankSampledSoftmaxLoss, w, b, labels, x, values, 4, SpecData.C, 1, true, true, numResampled: 2, temperature: 0.5);
            double qt = SpecData.FeedCount(2, 4, 4);
            var feeds = new ReferenceFeeds().Float("X", SpecData.X).Int("L", new long[] { 2, 2 }).Int("S", new long[] { 0, 1, 3, 4 })
                .Float("Qt", new[] { qt, qt }).Float("Qs", new[] { SpecData.FeedCount(0, 4, 4), SpecData.FeedCount(1, 4, 4), SpecData.FeedCount(3, 4, 4), SpecData.FeedCount(4, 4, 4) })
                .Float("W", SpecData.W).Float("b", SpecData.Bias);
            ReferenceResult r = new ReferenceInterpreter(g.Build(loss)).Run(feeds, SpecData.B, new[] { 1.0, 1.0 });
            const double R3Rel = 3e-8;   // as in R3_RankResampling_ScoresTopKAndSecondPass_MatchSpec
            Check.Close(new[] { 1.037252699, 1.041936538 }, r.Output, Abs, R3Rel, "R3 loss");
            Check.Close(new[] { -0.328648421, -0.005887225, -0.082117879, -0.342386321, 0.028483707, -0.168293637 }, r.Gradient("X")!, Abs, R3Rel, "R3 dinputs");
            Check.Close(new[] { 0.266709312, 0, -1.292802070, 0, 1.026092759 }, r.Gradient("b")!, Abs, R3Rel, "R3 dbiases");
            // Only the label's row and the kept classes {4, 0} receive gradient: the first pass is not differentiated.
            Assert.Equal(new long[] { 0, 2, 4 }, r.TouchedRows("W"));
        }

        [Fact]
        public void R1Softmax_ShardedGradient_SplitsIntoModShards()
        {
            SampledCase c = Cases["R1 softmax"];
            SampledGraph sg = Build(c, Layout.UnbatchedSparseToDenseSharded, SpecData.X, SpecData.W, SpecData.Bias);
            ReferenceResult r = new ReferenceInterpreter(sg.Graph).Run(sg.Feeds, SpecData.B, new[] { 1.0, 1.0 });
            double[][] w = r.GradientShards("W")!;
            // "mod" over 2 shards: shard 0 holds ids 0, 2, 4 and shard 1 holds ids 1, 3 (spec 2.2).
            Assert.Equal(2, w.Length);
            Check.Close(new[] { 0, 0, 0, -0.291619579, 0, 0.364524474, 0.203604421, -0.065185616, -0.115986093 }, w[0], Abs, Rel, "W shard 0");
            Check.Close(new[] { -0.024795749, 0.137440182, -0.261065700, 0.112810907, -0.072254567, 0.012527320 }, w[1], Abs, Rel, "W shard 1");
            double[][] b = r.GradientShards("b")!;
            // "div" of 5 ids over 3 shards: [0, 1], [2, 3], [4].
            Assert.Equal(new[] { 2, 2, 1 }, new[] { b[0].Length, b[1].Length, b[2].Length });
            Check.Close(new[] { 0, -0.577390057 }, b[0], Abs, Rel, "b shard 0");
            Check.Close(new[] { -0.729048947, 0.552981892 }, b[1], Abs, Rel, "b shard 1");
            Check.Close(new[] { 0.753457112 }, b[2], Abs, Rel, "b shard 2");
        }

        [Fact]
        public void MaskedColumns_HaveExactlyZeroGradient()
        {
            SampledCase c = Cases["R2 softmax, hits removed"];
            SampledGraph sg = Build(c, Layout.BatchedMaskInput, SpecData.X, SpecData.W, SpecData.Bias);
            ReferenceResult r = new ReferenceInterpreter(sg.Graph).Run(sg.Feeds, SpecData.B, new[] { 1.0, 1.0 });
            double[] dMask = r.Gradient("M")!;
            // The mask's gradient is dZs; the masked cells (row 0 pos 0, row 1 pos 2) must be exactly 0 (spec 11).
            Assert.Equal(0.0, dMask[0 * 3 + 0]);
            Assert.Equal(0.0, dMask[1 * 3 + 2]);
            Assert.Equal(FltMax, r.Value(sg.Logits)[2]);
            Assert.NotEqual(0.0, dMask[1]);
        }

        // ---- R3: TAPAS ------------------------------------------------------------------------------------------

        [Fact]
        public void R3_RankResampling_ScoresTopKAndSecondPass_MatchSpec()
        {
            // First pass: score_k = LSE over the batch of W[S_k]·(X_j/τ) + b[S_k]/τ, τ = 0.5; keep the top 2.
            var g = new TestGraph();
            ValueRef x = g.Float("X", true, 4, SpecData.D);
            ValueRef s = g.Int("S", false, 4);
            ValueRef tauInv = g.Float("tauInv", false, 1);
            ValueRef w = g.Parameter("W", new long[] { SpecData.C, SpecData.D }, 2, Partition.Div);
            ValueRef b = g.Parameter("b", new long[] { SpecData.C }, 2, Partition.Div);
            ValueRef perExample = g.MatMul(g.Multiply(x, tauInv), g.Lookup(w, s), transposeB: true);
            ValueRef scores = g.Add(g.ReduceLogSumExp(perExample, 0), g.Multiply(g.Lookup(b, s), tauInv), "scores");
            var (top, topIndices) = g.TopK(g.Reshape(scores, 1, 4), 2);
            var feeds = new ReferenceFeeds().Float("X", SpecData.X).Int("S", new long[] { 0, 1, 3, 4 }).Float("tauInv", new[] { 2.0 })
                .Float("W", SpecData.W).Float("b", SpecData.Bias);
            ReferenceResult first = new ReferenceInterpreter(g.Build(top)).Run(feeds, SpecData.B);
            Assert.Equal(new[] { 4 }, first.ShapeOf(scores));
            Check.Close(new[] { 0.791845427, 0.385595182, 0.643186049, 1.024847279 }, first.Value(scores), Abs, Rel, "R3 scores");
            Assert.Equal(new long[] { 3, 0 }, first.IntValue(topIndices));

            // Second pass: sampled softmax with S' = {4, 0}, Qs' = Qs[kept] (p·4), Qt unchanged (spec 9).
            long[] kept = { 4, 0 };
            var c = new SampledCase(1, new long[] { 2, 2 }, false, Array.Empty<(int, int)>(), null, Array.Empty<double>(),
                Array.Empty<double>(), Array.Empty<double>(), Array.Empty<double>()) { S = kept };
            SampledGraph sg = Build(c, Layout.BatchedMaskInput, SpecData.X, SpecData.W, SpecData.Bias);
            var qs = new[] { SpecData.Q(4, 4, 4), SpecData.Q(0, 4, 4) };
            Check.Close(new[] { 0.407022387, 1.547411203 }, qs, 6e-10, 0, "R3 Qs'");
            double qt = SpecData.FeedCount(2, 4, 4);
            sg.Feeds.Float("Qs", new[] { SpecData.FeedCount(4, 4, 4), SpecData.FeedCount(0, 4, 4) }).Float("Qt", new[] { qt, qt });
            ReferenceResult r = new ReferenceInterpreter(sg.Graph).Run(sg.Feeds, SpecData.B, new[] { 1.0, 1.0 });
            // R3 prints no logits, so its float32 log Q cannot be recovered exactly (see SpecData.LogQ) and the correctly
            // rounded float32 log is fed. One float32 ulp of log Q(2) (3e-8) moves the losses by 1.9e-8, so the second
            // pass is checked at 2e-9 absolute + 3e-8 relative; a wrong formula is off by far more.
            const double R3Rel = 3e-8;
            Check.Close(new[] { 1.037252699, 1.041936538 }, r.Output, Abs, R3Rel, "R3 loss");
            Check.Close(new[] { -0.328648421, -0.005887225, -0.082117879, -0.342386321, 0.028483707, -0.168293637 }, r.Gradient("X")!, Abs, R3Rel, "R3 dinputs");
            Check.Close(new[] { 0.266709312, 0, -1.292802070, 0, 1.026092759 }, r.Gradient("b")!, Abs, R3Rel, "R3 dbiases");
        }

        // ---- R4: full softmax and full sigmoid -------------------------------------------------------------------

        private static (IrGraph Graph, ValueRef Logits) FullGraph(bool sigmoid)
        {
            var g = new TestGraph();
            ValueRef x = g.Float("X", true, 3, SpecData.D);
            ValueRef w = g.Parameter("W", new long[] { SpecData.C, SpecData.D }, 2, Partition.Div);
            ValueRef b = g.Parameter("b", new long[] { SpecData.C });
            ValueRef logits = g.BiasAdd(g.MatMul(x, w, transposeB: true), b, "logits");
            ValueRef loss = sigmoid
                ? g.ReduceSum(g.SigmoidCrossEntropy(g.Float("Y", true, 3, SpecData.C), logits), 1)
                : g.SparseSoftmaxCrossEntropy(g.Int("labels", true, 3), logits);
            return (g.Build(loss), logits);
        }

        [Fact]
        public void R4_FullSoftmax_MatchesSpec()
        {
            var (graph, _) = FullGraph(sigmoid: false);
            var feeds = new ReferenceFeeds().Float("X", SpecData.X).Float("W", SpecData.W).Float("b", SpecData.Bias).Int("labels", new long[] { 1, 2 });
            ReferenceResult r = new ReferenceInterpreter(graph).Run(feeds, SpecData.B);
            Check.Close(new[] { 1.733604472, 1.318765799 }, r.Output, Abs, Rel, "R4 full softmax");
        }

        [Fact]
        public void R4_FullSigmoid_MatchesSpec()
        {
            var (graph, _) = FullGraph(sigmoid: true);
            var y = new double[2 * SpecData.C];
            y[0 * SpecData.C + 1] = 1;
            y[1 * SpecData.C + 2] = 1;
            var feeds = new ReferenceFeeds().Float("X", SpecData.X).Float("W", SpecData.W).Float("b", SpecData.Bias).Float("Y", y);
            ReferenceResult r = new ReferenceInterpreter(graph).Run(feeds, SpecData.B);
            Check.Close(new[] { 3.584726441, 3.247382884 }, r.Output, Abs, Rel, "R4 full sigmoid");
        }

        [Fact]
        public void SampledSoftmax_OverAllClassesWithUnitCountsAndHitsRemoved_EqualsFullSoftmax()
        {
            // Spec 11 sanity fact: S = all classes, all Q = 1, accidental hits removed gives the full softmax loss (R4),
            // and the same gradients as the full-softmax graph (which runs through MatMul and the sparse kernel instead).
            var c = new SampledCase(1, new long[] { 1, 2 }, false, new[] { (0, 1), (1, 2) }, null, Array.Empty<double>(),
                Array.Empty<double>(), Array.Empty<double>(), Array.Empty<double>()) { S = new long[] { 0, 1, 2, 3, 4 } };
            SampledGraph sg = Build(c, Layout.UnbatchedSparseToDenseSharded, SpecData.X, SpecData.W, SpecData.Bias);
            sg.Feeds.Float("Qt", new[] { 1.0, 1.0 }).Float("Qs", new[] { 1.0, 1.0, 1.0, 1.0, 1.0 });
            ReferenceResult sampled = new ReferenceInterpreter(sg.Graph).Run(sg.Feeds, SpecData.B, new[] { 1.0, 1.0 });
            Check.Close(new[] { 1.733604472, 1.318765799 }, sampled.Output, Abs, Rel, "sampled over all classes");

            var (graph, _) = FullGraph(sigmoid: false);
            var feeds = new ReferenceFeeds().Float("X", SpecData.X).Float("W", SpecData.W).Float("b", SpecData.Bias).Int("labels", new long[] { 1, 2 });
            ReferenceResult full = new ReferenceInterpreter(graph).Run(feeds, SpecData.B, new[] { 1.0, 1.0 });
            Check.Close(full.Gradient("X")!, sampled.Gradient("X")!, 1e-13, 1e-12, "dX");
            Check.Close(full.Gradient("W")!, sampled.Gradient("W")!, 1e-13, 1e-12, "dW");
            Check.Close(full.Gradient("b")!, sampled.Gradient("b")!, 1e-13, 1e-12, "db");
        }
    }
}
