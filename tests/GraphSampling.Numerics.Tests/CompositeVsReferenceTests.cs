using System;
using System.Linq;
using GraphSampling.Ir;
using GraphSampling.Lowering;
using GraphSampling.Numerics.Tests.Graphs;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Shapes;
using Xunit;

namespace GraphSampling.Numerics.Tests;

/// <summary>
/// Each composite loss, generated for the CPU (through its lowering to primitives), against the reference interpreter,
/// which evaluates the composite directly from the spec: loss and every gradient, at the declared batch and below it,
/// with fed sampled values that hold a repeated candidate and accidental hits. And each composite against the same
/// computation written by hand with primitives: the same IR, and bit-identical results.
/// </summary>
public sealed class CompositeVsReferenceTests
{
    private static SampledLossProgram Make(string name) => SampledLossProgram.Named(name);

    /// <summary>Every composite at three batches, with a repeated candidate (the weight gradient's product is made and
    /// added as rows) and with distinct ones (the GEMM adds it straight into the sparse gradient's slots).</summary>
    public static TheoryData<string, int, bool> Cases()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (string name in new[] { nameof(RefSoftmaxT3Mod), nameof(RefSoftmaxNoLogQ), nameof(RefNceT3), nameof(RefNceNoLogQ), nameof(RefSparse), nameof(RefTapasT2), nameof(RefTapasMod) })
        {
            foreach (int batch in new[] { 6, 4, 1 })
            {
                data.Add(name, batch, true);
                data.Add(name, batch, false);
            }
        }
        return data;
    }

    /// <summary>Random data for one call: labels, sampled ids with a repeated candidate and an accidental hit, counts.</summary>
    private sealed class Data
    {
        public Data(SampledLossProgram p, int batch, int seed, bool repeated = true)
        {
            var rng = new Random(seed);
            Inputs = Close.Random(rng, batch * p.D);
            Labels = Close.Ids(rng, batch * p.T, p.C);
            // Distinct candidates (a shuffled prefix of the classes), then the planted hits and repeat.
            Sampled = Enumerable.Range(0, p.C).OrderBy(_ => rng.Next()).Take(p.K).Select(c => (long)c).ToArray();
            Sampled[Array.IndexOf(Sampled, Labels[0]) is int at and >= 0 ? at : 0] = Labels[0];   // an accidental hit in row 0
            if (repeated) Sampled[p.K - 1] = Sampled[1];  // a repeated candidate: only its last position is masked
            if (batch > 1) Labels[p.T] = Sampled[1];      // a hit on candidate 1 in row 1
            TrueCounts = Counts(rng, batch * p.T);
            SampledCounts = Counts(rng, p.K);
            Weights = Close.Random(rng, p.C * p.D, 0.5);
            Biases = Close.Random(rng, p.C, 0.5);
            Upstream = Close.Random(rng, batch);
        }

        public float[] Inputs, TrueCounts, SampledCounts, Weights, Biases, Upstream;
        public long[] Labels, Sampled;

        private static float[] Counts(Random rng, int n)
        {
            var r = new float[n];
            for (int i = 0; i < n; i++) r[i] = (float)(0.05 + 1.5 * rng.NextDouble());   // p·K can exceed 1
            return r;
        }
    }

    private static float[] Run(SampledLossProgram p, Data d, int batch)
    {
        p.Weights.CopyFromIdOrder(d.Weights);
        p.Biases.CopyFromIdOrder(d.Biases);
        var loss = new float[batch];
        p.ForwardBackward(batch, d.Inputs, d.Labels, d.Sampled, d.TrueCounts, d.SampledCounts, loss, d.Upstream);
        return loss;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Composite_MatchesTheReference(string graph, int batch, bool repeatedCandidate)
    {
        var p = Make(graph);
        var d = new Data(p, batch, seed: graph.Length * 31 + graph[3] * 7 + batch, repeatedCandidate);   // fixed per case (string hashes vary per process)
        Assert.Equal(!repeatedCandidate, d.Sampled.Distinct().Count() == d.Sampled.Length);
        var loss = Run(p, d, batch);
        var feeds = new Runtime.Reference.ReferenceFeeds()
            .Float("inputs", Close.ToDouble(d.Inputs)).Int("labels", d.Labels).Int("sampled", d.Sampled)
            .Float("trueCounts", Close.ToDouble(d.TrueCounts)).Float("sampledCounts", Close.ToDouble(d.SampledCounts))
            .Float("weights", Close.ToDouble(d.Weights)).Float("biases", Close.ToDouble(d.Biases));
        var r = new Runtime.Reference.ReferenceInterpreter(p.Graph).Run(feeds, batch, Close.ToDouble(d.Upstream));
        Close.Loss(r.Output, loss, graph + " loss");
        Close.Gradient(r.Gradient("inputs")!, p.InputsGradient(), graph + " dinputs");
        ReferenceCase.SparseGradient(r, p.WeightsGradient);
        ReferenceCase.SparseGradient(r, p.BiasesGradient);
    }

    [Theory]
    [InlineData(nameof(RefSoftmaxT3Mod), nameof(HandSoftmaxT3Mod))]
    [InlineData(nameof(RefNceT3), nameof(HandNceT3))]
    [InlineData(nameof(RefSparse), nameof(HandSparse))]
    [InlineData(nameof(RefTapasT2), nameof(HandTapasT2))]
    public void Composite_EqualsTheHandWrittenPrimitives_BitForBit(string composite, string handWritten)
    {
        var c = Make(composite);
        var h = Make(handWritten);
        Assert.Equal(h.Graph, CompositeLowering.Lower(ShapeInference.Infer(c.Graph)));
        foreach (int batch in new[] { 6, 3 })
        {
            var d = new Data(c, batch, seed: 100 + batch);
            Assert.Equal(Run(h, d, batch), Run(c, d, batch));
            Assert.Equal(h.InputsGradient(), c.InputsGradient());
            Assert.Equal(h.WeightsGradient.Ids.ToArray(), c.WeightsGradient.Ids.ToArray());
            Assert.Equal(h.WeightsGradient.Rows.ToArray(), c.WeightsGradient.Rows.ToArray());
            Assert.Equal(h.BiasesGradient.Ids.ToArray(), c.BiasesGradient.Ids.ToArray());
            Assert.Equal(h.BiasesGradient.Rows.ToArray(), c.BiasesGradient.Rows.ToArray());
        }
    }
}
