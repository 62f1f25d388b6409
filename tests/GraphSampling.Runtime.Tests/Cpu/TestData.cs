using System;

namespace GraphSampling.Runtime.Tests.Cpu;

/// <summary>Inputs and scalar helpers shared by the kernel tests.</summary>
internal static class TestData
{
    /// <summary>Unit roundoff of float: every correctly rounded float operation has relative error at most this.</summary>
    public const double U = 1.0 / (1 << 24);

    /// <summary>The lengths every element-wise kernel and reduction is tested at: all vector widths, tails and block sizes.</summary>
    public const int MaxLength = 257;

    public static float[] Uniform(int length, int seed, float low = -1f, float high = 1f)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(low + (random.NextDouble() * (high - low)));
        }

        return values;
    }

    /// <summary>Distance in units in the last place, counting across zero; NaN equals NaN.</summary>
    public static long UlpDistance(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b))
        {
            return float.IsNaN(a) && float.IsNaN(b) ? 0 : long.MaxValue;
        }

        if (a == b)
        {
            return 0;
        }

        return Math.Abs(Ordered(a) - Ordered(b));
    }

    /// <summary>Distance in double ulps, counting across zero (subnormal steps included); NaN equals NaN.</summary>
    public static long UlpDistance(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return double.IsNaN(a) && double.IsNaN(b) ? 0 : long.MaxValue;
        }

        if (a == b)
        {
            return 0;
        }

        long oa = BitConverter.DoubleToInt64Bits(a), ob = BitConverter.DoubleToInt64Bits(b);
        oa = oa < 0 ? long.MinValue - oa : oa;
        ob = ob < 0 ? long.MinValue - ob : ob;
        return Math.Abs(oa - ob);
    }

    private static long Ordered(float value)
    {
        int bits = BitConverter.SingleToInt32Bits(value);
        return bits < 0 ? (long)int.MinValue - bits : bits;
    }

    public static float[] Filled(int length, float value)
    {
        var values = new float[length];
        Array.Fill(values, value);
        return values;
    }
}
