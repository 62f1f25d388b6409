using System;
using GraphSampling.Runtime.Cpu;
using Xunit;

namespace GraphSampling.Runtime.Tests.Cpu;

/// <summary>LogSumExpRows at every width 0..257 against a double reference, and TensorFlow's special cases.</summary>
public sealed class LogSumExpTests
{
    [Fact]
    public void LogSumExpRows_AllWidths_WithinBound()
    {
        const int rows = 3;
        for (int cols = 0; cols <= TestData.MaxLength; cols++)
        {
            float[] x = TestData.Uniform(rows * cols, cols, -20f, 20f);
            float[] destination = TestData.Filled(rows + 1, 5f);
            Kernels.LogSumExpRows(x, destination, rows, cols);
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> row = x.AsSpan(r * cols, cols);
                double max = double.NegativeInfinity;
                foreach (float v in row)
                {
                    max = Math.Max(max, v);
                }

                if (cols == 0)
                {
                    Assert.Equal(float.NegativeInfinity, destination[r]);
                    continue;
                }

                // Error budget of s = sum exp(x - m): each term carries the rounding of x - m
                // (relative u|x - m| after exp), the exp itself (1 ulp <= 2u) and the summation tree
                // (depth floor(n / 16) + 7, as for Sum). log(s) then has absolute error ds / s plus
                // its own rounding, and adding m rounds once more.
                double s = 0, termError = 0;
                foreach (float v in row)
                {
                    double t = Math.Exp(v - max);
                    s += t;
                    termError += t * ((Math.Abs(v - max) * TestData.U) + (2 * TestData.U));
                }

                double exact = Math.Log(s) + max;
                double sumError = termError + (((cols / 16) + 7) * TestData.U * s);
                double bound = 1.01 * ((sumError / s) + (TestData.U * Math.Abs(Math.Log(s))) + (TestData.U * Math.Abs(exact)));
                Assert.True(Math.Abs(destination[r] - exact) <= bound, $"cols={cols} r={r}: {destination[r]:R} vs {exact:R}, bound {bound:E3}");
            }

            Assert.Equal(5f, destination[rows]);
        }
    }

    [Fact]
    public void LogSumExpRows_NonFiniteRows_FollowReduceLogSumExp()
    {
        float inf = float.PositiveInfinity;
        float[] x =
        [
            1f, inf, 2f, 3f,
            -inf, -inf, -inf, -inf,
            1f, float.NaN, 2f, 3f,
            -inf, 0f, -inf, 0f,
            1e30f, 1e30f, -1e30f, 0f,
        ];
        float[] destination = new float[5];
        Kernels.LogSumExpRows(x, destination, 5, 4);
        Assert.Equal(inf, destination[0]);
        Assert.Equal(float.NegativeInfinity, destination[1]);
        Assert.True(float.IsNaN(destination[2]));
        Assert.Equal((float)Math.Log(2), destination[3], 1e-6f);
        Assert.Equal((float)(1e30 + Math.Log(2)), destination[4]);
    }
}
