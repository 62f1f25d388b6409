using BenchmarkDotNet.Running;

namespace GraphSampling.Benchmarks;

/// <summary>Runs the benchmarks chosen on the command line, e.g. <c>-- --filter '*MatMul*'</c>.</summary>
public static class Program
{
    /// <summary><c>steps [workload ...]</c> times whole training steps for bench/compare.sh; anything else goes to
    /// BenchmarkDotNet.</summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "steps")
        {
            Steps.StepRunner.Run(args[1..]);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
