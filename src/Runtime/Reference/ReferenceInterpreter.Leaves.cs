using System;
using GraphSampling.Ir;

namespace GraphSampling.Runtime.Reference
{
    // Input and Parameter: the leaves, fed by name.
    public sealed partial class ReferenceInterpreter
    {
        private static StaticType InferInput(IrNode node)
        {
            Inputs_None(node);
            string name = AttrString(node, "name");
            if (name.Length == 0) throw Invalid(node, "an Input needs a non-empty name.");
            long dtype = AttrInt(node, "dtype");
            if (dtype != (long)DType.Float32 && dtype != (long)DType.Int64) throw Invalid(node, "dtype " + dtype + " is not a DType.");
            int[] dims = AttrDims(node, "dims");
            bool batched = AttrBool(node, "batched");
            if (batched && dims.Length == 0) throw Invalid(node, "a scalar input cannot be batched.");
            return new StaticType((DType)dtype, dims, batched);
        }

        private static StaticType InferParameter(IrNode node)
        {
            Inputs_None(node);
            string name = AttrString(node, "name");
            if (name.Length == 0) throw Invalid(node, "a Parameter needs a non-empty name.");
            int[] dims = AttrDims(node, "dims");
            if (dims.Length != 1 && dims.Length != 2) throw Invalid(node, "a Parameter has rank 1 or 2, not " + dims.Format() + ".");
            if (dims[0] < 1) throw Invalid(node, "a Parameter needs at least one row.");
            long shards = AttrInt(node, "shards");
            if (shards < 1 || shards > int.MaxValue) throw Invalid(node, "shards must be >= 1 but is " + shards + ".");
            long partition = AttrInt(node, "partition");
            // Spec 2.2: with one shard the strategy is neither used nor validated.
            if (shards > 1)
            {
                if (partition != (long)Partition.Mod && partition != (long)Partition.Div) throw Invalid(node, "Unrecognized partition strategy: " + partition + ".");
                if (partition == (long)Partition.Div && dims[0] < shards) throw Invalid(node, "\"div\" partitioning of " + dims[0] + " rows over " + shards + " shards divides by zero (N < P).");
            }
            return new StaticType(DType.Float32, dims, false);
        }

        private void RegisterLeaf(IrNode node)
        {
            string name = LeafName(node);
            StaticType t = _types[node.Id][0];
            int rows = t.Rank == 0 ? 1 : t.Dims[0];
            int cols = t.Rank == 0 ? 1 : ShapeMath.Product(t.Dims, 1, t.Rank);
            int shards = 1;
            var partition = Partition.Div;
            if (node.Kind == OpKind.Parameter)
            {
                shards = (int)AttrInt(node, "shards");
                partition = shards > 1 ? (Partition)AttrInt(node, "partition") : Partition.Div;
            }
            var info = new LeafInfo(node.Id, node.Kind, t.DType, rows, cols, shards, partition);
            if (!_leaves.TryAdd(name, info)) throw Invalid(node, "the name '" + name + "' is already used by another Input or Parameter.");
        }

        private static void Inputs_None(IrNode node)
        {
            if (node.Inputs.Count != 0) throw Invalid(node, "a leaf takes no inputs but has " + node.Inputs.Count + ".");
        }

        private RefTensor ForwardInput(IrNode node, RunState s)
        {
            StaticType t = _types[node.Id][0];
            string name = LeafName(node);
            int[] shape = t.Live(s.Batch);
            int size = ShapeMath.Size(shape);
            if (t.DType == DType.Float32)
            {
                if (!s.Feeds.TryGetFloat(name, out double[] values))
                {
                    throw new ArgumentException(s.Feeds.TryGetInt(name, out _)
                        ? "Input '" + name + "' is float but was fed int64 values."
                        : "No value was fed for float input '" + name + "' " + shape.Format() + ".");
                }
                CheckLength(name, values.Length, size, shape);
                return new RefTensor(shape, (double[])values.Clone());
            }
            if (!s.Feeds.TryGetInt(name, out long[] ints))
            {
                throw new ArgumentException(s.Feeds.TryGetFloat(name, out _)
                    ? "Input '" + name + "' is int64 but was fed float values."
                    : "No value was fed for int64 input '" + name + "' " + shape.Format() + ".");
            }
            CheckLength(name, ints.Length, size, shape);
            return new RefTensor(shape, (long[])ints.Clone());
        }

        private RefTensor ForwardParameter(IrNode node, RunState s)
        {
            StaticType t = _types[node.Id][0];
            string name = LeafName(node);
            if (!s.Feeds.TryGetFloat(name, out double[] values))
            {
                throw new ArgumentException("No value was fed for parameter '" + name + "' " + t.Dims.Format() + " (the dense table in id order).");
            }
            CheckLength(name, values.Length, ShapeMath.Size(t.Dims), t.Dims);
            return new RefTensor((int[])t.Dims.Clone(), (double[])values.Clone());
        }

        private static void CheckLength(string name, int actual, int expected, int[] shape)
        {
            if (actual != expected)
            {
                throw new ArgumentException("'" + name + "' was fed " + actual + " values but its live shape " + shape.Format() + " holds " + expected + ".");
            }
        }
    }
}
