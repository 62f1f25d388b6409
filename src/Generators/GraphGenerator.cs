using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using GraphSampling.Generators.Diagnostics;
using GraphSampling.Generators.FrontEnd;
using GraphSampling.Generators.Models;

namespace GraphSampling.Generators
{
    /// <summary>
    /// Turns each [ComputationGraph] class into generated programs, in six incremental steps with tracking names:
    /// Parse (symbols to an equatable spec, <see cref="GraphFrontEnd"/>), Lower (spec to IR), Infer (shape inference,
    /// composite lowering, inference again), Autodiff, Plan, and Emit (the RecordGraph file and one file per backend).
    /// Every step after Parse is Roslyn-free and shared with the analyzers and the runtime; each result is equatable, so an
    /// edit that leaves a graph unchanged stops at the first equal one. Users see errors from the analyzers, which run the
    /// same front end with source locations; a graph with errors generates no program.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed partial class GraphGenerator : IIncrementalGenerator
    {
        internal const string AttributeName = "GraphSampling.ComputationGraphAttribute";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var specs = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    AttributeName,
                    static (node, _) => node is ClassDeclarationSyntax,
                    static (ctx, ct) => GraphFrontEnd.ParseForGenerator(ctx.TargetNode, (INamedTypeSymbol)ctx.TargetSymbol, ctx.SemanticModel, ct))
                .Where(static spec => spec != null)
                .Select(static (spec, _) => spec!)
                .WithTrackingName(TrackingNames.Parse);

            var lowered = specs.Select(static (spec, ct) => LowerStage(spec, ct)).WithTrackingName(TrackingNames.Lower);
            var inferred = lowered.Select(static (stage, ct) => InferStage(stage, ct)).WithTrackingName(TrackingNames.Infer);
            var differentiated = inferred.Select(static (stage, ct) => DifferentiateStage(stage, ct)).WithTrackingName(TrackingNames.Autodiff);
            var planned = differentiated.Select(static (stage, ct) => PlanStage(stage, ct)).WithTrackingName(TrackingNames.Plan);

            // Only the two facts the emitters need from the compilation (an equatable pair), so edits elsewhere do not
            // re-run emission: whether unsafe code is allowed, and whether the GPU runtime is referenced (the GPU file
            // is written only then, so projects without it see no change).
            var compilationFacts = context.CompilationProvider
                .Select(static (c, _) => new CompilationFacts(
                    c.Options is Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions o && o.AllowUnsafe,
                    ReferencesGpuRuntime(c)));

            var outputs = planned
                .Combine(compilationFacts)
                .Select(static (pair, ct) => EmitStage(pair.Left, pair.Right, ct))
                .WithTrackingName(TrackingNames.Emit);

            // Only for GS0001's help link (DiagnosticDescriptors.HelpFolderProperty).
            var helpFolder = context.AnalyzerConfigOptionsProvider.Select(static (o, _) => DiagnosticDescriptors.HelpFolder(o));

            // All graphs' files in one output: hint names must be unique ignoring case (the compiler compares them so),
            // which one graph's name cannot know; the second of two names that differ only in case gets a suffix.
            context.RegisterSourceOutput(outputs.Collect().Combine(helpFolder), static (spc, pair) =>
            {
                var failed = DiagnosticDescriptors.WithHelp(DiagnosticDescriptors.GeneratorFailed, pair.Right);
                var taken = new System.Collections.Generic.HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
                foreach (var output in pair.Left)
                {
                    if (output.Failure != null)
                    {
                        spc.ReportDiagnostic(Diagnostic.Create(failed, Location.None, output.HintName, output.Failure));
                        continue;
                    }
                    foreach (var file in output.Files)
                    {
                        string hint = file.HintName;
                        if (!taken.Add(hint)) taken.Add(hint = CaseDistinctHint(hint));
                        try
                        {
                            spc.AddSource(hint, SourceText.From(file.Text, System.Text.Encoding.UTF8));
                        }
                        catch (System.ArgumentException e)
                        {
                            // A hint name the compiler refuses is our bug; it must read as GS0001, never as CS8785.
                            spc.ReportDiagnostic(Diagnostic.Create(failed, Location.None, output.HintName, e.Message));
                            break;
                        }
                    }
                }
            });
        }

        /// <summary>The assembly whose reference turns the GPU backend on (GpuProgram calls into it).</summary>
        internal const string GpuRuntimeAssembly = "GraphSampling.Runtime.Gpu";

        private static bool ReferencesGpuRuntime(Compilation compilation)
        {
            foreach (var identity in compilation.ReferencedAssemblyNames)
            {
                if (string.Equals(identity.Name, GpuRuntimeAssembly, System.StringComparison.Ordinal)) return true;
            }
            return false;
        }

        /// <summary>"model.Graph.g.cs" becomes "model.Graph_{hash}.g.cs", the hash of the exact (case-sensitive) name.</summary>
        internal static string CaseDistinctHint(string hint)
        {
            string suffix = "_" + GraphParser.StableHash(hint);
            const string extension = ".g.cs";
            return hint.EndsWith(extension, System.StringComparison.Ordinal) ? hint.Substring(0, hint.Length - extension.Length) + suffix + extension : hint + suffix;
        }

        internal static string Version
        {
            get
            {
                var v = typeof(GraphGenerator).Assembly.GetName().Version ?? new System.Version(0, 0, 0);
                return v.Major + "." + v.Minor + "." + v.Build;
            }
        }
    }
}
