using System;
using GraphSampling.Ir;
using GraphSampling.Shapes;

namespace GraphSampling.Lowering
{
    /// <summary>The declared graph checked, then lowered to primitives and checked again.</summary>
    public sealed class FrontEndResult
    {
        public FrontEndResult(TypedGraph declared, TypedGraph? lowered)
        {
            Declared = declared;
            Lowered = lowered;
        }

        /// <summary>The graph as the user declared it (composites as single nodes): its errors are the user's.</summary>
        public TypedGraph Declared { get; }

        /// <summary>The graph every backend consumes (only primitives); null when <see cref="Declared"/> has errors.</summary>
        public TypedGraph? Lowered { get; }
    }

    /// <summary>
    /// The shared front end after parsing or recording: shape inference on the declared graph (errors are reported at
    /// the user's arguments), composite lowering, and inference on the lowered graph. The generator, the analyzers and
    /// the tests all go through here.
    /// </summary>
    public static class GraphLowering
    {
        public static FrontEndResult Run(IrGraph declared)
        {
            var typed = ShapeInference.Infer(declared);
            if (!typed.Succeeded) return new FrontEndResult(typed, null);
            if (!CompositeLowering.HasComposites(declared)) return new FrontEndResult(typed, typed);
            var lowered = ShapeInference.Infer(CompositeLowering.Lower(typed));
            if (!lowered.Succeeded)
            {
                // The composite's own rule accepted it, so this is a bug in the lowering, not in the user's graph.
                throw new InvalidOperationException("Lowering the composite losses produced an ill-shaped graph: " + lowered.Errors[0]);
            }
            return new FrontEndResult(typed, lowered);
        }
    }
}
