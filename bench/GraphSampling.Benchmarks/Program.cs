using BenchmarkDotNet.Running;

namespace GraphSampling.Benchmarks
{
    /// <summary>Entry point: <c>dotnet run -c Release --project bench/GraphSampling.Benchmarks -- --filter '*Sampl*'</c>.</summary>
    public static class Program
    {
        public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
