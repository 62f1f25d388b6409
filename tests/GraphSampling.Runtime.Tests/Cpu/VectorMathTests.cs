using System;
using System.Runtime.Intrinsics;
using GraphSampling.Runtime.Cpu;
using Xunit;

namespace GraphSampling.Runtime.Tests.Cpu;

/// <summary>
/// The vector exp and log at all three widths (software-emulated where not accelerated) against
/// MathF and against the correctly rounded double result: at most 1 ulp from either.
/// </summary>
public sealed class VectorMathTests
{
    private static readonly float[] SpecialExpInputs =
    [
        0f, -0f, 1f, -1f, 1e-30f, -1e-30f, 88.7f, 88.72283f, 88.7229f, 89f, 100f, -87.3f, -87.34f,
        -100f, -103.9f, -103.97f, -104f, -200f, float.MaxValue, float.MinValue, float.PositiveInfinity,
        float.NegativeInfinity, float.NaN, float.Epsilon, 0.34657359f, -0.34657359f, 0.6931472f,
    ];

    private static readonly float[] SpecialLogInputs =
    [
        0f, -0f, 1f, -1f, float.Epsilon, 1e-45f, 1e-40f, 1.1754944e-38f, 0.70710677f, 0.7071068f,
        1.4142135f, 1.4142137f, 0.99999994f, 1.0000001f, 2f, 0.5f, float.MaxValue, float.PositiveInfinity,
        float.NegativeInfinity, float.NaN, -float.Epsilon,
    ];

    [Fact]
    public void Exp_AllWidths_WithinOneUlp()
    {
        float[] inputs = Concat(SpecialExpInputs, TestData.Uniform(60_000, 1, -105f, 90f), TestData.Uniform(20_000, 2, -1f, 1f));
        Check(inputs, VectorMath.Exp, VectorMath.Exp, VectorMath.Exp, MathF.Exp, Math.Exp);
    }

    [Fact]
    public void Log_AllWidths_WithinOneUlp()
    {
        // Random bit patterns cover every exponent, subnormals included, and both signs.
        var random = new Random(3);
        float[] bits = new float[80_000];
        for (int i = 0; i < bits.Length; i++)
        {
            bits[i] = BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue));
        }

        float[] inputs = Concat(SpecialLogInputs, bits, TestData.Uniform(20_000, 4, 0.5f, 2f));
        Check(inputs, VectorMath.Log, VectorMath.Log, VectorMath.Log, MathF.Log, Math.Log);
    }

    [Fact]
    public void ExpDouble_BothWidths_WithinTwoUlpsOfMathExp()
    {
        // A random sweep of [-745, 709], a dense grid, tiny arguments of both signs, the subnormal and overflow
        // edges, and the special values.
        var random = new Random(5);
        var inputs = new System.Collections.Generic.List<double>
        {
            0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 0.34657359027997264, -0.34657359027997264, 0.6931471805599453,
            709.0, 709.78, 709.782712893384, 709.7827128933841, 709.79, 710.0, 711.0, 1e308, double.MaxValue,
            -708.39, -708.4, -708.3964185322641, -709.0, -720.0, -740.0, -745.0, -745.1332191019411,
            -745.1332191019412, -745.14, -746.0, -800.0, -1e308, double.MinValue,
            double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.Epsilon, -double.Epsilon, 1e-300, -1e-300,
        };
        for (int i = 0; i < 200_000; i++)
        {
            inputs.Add(-745.0 + (random.NextDouble() * 1454.0));
        }

        for (int i = 0; i < 20_000; i++)
        {
            inputs.Add((random.NextDouble() - 0.5) * Math.Pow(2, -random.Next(0, 60)));
        }

        for (double x = -745.0; x <= 709.0; x += 0.0625)
        {
            inputs.Add(x);
            inputs.Add(Math.BitIncrement(x));
        }

        int padded = (inputs.Count + 7) / 8 * 8;
        double[] values = new double[padded];
        inputs.CopyTo(values);
        long worst = 0, worstExact = 0;
        for (int i = 0; i < padded; i += 8)
        {
            Vector512<double> r512 = VectorMath.ExpDouble(Vector512.Create(values.AsSpan(i, 8)));
            Vector256<double> lo256 = VectorMath.ExpDouble(Vector256.Create(values.AsSpan(i, 4)));
            Vector256<double> hi256 = VectorMath.ExpDouble(Vector256.Create(values.AsSpan(i + 4, 4)));
            for (int j = 0; j < 8; j++)
            {
                double x = values[i + j];
                double expected = Math.Exp(x);
                double exact = x >= -700.0 && x <= 709.0 ? ExactExp.Exp(x) : expected;
                foreach (double actual in new[] { r512[j], j < 4 ? lo256[j] : hi256[j - 4] })
                {
                    long distance = TestData.UlpDistance(expected, actual);
                    worst = Math.Max(worst, distance);
                    worstExact = Math.Max(worstExact, TestData.UlpDistance(exact, actual));
                    Assert.True(distance <= 2, $"x={x:R}: {actual:R} vs Math.Exp {expected:R} ({distance} ulps)");
                    Assert.True(TestData.UlpDistance(exact, actual) <= 1, $"x={x:R}: {actual:R} vs exact {exact:R}");
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"ExpDouble: worst distance from Math.Exp {worst} ulps, from the exact value {worstExact} ulps");
    }

    [Fact]
    public void ExpM1Double_BothWidths_WithinAnUlpOrTwoOfExact()
    {
        // Tiny arguments of both signs (full relative accuracy), the reduction boundaries ±ln2/2 and ±ln2, the range
        // the expected counts use ([-60, 0]), the rest up to overflow, and the special values.
        var random = new Random(7);
        var inputs = new System.Collections.Generic.List<double>
        {
            0.0, -0.0, 1e-300, -1e-300, double.Epsilon, -double.Epsilon, 0.5, -0.5, 0.34657359027997264,
            -0.34657359027997264, 0.6931471805599453, -0.6931471805599453, -37.0, -37.5, -59.9, -60.0, -60.1, -100.0,
            -745.0, -1e6, 699.9, 700.0, 700.1, 709.0, 709.78, 709.79, 710.0, 1e308,
            double.PositiveInfinity, double.NegativeInfinity, double.NaN,
        };
        for (int i = 0; i < 60_000; i++)
        {
            double tiny = random.NextDouble() * Math.Pow(2, -random.Next(0, 60));
            inputs.Add(tiny);
            inputs.Add(-tiny);
            inputs.Add(-60.0 * random.NextDouble());
            inputs.Add(-2.0 * random.NextDouble());
            inputs.Add(709.0 * random.NextDouble());
            inputs.Add(0.5 * random.NextDouble());
        }

        int padded = (inputs.Count + 7) / 8 * 8;
        double[] values = new double[padded];
        inputs.CopyTo(values);
        long worst = 0;
        for (int i = 0; i < padded; i += 8)
        {
            Vector512<double> r512 = VectorMath.ExpM1Double(Vector512.Create(values.AsSpan(i, 8)));
            Vector256<double> lo256 = VectorMath.ExpM1Double(Vector256.Create(values.AsSpan(i, 4)));
            Vector256<double> hi256 = VectorMath.ExpM1Double(Vector256.Create(values.AsSpan(i + 4, 4)));
            for (int j = 0; j < 8; j++)
            {
                double x = values[i + j];
                double exact = ExactExp.ExpM1(x);
                foreach (double actual in new[] { r512[j], j < 4 ? lo256[j] : hi256[j - 4] })
                {
                    // Measured: at most 1 ulp for x <= 0 and 2 ulps for 0 < x < 0.5 (where 2·expm1(r) + 1 adds a rounding).
                    long distance = TestData.UlpDistance(exact, actual);
                    worst = Math.Max(worst, distance);
                    Assert.True(distance <= (x > 0 ? 2 : 1), $"x={x:R}: {actual:R} vs exact {exact:R} ({distance} ulps)");
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"ExpM1Double: worst distance from the exact value {worst} ulps");
    }

    private static void Check(
        float[] inputs,
        Func<Vector128<float>, Vector128<float>> f128,
        Func<Vector256<float>, Vector256<float>> f256,
        Func<Vector512<float>, Vector512<float>> f512,
        Func<float, float> scalar,
        Func<double, double> exact)
    {
        int padded = (inputs.Length + 15) / 16 * 16;
        float[] x = new float[padded];
        inputs.CopyTo(x, 0);
        float[] r128 = new float[padded], r256 = new float[padded], r512 = new float[padded];
        for (int i = 0; i < padded; i += 4)
        {
            f128(Vector128.Create(x.AsSpan(i, 4))).CopyTo(r128, i);
        }

        for (int i = 0; i < padded; i += 8)
        {
            f256(Vector256.Create(x.AsSpan(i, 8))).CopyTo(r256, i);
        }

        for (int i = 0; i < padded; i += 16)
        {
            f512(Vector512.Create(x.AsSpan(i, 16))).CopyTo(r512, i);
        }

        for (int i = 0; i < padded; i++)
        {
            float reference = scalar(x[i]);
            float rounded = (float)exact(x[i]);
            foreach (float actual in new[] { r128[i], r256[i], r512[i] })
            {
                Assert.True(
                    TestData.UlpDistance(reference, actual) <= 1 && TestData.UlpDistance(rounded, actual) <= 1,
                    $"x={x[i]:R} ({BitConverter.SingleToInt32Bits(x[i]):X8}): {actual:R} vs MathF {reference:R}, exact {rounded:R}");
            }
        }
    }

    private static float[] Concat(params float[][] parts)
    {
        int length = 0;
        foreach (float[] part in parts)
        {
            length += part.Length;
        }

        var all = new float[length];
        int offset = 0;
        foreach (float[] part in parts)
        {
            part.CopyTo(all, offset);
            offset += part.Length;
        }

        return all;
    }
}
