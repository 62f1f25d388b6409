using System;
using System.Collections.Generic;
using GraphSampling.Autodiff;
using GraphSampling.Ir;
using GraphSampling.Shapes;

namespace GraphSampling.Schema
{
    /// <summary>What kind of computation an op is: the planner groups by it, the emitters dispatch on it.</summary>
    public enum OpCategory
    {
        /// <summary>Input, Parameter, Constant: values a graph starts from.</summary>
        Leaf,
        /// <summary>One output element from the same element of each (broadcast) input.</summary>
        Elementwise,
        /// <summary>Sums or log-sum-exps over one axis.</summary>
        Reduction,
        /// <summary>Rows or slices picked by ids.</summary>
        Gather,
        MatMul,
        /// <summary>Moves or selects elements: concat, reshape, slice, sparse-to-dense, top-k, stop-gradient.</summary>
        Structural,
        /// <summary>Candidate samplers: stateful, drawn at the program's step.</summary>
        Sampler,
        /// <summary>Sampling helpers around a loss: accidental hits, fed sampled values, ragged labels' mask and targets.</summary>
        SamplingData,
        /// <summary>Cross-entropy kernels.</summary>
        Loss,
        /// <summary>Checked as one node, then lowered to primitives (CompositeLowering); no backend sees it.</summary>
        Composite,
        /// <summary>Created by autodiff only.</summary>
        Backward,
    }

    /// <summary>A constant attribute of an op: its IR name, its kind, and the DSL argument it is read from.</summary>
    public sealed class AttrSpec
    {
        public AttrSpec(string name, AttrKind kind, string? argument = null)
        {
            Name = name;
            Kind = kind;
            Argument = argument ?? name;
        }

        public string Name { get; }
        public AttrKind Kind { get; }
        public string Argument { get; }
    }

    /// <summary>Turns a DSL call's arguments into the node's inputs and attributes (for ops that need more than the
    /// generic mapping of <see cref="OpSchema.Inputs"/> and <see cref="OpSchema.Attributes"/>).</summary>
    public delegate void LoweringRule(OpCall call, List<ValueRef> inputs, List<OpAttribute> attributes);

    internal delegate TensorType[]? ShapeRule(ShapeInference.RuleContext context);

    internal delegate void GradientRule(Vjp vjp);

    /// <summary>
    /// Everything the pipeline knows about one op kind, in one place: its category, its inputs (by DSL argument name),
    /// its attributes, its outputs (by the property names of the C# result: <c>SampledValues.SampledCandidates</c>,
    /// <c>TopKResult.Indices</c>), whether gradients flow through it, its shape rule, its gradient rule, its lowering from
    /// a DSL call, and the backends that generate it. The parser, shape inference, autodiff, the planner, the analyzers
    /// and the emitters read it (<see cref="OpSchemas"/>) instead of switching on kinds.
    /// </summary>
    public sealed class OpSchema
    {
        internal OpSchema(OpKind kind, OpCategory category, string[] inputs, AttrSpec[] attributes, string[] outputs, bool differentiable,
            ShapeRule shape, GradientRule? gradient, LoweringRule? lowering, Backends backends)
        {
            Kind = kind;
            Category = category;
            Inputs = new EquatableArray<string>(inputs);
            Attributes = attributes;
            Outputs = new EquatableArray<string>(outputs);
            Differentiable = differentiable;
            Shape = shape;
            Gradient = gradient;
            Lowering = lowering;
            SupportedBackends = backends;
        }

        public OpKind Kind { get; }
        public OpCategory Category { get; }

        /// <summary>The DSL argument name of each input, in IR order (empty for variadic or custom-lowered ops).</summary>
        public EquatableArray<string> Inputs { get; }

        /// <summary>The attributes the generic lowering reads (custom lowerings add their own).</summary>
        public IReadOnlyList<AttrSpec> Attributes { get; }

        /// <summary>The outputs, by the property names of the C# result type ("Value" for a plain tensor).</summary>
        public EquatableArray<string> Outputs { get; }

        /// <summary>Whether gradients flow from the outputs to the float inputs.</summary>
        public bool Differentiable { get; }

        /// <summary>Users declare it with a <c>[GraphOp]</c> method (autodiff creates the others).</summary>
        public bool UserFacing => Category != OpCategory.Backward;

        public bool IsComposite => Category == OpCategory.Composite;
        public bool IsSampler => Category == OpCategory.Sampler;

        /// <summary>The backends that generate this op.</summary>
        public Backends SupportedBackends { get; }

        internal ShapeRule Shape { get; }
        internal GradientRule? Gradient { get; }
        internal LoweringRule? Lowering { get; }

        /// <summary>The index of the output a C# result property names, or -1.</summary>
        public int OutputIndex(string property)
        {
            for (int i = 0; i < Outputs.Count; i++)
            {
                if (Outputs[i] == property) return i;
            }
            return -1;
        }

        public override string ToString() => Kind + " (" + Category + ")";
    }

    /// <summary>The code generators. An op a graph uses must be supported by the backend that emits it.</summary>
    [Flags]
    public enum Backends
    {
        None = 0,
        Cpu = 1,
        /// <summary>The ILGPU backend (GpuProgram), generated only when the compilation references GraphSampling.Runtime.Gpu.</summary>
        Gpu = 2,
    }
}
