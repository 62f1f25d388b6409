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
        public IrGraph(EquatableArray<IrNode> nodes, ValueRef output) : this(nodes, output, EquatableArray<NamedOutput>.Empty)
        {
        }

        /// <param name="nodes">The nodes in SSA order (each reads only earlier ones).</param>
        /// <param name="output">The first output.</param>
        /// <param name="extraOutputs">Outputs beyond the first (a Define returning a tuple); the first is the one
        /// ForwardBackward differentiates, the extras are only computed.</param>
        /// <param name="outputName">The first output's name (its span parameter): "output" for a single-output graph.</param>
        public IrGraph(EquatableArray<IrNode> nodes, ValueRef output, EquatableArray<NamedOutput> extraOutputs, string outputName = DefaultOutputName)
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
            ExtraOutputs = extraOutputs;
            OutputName = outputName;
        }

        /// <summary>The name of a single output's span parameter.</summary>
        public const string DefaultOutputName = "output";

        public EquatableArray<IrNode> Nodes { get; }

        /// <summary>The first output: the loss ForwardBackward differentiates.</summary>
        public ValueRef Output { get; }

        /// <summary>The first output's name.</summary>
        public string OutputName { get; }

        /// <summary>Outputs after the first, in the order Define returns them: computed by every call, never differentiated.</summary>
        public EquatableArray<NamedOutput> ExtraOutputs { get; }

        /// <summary>Every output, the first included, in order.</summary>
        public IEnumerable<NamedOutput> AllOutputs
        {
            get
            {
                yield return new NamedOutput(OutputName, Output);
                foreach (var extra in ExtraOutputs) yield return extra;
            }
        }

        public IrNode this[int id] => Nodes[id];

        public bool Equals(IrGraph? other) => other is not null && Output.Equals(other.Output) && Nodes.Equals(other.Nodes)
            && ExtraOutputs.Equals(other.ExtraOutputs) && OutputName == other.OutputName;
        public override bool Equals(object? obj) => Equals(obj as IrGraph);
        public override int GetHashCode() => (Nodes.GetHashCode() * 31 + Output.GetHashCode()) * 31 + ExtraOutputs.GetHashCode();

        public override string ToString()
        {
            var sb = new StringBuilder();
            foreach (var n in Nodes) sb.Append(n).Append('\n');
            if (ExtraOutputs.Count == 0) return sb.Append("return ").Append(Output).ToString();
            sb.Append("return (");
            bool first = true;
            foreach (var o in AllOutputs)
            {
                sb.Append(first ? "" : ", ").Append(o.Name).Append(": ").Append(o.Value);
                first = false;
            }
            return sb.Append(')').ToString();
        }
    }

    /// <summary>One output of a graph: the name of its span parameter and its value.</summary>
    public readonly struct NamedOutput : IEquatable<NamedOutput>
    {
        public NamedOutput(string name, ValueRef value)
        {
            Name = name;
            Value = value;
        }

        public string Name { get; }
        public ValueRef Value { get; }

        public bool Equals(NamedOutput other) => Name == other.Name && Value.Equals(other.Value);
        public override bool Equals(object? obj) => obj is NamedOutput o && Equals(o);
        public override int GetHashCode() => (Name?.GetHashCode() ?? 0) * 31 + Value.GetHashCode();
        public override string ToString() => Name + ": " + Value;
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

        /// <summary>A graph with the outputs of <paramref name="like"/>, moved by <paramref name="map"/> (identity when null).</summary>
        public IrGraph Build(IrGraph like, Func<ValueRef, ValueRef>? map = null)
        {
            map ??= v => v;
            var extras = new NamedOutput[like.ExtraOutputs.Count];
            for (int i = 0; i < extras.Length; i++) extras[i] = new NamedOutput(like.ExtraOutputs[i].Name, map(like.ExtraOutputs[i].Value));
            return new IrGraph(new EquatableArray<IrNode>(_nodes.ToArray()), map(like.Output), new EquatableArray<NamedOutput>(extras), like.OutputName);
        }

        /// <summary>A graph with named outputs, the first differentiated.</summary>
        public IrGraph Build(IReadOnlyList<NamedOutput> outputs)
        {
            if (outputs.Count == 0) throw new ArgumentException("A graph needs at least one output.", nameof(outputs));
            var extras = new NamedOutput[outputs.Count - 1];
            for (int i = 1; i < outputs.Count; i++) extras[i - 1] = outputs[i];
            return new IrGraph(new EquatableArray<IrNode>(_nodes.ToArray()), outputs[0].Value, new EquatableArray<NamedOutput>(extras), outputs[0].Name);
        }
    }
}
