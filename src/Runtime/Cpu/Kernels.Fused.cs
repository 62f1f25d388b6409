using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GraphSampling.Runtime.Cpu;

/// <summary>How an operand of a fused elementwise kernel lines up with its [rows, cols] output.</summary>
public enum OperandLayout
{
    /// <summary>One element per output element: row i starts at i · stride.</summary>
    Full = 0,
    /// <summary>One element per column, shared by every row (a bias, a log expected count).</summary>
    Row = 1,
    /// <summary>One element per row, shared by every column.</summary>
    Column = 2,
    /// <summary>One element for everything.</summary>
    Scalar = 3,
}

/// <summary>
/// A fused chain of elementwise ops over up to four operands (unused ones are ignored), in the TensorPrimitives style:
/// one scalar and three vector overloads, composed by the generator from the chain's ops in their order, so that the
/// fused result rounds exactly as the ops run one by one would.
/// </summary>
public interface IFusedOperator
{
    static abstract float Invoke(float a, float b, float c, float d);
    static abstract Vector128<float> Invoke(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d);
    static abstract Vector256<float> Invoke(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d);
    static abstract Vector512<float> Invoke(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d);
}

/// <summary>One operand of <see cref="Kernels.Fused{TOp}"/>: its data, its layout and (for <see cref="OperandLayout.Full"/>)
/// its row stride.</summary>
public readonly ref struct FusedOperand
{
    private static readonly float[] Zero = { 0f };

    public FusedOperand(ReadOnlySpan<float> data, OperandLayout layout, int stride = 0)
    {
        Data = data;
        Layout = layout;
        Stride = stride;
    }

    public ReadOnlySpan<float> Data { get; }
    public OperandLayout Layout { get; }
    public int Stride { get; }

    /// <summary>An unused operand slot.</summary>
    public static FusedOperand None => new FusedOperand(Zero, OperandLayout.Scalar);

    public static FusedOperand Full(ReadOnlySpan<float> data, int stride) => new FusedOperand(data, OperandLayout.Full, stride);
    public static FusedOperand Row(ReadOnlySpan<float> data) => new FusedOperand(data, OperandLayout.Row);
    public static FusedOperand Column(ReadOnlySpan<float> data) => new FusedOperand(data, OperandLayout.Column);
    public static FusedOperand Scalar(ReadOnlySpan<float> data) => new FusedOperand(data, OperandLayout.Scalar);
}

public static partial class Kernels
{
    /// <summary>
    /// The one driver of every fused elementwise group: <c>destination[i, j] = TOp(a[i, j], b[i, j], c[i, j], d[i, j])</c>
    /// over a [rows, cols] output whose row i starts at i · <paramref name="destinationStride"/> (a view into a wider
    /// buffer, such as a concatenation's). Each operand is read by its layout. Full rows run widest vector first; the
    /// remainder of a row is one overlapping vector computed before the row is written, so a destination that is exactly
    /// one of the operands (in place) stays correct.
    /// </summary>
    /// <exception cref="ArgumentException">An operand or the destination is too short for its layout and stride.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fused<TOp>(int rows, int cols, FusedOperand a, FusedOperand b, FusedOperand c, FusedOperand d, Span<float> destination, int destinationStride)
        where TOp : struct, IFusedOperator
    {
        if (rows <= 0 || cols <= 0) return;
        if (rows > 1 && destinationStride < cols)
        {
            throw new ArgumentOutOfRangeException(nameof(destinationStride), destinationStride, $"Rows of {cols} need a stride of at least {cols}.");
        }
        if ((long)(rows - 1) * destinationStride + cols > destination.Length)
        {
            throw new ArgumentException($"The destination has {destination.Length} elements; {rows} rows of {cols} at stride {destinationStride} need {(long)(rows - 1) * destinationStride + cols}.", nameof(destination));
        }
        ReadOnlySpan<float> written = destination.Slice(0, (rows - 1) * destinationStride + cols);
        Check(a, rows, cols, written, destinationStride, nameof(a));
        Check(b, rows, cols, written, destinationStride, nameof(b));
        Check(c, rows, cols, written, destinationStride, nameof(c));
        Check(d, rows, cols, written, destinationStride, nameof(d));

        ref float dr = ref MemoryMarshal.GetReference(destination);
        for (int i = 0; i < rows; i++)
        {
            var ra = new RowOperand(a, i);
            var rb = new RowOperand(b, i);
            var rc = new RowOperand(c, i);
            var rd = new RowOperand(d, i);
            FusedRow<TOp>(ra, rb, rc, rd, ref Unsafe.Add(ref dr, (nuint)i * (nuint)destinationStride), (nuint)cols);
        }
    }

    /// <summary>An operand must be long enough for its layout and stride, and may share memory with the destination only
    /// as exactly the same rows (in place): a row or a value broadcast from the destination would be overwritten before
    /// the last row reads it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Check(FusedOperand o, int rows, int cols, ReadOnlySpan<float> written, int destinationStride, string name)
    {
        if (o.Layout == OperandLayout.Full && rows > 1 && o.Stride < cols)
        {
            throw new ArgumentException($"Operand {name} has rows {o.Stride} apart; rows of {cols} need at least {cols}.", name);
        }
        long need = o.Layout switch
        {
            OperandLayout.Full => (long)(rows - 1) * o.Stride + cols,
            OperandLayout.Row => cols,
            OperandLayout.Column => rows,
            _ => 1,
        };
        if (o.Data.Length < need)
        {
            throw new ArgumentException($"Operand {name} ({o.Layout}) has {o.Data.Length} elements but needs {need}.", name);
        }
        var read = o.Data.Slice(0, (int)need);
        if (read.Overlaps(written, out int offset) && !(o.Layout == OperandLayout.Full && offset == 0 && (rows == 1 || o.Stride == destinationStride)))
        {
            throw new ArgumentException($"Operand {name} overlaps the destination other than as the same rows in place.", name);
        }
    }

    /// <summary>One operand for one row: a row of elements, or a value broadcast over the row.</summary>
    private readonly ref struct RowOperand
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public RowOperand(FusedOperand o, int row)
        {
            ref float start = ref MemoryMarshal.GetReference(o.Data);
            switch (o.Layout)
            {
                case OperandLayout.Full:
                    Start = ref Unsafe.Add(ref start, (nuint)row * (nuint)o.Stride);
                    Broadcast = false;
                    Value = 0;
                    break;
                case OperandLayout.Row:
                    Start = ref start;
                    Broadcast = false;
                    Value = 0;
                    break;
                case OperandLayout.Column:
                    Start = ref start;
                    Broadcast = true;
                    Value = Unsafe.Add(ref start, row);
                    break;
                default:
                    Start = ref start;
                    Broadcast = true;
                    Value = start;
                    break;
            }
        }

        public readonly ref float Start;
        public readonly bool Broadcast;
        public readonly float Value;

        public float At(nuint j) => Broadcast ? Value : Unsafe.Add(ref Start, j);
        public Vector128<float> At128(nuint j) => Broadcast ? Vector128.Create(Value) : Vector128.LoadUnsafe(ref Start, j);
        public Vector256<float> At256(nuint j) => Broadcast ? Vector256.Create(Value) : Vector256.LoadUnsafe(ref Start, j);
        public Vector512<float> At512(nuint j) => Broadcast ? Vector512.Create(Value) : Vector512.LoadUnsafe(ref Start, j);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FusedRow<TOp>(RowOperand a, RowOperand b, RowOperand c, RowOperand e, ref float d, nuint n)
        where TOp : struct, IFusedOperator
    {
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            const int W = 16;
            Vector512<float> last = TOp.Invoke(a.At512(n - W), b.At512(n - W), c.At512(n - W), e.At512(n - W));
            nuint i = 0;
            for (; i + W <= n; i += W) TOp.Invoke(a.At512(i), b.At512(i), c.At512(i), e.At512(i)).StoreUnsafe(ref d, i);
            last.StoreUnsafe(ref d, n - W);
            return;
        }

        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            const int W = 8;
            Vector256<float> last = TOp.Invoke(a.At256(n - W), b.At256(n - W), c.At256(n - W), e.At256(n - W));
            nuint i = 0;
            for (; i + W <= n; i += W) TOp.Invoke(a.At256(i), b.At256(i), c.At256(i), e.At256(i)).StoreUnsafe(ref d, i);
            last.StoreUnsafe(ref d, n - W);
            return;
        }

        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<float>.Count)
        {
            const int W = 4;
            Vector128<float> last = TOp.Invoke(a.At128(n - W), b.At128(n - W), c.At128(n - W), e.At128(n - W));
            nuint i = 0;
            for (; i + W <= n; i += W) TOp.Invoke(a.At128(i), b.At128(i), c.At128(i), e.At128(i)).StoreUnsafe(ref d, i);
            last.StoreUnsafe(ref d, n - W);
            return;
        }

        for (nuint i = 0; i < n; i++) Unsafe.Add(ref d, i) = TOp.Invoke(a.At(i), b.At(i), c.At(i), e.At(i));
    }
}
