using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using GraphSampling.Runtime.Cpu;

namespace GraphSampling.Benchmarks.Cpu;

/// <summary>
/// The element-wise work around the logits of one step at B = 256, S = 8192: the row-wise
/// log-sum-exp, an exp map and a row-broadcast subtract (the softmax gradient's shape).
/// </summary>
[Config(typeof(ShortRunConfig))]
public class SoftmaxKernelBenchmarks
{
    private const int Rows = 256;
    private const int Cols = 8192;
    private float[] logits = [];
    private float[] scratch = [];
    private float[] rowValues = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        logits = new float[Rows * Cols];
        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)((random.NextDouble() * 20) - 10);
        }

        scratch = new float[Rows * Cols];
        rowValues = new float[Rows];
    }

    [Benchmark]
    public void LogSumExpRows() => Kernels.LogSumExpRows(logits, rowValues, Rows, Cols);

    [Benchmark]
    public void MapExp() => Kernels.Map<ExpOperator>(logits, scratch);

    [Benchmark]
    public void MapColumnBroadcastSubtract() => Kernels.MapColumnBroadcast<SubtractOperator>(logits, rowValues, scratch, Rows, Cols);
}

/// <summary>Short job: these numbers are for comparison between changes, not publication.</summary>
public sealed class ShortRunConfig : ManualConfig
{
    public ShortRunConfig() => AddJob(Job.ShortRun);
}
