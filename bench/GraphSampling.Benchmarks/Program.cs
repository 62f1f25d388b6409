using BenchmarkDotNet.Running;

namespace GraphSampling.Benchmarks;

/// <summary>Runs the benchmarks chosen on the command line, e.g. <c>-- --filter '*MatMul*'</c>.</summary>
public static class Program
{
    /// <summary><c>steps [workload ...]</c> times whole training steps for bench/compare.sh, <c>steps-cold workload</c> a
    /// fresh program's first 100 steps, <c>steps-loop workload seconds</c> steps for a profiler; anything else goes to
    /// BenchmarkDotNet.</summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "steps")
        {
            Steps.StepRunner.Run(args[1..]);
            return;
        }
        if (args.Length == 3 && args[0] == "steps-loop")
        {
            Steps.StepRunner.RunLoop(args[1], double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
            return;
        }
        if (args.Length == 2 && args[0] == "steps-cold")
        {
            Steps.StepRunner.RunCold(args[1]);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
