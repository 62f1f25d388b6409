using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using GraphSampling.Generators.Diagnostics;
using GraphSampling.Generators.FrontEnd;

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

            // Only the one fact the emitters need from the compilation, so edits elsewhere do not re-run emission.
            var allowUnsafe = context.CompilationProvider
                .Select(static (c, _) => c.Options is Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions o && o.AllowUnsafe);

            var outputs = planned
                .Combine(allowUnsafe)
                .Select(static (pair, ct) => EmitStage(pair.Left, pair.Right, ct))
                .WithTrackingName(TrackingNames.Emit);

            // Only for GS0001's help link (DiagnosticDescriptors.HelpFolderProperty).
            var helpFolder = context.AnalyzerConfigOptionsProvider.Select(static (o, _) => DiagnosticDescriptors.HelpFolder(o));

            context.RegisterSourceOutput(outputs.Combine(helpFolder), static (spc, pair) =>
            {
                var output = pair.Left;
                var failed = DiagnosticDescriptors.WithHelp(DiagnosticDescriptors.GeneratorFailed, pair.Right);
                if (output.Failure != null)
                {
                    spc.ReportDiagnostic(Diagnostic.Create(failed, Location.None, output.HintName, output.Failure));
                    return;
                }
                foreach (var file in output.Files)
                {
                    try
                    {
                        spc.AddSource(file.HintName, SourceText.From(file.Text, System.Text.Encoding.UTF8));
                    }
                    catch (System.ArgumentException e)
                    {
                        // A hint name the compiler refuses is our bug; it must read as GS0001, never as CS8785.
                        spc.ReportDiagnostic(Diagnostic.Create(failed, Location.None, output.HintName, e.Message));
                        return;
                    }
                }
            });
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
