using System;
using System.Threading;
using GraphSampling.Autodiff;
using GraphSampling.Generators.Emit;
using GraphSampling.Generators.Models;
using GraphSampling.Ir;
using GraphSampling.Lowering;
using GraphSampling.Planning;
using GraphSampling.Shapes;

namespace GraphSampling.Generators
{
    /// <summary>The generated text for one graph (or why there is none), equatable so unchanged graphs stay cached.</summary>
    internal sealed record EmittedGraph(string HintName, string? GraphSource, string? CpuSource, string? Failure);

    public sealed partial class GraphGenerator
    {
        /// <summary>Spec -> IR through the same lowering the runtime recorder uses.</summary>
        internal static IrGraph Lower(GraphDeclarationSpec spec)
        {
            var builder = new IrGraphBuilder();
            foreach (var op in spec.Ops)
            {
                var call = new OpCall(op.Kind, op.ResultName);
                foreach (var arg in op.Args) call.With(arg.Name, arg.Value);
                OpLowering.Lower(builder, call);
            }
            return builder.Build(new ValueRef(spec.OutputOp, spec.OutputIndex));
        }

        internal static EmittedGraph Build(GraphDeclarationSpec spec, bool allowUnsafe, CancellationToken ct)
        {
            // Errors in the declaration are the analyzers' to report, at the right argument.
            if (spec.HasErrors) return new EmittedGraph(spec.HintName, null, null, null);
            try
            {
                IrGraph graph;
                try
                {
                    graph = Lower(spec);
                }
                catch (GraphDeclarationException)
                {
                    return new EmittedGraph(spec.HintName, null, null, null);
                }
                ct.ThrowIfCancellationRequested();
                var front = GraphFrontEnd.Run(graph);
                if (front.Lowered == null) return new EmittedGraph(spec.HintName, null, null, null);
                var typed = front.Lowered;
                string graphSource = GraphEmitter.Emit(spec, Version);
                ct.ThrowIfCancellationRequested();
                var gradients = GradientRules.Differentiate(typed);
                var plan = ProgramPlan.Create(typed, gradients.Targets.Count > 0 ? gradients : null);
                ct.ThrowIfCancellationRequested();
                return new EmittedGraph(spec.HintName, graphSource, new CpuEmitter(spec, plan, Version, allowUnsafe).Emit(), null);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception e)
            {
                return new EmittedGraph(spec.HintName, null, null, e.GetType().Name + ": " + e.Message);
            }
        }
    }
}
