using GraphSampling.Ir;
using Xunit;

namespace GraphSampling.Graph.Tests;

/// <summary>TF's op-seed rule (spec 3.9): the stream is the op seed modulo 2^31 - 1 as Python computes it.</summary>
public sealed class TfSeedsTests
{
    [Theory]
    [InlineData(5L, 5L)]
    [InlineData(-5L, 2147483642L)]                  // Python: -5 % 2147483647
    [InlineData(2147483647L, 0L)]
    [InlineData(long.MaxValue, 1L)]                 // values from Python's %
    [InlineData(long.MinValue, 2147483645L)]
    public void Seeds_take_the_op_seed_modulo_2_31_minus_1_as_Python_does(long opSeed, long stream)
    {
        Assert.Equal(stream, TfSeeds.Stream(opSeed));
    }
}
