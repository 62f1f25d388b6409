using System;
using System.Runtime.Intrinsics;
using GraphSampling.Runtime.Cpu;
using Xunit;

namespace GraphSampling.Runtime.Tests.Cpu;

/// <summary>
/// Map, MapScalarLeft/Right and the broadcasts at every length 0..257. Add, subtract, multiply,
/// divide and negate must equal the double reference rounded to float exactly (double holds the
/// exact result of a float op closely enough that one rounding gives the correctly rounded float);
/// exp and log may differ by 1 ulp.
/// </summary>
public sealed class MapTests
{
    private const float Sentinel = -12345.5f;

    [Fact]
    public void BinaryOperators_AllLengths_MatchReferenceExactly()
    {
        CheckBinary<AddOperator>((x, y) => x + y);
        CheckBinary<SubtractOperator>((x, y) => x - y);
        CheckBinary<MultiplyOperator>((x, y) => x * y);
        CheckBinary<DivideOperator>((x, y) => x / y);
    }

    [Fact]
    public void UnaryOperators_AllLengths_MatchReference()
    {
        CheckUnary<NegateOperator>(x => -x, -10f, 10f, maxUlps: 0);
        CheckUnary<ExpOperator>(Math.Exp, -30f, 30f, maxUlps: 1);
        CheckUnary<LogOperator>(Math.Log, 1e-30f, 1e30f, maxUlps: 1);
        CheckUnary<LogOperator>(Math.Log, 0.5f, 2f, maxUlps: 1);
    }

    [Fact]
    public void Map_DestinationAliasesInput_SameResult()
    {
        for (int n = 0; n <= TestData.MaxLength; n++)
        {
            float[] x = TestData.Uniform(n, n);
            float[] y = TestData.Uniform(n, n + 1000, 0.5f, 2f);
            float[] expected = new float[n];

            Kernels.Map<ExpOperator>(x, expected);
            float[] aliased = (float[])x.Clone();
            Kernels.Map<ExpOperator>(aliased, aliased);
            Assert.Equal(expected, aliased);

            Kernels.Map<DivideOperator>(x, y, expected);
            aliased = (float[])x.Clone();
            Kernels.Map<DivideOperator>(aliased, y, aliased);
            Assert.Equal(expected, aliased);
            aliased = (float[])y.Clone();
            Kernels.Map<DivideOperator>(x, aliased, aliased);
            Assert.Equal(expected, aliased);

            Kernels.MapScalarRight<SubtractOperator>(x, 0.25f, expected);
            aliased = (float[])x.Clone();
            Kernels.MapScalarRight<SubtractOperator>(aliased, 0.25f, aliased);
            Assert.Equal(expected, aliased);

            Kernels.MapScalarLeft<SubtractOperator>(0.25f, x, expected);
            aliased = (float[])x.Clone();
            Kernels.MapScalarLeft<SubtractOperator>(0.25f, aliased, aliased);
            Assert.Equal(expected, aliased);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(257)]
    public void TooShortDestination_Throws_WritesNothing(int n)
    {
        float[] x = TestData.Uniform(n, 1);
        float[] destination = TestData.Filled(n - 1, Sentinel);

        AssertThrowsUnchanged(() => Kernels.Map<NegateOperator>(x, destination), destination, "destination");
        AssertThrowsUnchanged(() => Kernels.Map<AddOperator>(x, x, destination), destination, "destination");
        AssertThrowsUnchanged(() => Kernels.MapScalarRight<AddOperator>(x, 1f, destination), destination, "destination");
        AssertThrowsUnchanged(() => Kernels.MapScalarLeft<AddOperator>(1f, x, destination), destination, "destination");
        AssertThrowsUnchanged(() => Kernels.MapRowBroadcast<AddOperator>(x, x, destination, 1, n), destination, "destination");
        AssertThrowsUnchanged(() => Kernels.MapColumnBroadcast<AddOperator>(x, x, destination, n, 1), destination, "destination");
    }

    [Fact]
    public void InvalidInputs_Throw_WriteNothing()
    {
        float[] x = TestData.Uniform(40, 1);
        float[] destination = TestData.Filled(40, Sentinel);
        AssertThrowsUnchanged(() => Kernels.Map<AddOperator>(x, x.AsSpan(0, 39), destination), destination, "y");
        AssertThrowsUnchanged(() => Kernels.MapRowBroadcast<AddOperator>(x, x.AsSpan(0, 7), destination, 5, 8), destination, "y");
        AssertThrowsUnchanged(() => Kernels.MapColumnBroadcast<AddOperator>(x, x.AsSpan(0, 4), destination, 5, 8), destination, "y");
        AssertThrowsUnchanged(() => Kernels.MapRowBroadcast<AddOperator>(x.AsSpan(0, 39), x, destination, 5, 8), destination, "x");
        AssertThrowsUnchanged(() => Kernels.MapRowBroadcast<AddOperator>(x, x, destination, -1, 8), destination, "rows");

        // A destination that overlaps its input other than exactly would read values it already wrote.
        float[] buffer = TestData.Uniform(41, 2);
        float[] before = (float[])buffer.Clone();
        Assert.Throws<ArgumentException>("destination", () => Kernels.Map<NegateOperator>(buffer.AsSpan(0, 40), buffer.AsSpan(1, 40)));
        Assert.Equal(before, buffer);
    }

    [Fact]
    public void RowAndColumnBroadcast_AllWidths_MatchReferenceExactly()
    {
        foreach (int rows in new[] { 0, 1, 3, 7 })
        {
            for (int cols = 0; cols <= TestData.MaxLength; cols++)
            {
                float[] x = TestData.Uniform(rows * cols, cols);
                float[] rowVector = TestData.Uniform(cols, cols + 1, 0.5f, 2f);
                float[] columnVector = TestData.Uniform(rows, cols + 2, 0.5f, 2f);
                float[] destination = TestData.Filled((rows * cols) + 1, Sentinel);

                Kernels.MapRowBroadcast<DivideOperator>(x, rowVector, destination, rows, cols);
                for (int i = 0; i < rows * cols; i++)
                {
                    Assert.Equal((float)((double)x[i] / rowVector[i % cols]), destination[i]);
                }

                Assert.Equal(Sentinel, destination[rows * cols]);

                Kernels.MapColumnBroadcast<SubtractOperator>(x, columnVector, destination, rows, cols);
                for (int i = 0; i < rows * cols; i++)
                {
                    Assert.Equal((float)((double)x[i] - columnVector[i / cols]), destination[i]);
                }

                Assert.Equal(Sentinel, destination[rows * cols]);

                // In place, as generated code does for x += bias.
                float[] inPlace = (float[])x.Clone();
                Kernels.MapRowBroadcast<AddOperator>(inPlace, rowVector, inPlace, rows, cols);
                for (int i = 0; i < rows * cols; i++)
                {
                    Assert.Equal((float)((double)x[i] + rowVector[i % cols]), inPlace[i]);
                }
            }
        }
    }

    [Fact]
    public void Map_NonVectorizableOperator_UsesOnlyScalarOverload()
    {
        // Generated fused operators may opt out of vectorization; their vector overloads must never run.
        for (int n = 0; n <= TestData.MaxLength; n++)
        {
            float[] x = TestData.Uniform(n, n);
            float[] destination = new float[n];
            Kernels.Map<ScalarOnlySquare>(x, destination);
            Kernels.Map<ScalarOnlyHypot>(x, x, destination);
            Kernels.MapScalarRight<ScalarOnlyHypot>(x, 2f, destination);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(MathF.Sqrt((x[i] * x[i]) + 4f), destination[i]);
            }
        }
    }

    [Fact]
    public void Map_FusedOperator_AllLengthsMatchScalarOverload()
    {
        // The shape of an operator the CPU emitter writes for a fused chain: t = exp(x - 1) * 2.
        for (int n = 0; n <= TestData.MaxLength; n++)
        {
            float[] x = TestData.Uniform(n, n, -5f, 5f);
            float[] destination = new float[n];
            Kernels.Map<FusedExpScale>(x, destination);
            for (int i = 0; i < n; i++)
            {
                float expected = FusedExpScale.Invoke(x[i]);
                Assert.True(TestData.UlpDistance(expected, destination[i]) <= 1, $"n={n} i={i}");
            }
        }
    }

    private readonly struct ScalarOnlySquare : IUnaryOperator
    {
        public static bool Vectorizable => false;
        public static float Invoke(float x) => x * x;
        public static Vector128<float> Invoke(Vector128<float> x) => throw new InvalidOperationException("vector overload called");
        public static Vector256<float> Invoke(Vector256<float> x) => throw new InvalidOperationException("vector overload called");
        public static Vector512<float> Invoke(Vector512<float> x) => throw new InvalidOperationException("vector overload called");
    }

    private readonly struct ScalarOnlyHypot : IBinaryOperator
    {
        public static bool Vectorizable => false;
        public static float Invoke(float x, float y) => MathF.Sqrt((x * x) + (y * y));
        public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => throw new InvalidOperationException("vector overload called");
        public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => throw new InvalidOperationException("vector overload called");
        public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => throw new InvalidOperationException("vector overload called");
    }

    private readonly struct FusedExpScale : IUnaryOperator
    {
        public static bool Vectorizable => true;
        public static float Invoke(float x) => ExpOperator.Invoke(x - 1f) * 2f;
        public static Vector128<float> Invoke(Vector128<float> x) => ExpOperator.Invoke(x - Vector128<float>.One) * Vector128.Create(2f);
        public static Vector256<float> Invoke(Vector256<float> x) => ExpOperator.Invoke(x - Vector256<float>.One) * Vector256.Create(2f);
        public static Vector512<float> Invoke(Vector512<float> x) => ExpOperator.Invoke(x - Vector512<float>.One) * Vector512.Create(2f);
    }

    private static void CheckBinary<TOp>(Func<double, double, double> reference)
        where TOp : struct, IBinaryOperator
    {
        for (int n = 0; n <= TestData.MaxLength; n++)
        {
            float[] x = TestData.Uniform(n, n, -4f, 4f);
            float[] y = TestData.Uniform(n, n + 500, 0.25f, 4f);
            const float scalar = 1.7f;
            float[] destination = TestData.Filled(n + 1, Sentinel);

            Kernels.Map<TOp>(x, y, destination);
            for (int i = 0; i < n; i++)
            {
                Assert.True((float)reference(x[i], y[i]) == destination[i], $"{typeof(TOp).Name} n={n} i={i}: {destination[i]}");
            }

            Assert.Equal(Sentinel, destination[n]);

            Kernels.MapScalarRight<TOp>(x, scalar, destination);
            for (int i = 0; i < n; i++)
            {
                Assert.True((float)reference(x[i], scalar) == destination[i], $"{typeof(TOp).Name} scalar right n={n} i={i}");
            }

            Kernels.MapScalarLeft<TOp>(scalar, y, destination);
            for (int i = 0; i < n; i++)
            {
                Assert.True((float)reference(scalar, y[i]) == destination[i], $"{typeof(TOp).Name} scalar left n={n} i={i}");
            }

            Assert.Equal(Sentinel, destination[n]);
        }
    }

    private static void CheckUnary<TOp>(Func<double, double> reference, float low, float high, int maxUlps)
        where TOp : struct, IUnaryOperator
    {
        for (int n = 0; n <= TestData.MaxLength; n++)
        {
            float[] x = low > 0 ? LogUniform(n, n, low, high) : TestData.Uniform(n, n, low, high);
            float[] destination = TestData.Filled(n + 1, Sentinel);
            Kernels.Map<TOp>(x, destination);
            for (int i = 0; i < n; i++)
            {
                float expected = (float)reference(x[i]);
                Assert.True(TestData.UlpDistance(expected, destination[i]) <= maxUlps, $"{typeof(TOp).Name} n={n} x={x[i]:R}: {destination[i]:R} vs {expected:R}");
            }

            Assert.Equal(Sentinel, destination[n]);
        }
    }

    private static float[] LogUniform(int n, int seed, float low, float high)
    {
        float[] t = TestData.Uniform(n, seed, 0f, 1f);
        for (int i = 0; i < n; i++)
        {
            t[i] = (float)(low * Math.Pow(high / low, t[i]));
        }

        return t;
    }

    private static void AssertThrowsUnchanged(Action action, float[] destination, string paramName)
    {
        float[] before = (float[])destination.Clone();
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Equal(paramName, error.ParamName);
        Assert.Equal(before, destination);
    }
}
