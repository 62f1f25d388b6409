using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GraphSampling.Runtime.Cpu;

public static partial class Kernels
{
    /// <summary>
    /// Sum of the elements. The summation order depends only on the length and the vector width:
    /// four vector accumulators, a masked tail and an explicit pairwise horizontal reduction, so the
    /// rounding-error bound is <c>(floor(n / 16) + 7) * 2^-24 * sum|x|</c> on every path.
    /// </summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        return Reduce<SumCore>(ref xr, ref xr, 0f, (nuint)x.Length);
    }

    /// <summary>
    /// <c>sum exp(x[i] - shift)</c> in one pass (the softmax denominator), accumulated like <see cref="Sum"/>, with
    /// <see cref="VectorMath"/>'s exp (within 1 ulp of <see cref="MathF.Exp"/>).
    /// </summary>
    public static float SumExpShifted(ReadOnlySpan<float> x, float shift)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        return Reduce<SumExpCore>(ref xr, ref xr, shift, (nuint)x.Length);
    }

    /// <summary>
    /// <c>sum labels[i] * (logSumExp - shifted[i])</c>: a softmax cross-entropy row from its shifted logits
    /// (<c>z - max</c>) and log-sum-exp, each term formed as TensorFlow forms it, accumulated like <see cref="Sum"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The inputs differ in length.</exception>
    public static float CrossEntropyTerms(ReadOnlySpan<float> shifted, ReadOnlySpan<float> labels, float logSumExp)
    {
        if (shifted.Length != labels.Length)
        {
            throw new ArgumentException($"Inputs must have the same length: shifted has {shifted.Length}, labels has {labels.Length}.", nameof(labels));
        }

        return Reduce<CrossEntropyCore>(ref MemoryMarshal.GetReference(shifted), ref MemoryMarshal.GetReference(labels), logSumExp, (nuint)shifted.Length);
    }

    /// <summary>Dot product <c>sum x[i] * y[i]</c>, accumulated like <see cref="Sum"/> with fused multiply-adds where the hardware has them.</summary>
    /// <exception cref="ArgumentException">The inputs differ in length.</exception>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Inputs must have the same length: x has {x.Length}, y has {y.Length}.", nameof(y));
        }

        return Reduce<DotCore>(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), 0f, (nuint)x.Length);
    }

    /// <summary>Largest element; NaN if any element is NaN; <see cref="float.NegativeInfinity"/> when empty. <c>+0</c> is larger than <c>-0</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Max(ReadOnlySpan<float> x)
    {
        nuint n = (nuint)x.Length;
        if (n == 0)
        {
            return float.NegativeInfinity;
        }

        ref float xr = ref MemoryMarshal.GetReference(x);

        // Max is idempotent, so the remainder is one overlapping vector ending at n.
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            const int W = 16;
            Vector512<float> m0 = Vector512.LoadUnsafe(ref xr, n - W);
            Vector512<float> m1 = m0, m2 = m0, m3 = m0;
            nuint i = 0;
            for (; i + 4 * W <= n; i += 4 * W)
            {
                m0 = Vector512.Max(m0, Vector512.LoadUnsafe(ref xr, i));
                m1 = Vector512.Max(m1, Vector512.LoadUnsafe(ref xr, i + W));
                m2 = Vector512.Max(m2, Vector512.LoadUnsafe(ref xr, i + 2 * W));
                m3 = Vector512.Max(m3, Vector512.LoadUnsafe(ref xr, i + 3 * W));
            }

            for (; i + W <= n; i += W)
            {
                m0 = Vector512.Max(m0, Vector512.LoadUnsafe(ref xr, i));
            }

            Vector512<float> m = Vector512.Max(Vector512.Max(m0, m1), Vector512.Max(m2, m3));
            return HorizontalMax(Vector256.Max(m.GetLower(), m.GetUpper()));
        }

        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            const int W = 8;
            Vector256<float> m0 = Vector256.LoadUnsafe(ref xr, n - W);
            Vector256<float> m1 = m0, m2 = m0, m3 = m0;
            nuint i = 0;
            for (; i + 4 * W <= n; i += 4 * W)
            {
                m0 = Vector256.Max(m0, Vector256.LoadUnsafe(ref xr, i));
                m1 = Vector256.Max(m1, Vector256.LoadUnsafe(ref xr, i + W));
                m2 = Vector256.Max(m2, Vector256.LoadUnsafe(ref xr, i + 2 * W));
                m3 = Vector256.Max(m3, Vector256.LoadUnsafe(ref xr, i + 3 * W));
            }

            for (; i + W <= n; i += W)
            {
                m0 = Vector256.Max(m0, Vector256.LoadUnsafe(ref xr, i));
            }

            return HorizontalMax(Vector256.Max(Vector256.Max(m0, m1), Vector256.Max(m2, m3)));
        }

        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<float>.Count)
        {
            const int W = 4;
            Vector128<float> m0 = Vector128.LoadUnsafe(ref xr, n - W);
            Vector128<float> m1 = m0;
            nuint i = 0;
            for (; i + 2 * W <= n; i += 2 * W)
            {
                m0 = Vector128.Max(m0, Vector128.LoadUnsafe(ref xr, i));
                m1 = Vector128.Max(m1, Vector128.LoadUnsafe(ref xr, i + W));
            }

            for (; i + W <= n; i += W)
            {
                m0 = Vector128.Max(m0, Vector128.LoadUnsafe(ref xr, i));
            }

            return HorizontalMax(Vector128.Max(m0, m1));
        }

        float result = xr;
        for (nuint i = 1; i < n; i++)
        {
            result = MathF.Max(result, Unsafe.Add(ref xr, i));
        }

        return result;
    }

    /// <summary><c>y[i] += a * x[i]</c> (a fused multiply-add where the hardware has one). <paramref name="x"/> may alias <paramref name="y"/> exactly.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/> or overlaps it partially.</exception>
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length)
        {
            throw new ArgumentException($"y has {y.Length} elements but x has {x.Length}.", nameof(y));
        }

        if (x.Overlaps(y, out int offset) && offset != 0)
        {
            throw new ArgumentException("y overlaps x other than exactly.", nameof(y));
        }

        ref float yr = ref MemoryMarshal.GetReference(y);
        MapCore<AxpyCore>(ref MemoryMarshal.GetReference(x), ref yr, a, ref yr, (nuint)x.Length);
    }

    /// <summary>
    /// Column sums of a row-major <c>[rows, cols]</c> matrix: <c>destination[c] = sum over r of x[r, c]</c>,
    /// added in row order (the same order on every path), overwriting the destination.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SumRows(ReadOnlySpan<float> x, Span<float> destination, int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        long size = (long)rows * cols;
        if (x.Length < size)
        {
            throw new ArgumentException($"x has {x.Length} elements but rows * cols is {size}.", nameof(x));
        }

        if (destination.Length < cols)
        {
            throw new ArgumentException($"Destination has {destination.Length} elements but cols is {cols}.", nameof(destination));
        }

        ValidateNoOverlap(x.Slice(0, (int)size), destination.Slice(0, cols), nameof(destination));
        if (rows == 0)
        {
            destination.Slice(0, cols).Clear();
            return;
        }

        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float dr = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)cols;
        nuint stride = (nuint)cols;
        nuint c = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            const int W = 16;
            for (; c + 4 * W <= n; c += 4 * W)
            {
                SumRowsBlock512(ref Unsafe.Add(ref xr, c), ref Unsafe.Add(ref dr, c), rows, stride);
            }

            // Lanes are independent, so an overlapping final vector recomputes identical values.
            for (; c < n; c += W)
            {
                nuint start = c + W <= n ? c : n - W;
                Vector512<float> acc = Vector512.LoadUnsafe(ref xr, start);
                for (int r = 1; r < rows; r++)
                {
                    acc += Vector512.LoadUnsafe(ref xr, (nuint)r * stride + start);
                }

                acc.StoreUnsafe(ref dr, start);
            }

            return;
        }

        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            const int W = 8;
            for (; c < n; c += W)
            {
                nuint start = c + W <= n ? c : n - W;
                Vector256<float> acc = Vector256.LoadUnsafe(ref xr, start);
                for (int r = 1; r < rows; r++)
                {
                    acc += Vector256.LoadUnsafe(ref xr, (nuint)r * stride + start);
                }

                acc.StoreUnsafe(ref dr, start);
            }

            return;
        }

        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<float>.Count)
        {
            const int W = 4;
            for (; c < n; c += W)
            {
                nuint start = c + W <= n ? c : n - W;
                Vector128<float> acc = Vector128.LoadUnsafe(ref xr, start);
                for (int r = 1; r < rows; r++)
                {
                    acc += Vector128.LoadUnsafe(ref xr, (nuint)r * stride + start);
                }

                acc.StoreUnsafe(ref dr, start);
            }

            return;
        }

        for (; c < n; c++)
        {
            float acc = Unsafe.Add(ref xr, c);
            for (int r = 1; r < rows; r++)
            {
                acc += Unsafe.Add(ref xr, (nuint)r * stride + c);
            }

            Unsafe.Add(ref dr, c) = acc;
        }
    }

    /// <summary>Row sums of a row-major <c>[rows, cols]</c> matrix: <c>destination[r] = Sum(x[r, :])</c>, overwriting the destination.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SumColumns(ReadOnlySpan<float> x, Span<float> destination, int rows, int cols)
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
            destination[r] = Reduce<SumCore>(ref row, ref row, 0f, (nuint)cols);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SumRowsBlock512(ref float x, ref float d, int rows, nuint stride)
    {
        const int W = 16;
        Vector512<float> a0 = Vector512.LoadUnsafe(ref x);
        Vector512<float> a1 = Vector512.LoadUnsafe(ref x, W);
        Vector512<float> a2 = Vector512.LoadUnsafe(ref x, 2 * W);
        Vector512<float> a3 = Vector512.LoadUnsafe(ref x, 3 * W);
        for (int r = 1; r < rows; r++)
        {
            ref float row = ref Unsafe.Add(ref x, (nuint)r * stride);
            a0 += Vector512.LoadUnsafe(ref row);
            a1 += Vector512.LoadUnsafe(ref row, W);
            a2 += Vector512.LoadUnsafe(ref row, 2 * W);
            a3 += Vector512.LoadUnsafe(ref row, 3 * W);
        }

        a0.StoreUnsafe(ref d);
        a1.StoreUnsafe(ref d, W);
        a2.StoreUnsafe(ref d, 2 * W);
        a3.StoreUnsafe(ref d, 3 * W);
    }

    /// <summary>
    /// Fixed-order reduction shared by Sum, Dot and the softmax sums: four vector accumulators over
    /// blocks of four vectors, at most one more full vector into each of the last three, then the
    /// final partial vector masked into the first; no alignment peeling, so the order depends only on n.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reduce<TCore>(ref float x, ref float y, float s, nuint n)
        where TCore : struct, IReductionCore
    {
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            const int W = 16;
            Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            nuint i = 0;
            for (; i + 4 * W <= n; i += 4 * W)
            {
                a0 = TCore.Accumulate(a0, ref x, ref y, s, i);
                a1 = TCore.Accumulate(a1, ref x, ref y, s, i + W);
                a2 = TCore.Accumulate(a2, ref x, ref y, s, i + 2 * W);
                a3 = TCore.Accumulate(a3, ref x, ref y, s, i + 3 * W);
            }

            if (i + W <= n)
            {
                a1 = TCore.Accumulate(a1, ref x, ref y, s, i);
                i += W;
                if (i + W <= n)
                {
                    a2 = TCore.Accumulate(a2, ref x, ref y, s, i);
                    i += W;
                    if (i + W <= n)
                    {
                        a3 = TCore.Accumulate(a3, ref x, ref y, s, i);
                        i += W;
                    }
                }
            }

            if (i < n)
            {
                Vector512<float> mask = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(W - (int)(n - i))).AsSingle();
                a0 = TCore.AccumulateMasked(a0, ref x, ref y, s, n - W, mask);
            }

            Vector512<float> sum = (a0 + a1) + (a2 + a3);
            return HorizontalSum(sum.GetLower() + sum.GetUpper());
        }

        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            const int W = 8;
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            nuint i = 0;
            for (; i + 4 * W <= n; i += 4 * W)
            {
                a0 = TCore.Accumulate(a0, ref x, ref y, s, i);
                a1 = TCore.Accumulate(a1, ref x, ref y, s, i + W);
                a2 = TCore.Accumulate(a2, ref x, ref y, s, i + 2 * W);
                a3 = TCore.Accumulate(a3, ref x, ref y, s, i + 3 * W);
            }

            if (i + W <= n)
            {
                a1 = TCore.Accumulate(a1, ref x, ref y, s, i);
                i += W;
                if (i + W <= n)
                {
                    a2 = TCore.Accumulate(a2, ref x, ref y, s, i);
                    i += W;
                    if (i + W <= n)
                    {
                        a3 = TCore.Accumulate(a3, ref x, ref y, s, i);
                        i += W;
                    }
                }
            }

            if (i < n)
            {
                Vector256<float> mask = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(W - (int)(n - i))).AsSingle();
                a0 = TCore.AccumulateMasked(a0, ref x, ref y, s, n - W, mask);
            }

            return HorizontalSum((a0 + a1) + (a2 + a3));
        }

        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<float>.Count)
        {
            const int W = 4;
            Vector128<float> a0 = Vector128<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            nuint i = 0;
            for (; i + 4 * W <= n; i += 4 * W)
            {
                a0 = TCore.Accumulate(a0, ref x, ref y, s, i);
                a1 = TCore.Accumulate(a1, ref x, ref y, s, i + W);
                a2 = TCore.Accumulate(a2, ref x, ref y, s, i + 2 * W);
                a3 = TCore.Accumulate(a3, ref x, ref y, s, i + 3 * W);
            }

            if (i + W <= n)
            {
                a1 = TCore.Accumulate(a1, ref x, ref y, s, i);
                i += W;
                if (i + W <= n)
                {
                    a2 = TCore.Accumulate(a2, ref x, ref y, s, i);
                    i += W;
                    if (i + W <= n)
                    {
                        a3 = TCore.Accumulate(a3, ref x, ref y, s, i);
                        i += W;
                    }
                }
            }

            if (i < n)
            {
                Vector128<float> mask = Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(W - (int)(n - i))).AsSingle();
                a0 = TCore.AccumulateMasked(a0, ref x, ref y, s, n - W, mask);
            }

            return HorizontalSum((a0 + a1) + (a2 + a3));
        }

        return ReduceScalar<TCore>(ref x, ref y, s, n);
    }

    /// <summary>Sixteen scalar lanes combined pairwise: the same error bound as the vector paths, without SIMD.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float ReduceScalar<TCore>(ref float x, ref float y, float s, nuint n)
        where TCore : struct, IReductionCore
    {
        const int Lanes = 16;
        Span<float> acc = stackalloc float[Lanes];
        acc.Clear();
        nuint i = 0;
        for (; i + Lanes <= n; i += Lanes)
        {
            for (int j = 0; j < Lanes; j++)
            {
                acc[j] = TCore.Accumulate(acc[j], ref x, ref y, s, i + (nuint)j);
            }
        }

        for (int j = 0; i < n; i++, j++)
        {
            acc[j] = TCore.Accumulate(acc[j], ref x, ref y, s, i);
        }

        for (int width = Lanes / 2; width > 0; width /= 2)
        {
            for (int j = 0; j < width; j++)
            {
                acc[j] += acc[j + width];
            }
        }

        return acc[0];
    }

    // Explicit pairwise horizontal reductions: the order is part of the documented error bound.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalSum(Vector256<float> v) => HorizontalSum(v.GetLower() + v.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalSum(Vector128<float> v) => (v.GetElement(0) + v.GetElement(2)) + (v.GetElement(1) + v.GetElement(3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalMax(Vector256<float> v) => HorizontalMax(Vector128.Max(v.GetLower(), v.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalMax(Vector128<float> v) => MathF.Max(MathF.Max(v.GetElement(0), v.GetElement(2)), MathF.Max(v.GetElement(1), v.GetElement(3)));

    /// <summary>One accumulation step of <see cref="Reduce"/>; masked steps must add exactly zero in masked-off lanes.</summary>
    private interface IReductionCore
    {
        static abstract float Accumulate(float acc, ref float x, ref float y, float s, nuint i);
        static abstract Vector128<float> Accumulate(Vector128<float> acc, ref float x, ref float y, float s, nuint i);
        static abstract Vector256<float> Accumulate(Vector256<float> acc, ref float x, ref float y, float s, nuint i);
        static abstract Vector512<float> Accumulate(Vector512<float> acc, ref float x, ref float y, float s, nuint i);
        static abstract Vector128<float> AccumulateMasked(Vector128<float> acc, ref float x, ref float y, float s, nuint i, Vector128<float> mask);
        static abstract Vector256<float> AccumulateMasked(Vector256<float> acc, ref float x, ref float y, float s, nuint i, Vector256<float> mask);
        static abstract Vector512<float> AccumulateMasked(Vector512<float> acc, ref float x, ref float y, float s, nuint i, Vector512<float> mask);
    }

    private readonly struct SumCore : IReductionCore
    {
        public static float Accumulate(float acc, ref float x, ref float y, float s, nuint i) => acc + Unsafe.Add(ref x, i);
        public static Vector128<float> Accumulate(Vector128<float> acc, ref float x, ref float y, float s, nuint i) => acc + Vector128.LoadUnsafe(ref x, i);
        public static Vector256<float> Accumulate(Vector256<float> acc, ref float x, ref float y, float s, nuint i) => acc + Vector256.LoadUnsafe(ref x, i);
        public static Vector512<float> Accumulate(Vector512<float> acc, ref float x, ref float y, float s, nuint i) => acc + Vector512.LoadUnsafe(ref x, i);
        public static Vector128<float> AccumulateMasked(Vector128<float> acc, ref float x, ref float y, float s, nuint i, Vector128<float> mask) => acc + (Vector128.LoadUnsafe(ref x, i) & mask);
        public static Vector256<float> AccumulateMasked(Vector256<float> acc, ref float x, ref float y, float s, nuint i, Vector256<float> mask) => acc + (Vector256.LoadUnsafe(ref x, i) & mask);
        public static Vector512<float> AccumulateMasked(Vector512<float> acc, ref float x, ref float y, float s, nuint i, Vector512<float> mask) => acc + (Vector512.LoadUnsafe(ref x, i) & mask);
    }

    private readonly struct DotCore : IReductionCore
    {
        public static float Accumulate(float acc, ref float x, ref float y, float s, nuint i) => float.MultiplyAddEstimate(Unsafe.Add(ref x, i), Unsafe.Add(ref y, i), acc);
        public static Vector128<float> Accumulate(Vector128<float> acc, ref float x, ref float y, float s, nuint i) => Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref x, i), Vector128.LoadUnsafe(ref y, i), acc);
        public static Vector256<float> Accumulate(Vector256<float> acc, ref float x, ref float y, float s, nuint i) => Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i), acc);
        public static Vector512<float> Accumulate(Vector512<float> acc, ref float x, ref float y, float s, nuint i) => Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref y, i), acc);

        // Both factors are masked so that inf * 0 cannot leak NaN from lanes already counted.
        public static Vector128<float> AccumulateMasked(Vector128<float> acc, ref float x, ref float y, float s, nuint i, Vector128<float> mask) => Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref x, i) & mask, Vector128.LoadUnsafe(ref y, i) & mask, acc);
        public static Vector256<float> AccumulateMasked(Vector256<float> acc, ref float x, ref float y, float s, nuint i, Vector256<float> mask) => Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, i) & mask, Vector256.LoadUnsafe(ref y, i) & mask, acc);
        public static Vector512<float> AccumulateMasked(Vector512<float> acc, ref float x, ref float y, float s, nuint i, Vector512<float> mask) => Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, i) & mask, Vector512.LoadUnsafe(ref y, i) & mask, acc);
    }

    /// <summary>Sum of <c>exp(x[i] - s)</c>: the inner sum of log-sum-exp.</summary>
    private readonly struct SumExpCore : IReductionCore
    {
        public static float Accumulate(float acc, ref float x, ref float y, float s, nuint i) => acc + MathF.Exp(Unsafe.Add(ref x, i) - s);
        public static Vector128<float> Accumulate(Vector128<float> acc, ref float x, ref float y, float s, nuint i) => acc + VectorMath.Exp(Vector128.LoadUnsafe(ref x, i) - Vector128.Create(s));
        public static Vector256<float> Accumulate(Vector256<float> acc, ref float x, ref float y, float s, nuint i) => acc + VectorMath.Exp(Vector256.LoadUnsafe(ref x, i) - Vector256.Create(s));
        public static Vector512<float> Accumulate(Vector512<float> acc, ref float x, ref float y, float s, nuint i) => acc + VectorMath.Exp(Vector512.LoadUnsafe(ref x, i) - Vector512.Create(s));
        public static Vector128<float> AccumulateMasked(Vector128<float> acc, ref float x, ref float y, float s, nuint i, Vector128<float> mask) => acc + (VectorMath.Exp(Vector128.LoadUnsafe(ref x, i) - Vector128.Create(s)) & mask);
        public static Vector256<float> AccumulateMasked(Vector256<float> acc, ref float x, ref float y, float s, nuint i, Vector256<float> mask) => acc + (VectorMath.Exp(Vector256.LoadUnsafe(ref x, i) - Vector256.Create(s)) & mask);
        public static Vector512<float> AccumulateMasked(Vector512<float> acc, ref float x, ref float y, float s, nuint i, Vector512<float> mask) => acc + (VectorMath.Exp(Vector512.LoadUnsafe(ref x, i) - Vector512.Create(s)) & mask);
    }

    /// <summary>Sum of <c>y[i] * (s - x[i])</c>: the terms of a softmax cross-entropy row.</summary>
    private readonly struct CrossEntropyCore : IReductionCore
    {
        public static float Accumulate(float acc, ref float x, ref float y, float s, nuint i) => acc + Unsafe.Add(ref y, i) * (s - Unsafe.Add(ref x, i));
        public static Vector128<float> Accumulate(Vector128<float> acc, ref float x, ref float y, float s, nuint i) => acc + Vector128.LoadUnsafe(ref y, i) * (Vector128.Create(s) - Vector128.LoadUnsafe(ref x, i));
        public static Vector256<float> Accumulate(Vector256<float> acc, ref float x, ref float y, float s, nuint i) => acc + Vector256.LoadUnsafe(ref y, i) * (Vector256.Create(s) - Vector256.LoadUnsafe(ref x, i));
        public static Vector512<float> Accumulate(Vector512<float> acc, ref float x, ref float y, float s, nuint i) => acc + Vector512.LoadUnsafe(ref y, i) * (Vector512.Create(s) - Vector512.LoadUnsafe(ref x, i));
        public static Vector128<float> AccumulateMasked(Vector128<float> acc, ref float x, ref float y, float s, nuint i, Vector128<float> mask) => acc + ((Vector128.LoadUnsafe(ref y, i) * (Vector128.Create(s) - Vector128.LoadUnsafe(ref x, i))) & mask);
        public static Vector256<float> AccumulateMasked(Vector256<float> acc, ref float x, ref float y, float s, nuint i, Vector256<float> mask) => acc + ((Vector256.LoadUnsafe(ref y, i) * (Vector256.Create(s) - Vector256.LoadUnsafe(ref x, i))) & mask);
        public static Vector512<float> AccumulateMasked(Vector512<float> acc, ref float x, ref float y, float s, nuint i, Vector512<float> mask) => acc + ((Vector512.LoadUnsafe(ref y, i) * (Vector512.Create(s) - Vector512.LoadUnsafe(ref x, i))) & mask);
    }

    /// <summary><c>y + s * x</c> in the <see cref="MapCore"/> shape, with the destination being <c>y</c>.</summary>
    private readonly struct AxpyCore : IElementwiseCore
    {
        public static bool Vectorizable => true;
        public static float Invoke(ref float x, ref float y, float s, nuint i) => float.MultiplyAddEstimate(s, Unsafe.Add(ref x, i), Unsafe.Add(ref y, i));
        public static Vector128<float> Invoke128(ref float x, ref float y, float s, nuint i) => Vector128.MultiplyAddEstimate(Vector128.Create(s), Vector128.LoadUnsafe(ref x, i), Vector128.LoadUnsafe(ref y, i));
        public static Vector256<float> Invoke256(ref float x, ref float y, float s, nuint i) => Vector256.MultiplyAddEstimate(Vector256.Create(s), Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i));
        public static Vector512<float> Invoke512(ref float x, ref float y, float s, nuint i) => Vector512.MultiplyAddEstimate(Vector512.Create(s), Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref y, i));
    }
}
