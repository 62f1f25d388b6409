using System;
using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling.Runtime.Reference
{
    /// <summary>What one <see cref="ReferenceInterpreter.Run"/> computed: every forward value at its live shape, and the
    /// dense gradients of the leaves when a backward pass ran.</summary>
    public sealed class ReferenceResult
    {
        private readonly RefTensor[][] _values;
        private readonly IReadOnlyDictionary<string, LeafInfo> _leaves;
        private readonly double[]?[]? _gradients;
        private readonly IReadOnlyDictionary<string, SortedSet<long>> _touched;

        internal ReferenceResult(RefTensor[][] values, ValueRef output, IReadOnlyDictionary<string, LeafInfo> leaves,
            double[]?[]? gradients, IReadOnlyDictionary<string, SortedSet<long>> touched)
        {
            _values = values;
            _leaves = leaves;
            _gradients = gradients;
            _touched = touched;
            Output = Value(output);
            OutputShape = ShapeOf(output);
        }

        /// <summary>The graph's output, row-major, at its live shape (batch rows only). Int64 outputs are converted.</summary>
        public double[] Output { get; }

        /// <summary>The live shape of <see cref="Output"/>.</summary>
        public int[] OutputShape { get; }

        /// <summary>Whether a backward pass ran.</summary>
        public bool HasGradients => _gradients is not null;

        /// <summary>Any forward value, row-major (a copy; int64 values converted to double).</summary>
        public double[] Value(ValueRef v)
        {
            RefTensor t = Get(v);
            if (t.Floats is not null) return (double[])t.Floats.Clone();
            var ints = t.I;
            var r = new double[ints.Length];
            for (int i = 0; i < r.Length; i++) r[i] = ints[i];
            return r;
        }

        /// <summary>An int64 forward value, row-major (a copy).</summary>
        public long[] IntValue(ValueRef v)
        {
            RefTensor t = Get(v);
            return t.Ints is not null ? (long[])t.Ints.Clone() : throw new ArgumentException("Value " + v + " is float, not int64.", nameof(v));
        }

        /// <summary>The live shape of a forward value.</summary>
        public int[] ShapeOf(ValueRef v) => (int[])Get(v).Shape.Clone();

        /// <summary>
        /// The dense gradient of the scalar Σ outputGradient·output with respect to a float Input (its live shape) or a
        /// Parameter (the full table in id order, zeros for rows nothing read). Null when no backward pass ran.
        /// </summary>
        public double[]? Gradient(string name)
        {
            LeafInfo leaf = Leaf(name);
            if (leaf.DType != DType.Float32) throw new ArgumentException("Input '" + name + "' is int64 and has no gradient.", nameof(name));
            if (_gradients is null) return null;
            double[]? g = _gradients[leaf.Node];
            return g is null ? new double[_values[leaf.Node][0].Size] : (double[])g.Clone();
        }

        /// <summary>The gradient of a Parameter split into its shards (spec 2.2, <see cref="ReferencePartition"/>), each
        /// row-major in local-row order. Null when no backward pass ran.</summary>
        public double[][]? GradientShards(string parameterName)
        {
            LeafInfo leaf = Leaf(parameterName);
            if (leaf.Kind != OpKind.Parameter) throw new ArgumentException("'" + parameterName + "' is not a Parameter.", nameof(parameterName));
            double[]? dense = Gradient(parameterName);
            return dense is null ? null : ReferencePartition.Split(dense, leaf.Rows, leaf.Cols, leaf.Shards, leaf.Partition);
        }

        /// <summary>The sorted unique ids read through any EmbeddingLookup of the Parameter: the rows a sparse gradient
        /// may touch.</summary>
        public IReadOnlyList<long> TouchedRows(string parameterName)
        {
            LeafInfo leaf = Leaf(parameterName);
            if (leaf.Kind != OpKind.Parameter) throw new ArgumentException("'" + parameterName + "' is not a Parameter.", nameof(parameterName));
            return _touched.TryGetValue(parameterName, out var set) ? new List<long>(set) : new List<long>();
        }

        private LeafInfo Leaf(string name)
        {
            ArgumentNullException.ThrowIfNull(name);
            return _leaves.TryGetValue(name, out var leaf) ? leaf : throw new ArgumentException("The graph has no Input or Parameter named '" + name + "'.", nameof(name));
        }

        private RefTensor Get(ValueRef v)
        {
            if (v.Node < 0 || v.Node >= _values.Length || v.Output < 0 || v.Output >= _values[v.Node].Length)
            {
                throw new ArgumentException("The graph has no value " + v + ".", nameof(v));
            }
            return _values[v.Node][v.Output];
        }
    }

    /// <summary>What the result needs to know about an Input or Parameter.</summary>
    internal sealed class LeafInfo
    {
        public LeafInfo(int node, OpKind kind, DType dtype, int rows, int cols, int shards, Partition partition)
        {
            Node = node;
            Kind = kind;
            DType = dtype;
            Rows = rows;
            Cols = cols;
            Shards = shards;
            Partition = partition;
        }

        public int Node { get; }
        public OpKind Kind { get; }
        public DType DType { get; }
        public int Rows { get; }
        public int Cols { get; }
        public int Shards { get; }
        public Partition Partition { get; }
    }
}
