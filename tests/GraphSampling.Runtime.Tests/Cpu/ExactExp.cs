using System;

namespace GraphSampling.Runtime.Tests.Cpu;

/// <summary>
/// Reference <c>e^x</c> and <c>e^x − 1</c> in double-double arithmetic (about 100 bits), rounded once to double: the
/// oracle the vector double exp and expm1 are measured against, in ulps of the correctly rounded result.
/// </summary>
internal static class ExactExp
{
    /// <summary>e^x − 1 rounded from double-double; overflows to +inf like the true value.</summary>
    public static double ExpM1(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        if (x > 710)
        {
            return double.PositiveInfinity;
        }

        if (x < -100)
        {
            return -1.0; // e^x < 2^-144: e^x − 1 rounds to -1
        }

        (double hi, double lo) = ExpM1DoubleDouble(x);
        return double.IsFinite(hi) ? hi + lo : double.PositiveInfinity;
    }

    /// <summary>e^x rounded from double-double, for x in [-700, 709] (no subnormal results).</summary>
    public static double Exp(double x)
    {
        (double hi, double lo) = ExpM1DoubleDouble(x);
        (hi, lo) = Add(hi, lo, 1.0, 0.0);
        return hi + lo;
    }

    private static (double Hi, double Lo) ExpM1DoubleDouble(double x)
    {
        if (Math.Abs(x) <= 0.5)
        {
            return Series(x);
        }

        // e^x = (e^(x / 2^m))^(2^m) with |x / 2^m| <= 0.5: the division is exact, each squaring keeps ~100 bits.
        int m = 0;
        double y = x;
        while (Math.Abs(y) > 0.5)
        {
            y *= 0.5;
            m++;
        }

        (double hi, double lo) = Series(y);
        (hi, lo) = Add(hi, lo, 1.0, 0.0);
        for (int i = 0; i < m; i++)
        {
            (hi, lo) = Multiply(hi, lo, hi, lo);
        }

        return Add(hi, lo, -1.0, 0.0);
    }

    /// <summary>x + x²/2! + x³/3! + ... in double-double, |x| &lt;= 0.5.</summary>
    private static (double Hi, double Lo) Series(double x)
    {
        (double sumHi, double sumLo) = (0.0, 0.0);
        (double termHi, double termLo) = (x, 0.0);
        for (int k = 2; k < 40; k++)
        {
            (sumHi, sumLo) = Add(sumHi, sumLo, termHi, termLo);
            (termHi, termLo) = Multiply(termHi, termLo, x, 0.0);
            (termHi, termLo) = Divide(termHi, termLo, k);
        }

        return (sumHi, sumLo);
    }

    private static (double Hi, double Lo) TwoSum(double a, double b)
    {
        double s = a + b;
        double bb = s - a;
        return (s, (a - (s - bb)) + (b - bb));
    }

    private static (double Hi, double Lo) Add(double aHi, double aLo, double bHi, double bLo)
    {
        (double s, double e) = TwoSum(aHi, bHi);
        e += aLo + bLo;
        return TwoSum(s, e);
    }

    private static (double Hi, double Lo) Multiply(double aHi, double aLo, double bHi, double bLo)
    {
        double p = aHi * bHi;
        double e = Math.FusedMultiplyAdd(aHi, bHi, -p) + ((aHi * bLo) + (aLo * bHi));
        return TwoSum(p, e);
    }

    private static (double Hi, double Lo) Divide(double aHi, double aLo, double d)
    {
        double q = aHi / d;
        double p = q * d;
        double e = Math.FusedMultiplyAdd(q, d, -p);
        double r = ((aHi - p) - e + aLo) / d;
        return TwoSum(q, r);
    }
}
