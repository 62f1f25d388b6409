using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GraphSampling.Runtime.Cpu;

/// <summary>
/// CPU kernels called by generated code. Element-wise kernels dispatch widest-first
/// (Vector512, Vector256, Vector128, scalar) at JIT time; reductions use fixed-order accumulation
/// with masked tails so that results never depend on the buffer address.
/// </summary>
public static partial class Kernels
{
    /// <summary><c>destination[i] = TOp(x[i])</c>. <paramref name="destination"/> may alias <paramref name="x"/> exactly.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <paramref name="x"/> or overlaps it partially.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(ReadOnlySpan<float> x, Span<float> destination)
        where TOp : struct, IUnaryOperator
    {
        ValidateDestination(x, destination);
        ref float xr = ref MemoryMarshal.GetReference(x);
        MapCore<UnaryCore<TOp>>(ref xr, ref xr, 0f, ref MemoryMarshal.GetReference(destination), (nuint)x.Length);
    }

    /// <summary><c>destination[i] = TOp(x[i], y[i])</c>. <paramref name="destination"/> may alias either input exactly.</summary>
    /// <exception cref="ArgumentException">The inputs differ in length, or the destination is too short or overlaps an input partially.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Inputs must have the same length: x has {x.Length}, y has {y.Length}.", nameof(y));
        }

        ValidateDestination(x, destination);
        ValidateNoPartialOverlap(y, destination);
        MapCore<BinaryCore<TOp>>(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), 0f, ref MemoryMarshal.GetReference(destination), (nuint)x.Length);
    }

    /// <summary><c>destination[i] = TOp(x[i], y)</c>.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <paramref name="x"/> or overlaps it partially.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MapScalarRight<TOp>(ReadOnlySpan<float> x, float y, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        ValidateDestination(x, destination);
        ref float xr = ref MemoryMarshal.GetReference(x);
        MapCore<ScalarRightCore<TOp>>(ref xr, ref xr, y, ref MemoryMarshal.GetReference(destination), (nuint)x.Length);
    }

    /// <summary><c>destination[i] = TOp(x, y[i])</c>.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <paramref name="y"/> or overlaps it partially.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MapScalarLeft<TOp>(float x, ReadOnlySpan<float> y, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        ValidateDestination(y, destination);
        ref float yr = ref MemoryMarshal.GetReference(y);
        MapCore<ScalarLeftCore<TOp>>(ref yr, ref yr, x, ref MemoryMarshal.GetReference(destination), (nuint)y.Length);
    }

    /// <summary>
    /// Row broadcast over a row-major <c>[rows, cols]</c> matrix: <c>destination[r, c] = TOp(x[r, c], y[c])</c>.
    /// Only the first <c>rows * cols</c> elements of <paramref name="x"/> and <paramref name="destination"/> are used.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MapRowBroadcast<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination, int rows, int cols)
        where TOp : struct, IBinaryOperator
    {
        int size = ValidateMatrix(x, destination, rows, cols);
        if (y.Length < cols)
        {
            throw new ArgumentException($"y has {y.Length} elements but cols is {cols}.", nameof(y));
        }

        ValidateDestination(x.Slice(0, size), destination.Slice(0, size));
        ValidateNoOverlap(y.Slice(0, cols), destination.Slice(0, size), nameof(destination));
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float dr = ref MemoryMarshal.GetReference(destination);
        for (int r = 0; r < rows; r++)
        {
            nuint offset = (nuint)r * (nuint)cols;
            MapCore<BinaryCore<TOp>>(ref Unsafe.Add(ref xr, offset), ref yr, 0f, ref Unsafe.Add(ref dr, offset), (nuint)cols);
        }
    }

    /// <summary>
    /// Column broadcast over a row-major <c>[rows, cols]</c> matrix: <c>destination[r, c] = TOp(x[r, c], y[r])</c>.
    /// Only the first <c>rows * cols</c> elements of <paramref name="x"/> and <paramref name="destination"/> are used.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MapColumnBroadcast<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination, int rows, int cols)
        where TOp : struct, IBinaryOperator
    {
        int size = ValidateMatrix(x, destination, rows, cols);
        if (y.Length < rows)
        {
            throw new ArgumentException($"y has {y.Length} elements but rows is {rows}.", nameof(y));
        }

        ValidateDestination(x.Slice(0, size), destination.Slice(0, size));
        ValidateNoOverlap(y.Slice(0, rows), destination.Slice(0, size), nameof(destination));
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float dr = ref MemoryMarshal.GetReference(destination);
        for (int r = 0; r < rows; r++)
        {
            nuint offset = (nuint)r * (nuint)cols;
            ref float rowX = ref Unsafe.Add(ref xr, offset);
            MapCore<ScalarRightCore<TOp>>(ref rowX, ref rowX, y[r], ref Unsafe.Add(ref dr, offset), (nuint)cols);
        }
    }

    /// <summary>
    /// The single element-wise loop behind every Map variant. Full vectors run front to back; the
    /// remainder is one overlapping vector ending at <paramref name="n"/>, computed from the inputs
    /// before the main loop writes anything, so exact aliasing of destination and input stays correct.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MapCore<TCore>(ref float x, ref float y, float s, ref float d, nuint n)
        where TCore : struct, IElementwiseCore
    {
        if (TCore.Vectorizable)
        {
            if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
            {
                const int W = 16;
                Vector512<float> last = TCore.Invoke512(ref x, ref y, s, n - W);
                nuint i = 0;
                for (; i + 4 * W <= n; i += 4 * W)
                {
                    TCore.Invoke512(ref x, ref y, s, i).StoreUnsafe(ref d, i);
                    TCore.Invoke512(ref x, ref y, s, i + W).StoreUnsafe(ref d, i + W);
                    TCore.Invoke512(ref x, ref y, s, i + 2 * W).StoreUnsafe(ref d, i + 2 * W);
                    TCore.Invoke512(ref x, ref y, s, i + 3 * W).StoreUnsafe(ref d, i + 3 * W);
                }

                for (; i + W <= n; i += W)
                {
                    TCore.Invoke512(ref x, ref y, s, i).StoreUnsafe(ref d, i);
                }

                last.StoreUnsafe(ref d, n - W);
                return;
            }

            if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
            {
                const int W = 8;
                Vector256<float> last = TCore.Invoke256(ref x, ref y, s, n - W);
                nuint i = 0;
                for (; i + 4 * W <= n; i += 4 * W)
                {
                    TCore.Invoke256(ref x, ref y, s, i).StoreUnsafe(ref d, i);
                    TCore.Invoke256(ref x, ref y, s, i + W).StoreUnsafe(ref d, i + W);
                    TCore.Invoke256(ref x, ref y, s, i + 2 * W).StoreUnsafe(ref d, i + 2 * W);
                    TCore.Invoke256(ref x, ref y, s, i + 3 * W).StoreUnsafe(ref d, i + 3 * W);
                }

                for (; i + W <= n; i += W)
                {
                    TCore.Invoke256(ref x, ref y, s, i).StoreUnsafe(ref d, i);
                }

                last.StoreUnsafe(ref d, n - W);
                return;
            }

            if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<float>.Count)
            {
                const int W = 4;
                Vector128<float> last = TCore.Invoke128(ref x, ref y, s, n - W);
                nuint i = 0;
                for (; i + 4 * W <= n; i += 4 * W)
                {
                    TCore.Invoke128(ref x, ref y, s, i).StoreUnsafe(ref d, i);
                    TCore.Invoke128(ref x, ref y, s, i + W).StoreUnsafe(ref d, i + W);
                    TCore.Invoke128(ref x, ref y, s, i + 2 * W).StoreUnsafe(ref d, i + 2 * W);
                    TCore.Invoke128(ref x, ref y, s, i + 3 * W).StoreUnsafe(ref d, i + 3 * W);
                }

                for (; i + W <= n; i += W)
                {
                    TCore.Invoke128(ref x, ref y, s, i).StoreUnsafe(ref d, i);
                }

                last.StoreUnsafe(ref d, n - W);
                return;
            }
        }

        for (nuint i = 0; i < n; i++)
        {
            Unsafe.Add(ref d, i) = TCore.Invoke(ref x, ref y, s, i);
        }
    }

    /// <summary>Adapts an operator and its operand shape (span or broadcast scalar) to <see cref="MapCore"/>.</summary>
    private interface IElementwiseCore
    {
        static abstract bool Vectorizable { get; }
        static abstract float Invoke(ref float x, ref float y, float s, nuint i);
        static abstract Vector128<float> Invoke128(ref float x, ref float y, float s, nuint i);
        static abstract Vector256<float> Invoke256(ref float x, ref float y, float s, nuint i);
        static abstract Vector512<float> Invoke512(ref float x, ref float y, float s, nuint i);
    }

    private readonly struct UnaryCore<TOp> : IElementwiseCore
        where TOp : struct, IUnaryOperator
    {
        public static bool Vectorizable => TOp.Vectorizable;
        public static float Invoke(ref float x, ref float y, float s, nuint i) => TOp.Invoke(Unsafe.Add(ref x, i));
        public static Vector128<float> Invoke128(ref float x, ref float y, float s, nuint i) => TOp.Invoke(Vector128.LoadUnsafe(ref x, i));
        public static Vector256<float> Invoke256(ref float x, ref float y, float s, nuint i) => TOp.Invoke(Vector256.LoadUnsafe(ref x, i));
        public static Vector512<float> Invoke512(ref float x, ref float y, float s, nuint i) => TOp.Invoke(Vector512.LoadUnsafe(ref x, i));
    }

    private readonly struct BinaryCore<TOp> : IElementwiseCore
        where TOp : struct, IBinaryOperator
    {
        public static bool Vectorizable => TOp.Vectorizable;
        public static float Invoke(ref float x, ref float y, float s, nuint i) => TOp.Invoke(Unsafe.Add(ref x, i), Unsafe.Add(ref y, i));
        public static Vector128<float> Invoke128(ref float x, ref float y, float s, nuint i) => TOp.Invoke(Vector128.LoadUnsafe(ref x, i), Vector128.LoadUnsafe(ref y, i));
        public static Vector256<float> Invoke256(ref float x, ref float y, float s, nuint i) => TOp.Invoke(Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i));
        public static Vector512<float> Invoke512(ref float x, ref float y, float s, nuint i) => TOp.Invoke(Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref y, i));
    }

    private readonly struct ScalarRightCore<TOp> : IElementwiseCore
        where TOp : struct, IBinaryOperator
    {
        public static bool Vectorizable => TOp.Vectorizable;
        public static float Invoke(ref float x, ref float y, float s, nuint i) => TOp.Invoke(Unsafe.Add(ref x, i), s);
        public static Vector128<float> Invoke128(ref float x, ref float y, float s, nuint i) => TOp.Invoke(Vector128.LoadUnsafe(ref x, i), Vector128.Create(s));
        public static Vector256<float> Invoke256(ref float x, ref float y, float s, nuint i) => TOp.Invoke(Vector256.LoadUnsafe(ref x, i), Vector256.Create(s));
        public static Vector512<float> Invoke512(ref float x, ref float y, float s, nuint i) => TOp.Invoke(Vector512.LoadUnsafe(ref x, i), Vector512.Create(s));
    }

    private readonly struct ScalarLeftCore<TOp> : IElementwiseCore
        where TOp : struct, IBinaryOperator
    {
        public static bool Vectorizable => TOp.Vectorizable;
        public static float Invoke(ref float x, ref float y, float s, nuint i) => TOp.Invoke(s, Unsafe.Add(ref x, i));
        public static Vector128<float> Invoke128(ref float x, ref float y, float s, nuint i) => TOp.Invoke(Vector128.Create(s), Vector128.LoadUnsafe(ref x, i));
        public static Vector256<float> Invoke256(ref float x, ref float y, float s, nuint i) => TOp.Invoke(Vector256.Create(s), Vector256.LoadUnsafe(ref x, i));
        public static Vector512<float> Invoke512(ref float x, ref float y, float s, nuint i) => TOp.Invoke(Vector512.Create(s), Vector512.LoadUnsafe(ref x, i));
    }

    private static void ValidateDestination(ReadOnlySpan<float> x, Span<float> destination)
    {
        if (destination.Length < x.Length)
        {
            throw new ArgumentException($"Destination has {destination.Length} elements but {x.Length} are required.", nameof(destination));
        }

        ValidateNoPartialOverlap(x, destination);
    }

    private static void ValidateNoPartialOverlap(ReadOnlySpan<float> input, Span<float> destination)
    {
        if (input.Overlaps(destination, out int offset) && offset != 0)
        {
            throw new ArgumentException("Destination overlaps an input other than exactly.", nameof(destination));
        }
    }

    private static void ValidateNoOverlap(ReadOnlySpan<float> input, ReadOnlySpan<float> destination, string paramName)
    {
        if (input.Overlaps(destination))
        {
            throw new ArgumentException("Destination must not overlap this input.", paramName);
        }
    }

    /// <summary>Checks the dimensions and that both buffers hold <c>rows * cols</c> elements; returns that size.</summary>
    private static int ValidateMatrix(ReadOnlySpan<float> x, ReadOnlySpan<float> destination, int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        long size = (long)rows * cols;
        if (x.Length < size)
        {
            throw new ArgumentException($"x has {x.Length} elements but rows * cols is {size}.", nameof(x));
        }

        if (destination.Length < size)
        {
            throw new ArgumentException($"Destination has {destination.Length} elements but rows * cols is {size}.", nameof(destination));
        }

        return (int)size;
    }
}
