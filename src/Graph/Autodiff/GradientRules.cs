using System;
using System.Collections.Generic;
using GraphSampling.Ir;
using GraphSampling.Shapes;

namespace GraphSampling.Autodiff
{
    /// <summary>
    /// Reverse-mode differentiation over the IR: walks the forward nodes backwards and appends, per node, the nodes
    /// that compute its inputs' gradients (the vector-Jacobian product rules, GradientRules.*.cs). Gradients that
    /// reach one value from several uses are summed with AddN. Only values on a path from a float Input or a Parameter
    /// to the output get gradients.
    /// </summary>
    public static partial class GradientRules
    {
        /// <summary>Name of the internal input that carries the upstream gradient of the graph's output.</summary>
        public const string SeedName = "__outputGradient";

        public static GradientGraph Differentiate(TypedGraph forward)
        {
            if (!forward.Succeeded) throw new InvalidOperationException("Cannot differentiate a graph with shape errors.");
            var graph = forward.Graph;
            int n = graph.Nodes.Count;
            bool[] needs = DependsOnTrainable(forward);
            bool[] reaches = ReachesOutput(graph);

            var b = new Builder(forward);
            var outType = forward.TypeOf(graph.Output);
            var seed = b.Add(OpKind.Input, new ValueRef[0], OpAttributes.Of(
                OpAttribute.String("name", SeedName), OpAttribute.Int("dtype", (int)DType.Float32),
                OpAttribute.IntArray("dims", ToLong(outType.Shape.Dims)), OpAttribute.Bool("batched", outType.Shape.Batched),
                OpAttribute.Bool("internal", true)), "gradOutput");
            b.Accumulate(graph.Output, seed);

            for (int id = n - 1; id >= 0; id--)
            {
                var node = graph.Nodes[id];
                if (!needs[id] || !reaches[id] || node.Kind == OpKind.Input || node.Kind == OpKind.Parameter) continue;
                var g = b.Total(new ValueRef(id));
                if (g == null) continue;
                var rule = GraphSampling.Schema.OpSchemas.Of(node.Kind).Gradient
                    ?? throw new System.NotSupportedException(node.Kind + " has no gradient rule; it cannot be trained through.");
                rule(new Vjp(b, node, g.Value, needs));
            }

            var targets = new List<GradientTarget>();
            for (int id = 0; id < n; id++)
            {
                var node = graph.Nodes[id];
                bool trainable = node.Kind == OpKind.Parameter || (node.Kind == OpKind.Input && forward.TypeOf(id).DType == DType.Float32);
                if (!trainable || !reaches[id]) continue;
                var target = b.Finish(node);
                if (target != null) targets.Add(target);
            }
            return new GradientGraph(b.Infer(), n, seed, targets);
        }

        private static bool[] DependsOnTrainable(TypedGraph typed)
        {
            var graph = typed.Graph;
            var needs = new bool[graph.Nodes.Count];
            for (int i = 0; i < needs.Length; i++)
            {
                var node = graph.Nodes[i];
                if (node.Kind == OpKind.Parameter) needs[i] = true;
                else if (node.Kind == OpKind.Input) needs[i] = typed.TypeOf(i).DType == DType.Float32;
                else if (IsDifferentiable(node.Kind))
                {
                    foreach (var input in node.Inputs) needs[i] |= needs[input.Node];
                }
            }
            return needs;
        }

        private static bool[] ReachesOutput(IrGraph graph)
        {
            var reaches = new bool[graph.Nodes.Count];
            reaches[graph.Output.Node] = true;
            for (int i = graph.Nodes.Count - 1; i >= 0; i--)
            {
                if (!reaches[i]) continue;
                foreach (var input in graph.Nodes[i].Inputs) reaches[input.Node] = true;
            }
            return reaches;
        }

        /// <summary>Ops whose outputs carry gradient back to their float inputs (from the op schema).</summary>
        public static bool IsDifferentiable(OpKind kind) => GraphSampling.Schema.OpSchemas.TryGet(kind, out var s) && s.Differentiable;

        internal static long[] ToLong(EquatableArray<int> dims)
        {
            var r = new long[dims.Count];
            for (int i = 0; i < r.Length; i++) r[i] = dims[i];
            return r;
        }

        /// <summary>Backward-pass state: the graph being extended, and the gradient contributions per forward value.</summary>
        internal sealed class Builder
        {
            private readonly IrGraphBuilder _graph;
            private readonly Dictionary<ValueRef, List<ValueRef>> _grads = new Dictionary<ValueRef, List<ValueRef>>();
            private readonly Dictionary<int, List<ValueRef>> _lookupRows = new Dictionary<int, List<ValueRef>>();

            public Builder(TypedGraph forward)
            {
                Forward = forward;
                _graph = new IrGraphBuilder(forward.Graph);
            }

            public TypedGraph Forward { get; }

            /// <summary>Types of forward values; backward rules never need the types of the nodes they add.</summary>
            public TensorType TypeOf(ValueRef v) => Forward.TypeOf(v);

            public ValueRef Add(OpKind kind, ValueRef[] inputs, OpAttributes attrs, string? name)
            {
                return _graph.Add(kind, inputs, attrs, name);
            }

            /// <summary>The user's name for a value (an input's or parameter's name, or the variable), for readable gradients.</summary>
            public string NameOf(ValueRef v) => (v.Node < Forward.Graph.Nodes.Count ? Forward.Graph.Nodes[v.Node] : _graph[v.Node]).DisplayName;

            public void Accumulate(ValueRef target, ValueRef gradient)
            {
                if (!_grads.TryGetValue(target, out var list)) _grads[target] = list = new List<ValueRef>();
                list.Add(gradient);
            }

            /// <summary>Rows of an EmbeddingLookup's gradient, kept per parameter: (ids, rows) pairs.</summary>
            public void AccumulateRows(int parameter, ValueRef ids, ValueRef rows)
            {
                if (!_lookupRows.TryGetValue(parameter, out var list)) _lookupRows[parameter] = list = new List<ValueRef>();
                list.Add(ids);
                list.Add(rows);
            }

            /// <summary>The summed gradient of a value, or null when nothing flows into it.</summary>
            public ValueRef? Total(ValueRef v)
            {
                if (!_grads.TryGetValue(v, out var list)) return null;
                if (list.Count == 1) return list[0];
                return Add(OpKind.AddN, list.ToArray(), OpAttributes.None, "d_" + NameOf(v));
            }

            public GradientTarget? Finish(IrNode source)
            {
                string name = source.Attributes.String("name");
                var dense = Total(new ValueRef(source.Id));
                _lookupRows.TryGetValue(source.Id, out var rows);
                if (rows == null) return dense == null ? null : new GradientTarget(name, source.Id, dense.Value, sparse: false);
                var dims = OpAttribute.IntArray("dims", ToLong(Forward.TypeOf(source.Id).Shape.Dims));
                if (dense == null)
                {
                    var sparse = Add(OpKind.SparseRowGradient, rows.ToArray(), OpAttributes.Of(dims), "d_" + name);
                    return new GradientTarget(name, source.Id, sparse, sparse: true);
                }
                // Read both directly and through lookups: one node scatters every lookup's rows into the dense gradient.
                var inputs = new List<ValueRef> { dense.Value };
                inputs.AddRange(rows);
                var total = Add(OpKind.ScatterAddRows, inputs.ToArray(), OpAttributes.Of(dims), "d_" + name);
                return new GradientTarget(name, source.Id, total, sparse: false);
            }

            public TypedGraph Infer()
            {
                var typed = ShapeInference.Infer(_graph.Build(Forward.Graph));
                if (!typed.Succeeded) throw new InvalidOperationException("A gradient rule produced an ill-shaped node: " + typed.Errors[0]);
                return typed;
            }
        }
    }
}
