using System;
using System.Text;
using Xunit;

namespace GraphSampling.Numerics.Tests;

/// <summary>
/// Element-wise comparison of float32 results against double expectations: |actual - expected| must be within
/// rel * |expected| + abs. Failures list every offending index with both values.
/// </summary>
internal static class Close
{
    /// <summary>Losses: float32 evaluation of a double formula. The unit roundoff is 6e-8; a softmax over a few dozen
    /// terms accumulates a few ulps, so 2e-6 relative with a 1e-7 floor is tight but safe.</summary>
    public const double LossRel = 2e-6, LossAbs = 1e-7;

    /// <summary>Gradients: differences of nearby floats (softmax - y) lose relative precision near zero, so the floor is
    /// an absolute 1e-6 (about 16 ulps of 1) beside the same 2e-6 relative bound.</summary>
    public const double GradRel = 2e-6, GradAbs = 1e-6;

    public static void Loss(double[] expected, ReadOnlySpan<float> actual, string what) => Check(expected, actual, what, LossRel, LossAbs);

    public static void Gradient(double[] expected, ReadOnlySpan<float> actual, string what) => Check(expected, actual, what, GradRel, GradAbs);

    public static void Check(double[] expected, ReadOnlySpan<float> actual, string what, double rel, double abs)
    {
        Assert.True(expected.Length == actual.Length, what + ": expected " + expected.Length + " values but got " + actual.Length + ".");
        var errors = new StringBuilder();
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            bool ok = (double.IsNaN(e) && double.IsNaN(a)) || Math.Abs(a - e) <= rel * Math.Abs(e) + abs;
            if (!ok) errors.Append("  [").Append(i).Append("] expected ").Append(e.ToString("R")).Append(" got ").Append(a.ToString("R")).Append(" (diff ").Append((a - e).ToString("E2")).Append(")\n");
        }
        Assert.True(errors.Length == 0, what + " differs (tolerance " + rel + " rel + " + abs + " abs):\n" + errors);
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var r = new double[values.Length];
        for (int i = 0; i < r.Length; i++) r[i] = values[i];
        return r;
    }

    public static float[] ToFloat(double[] values)
    {
        var r = new float[values.Length];
        for (int i = 0; i < r.Length; i++) r[i] = (float)values[i];
        return r;
    }

    /// <summary>Uniform values in [-scale, scale), already rounded to float so both sides see identical inputs.</summary>
    public static float[] Random(Random rng, int n, double scale = 1.0)
    {
        var r = new float[n];
        for (int i = 0; i < n; i++) r[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        return r;
    }

    public static long[] Ids(Random rng, int n, int bound)
    {
        var r = new long[n];
        for (int i = 0; i < n; i++) r[i] = rng.Next(bound);
        return r;
    }

    /// <summary>A parameter table as a dense [Rows, Width] array in id order.</summary>
    public static float[] Dense(GraphSampling.Runtime.Buffers.ParameterTable table)
    {
        var dense = new float[table.Rows * table.Width];
        table.CopyToIdOrder(dense);
        return dense;
    }
}
