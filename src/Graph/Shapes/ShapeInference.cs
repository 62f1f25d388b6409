using System;
using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling.Shapes
{
    /// <summary>Output types of every node, or the errors that stop inference. Two typed graphs are equal when their
    /// graphs are: inference is a pure function of the graph (so incremental steps can stop at an equal result).</summary>
    public sealed class TypedGraph : IEquatable<TypedGraph>
    {
        internal TypedGraph(IrGraph graph, TensorType[][] types, List<ShapeError> errors)
        {
            Graph = graph;
            _types = types;
            Errors = errors;
        }

        private readonly TensorType[][] _types;

        public IrGraph Graph { get; }
        public IReadOnlyList<ShapeError> Errors { get; }
        public bool Succeeded => Errors.Count == 0;

        public TensorType TypeOf(ValueRef v) => _types[v.Node][v.Output];
        public TensorType TypeOf(int node) => _types[node][0];
        public int OutputCount(int node) => _types[node].Length;
        public TensorType OutputType => TypeOf(Graph.Output);

        public bool Equals(TypedGraph? other) => other is not null && Graph.Equals(other.Graph);
        public override bool Equals(object? obj) => Equals(obj as TypedGraph);
        public override int GetHashCode() => Graph.GetHashCode();
    }

    /// <summary>
    /// Shape and dtype inference, one rule per op kind (ShapeRules.*.cs). The generator, the analyzers, the runtime
    /// recorder and the tests all call this one implementation. Inference stops at the first node with an error,
    /// since every later shape would be a guess.
    /// </summary>
    public static partial class ShapeInference
    {
        public static TypedGraph Infer(IrGraph graph)
        {
            var types = new TensorType[graph.Nodes.Count][];
            var errors = new List<ShapeError>();
            int batch = 0;
            for (int i = 0; i < graph.Nodes.Count; i++)
            {
                var ctx = new RuleContext(graph, graph.Nodes[i], types, errors);
                TensorType[]? outputs = FloatAttributesFit(ctx) ? InferNode(ctx) : null;
                if (outputs == null || errors.Count > 0)
                {
                    if (errors.Count == 0) ctx.Error(ShapeErrorIds.InvalidAttribute, "kind", graph.Nodes[i].Kind + " has no shape rule.");
                    return new TypedGraph(graph, types, errors);
                }
                types[i] = outputs;
                if (!WithinLimits(ctx, outputs)) return new TypedGraph(graph, types, errors);
                foreach (var t in outputs)
                {
                    if (!t.Shape.Batched) continue;
                    if (batch == 0) batch = t.Shape[0];
                    else if (t.Shape[0] != batch)
                    {
                        ctx.Error(ShapeErrorIds.BatchDimension, "batch", "the batch is " + t.Shape[0] + " here but " + batch + " elsewhere; every batched value shares one batch size.");
                        return new TypedGraph(graph, types, errors);
                    }
                }
            }
            var output = types[graph.Output.Node][graph.Output.Output];
            if (output.DType != DType.Float32)
            {
                errors.Add(new ShapeError(ShapeErrorIds.DTypeMismatch, graph.Output.Node, "return", "The graph must return a float tensor (a loss or logits), but returns " + output + "."));
                return new TypedGraph(graph, types, errors);
            }
            // The names the program would take from the graph must not collide (GS1006).
            Naming.ProgramNames.Check(graph, errors);
            return new TypedGraph(graph, types, errors);
        }

        /// <summary>What a rule sees: the node, its input types, and a way to report errors by argument name.</summary>
        internal sealed class RuleContext
        {
            private readonly TensorType[][] _types;
            private readonly List<ShapeError> _errors;

            public RuleContext(IrGraph graph, IrNode node, TensorType[][] types, List<ShapeError> errors)
            {
                Graph = graph;
                Node = node;
                _types = types;
                _errors = errors;
            }

            public IrGraph Graph { get; }
            public IrNode Node { get; }
            public OpAttributes Attrs => Node.Attributes;

            public TensorType In(int i) => TypeOf(Node.Inputs[i]);

            /// <summary>The type of any earlier value.</summary>
            public TensorType TypeOf(ValueRef v) => _types[v.Node][v.Output];

            public IrNode Producer(int i) => Graph.Nodes[Node.Inputs[i].Node];

            /// <summary>How messages name a value: the user's variable when there is one.</summary>
            public string NameOf(int i) => Producer(i).DisplayName;

            public string OpLabel => Node.Kind + (Node.Name != null ? " '" + Node.Name + "'" : "");

            public TensorType[]? Error(string id, string argument, string message)
            {
                _errors.Add(new ShapeError(id, Node.Id, argument, OpLabel + ": " + message));
                return null;
            }

            /// <summary>An error with the one-argument fix that resolves it (offered by a code fix).</summary>
            public TensorType[]? ErrorWithFix(string id, string argument, string message, string fixArgument, string fixValue)
            {
                _errors.Add(new ShapeError(id, Node.Id, argument, OpLabel + ": " + message, fixArgument, fixValue));
                return null;
            }

            public bool ExpectDType(int input, DType dtype, string argument)
            {
                if (In(input).DType == dtype) return true;
                Error(ShapeErrorIds.DTypeMismatch, argument, "'" + NameOf(input) + "' must be " + DTypeNames.CSharpName(dtype) + " but is " + In(input) + ".");
                return false;
            }

            public bool ExpectRank(int input, int rank, string argument)
            {
                if (In(input).Shape.Rank == rank) return true;
                Error(ShapeErrorIds.RankMismatch, argument, "'" + NameOf(input) + "' must have rank " + rank + " but is " + In(input).Shape + ".");
                return false;
            }

            public int NormalizeAxis(int rank, string argument)
            {
                long axis = Attrs.Int("axis");
                if (axis < -rank || axis >= rank)
                {
                    Error(ShapeErrorIds.InvalidAttribute, argument, "axis " + axis + " is outside [" + (-rank) + ", " + rank + ").");
                    return -1;
                }
                return (int)(axis < 0 ? axis + rank : axis);
            }
        }

        internal static TensorType Float(Shape s) => new TensorType(DType.Float32, s);
        internal static TensorType Long(Shape s) => new TensorType(DType.Int64, s);
    }
}
