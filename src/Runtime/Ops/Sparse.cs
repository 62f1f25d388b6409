using System;
using System.Runtime.CompilerServices;

namespace GraphSampling.Runtime.Ops
{
    /// <summary>TF sparse_to_dense and its gradient. Indices are [N, R] row-major; strides map an index to its offset.</summary>
    public static class Sparse
    {
        /// <summary>Checks every index before anything is written: in bounds always; with validate, also strictly
        /// increasing in row-major order (TF rejects unsorted or repeated indices then).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void CheckIndices(ReadOnlySpan<long> indices, ReadOnlySpan<int> outputShape, bool validate, string argument)
        {
            int r = outputShape.Length;
            long previous = -1;
            for (int n = 0; n < indices.Length / r; n++)
            {
                long offset = 0;
                for (int j = 0; j < r; j++)
                {
                    long v = indices[n * r + j];
                    if ((ulong)v >= (ulong)outputShape[j])
                    {
                        throw new ArgumentOutOfRangeException(argument, v, argument + "[row " + n + ", column " + j + "] = " + v + " is outside [0, " + outputShape[j] + ").");
                    }
                    offset = offset * outputShape[j] + v;
                }
                if (validate && offset <= previous)
                {
                    throw new ArgumentException(argument + "[row " + n + "] is " + (offset == previous ? "repeated" : "out of order") + "; with validateIndices the indices must be sorted and unique.", argument);
                }
                previous = offset;
            }
        }

        /// <summary>dst = defaultValue, then dst[index n] = values[n] (or the scalar) in order; the last write wins.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ToDense(ReadOnlySpan<long> indices, ReadOnlySpan<int> outputShape, ReadOnlySpan<float> values, bool scalarValues, float defaultValue, Span<float> destination)
        {
            destination.Fill(defaultValue);
            int r = outputShape.Length;
            for (int n = 0; n < indices.Length / r; n++)
            {
                destination[Offset(indices, n, outputShape)] = scalarValues ? values[0] : values[n];
            }
        }

        /// <summary>dvalues[n] = g at index n when no later index overwrote it, else 0; a scalar value gets the sum.
        /// With <paramref name="validated"/> the indices were checked strictly increasing, so none is overwritten and the
        /// quadratic scan for later repeats is skipped.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ToDenseGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<long> indices, ReadOnlySpan<int> outputShape, bool scalarValues, bool validated, Span<float> destination)
        {
            int r = outputShape.Length;
            int count = indices.Length / r;
            if (scalarValues) destination[0] = 0f;
            for (int n = 0; n < count; n++)
            {
                long offset = Offset(indices, n, outputShape);
                bool overwritten = false;
                for (int later = n + 1; later < count && !overwritten && !validated; later++) overwritten = Offset(indices, later, outputShape) == offset;
                float v = overwritten ? 0f : gradient[(int)offset];
                if (scalarValues) destination[0] += v;
                else destination[n] = v;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static int Offset(ReadOnlySpan<long> indices, int n, ReadOnlySpan<int> outputShape)
        {
            int r = outputShape.Length;
            long offset = 0;
            for (int j = 0; j < r; j++) offset = offset * outputShape[j] + indices[n * r + j];
            return (int)offset;
        }
    }
}
