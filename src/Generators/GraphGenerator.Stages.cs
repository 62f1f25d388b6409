using System;
using System.Collections.Generic;
using System.Threading;
using GraphSampling.Autodiff;
using GraphSampling.Generators.Backends;
using GraphSampling.Generators.Emit;
using GraphSampling.Generators.FrontEnd;
using GraphSampling.Generators.Models;
using GraphSampling.Ir;
using GraphSampling.Lowering;
using GraphSampling.Planning;
using GraphSampling.Schema;
using GraphSampling.Shapes;

namespace GraphSampling.Generators
{
    // The stages after Parse, each a pure function of the one before (Roslyn-free except for the models). An exception
    // in a stage is the generator's bug: it becomes the stage's Failure, which GS0001 reports; OperationCanceledException
    // is the compiler's and passes through.
    public sealed partial class GraphGenerator
    {
        internal static LoweredStage LowerStage(GraphDeclarationSpec spec, CancellationToken ct)
        {
            // Errors in the declaration are the analyzers' to report, at the right argument; a parse that threw is ours.
            if (spec.Failure != null) return new LoweredStage(spec.Header, null, spec.Failure);
            if (spec.HasErrors) return new LoweredStage(spec.Header, null, null);
            return Guard(() =>
            {
                try
                {
                    return new LoweredStage(spec.Header, GraphFrontEnd.Lower(spec), null);
                }
                catch (GraphDeclarationException)
                {
                    return new LoweredStage(spec.Header, null, null);
                }
            }, failure => new LoweredStage(spec.Header, null, failure));
        }

        internal static InferredStage InferStage(LoweredStage lowered, CancellationToken ct)
        {
            if (lowered.Declared == null) return new InferredStage(lowered.Header, null, null, lowered.Failure);
            return Guard(() =>
            {
                var front = GraphLowering.Run(lowered.Declared);
                // A graph with shape errors generates nothing; one using an op no backend generates only its RecordGraph file.
                if (front.Lowered == null) return new InferredStage(lowered.Header, null, null, null);
                return new InferredStage(lowered.Header, lowered.Declared, AllGenerated(lowered.Declared) ? front.Lowered : null, null);
            }, failure => new InferredStage(lowered.Header, null, null, failure));
        }

        internal static DifferentiatedStage DifferentiateStage(InferredStage inferred, CancellationToken ct)
        {
            if (inferred.Lowered == null) return new DifferentiatedStage(inferred.Header, inferred.Declared, null, null, inferred.Failure);
            return Guard(() =>
            {
                ct.ThrowIfCancellationRequested();
                var gradients = GradientRules.Differentiate(inferred.Lowered);
                return new DifferentiatedStage(inferred.Header, inferred.Declared, inferred.Lowered, gradients.Targets.Count > 0 ? gradients : null, null);
            }, failure => new DifferentiatedStage(inferred.Header, null, null, null, failure));
        }

        internal static PlannedStage PlanStage(DifferentiatedStage differentiated, CancellationToken ct)
        {
            if (differentiated.Lowered == null) return new PlannedStage(differentiated.Header, differentiated.Declared, null, differentiated.Failure);
            return Guard(() =>
            {
                ct.ThrowIfCancellationRequested();
                return new PlannedStage(differentiated.Header, differentiated.Declared, ProgramPlan.Create(differentiated.Lowered, differentiated.Gradients), null);
            }, failure => new PlannedStage(differentiated.Header, null, null, failure));
        }

        internal static EmittedGraph EmitStage(PlannedStage planned, bool allowUnsafe, CancellationToken ct) =>
            EmitStage(planned, new CompilationFacts(allowUnsafe, false), ct);

        internal static EmittedGraph EmitStage(PlannedStage planned, CompilationFacts facts, CancellationToken ct)
        {
            string hint = planned.Header.HintName;
            if (planned.Failure != null) return new EmittedGraph(hint, EquatableArray<GeneratedSource>.Empty, planned.Failure);
            if (planned.Declared == null) return new EmittedGraph(hint, EquatableArray<GeneratedSource>.Empty, null);
            return Guard(() =>
            {
                var files = new List<GeneratedSource> { new GeneratedSource(hint + ".Graph.g.cs", GraphEmitter.Emit(planned.Header, planned.Declared, Version)) };
                // A plan over the size limit is the analyzer's GS2004; it gets no program.
                if (planned.Plan != null && planned.Plan.LimitError == null)
                {
                    var options = new EmitOptions(Version, facts.AllowUnsafe, facts.GpuRuntime);
                    foreach (var backend in BackendRegistry.All)
                    {
                        ct.ThrowIfCancellationRequested();
                        if (!Supports(backend.Target, planned.Plan.Graph) || !backend.CanEmit(planned.Plan, options)) continue;
                        files.Add(new GeneratedSource(hint + "." + backend.FileSuffix + ".g.cs", backend.Emit(planned.Header, planned.Plan, options)));
                    }
                }
                return new EmittedGraph(hint, new EquatableArray<GeneratedSource>(files.ToArray()), null);
            }, failure => new EmittedGraph(hint, EquatableArray<GeneratedSource>.Empty, failure));
        }

        private static bool AllGenerated(IrGraph declared)
        {
            foreach (var node in declared.Nodes)
            {
                if (!OpSchemas.IsGenerated(node.Kind)) return false;
            }
            return true;
        }

        private static bool Supports(Schema.Backends backend, IrGraph lowered)
        {
            foreach (var node in lowered.Nodes)
            {
                if (!OpSchemas.IsGenerated(node.Kind, backend)) return false;
            }
            return true;
        }

        private static T Guard<T>(Func<T> stage, Func<string, T> failed)
        {
            try
            {
                return stage();
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception e)
            {
                return failed(e.GetType().Name + ": " + e.Message);
            }
        }
    }
}
