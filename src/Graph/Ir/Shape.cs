using System;
using System.Text;

namespace GraphSampling.Ir
{
    /// <summary>
    /// A static shape. When <see cref="Batched"/> is set, dimension 0 is the batch: its value is the capacity declared
    /// in the graph, and a call may run any batch size from 0 up to it. Only dimension 0 can be the batch.
    /// </summary>
    public sealed class Shape : IEquatable<Shape>
    {
        public Shape(EquatableArray<int> dims, bool batched)
        {
            if (batched && dims.Count == 0) throw new ArgumentException("A scalar cannot be batched.", nameof(batched));
            Dims = dims;
            Batched = batched;
        }

        public static Shape Of(bool batched, params int[] dims) => new Shape(EquatableArray.Create(dims), batched);

        public static readonly Shape Scalar = new Shape(EquatableArray<int>.Empty, false);

        public EquatableArray<int> Dims { get; }
        public bool Batched { get; }
        public int Rank => Dims.Count;
        public int this[int axis] => Dims[axis];

        /// <summary>Element count at full capacity.</summary>
        public long Capacity
        {
            get
            {
                // Saturates instead of wrapping, so an absurd shape reads as too large rather than as small.
                long n = 1;
                foreach (int d in Dims)
                {
                    if (d > 0 && n > long.MaxValue / d) return long.MaxValue;
                    n *= d;
                }
                return n;
            }
        }

        /// <summary>Elements per row: the product of dims 1.. (1 for rank 0 or 1). For a table, its row width.</summary>
        public long RowSize
        {
            get
            {
                long n = 1;
                for (int i = 1; i < Rank; i++) n *= Dims[i];
                return n;
            }
        }

        public bool Equals(Shape? other) => other is not null && Batched == other.Batched && Dims.Equals(other.Dims);
        public override bool Equals(object? obj) => Equals(obj as Shape);
        public override int GetHashCode() => Dims.GetHashCode() * 2 + (Batched ? 1 : 0);

        /// <summary>Renders like <c>[B=128, 64]</c>; the batch dim is marked so messages say which dim varies.</summary>
        public override string ToString()
        {
            var sb = new StringBuilder("[");
            for (int i = 0; i < Rank; i++)
            {
                if (i > 0) sb.Append(", ");
                if (i == 0 && Batched) sb.Append("B=");
                sb.Append(Dims[i]);
            }
            return sb.Append(']').ToString();
        }
    }

    /// <summary>Dtype and shape of one value.</summary>
    public sealed class TensorType : IEquatable<TensorType>
    {
        public TensorType(DType dtype, Shape shape)
        {
            DType = dtype;
            Shape = shape;
        }

        public DType DType { get; }
        public Shape Shape { get; }

        public bool Equals(TensorType? other) => other is not null && DType == other.DType && Shape.Equals(other.Shape);
        public override bool Equals(object? obj) => Equals(obj as TensorType);
        public override int GetHashCode() => Shape.GetHashCode() * 3 + (int)DType;
        public override string ToString() => DTypeNames.CSharpName(DType) + Shape;
    }
}
