using System;
using System.Collections.Generic;
using GraphSampling.Ir;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Reference;

namespace GraphSampling.Numerics.Tests;

/// <summary>
/// Feeds one set of float-rounded data to a generated program and to the reference interpreter (double, op by op,
/// with its own backward), then compares output and every gradient.
/// </summary>
internal sealed class ReferenceCase
{
    private readonly ReferenceInterpreter _reference;
    private readonly ReferenceFeeds _feeds = new ReferenceFeeds();
    private readonly Random _rng;

    public ReferenceCase(IrGraph graph, int seed)
    {
        _reference = new ReferenceInterpreter(graph);
        _rng = new Random(seed);
    }

    public Random Rng => _rng;

    public float[] Floats(string name, int n, double scale = 1.0)
    {
        var v = Close.Random(_rng, n, scale);
        _feeds.Float(name, Close.ToDouble(v));
        return v;
    }

    public float[] Positive(string name, int n)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(0.2 + _rng.NextDouble());
        _feeds.Float(name, Close.ToDouble(v));
        return v;
    }

    public float[] Given(string name, float[] v)
    {
        _feeds.Float(name, Close.ToDouble(v));
        return v;
    }

    public long[] Ids(string name, int n, int bound)
    {
        var v = Close.Ids(_rng, n, bound);
        _feeds.Int(name, v);
        return v;
    }

    public long[] GivenIds(string name, long[] v)
    {
        _feeds.Int(name, v);
        return v;
    }

    /// <summary>Random values for a parameter table, loaded into the program and fed to the reference in id order.</summary>
    public void Table(ParameterTable table, double scale = 0.5)
    {
        var v = Close.Random(_rng, table.Rows * table.Width, scale);
        table.CopyFromIdOrder(v);
        _feeds.Float(table.Name, Close.ToDouble(v));
    }

    public ReferenceResult Run(int batch, float[]? outputGradient) =>
        _reference.Run(_feeds, batch, outputGradient == null ? null : Close.ToDouble(outputGradient));

    /// <summary>Compares a sparse gradient with the reference's dense one, and its ids with the rows the reference touched.</summary>
    public static void SparseGradient(ReferenceResult expected, SparseRowGradient actual)
    {
        var dense = new float[actual.TableRows * actual.Width];
        actual.CopyToDense(dense);
        Close.Gradient(expected.Gradient(actual.Name)!, dense, "gradient of " + actual.Name);
        var ids = new List<long>(expected.TouchedRows(actual.Name));
        Xunit.Assert.Equal(ids.ToArray(), actual.Ids.ToArray());
    }

    public static void DenseGradient(ReferenceResult expected, string name, ReadOnlySpan<float> actual) =>
        Close.Gradient(expected.Gradient(name)!, actual, "gradient of " + name);
}
