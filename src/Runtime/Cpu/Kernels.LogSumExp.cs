using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GraphSampling.Runtime.Cpu;

public static partial class Kernels
{
    /// <summary>
    /// Row-wise log-sum-exp of a row-major <c>[rows, cols]</c> matrix with TensorFlow
    /// <c>reduce_logsumexp</c> semantics: <c>m = max(row)</c>, replaced by 0 when not finite, then
    /// <c>destination[r] = log(sum exp(x - m)) + m</c>. An empty row gives negative infinity.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LogSumExpRows(ReadOnlySpan<float> x, Span<float> destination, int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        long size = (long)rows * cols;
        if (x.Length < size)
        {
            throw new ArgumentException($"x has {x.Length} elements but rows * cols is {size}.", nameof(x));
        }

        if (destination.Length < rows)
        {
            throw new ArgumentException($"Destination has {destination.Length} elements but rows is {rows}.", nameof(destination));
        }

        ValidateNoOverlap(x.Slice(0, (int)size), destination.Slice(0, rows), nameof(destination));
        ref float xr = ref MemoryMarshal.GetReference(x);
        for (int r = 0; r < rows; r++)
        {
            ref float row = ref Unsafe.Add(ref xr, (nuint)r * (nuint)cols);
            float max = Max(MemoryMarshal.CreateReadOnlySpan(ref row, cols));

            // A non-finite max (empty row, +inf, NaN, all -inf) is not subtracted, so those cases
            // produce -inf, +inf or NaN from the sum itself instead of inf - inf.
            float shift = float.IsFinite(max) ? max : 0f;
            float sum = SumExpShifted(MemoryMarshal.CreateReadOnlySpan(ref row, cols), shift);
            destination[r] = MathF.Log(sum) + shift;
        }
    }
}
