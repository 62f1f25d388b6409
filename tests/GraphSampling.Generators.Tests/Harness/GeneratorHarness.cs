using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace GraphSampling.Generators.Tests.Harness
{
    /// <summary>What one generator run produced.</summary>
    internal sealed record GeneratorRun(
        CSharpCompilation Input,
        Compilation Output,
        GeneratorDriver Driver,
        GeneratorDriverRunResult Result,
        ImmutableArray<Diagnostic> Diagnostics)
    {
        /// <summary>(hint name, text) of every generated file, ordered by hint name.</summary>
        public ImmutableArray<(string HintName, string Text)> Files =>
            Result.Results.SelectMany(r => r.GeneratedSources)
                .Select(s => (s.HintName, s.SourceText.ToString()))
                .OrderBy(f => f.HintName, System.StringComparer.Ordinal)
                .ToImmutableArray();
    }

    /// <summary>Runs the real <see cref="GraphGenerator"/> over C# source, with step tracking on, as the compiler would.</summary>
    internal static class GeneratorHarness
    {
        public static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview);

        public static CSharpCompilation CreateCompilation(string source, bool allowUnsafe = false, string path = "Graph.cs", bool gpu = false) =>
            CreateCompilation(new[] { CSharpSyntaxTree.ParseText(source, ParseOptions, path) }, allowUnsafe, gpu);

        /// <param name="gpu">Also reference GraphSampling.Runtime.Gpu (and ILGPU), which turns the GPU backend on.</param>
        public static CSharpCompilation CreateCompilation(SyntaxTree[] trees, bool allowUnsafe = false, bool gpu = false) =>
            CSharpCompilation.Create(
                "GraphSampling.Generators.Tests.Input",
                trees,
                gpu ? References.WithGpu : References.All,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: allowUnsafe, nullableContextOptions: NullableContextOptions.Enable));

        public static GeneratorDriver CreateDriver() =>
            CSharpGeneratorDriver.Create(
                new[] { new GraphGenerator().AsSourceGenerator() },
                parseOptions: ParseOptions,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

        /// <summary>
        /// Compiles <paramref name="source"/>, runs the generator and returns the output compilation, the run result and
        /// the generator's diagnostics. Unless <paramref name="expectDiagnostics"/> is set, asserts that the generator
        /// reported nothing and that the source plus the generated files compile without errors.
        /// </summary>
        public static GeneratorRun Run(string source, bool allowUnsafe = false, bool expectDiagnostics = false, bool gpu = false)
        {
            var input = CreateCompilation(source, allowUnsafe, gpu: gpu);
            AssertNoErrors(input, "the test's own source");
            var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics);
            var run = new GeneratorRun(input, output, driver, driver.GetRunResult(), diagnostics);
            if (!expectDiagnostics)
            {
                Assert.True(diagnostics.IsEmpty, "The generator reported diagnostics:\n" + Render(diagnostics));
                AssertNoErrors(output, "the output compilation (source + generated files)");
            }
            return run;
        }

        public static void AssertNoErrors(Compilation compilation, string what)
        {
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
            Assert.True(errors.IsEmpty, "Errors in " + what + ":\n" + Render(errors));
        }

        public static string Render(ImmutableArray<Diagnostic> diagnostics) =>
            string.Join("\n", diagnostics.Select(d =>
            {
                var span = d.Location.GetLineSpan();
                return (span.Path ?? "") + "(" + (span.StartLinePosition.Line + 1) + "," + (span.StartLinePosition.Character + 1) + "): "
                    + d.Id + " " + d.Severity + ": " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            }));
    }
}
