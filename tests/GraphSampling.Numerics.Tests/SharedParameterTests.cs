using System;
using GraphSampling.Numerics.Tests.Graphs;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Optimizers;
using Xunit;

namespace GraphSampling.Numerics.Tests;

/// <summary>A second program over the first one's parameter tables (issue 8, item 3): the same objects, no copy, and a
/// layout mismatch refused at construction.</summary>
public sealed class SharedParameterTests
{
    private const int B = ClippedBagOfWords.B, W = ClippedBagOfWords.W, C = ClippedBagOfWords.C;

    [Fact]
    public void An_evaluation_program_reads_the_training_programs_tables_as_they_change()
    {
        var train = new ClippedBagOfWords.CpuProgram();
        var rng = new Random(11);
        train.Table.CopyFromIdOrder(Close.Random(rng, ClippedBagOfWords.V * ClippedBagOfWords.D));
        train.Output.CopyFromIdOrder(Close.Random(rng, C * ClippedBagOfWords.D));
        var tokens = Close.Ids(rng, B * W, ClippedBagOfWords.V);
        var labels = Close.Ids(rng, B, C);

        var scores = new ClippedBagOfWordsScores.CpuProgram(table: train.Table, output: train.Output);
        Assert.Same(train.Table, scores.Table);
        Assert.Same(train.Output, scores.Output);

        var loss = new float[B];
        var logits = new float[B * C];
        var optimizer = new Adagrad(0.5f);
        for (int step = 0; step < 3; step++)
        {
            train.ForwardBackward(B, tokens, labels, loss);
            train.ApplyGradients(optimizer);
            scores.Forward(B, tokens, logits);

            // The same logits as a fresh program loaded with a copy of the trained tables.
            var copy = new ClippedBagOfWordsScores.CpuProgram();
            copy.Table.CopyFromIdOrder(Close.Dense(train.Table));
            copy.Output.CopyFromIdOrder(Close.Dense(train.Output));
            var expected = new float[B * C];
            copy.Forward(B, tokens, expected);
            Assert.Equal(expected, logits);
        }
    }

    [Fact]
    public void A_table_given_for_one_parameter_leaves_the_others_new()
    {
        var train = new ClippedBagOfWords.CpuProgram();
        var scores = new ClippedBagOfWordsScores.CpuProgram(output: train.Output);
        Assert.Same(train.Output, scores.Output);
        Assert.NotSame(train.Table, scores.Table);
        Assert.Equal(Close.Dense(train.Table).Length, Close.Dense(scores.Table).Length);
    }

    [Fact]
    public void A_table_of_another_layout_is_refused_at_construction_naming_the_argument_and_both_layouts()
    {
        var train = new ClippedBagOfWords.CpuProgram();
        var e = Assert.Throws<ArgumentException>(() => new ClippedBagOfWordsDivScores.CpuProgram(table: train.Table));
        Assert.Equal("table", e.ParamName);
        Assert.Contains("'table' (11 x 4, 3 shard(s), Mod)", e.Message);
        Assert.Contains("declares as 11 x 4, 3 shard(s), Div", e.Message);

        var wide = new ParameterTable("output", C, ClippedBagOfWords.D + 1);
        e = Assert.Throws<ArgumentException>(() => new ClippedBagOfWordsScores.CpuProgram(output: wide));
        Assert.Equal("output", e.ParamName);
        Assert.Contains("3 x 5", e.Message);
    }

    [Fact]
    public void A_parameter_named_with_a_capital_is_set_whether_shared_or_new()
    {
        var own = new CapitalisedParameters.CpuProgram();
        Assert.NotNull(own.W);
        Assert.NotNull(own.B);
        var shared = new CapitalisedParameters.CpuProgram(W: own.W, B: own.B);
        Assert.Same(own.W, shared.W);
        Assert.Same(own.B, shared.B);
        own.W.InitializeUniform(1f, seed: 3);
        var x = new float[] { 1, 2, 3, 4, 5, 6 };
        var a = new float[10];
        var b = new float[10];
        own.Forward(2, x, a);
        shared.Forward(2, x, b);
        Assert.Equal(a, b);
        Assert.NotEqual(new float[10], a);
    }
}
