using System;
using System.Collections.Generic;
using System.Text;

namespace GraphSampling.Ir
{
    /// <summary>Reference to one output of one node: the SSA value name.</summary>
    public readonly struct ValueRef : IEquatable<ValueRef>
    {
        public ValueRef(int node, int output = 0)
        {
            Node = node;
            Output = output;
        }

        /// <summary>Index of the producing node in <see cref="IrGraph.Nodes"/> (its NodeId).</summary>
        public int Node { get; }
        public int Output { get; }

        public bool Equals(ValueRef other) => Node == other.Node && Output == other.Output;
        public override bool Equals(object? obj) => obj is ValueRef v && Equals(v);
        public override int GetHashCode() => Node * 8 + Output;
        public override string ToString() => Output == 0 ? "t" + Node : "t" + Node + "." + Output;
    }

    /// <summary>
    /// One SSA node. <see cref="Id"/> is its index in the graph; inputs refer only to earlier nodes, so node order is a
    /// valid schedule. <see cref="Name"/> is the user's variable name, kept for readable generated code and messages.
    /// </summary>
    public sealed class IrNode : IEquatable<IrNode>
    {
        public IrNode(int id, OpKind kind, EquatableArray<ValueRef> inputs, OpAttributes attributes, string? name)
        {
            Id = id;
            Kind = kind;
            Inputs = inputs;
            Attributes = attributes;
            Name = name;
        }

        public int Id { get; }
        public OpKind Kind { get; }
        public EquatableArray<ValueRef> Inputs { get; }
        public OpAttributes Attributes { get; }
        public string? Name { get; }

        /// <summary>How messages and generated code name this node's value: an Input's or Parameter's declared name, else
        /// the user's variable, else "t{id}".</summary>
        public string DisplayName =>
            Kind == OpKind.Input || Kind == OpKind.Parameter ? Attributes.String("name") : Name ?? "t" + Id;

        /// <summary>Same computation: kind, inputs and attributes. <see cref="Name"/> is presentation only and is not
        /// compared (the runtime recorder cannot know the user's local names; the generator can).</summary>
        public bool Equals(IrNode? other) =>
            other is not null && Id == other.Id && Kind == other.Kind && Inputs.Equals(other.Inputs)
            && Attributes.Equals(other.Attributes);

        public override bool Equals(object? obj) => Equals(obj as IrNode);
        public override int GetHashCode() => unchecked((Id * 397 + (int)Kind) * 397 + Inputs.GetHashCode());

        public override string ToString()
        {
            var sb = new StringBuilder();
            sb.Append('t').Append(Id);
            if (Name != null) sb.Append('_').Append(Name);
            sb.Append(" = ").Append(Kind).Append('(');
            sb.Append(string.Join(", ", Inputs));
            if (Attributes.Items.Count > 0)
            {
                if (Inputs.Count > 0) sb.Append("; ");
                sb.Append(Attributes);
            }
            return sb.Append(')').ToString();
        }
    }

    /// <summary>
    /// A graph: nodes in SSA order plus the value the user returned. Built either by lowering the generator's parsed
    /// declaration or by running <c>Define</c> with a recording GraphBuilder; both must give equal graphs.
    /// </summary>
    public sealed class IrGraph : IEquatable<IrGraph>
    {
        public IrGraph(EquatableArray<IrNode> nodes, ValueRef output)
        {
            for (int i = 0; i < nodes.Count; i++)
            {
                if (nodes[i].Id != i) throw new ArgumentException("Node ids must equal their index.");
                foreach (var input in nodes[i].Inputs)
                {
                    if (input.Node >= i) throw new ArgumentException("Node t" + i + " reads t" + input.Node + ", which is not defined before it.");
                }
            }
            Nodes = nodes;
            Output = output;
        }

        public EquatableArray<IrNode> Nodes { get; }
        public ValueRef Output { get; }

        public IrNode this[int id] => Nodes[id];

        public bool Equals(IrGraph? other) => other is not null && Output.Equals(other.Output) && Nodes.Equals(other.Nodes);
        public override bool Equals(object? obj) => Equals(obj as IrGraph);
        public override int GetHashCode() => Nodes.GetHashCode() * 31 + Output.GetHashCode();

        public override string ToString()
        {
            var sb = new StringBuilder();
            foreach (var n in Nodes) sb.Append(n).Append('\n');
            return sb.Append("return ").Append(Output).ToString();
        }
    }

    /// <summary>Appends nodes in SSA order; used by lowering, by the runtime recorder and by autodiff.</summary>
    public sealed class IrGraphBuilder
    {
        private readonly List<IrNode> _nodes = new List<IrNode>();

        public IrGraphBuilder() { }

        public IrGraphBuilder(IrGraph start)
        {
            _nodes.AddRange(start.Nodes);
        }

        public int Count => _nodes.Count;

        public IrNode this[int id] => _nodes[id];

        public ValueRef Add(OpKind kind, ValueRef[] inputs, OpAttributes attributes, string? name = null)
        {
            var node = new IrNode(_nodes.Count, kind, new EquatableArray<ValueRef>((ValueRef[])inputs.Clone()), attributes, name);
            _nodes.Add(node);
            return new ValueRef(node.Id);
        }

        public IrGraph Build(ValueRef output) => new IrGraph(new EquatableArray<IrNode>(_nodes.ToArray()), output);
    }
}
