using System;
using System.Runtime.CompilerServices;

namespace GraphSampling.Runtime.Ops
{
    /// <summary>Concat and slice along one axis, as block copies: outer = product of the dims before the axis,
    /// and each block is (axis length x inner) floats.</summary>
    public static class Layout
    {
        /// <summary>Copies a [outer, block] source into columns [offset, offset + block) of a [outer, dstBlock] destination.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void CopyIn<T>(ReadOnlySpan<T> source, int outer, int block, Span<T> destination, int dstBlock, int offset)
        {
            for (int o = 0; o < outer; o++) source.Slice(o * block, block).CopyTo(destination.Slice(o * dstBlock + offset, block));
        }

        /// <summary>Repeats <paramref name="row"/> over <paramref name="destination"/> (a constant's values, per batch row).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void FillRows<T>(ReadOnlySpan<T> row, Span<T> destination)
        {
            if (row.Length == 0 || destination.Length % row.Length != 0)
            {
                throw new ArgumentException("The destination (" + destination.Length + ") is not a whole number of rows of " + row.Length + ".", nameof(destination));
            }
            for (int start = 0; start < destination.Length; start += row.Length) row.CopyTo(destination.Slice(start, row.Length));
        }

        /// <summary>Copies columns [offset, offset + block) of a [outer, srcBlock] source into a [outer, block] destination.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void CopyOut<T>(ReadOnlySpan<T> source, int outer, int srcBlock, int offset, Span<T> destination, int block)
        {
            for (int o = 0; o < outer; o++) source.Slice(o * srcBlock + offset, block).CopyTo(destination.Slice(o * block, block));
        }
    }
}
