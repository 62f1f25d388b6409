using System;
using GraphSampling.Runtime.Cpu;
using Xunit;

namespace GraphSampling.Runtime.Tests.Cpu;

/// <summary>
/// Sum, Dot, Max, Axpy, SumRows and SumColumns at every length 0..257 against double references.
/// Tolerances are the worst-case rounding bounds of the kernels' fixed summation trees, so they hold
/// for any data and any vector width, and are tight in the sense that the trees are shallow.
/// </summary>
public sealed class ReductionTests
{
    /// <summary>
    /// Depth of the longest addition chain in <see cref="Kernels.Sum"/> for n elements: with L lanes
    /// in total (4 vectors of 16, 8 or 4 floats, or 16 scalar lanes) each lane adds floor(n / L)
    /// block elements plus one remainder or masked tail, then 2 levels join the accumulators and
    /// log2(width) levels join the lanes. L is at least 16 and width at most 16, so the depth is at
    /// most floor(n / 16) + 7 on every path. A summation tree of depth d has
    /// |error| &lt;= d * u * sum|x| (to first order), which for n = 257 is 1.4e-6 * sum|x|.
    /// </summary>
    private static double SumDepth(int n) => (n / 16) + 7;

    [Fact]
    public void Sum_AllLengths_WithinTreeBound()
    {
        for (int n = 0; n <= TestData.MaxLength; n++)
        {
            foreach (float[] x in new[] { TestData.Uniform(n, n), MixedMagnitudes(n, n) })
            {
                double exact = 0, absolute = 0;
                foreach (float v in x)
                {
                    exact += v;
                    absolute += Math.Abs(v);
                }

                float actual = Kernels.Sum(x);
                double bound = 1.001 * SumDepth(n) * TestData.U * absolute;
                Assert.True(Math.Abs(actual - exact) <= bound, $"n={n}: {actual:R} vs {exact:R}, bound {bound:E3}");
            }
        }
    }

    [Fact]
    public void Dot_AllLengths_WithinTreeBound()
    {
        for (int n = 0; n <= TestData.MaxLength; n++)
        {
            float[] x = MixedMagnitudes(n, n);
            float[] y = TestData.Uniform(n, n + 1);
            double exact = 0, absolute = 0;
            for (int i = 0; i < n; i++)
            {
                exact += (double)x[i] * y[i];
                absolute += Math.Abs((double)x[i] * y[i]);
            }

            // One more rounding than Sum where the product is rounded before the add (no FMA).
            float actual = Kernels.Dot(x, y);
            double bound = 1.001 * (SumDepth(n) + 1) * TestData.U * absolute;
            Assert.True(Math.Abs(actual - exact) <= bound, $"n={n}: {actual:R} vs {exact:R}, bound {bound:E3}");
        }

        Assert.Throws<ArgumentException>("y", () => Kernels.Dot(new float[3], new float[4]));
    }

    [Fact]
    public void CrossEntropyTerms_AllLengths_WithinTreeBound_MaskedColumnsGiveZero()
    {
        const float logS = 3.25f;
        for (int n = 0; n <= TestData.MaxLength; n++)
        {
            float[] shifted = TestData.Uniform(n, n + 7);
            float[] labels = TestData.Uniform(n, n + 8);
            for (int i = 0; i < n; i++)
            {
                shifted[i] = -Math.Abs(shifted[i]) * 4f;
                labels[i] = Math.Abs(labels[i]);
                if (i % 5 == 2)
                {
                    // An accidental hit: the masked logit is -FLT_MAX and its label 0, so the term is exactly 0.
                    shifted[i] = -float.MaxValue;
                    labels[i] = 0f;
                }
            }

            double exact = 0, absolute = 0;
            for (int i = 0; i < n; i++)
            {
                // Each term is formed in float (as TF does), then summed exactly.
                double term = labels[i] * (logS - shifted[i]);
                exact += term;
                absolute += Math.Abs(term);
            }

            float actual = Kernels.CrossEntropyTerms(shifted, labels, logS);
            // Two roundings inside each term (the subtraction and the product) and the summation tree.
            double bound = 1.001 * (SumDepth(n) + 2) * TestData.U * absolute;
            Assert.True(Math.Abs(actual - exact) <= bound, $"n={n}: {actual:R} vs {exact:R}, bound {bound:E3}");
        }

        float[] withNaN = [-1f, float.NaN, -2f];
        Assert.True(float.IsNaN(Kernels.CrossEntropyTerms(withNaN, [0f, 0f, 1f], 1f)));
        Assert.Throws<ArgumentException>("labels", () => Kernels.CrossEntropyTerms(new float[3], new float[4], 0f));
    }

    [Fact]
    public void Dot_InfinityAnywhere_NoNaNFromMaskedTail()
    {
        // The masked tail re-reads elements already counted; masked lanes must add exactly zero,
        // so an infinity there must not turn into inf * 0 = NaN.
        for (int n = 1; n <= 70; n++)
        {
            for (int j = 0; j < n; j++)
            {
                float[] x = TestData.Filled(n, 1f);
                float[] y = TestData.Filled(n, 1f);
                y[j] = float.PositiveInfinity;
                Assert.Equal(float.PositiveInfinity, Kernels.Dot(x, y));
            }
        }
    }

    [Fact]
    public void SumAndDot_DoNotDependOnBufferAddress()
    {
        for (int n = 0; n <= TestData.MaxLength; n++)
        {
            float[] x = MixedMagnitudes(n, n);
            float[] y = TestData.Uniform(n, n + 7);
            float sum = Kernels.Sum(x);
            float dot = Kernels.Dot(x, y);
            for (int offset = 1; offset < 16; offset++)
            {
                float[] shiftedX = new float[n + offset];
                float[] shiftedY = new float[n + offset];
                x.CopyTo(shiftedX, offset);
                y.CopyTo(shiftedY, offset);
                Assert.Equal(BitConverter.SingleToInt32Bits(sum), BitConverter.SingleToInt32Bits(Kernels.Sum(shiftedX.AsSpan(offset))));
                Assert.Equal(BitConverter.SingleToInt32Bits(dot), BitConverter.SingleToInt32Bits(Kernels.Dot(shiftedX.AsSpan(offset), shiftedY.AsSpan(offset))));
            }
        }
    }

    [Fact]
    public void Max_AllLengths_Exact()
    {
        Assert.Equal(float.NegativeInfinity, Kernels.Max(ReadOnlySpan<float>.Empty));
        for (int n = 1; n <= TestData.MaxLength; n++)
        {
            float[] x = TestData.Uniform(n, n, -100f, 100f);
            float expected = float.NegativeInfinity;
            foreach (float v in x)
            {
                expected = Math.Max(expected, v);
            }

            Assert.Equal(expected, Kernels.Max(x));

            // The maximum at every position, including the overlapping tail.
            for (int i = 0; i < n; i++)
            {
                float[] y = TestData.Filled(n, -1f);
                y[i] = 3f;
                Assert.Equal(3f, Kernels.Max(y));
            }
        }
    }

    [Fact]
    public void Max_NaNAnywhere_PropagatesNaN()
    {
        for (int n = 1; n <= TestData.MaxLength; n++)
        {
            for (int i = 0; i < n; i++)
            {
                float[] x = TestData.Uniform(n, n);
                x[i] = float.NaN;
                Assert.True(float.IsNaN(Kernels.Max(x)), $"n={n} i={i}");
            }
        }
    }

    [Fact]
    public void Max_SignedZeros_PositiveZeroIsLarger()
    {
        for (int n = 1; n <= 40; n++)
        {
            for (int i = 0; i < n; i++)
            {
                float[] x = TestData.Filled(n, -0f);
                x[i] = 0f;
                Assert.Equal(0, BitConverter.SingleToInt32Bits(Kernels.Max(x)));
            }

            Assert.True(float.IsNegative(Kernels.Max(TestData.Filled(n, -0f))));
        }
    }

    [Fact]
    public void Axpy_AllLengths_OneRoundingPerStep()
    {
        const float a = -1.37f;
        for (int n = 0; n <= TestData.MaxLength; n++)
        {
            float[] x = TestData.Uniform(n, n);
            float[] y = TestData.Uniform(n, n + 3);
            float[] actual = TestData.Filled(n + 1, 99f);
            y.CopyTo(actual, 0);
            Kernels.Axpy(a, x, actual.AsSpan(0, n));
            for (int i = 0; i < n; i++)
            {
                // Fused: one rounding of the exact value; unfused: the product is rounded first.
                double product = (double)a * x[i];
                double exact = product + y[i];
                double bound = 1.0001 * TestData.U * (Math.Abs(exact) + Math.Abs(product));
                Assert.True(Math.Abs(actual[i] - exact) <= bound, $"n={n} i={i}");
            }

            Assert.Equal(99f, actual[n]);

            // x aliasing y exactly: y += a * y.
            float[] self = (float[])x.Clone();
            Kernels.Axpy(a, self, self);
            float[] separate = (float[])x.Clone();
            Kernels.Axpy(a, x, separate);
            Assert.Equal(separate, self);
        }
    }

    [Fact]
    public void Axpy_InvalidArguments_Throw_WriteNothing()
    {
        float[] y = TestData.Filled(9, 5f);
        Assert.Throws<ArgumentException>("y", () => Kernels.Axpy(2f, new float[10], y));
        Assert.Equal(TestData.Filled(9, 5f), y);
        float[] buffer = TestData.Filled(20, 5f);
        Assert.Throws<ArgumentException>("y", () => Kernels.Axpy(2f, buffer.AsSpan(0, 19), buffer.AsSpan(1, 19)));
        Assert.Equal(TestData.Filled(20, 5f), buffer);
    }

    [Fact]
    public void SumRows_AllWidths_SequentialBound()
    {
        foreach (int rows in new[] { 0, 1, 2, 5, 33 })
        {
            for (int cols = 0; cols <= TestData.MaxLength; cols++)
            {
                float[] x = TestData.Uniform(rows * cols, cols + rows);
                float[] destination = TestData.Filled(cols + 1, 42f);
                Kernels.SumRows(x, destination, rows, cols);
                for (int c = 0; c < cols; c++)
                {
                    double exact = 0, absolute = 0;
                    for (int r = 0; r < rows; r++)
                    {
                        exact += x[(r * cols) + c];
                        absolute += Math.Abs(x[(r * cols) + c]);
                    }

                    // Rows are added one after another: a chain of rows - 1 additions.
                    double bound = 1.001 * Math.Max(rows - 1, 0) * TestData.U * absolute;
                    Assert.True(Math.Abs(destination[c] - exact) <= bound, $"rows={rows} cols={cols} c={c}");
                }

                Assert.Equal(42f, destination[cols]);
            }
        }
    }

    [Fact]
    public void SumColumns_AllWidths_MatchSum()
    {
        foreach (int rows in new[] { 0, 1, 3 })
        {
            for (int cols = 0; cols <= TestData.MaxLength; cols++)
            {
                float[] x = MixedMagnitudes(rows * cols, cols);
                float[] destination = TestData.Filled(rows + 1, 42f);
                Kernels.SumColumns(x, destination, rows, cols);
                for (int r = 0; r < rows; r++)
                {
                    ReadOnlySpan<float> row = x.AsSpan(r * cols, cols);
                    Assert.Equal(Kernels.Sum(row), destination[r]);
                    double exact = 0, absolute = 0;
                    foreach (float v in row)
                    {
                        exact += v;
                        absolute += Math.Abs(v);
                    }

                    Assert.True(Math.Abs(destination[r] - exact) <= 1.001 * SumDepth(cols) * TestData.U * absolute);
                }

                Assert.Equal(42f, destination[rows]);
            }
        }
    }

    [Fact]
    public void RowReductions_InvalidArguments_Throw_WriteNothing()
    {
        float[] x = TestData.Uniform(12, 1);
        float[] destination = TestData.Filled(3, 7f);
        Assert.Throws<ArgumentException>("destination", () => Kernels.SumRows(x, destination, 3, 4));
        Assert.Throws<ArgumentException>("destination", () => Kernels.SumColumns(x, destination, 4, 3));
        Assert.Throws<ArgumentException>("x", () => Kernels.SumRows(x, destination, 5, 3));
        Assert.Throws<ArgumentOutOfRangeException>("cols", () => Kernels.SumColumns(x, destination, 3, -1));
        Assert.Throws<ArgumentException>("destination", () => Kernels.LogSumExpRows(x, destination, 4, 3));
        Assert.Equal(TestData.Filled(3, 7f), destination);
    }

    /// <summary>Values spread over eight decades with both signs, so cancellation and magnitude ordering matter.</summary>
    private static float[] MixedMagnitudes(int n, int seed)
    {
        var random = new Random(seed + 12345);
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-4, 4)));
        }

        return values;
    }
}
