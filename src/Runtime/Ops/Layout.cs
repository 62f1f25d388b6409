using System;

namespace GraphSampling.Runtime.Ops
{
    /// <summary>Concat and slice along one axis, as block copies: outer = product of the dims before the axis,
    /// and each block is (axis length x inner) floats.</summary>
    public static class Layout
    {
        /// <summary>Copies a [outer, block] source into columns [offset, offset + block) of a [outer, dstBlock] destination.</summary>
        public static void CopyIn<T>(ReadOnlySpan<T> source, int outer, int block, Span<T> destination, int dstBlock, int offset)
        {
            for (int o = 0; o < outer; o++) source.Slice(o * block, block).CopyTo(destination.Slice(o * dstBlock + offset, block));
        }

        /// <summary>Copies columns [offset, offset + block) of a [outer, srcBlock] source into a [outer, block] destination.</summary>
        public static void CopyOut<T>(ReadOnlySpan<T> source, int outer, int srcBlock, int offset, Span<T> destination, int block)
        {
            for (int o = 0; o < outer; o++) source.Slice(o * srcBlock + offset, block).CopyTo(destination.Slice(o * block, block));
        }
    }
}
