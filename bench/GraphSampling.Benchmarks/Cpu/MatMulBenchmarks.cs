using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using GraphSampling.Runtime.Cpu;

namespace GraphSampling.Benchmarks.Cpu;

/// <summary>
/// The three products of one sampled-softmax training step (ARCHITECTURE 6) at B = 256, D = 512,
/// S = 8192 and at B = 128, D = 128, S = 64, reported in GFLOP/s (2mnk per product).
/// Run: <c>dotnet run -c Release --project bench/GraphSampling.Benchmarks -- --filter *MatMul*</c>.
/// </summary>
[Config(typeof(MatMulBenchmarkConfig))]
public class MatMulBenchmarks
{
    private float[] a = [];
    private float[] b = [];
    private float[] c = [];

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = Shapes()[0];

    public static GemmShape[] Shapes() =>
    [
        // logits = X [B, D] * W_s^T, with W_s stored [S, D].
        new("logits 256x8192x512", 256, 8192, 512, TransposeA: false, TransposeB: true),

        // dW_s = dZ^T [S, B] * X [B, D], with dZ stored [B, S].
        new("dW 8192x512x256", 8192, 512, 256, TransposeA: true, TransposeB: false),

        // dX = dZ [B, S] * W_s [S, D].
        new("dX 256x512x8192", 256, 512, 8192, TransposeA: false, TransposeB: false),
        new("logits 128x64x128", 128, 64, 128, TransposeA: false, TransposeB: true),
        new("dW 64x128x128", 64, 128, 128, TransposeA: true, TransposeB: false),
        new("dX 128x128x64", 128, 128, 64, TransposeA: false, TransposeB: false),
    ];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        a = Fill(new float[Shape.M * Shape.K], random);
        b = Fill(new float[Shape.K * Shape.N], random);
        c = new float[Shape.M * Shape.N];
    }

    [Benchmark]
    public void MatMul()
    {
        GemmShape s = Shape;
        Kernels.MatMul(a, s.TransposeA ? s.M : s.K, s.TransposeA, b, s.TransposeB ? s.K : s.N, s.TransposeB, c, s.N, s.M, s.N, s.K, accumulate: false);
    }

    private static float[] Fill(float[] values, Random random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}

/// <summary>One GEMM shape: op(A) is [M, K], op(B) is [K, N].</summary>
public sealed record GemmShape(string Name, int M, int N, int K, bool TransposeA, bool TransposeB)
{
    public double Flops => 2.0 * M * N * K;

    public override string ToString() => Name;
}

/// <summary>Short job (the numbers are for comparison, not publication) plus a GFLOP/s column.</summary>
public sealed class MatMulBenchmarkConfig : ManualConfig
{
    public MatMulBenchmarkConfig()
    {
        AddJob(Job.ShortRun);
        AddColumn(new GflopsColumn());
    }
}

/// <summary>GFLOP/s from the mean time of a case whose <c>Shape</c> parameter is a <see cref="GemmShape"/>.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Floating-point operations (2mnk) per nanosecond of mean time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        BenchmarkReport? report = summary[benchmarkCase];
        if (report?.ResultStatistics is null || benchmarkCase.Parameters["Shape"] is not GemmShape shape)
        {
            return "-";
        }

        return (shape.Flops / report.ResultStatistics.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
