using System.Collections.Generic;
using GraphSampling.Ir;
using GraphSampling.Shapes;

namespace GraphSampling.Autodiff
{
    /// <summary>A gradient the backward pass produces for one Input or Parameter.</summary>
    public sealed class GradientTarget
    {
        public GradientTarget(string name, int source, ValueRef gradient, bool sparse)
        {
            Name = name;
            Source = source;
            Gradient = gradient;
            Sparse = sparse;
        }

        /// <summary>The Input's or Parameter's name.</summary>
        public string Name { get; }
        /// <summary>The Input or Parameter node.</summary>
        public int Source { get; }
        /// <summary>The gradient value: dense, or a <see cref="OpKind.SparseRowGradient"/> node when <see cref="Sparse"/>.</summary>
        public ValueRef Gradient { get; }
        /// <summary>True for a parameter read only through EmbeddingLookup: unique ids plus summed rows.</summary>
        public bool Sparse { get; }
    }

    /// <summary>
    /// The forward graph extended with backward nodes. Nodes [0, ForwardCount) are the forward pass; the rest compute
    /// gradients from <see cref="Seed"/>, the upstream gradient of the output (an internal Input node).
    /// </summary>
    public sealed class GradientGraph : System.IEquatable<GradientGraph>
    {
        public GradientGraph(TypedGraph typed, int forwardCount, ValueRef seed, IReadOnlyList<GradientTarget> targets)
        {
            Typed = typed;
            ForwardCount = forwardCount;
            Seed = seed;
            Targets = targets;
        }

        public TypedGraph Typed { get; }
        public IrGraph Graph => Typed.Graph;
        public int ForwardCount { get; }
        public ValueRef Seed { get; }
        public IReadOnlyList<GradientTarget> Targets { get; }

        /// <summary>Equal when the extended graphs are (differentiation is a pure function of the forward graph).</summary>
        public bool Equals(GradientGraph? other) => other is not null && ForwardCount == other.ForwardCount && Typed.Equals(other.Typed);
        public override bool Equals(object? obj) => Equals(obj as GradientGraph);
        public override int GetHashCode() => Typed.GetHashCode() * 31 + ForwardCount;
    }
}
