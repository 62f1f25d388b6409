using System;
using GraphSampling.Runtime.Ops;
using Xunit;

namespace GraphSampling.Runtime.Tests.Ops
{
    /// <summary>The input checks of generated programs; the finite scan is vectorised, so every length and position.</summary>
    public class ChecksTests
    {
        [Fact]
        public void Finite_AcceptsEveryFiniteValue_AtEveryLength()
        {
            float[] finite = [0f, -0f, 1f, -3.5f, float.MaxValue, -float.MaxValue, float.Epsilon, -1e-40f];
            for (int length = 0; length <= 70; length++)
            {
                var values = new float[length];
                for (int i = 0; i < length; i++)
                {
                    values[i] = finite[i % finite.Length];
                }

                Checks.Finite(values, 7, "x");
            }
        }

        [Theory]
        [InlineData(float.NaN)]
        [InlineData(float.PositiveInfinity)]
        [InlineData(float.NegativeInfinity)]
        public void Finite_RejectsANonFiniteValue_AtEveryPosition_NamingRowAndColumn(float bad)
        {
            for (int length = 1; length <= 70; length++)
            {
                for (int position = 0; position < length; position++)
                {
                    var values = new float[length];
                    values.AsSpan().Fill(2f);
                    values[position] = bad;
                    var e = Assert.Throws<ArgumentException>(() => Checks.Finite(values, 5, "hitMask"));
                    Assert.Equal("hitMask", e.ParamName);
                    Assert.Contains($"hitMask[row {position / 5}, column {position % 5}]", e.Message);
                }
            }
        }
    }
}
