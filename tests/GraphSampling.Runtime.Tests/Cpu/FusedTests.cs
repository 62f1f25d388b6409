using System;
using System.Runtime.Intrinsics;
using GraphSampling.Runtime.Cpu;
using Xunit;

namespace GraphSampling.Runtime.Tests.Cpu;

/// <summary>The fused elementwise driver at every row width 0..257, for each operand layout, with strided
/// operands and destination and in place, against a scalar loop of the same operator (this class runs in the ISA matrix).</summary>
public sealed class FusedTests
{
    /// <summary>((a + b) · c − d) / 2: four operands, every arithmetic op, the order fixed.</summary>
    private readonly struct Chain : IFusedOperator
    {
        public static float Invoke(float a, float b, float c, float d) => ((a + b) * c - d) / 2f;
        public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d) => ((a + b) * c - d) / Vector128.Create(2f);
        public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d) => ((a + b) * c - d) / Vector256.Create(2f);
        public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d) => ((a + b) * c - d) / Vector512.Create(2f);
    }

    /// <summary>The sampled-logits pattern: products + bias − log count, negated (−((a + b) − log c)).</summary>
    private readonly struct LogitsChain : IFusedOperator
    {
        public static float Invoke(float a, float b, float c, float d) => -((a + b) - MathF.Log(c));
        public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d) => -((a + b) - VectorMath.Log(c));
        public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d) => -((a + b) - VectorMath.Log(c));
        public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d) => -((a + b) - VectorMath.Log(c));
    }

    private static float[] Data(Random rng, int n)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() * 4 - 2);
        return v;
    }

    [Fact]
    public void EveryWidthAndLayout_MatchesTheScalarLoop_Exactly()
    {
        var rng = new Random(1);
        const int rows = 3;
        for (int cols = 0; cols <= 257; cols++)
        {
            int stride = cols + 5, dstStride = cols + 3;
            float[] full = Data(rng, rows * stride + 1), row = Data(rng, cols + 1), column = Data(rng, rows), scalar = { 1.25f }, full2 = Data(rng, rows * cols + 1);
            var destination = new float[rows * dstStride + 1];
            destination.AsSpan().Fill(99f);
            Kernels.Fused<Chain>(rows, cols, FusedOperand.Full(full, stride), FusedOperand.Row(row), FusedOperand.Column(column), FusedOperand.Full(full2, cols), destination, dstStride);
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < dstStride && i * dstStride + j < destination.Length; j++)
                {
                    float expected = j < cols ? Chain.Invoke(full[i * stride + j], row[j], column[i], full2[i * cols + j]) : 99f;
                    Assert.Equal(expected, destination[i * dstStride + j]);   // and nothing between the rows is written
                }
            }
            // Scalar layout and unused operands.
            Kernels.Fused<Chain>(rows, cols, FusedOperand.Scalar(scalar), FusedOperand.Row(row), FusedOperand.None, FusedOperand.None, destination, dstStride);
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++) Assert.Equal(Chain.Invoke(1.25f, row[j], 0, 0), destination[i * dstStride + j]);
            }
        }
    }

    [Fact]
    public void LogitsPattern_AtEveryWidth_IsWithinTheVectorLogsOneUlp()
    {
        // The vector lanes use VectorMath.Log (within 1 ulp of MathF.Log), the tail MathF.Log: each result is the
        // scalar chain's to within one ulp of the log term, measured against the double-precision value.
        var rng = new Random(3);
        const int rows = 2;
        for (int cols = 0; cols <= 257; cols++)
        {
            float[] products = Data(rng, rows * cols), bias = Data(rng, cols), counts = new float[cols];
            for (int j = 0; j < cols; j++) counts[j] = (float)(rng.NextDouble() * 10 + 1e-3);
            var destination = new float[rows * cols];
            Kernels.Fused<LogitsChain>(rows, cols, FusedOperand.Full(products, cols), FusedOperand.Row(bias), FusedOperand.Row(counts), FusedOperand.None, destination, cols);
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    double exact = -((double)(products[i * cols + j] + bias[j]) - Math.Log(counts[j]));
                    float log = MathF.Log(counts[j]);
                    double tolerance = 2 * (MathF.BitIncrement(Math.Abs(log)) - Math.Abs(log)) + 2 * (MathF.BitIncrement((float)Math.Abs(exact)) - (float)Math.Abs(exact));
                    Assert.True(Math.Abs(destination[i * cols + j] - exact) <= tolerance, "cols " + cols + " [" + i + ", " + j + "]: " + destination[i * cols + j] + " vs " + exact);
                }
            }
        }
    }

    [Fact]
    public void InPlace_OverItsFirstOperand_IsCorrectAtEveryWidth()
    {
        var rng = new Random(2);
        for (int cols = 0; cols <= 257; cols++)
        {
            const int rows = 2;
            float[] x = Data(rng, rows * cols), y = Data(rng, cols), original = (float[])x.Clone();
            Kernels.Fused<Chain>(rows, cols, FusedOperand.Full(x, cols), FusedOperand.Row(y), FusedOperand.Scalar(new[] { 3f }), FusedOperand.None, x, cols);
            for (int i = 0; i < rows * cols; i++) Assert.Equal(Chain.Invoke(original[i], y[i % cols], 3f, 0f), x[i]);
        }
    }

    [Fact]
    public void ShortOperands_AreRejectedBeforeWriting()
    {
        var destination = new float[8];
        var e = Assert.Throws<ArgumentException>(() =>
            Kernels.Fused<Chain>(2, 4, FusedOperand.Full(new float[7], 4), FusedOperand.None, FusedOperand.None, FusedOperand.None, destination, 4));
        Assert.Equal("a", e.ParamName);
        Assert.Throws<ArgumentException>(() =>
            Kernels.Fused<Chain>(2, 4, FusedOperand.Row(new float[4]), FusedOperand.Column(new float[1]), FusedOperand.None, FusedOperand.None, destination, 4));
        Assert.Throws<ArgumentException>(() =>
            Kernels.Fused<Chain>(2, 4, FusedOperand.Row(new float[4]), FusedOperand.None, FusedOperand.None, FusedOperand.None, destination, 5));
        Assert.All(destination, v => Assert.Equal(0f, v));

        // Strides below a row, and operands that share memory with the destination other than in place.
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Kernels.Fused<Chain>(2, 4, FusedOperand.Row(new float[4]), FusedOperand.None, FusedOperand.None, FusedOperand.None, destination, -4));
        Assert.Throws<ArgumentException>(() =>
            Kernels.Fused<Chain>(2, 4, FusedOperand.Full(new float[8], -4), FusedOperand.None, FusedOperand.None, FusedOperand.None, destination, 4));
        Assert.Throws<ArgumentException>(() =>
            Kernels.Fused<Chain>(2, 4, FusedOperand.Row(destination.AsSpan(4, 4)), FusedOperand.None, FusedOperand.None, FusedOperand.None, destination, 4));
        Assert.Throws<ArgumentException>(() =>
            Kernels.Fused<Chain>(2, 3, FusedOperand.Full(destination.AsSpan(1), 4), FusedOperand.None, FusedOperand.None, FusedOperand.None, destination, 4));
        Assert.All(destination, v => Assert.Equal(0f, v));
    }
}
