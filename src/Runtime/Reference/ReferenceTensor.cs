using System;
using System.Text;
using GraphSampling.Ir;

namespace GraphSampling.Runtime.Reference
{
    /// <summary>
    /// The declared type of one value as the reference interpreter derives it from node attributes: dtype, dims at full
    /// capacity (dims[0] is the batch capacity when <see cref="Batched"/>), and whether axis 0 is the batch.
    /// </summary>
    internal sealed class StaticType
    {
        public StaticType(DType dtype, int[] dims, bool batched)
        {
            DType = dtype;
            Dims = dims;
            Batched = batched;
        }

        public DType DType { get; }
        public int[] Dims { get; }
        public bool Batched { get; }
        public int Rank => Dims.Length;

        /// <summary>The shape of the value in a call that runs <paramref name="batch"/> rows.</summary>
        public int[] Live(int batch)
        {
            var d = (int[])Dims.Clone();
            if (Batched) d[0] = batch;
            return d;
        }

        public override string ToString() => (DType == DType.Float32 ? "float" : "int64") + Dims.Format(Batched);
    }

    /// <summary>One evaluated value: its live shape and its elements in row-major order (doubles or int64s).</summary>
    internal sealed class RefTensor
    {
        public RefTensor(int[] shape, double[] floats)
        {
            Shape = shape;
            Floats = floats;
            if (floats.Length != ShapeMath.Size(shape)) throw new InvalidOperationException("Internal error: tensor size does not match its shape.");
        }

        public RefTensor(int[] shape, long[] ints)
        {
            Shape = shape;
            Ints = ints;
            if (ints.Length != ShapeMath.Size(shape)) throw new InvalidOperationException("Internal error: tensor size does not match its shape.");
        }

        public int[] Shape { get; }
        public double[]? Floats { get; }
        public long[]? Ints { get; }
        public bool IsFloat => Floats is not null;
        public double[] F => Floats ?? throw new InvalidOperationException("Internal error: an int64 value was read as float.");
        public long[] I => Ints ?? throw new InvalidOperationException("Internal error: a float value was read as int64.");
        public int Size => Floats?.Length ?? Ints!.Length;
    }

    /// <summary>Small helpers over dims arrays (row-major).</summary>
    internal static class ShapeMath
    {
        public static int Size(int[] dims) => Product(dims, 0, dims.Length);

        /// <summary>Product of dims[from..to).</summary>
        public static int Product(int[] dims, int from, int to)
        {
            long n = 1;
            for (int i = from; i < to; i++) n *= dims[i];
            return checked((int)n);
        }

        public static string Format(this int[] dims, bool batched = false)
        {
            var sb = new StringBuilder("[");
            for (int i = 0; i < dims.Length; i++)
            {
                if (i > 0) sb.Append(", ");
                if (i == 0 && batched) sb.Append("B=");
                sb.Append(dims[i]);
            }
            return sb.Append(']').ToString();
        }

        /// <summary>Multi-index of a flat row-major position, rendered like <c>[1, 0]</c>.</summary>
        public static string IndexOf(int[] dims, int flat)
        {
            var idx = new int[dims.Length];
            for (int a = dims.Length - 1; a >= 0; a--)
            {
                if (dims[a] == 0) break;
                idx[a] = flat % dims[a];
                flat /= dims[a];
            }
            return idx.Format();
        }

        /// <summary>
        /// For each element of <paramref name="outDims"/>, the flat index of the element of <paramref name="srcDims"/>
        /// it reads under numpy broadcasting aligned at the last axis (a src dim of 1 repeats; missing leading axes repeat).
        /// </summary>
        public static int[] BroadcastMap(int[] srcDims, int[] outDims)
        {
            int rank = outDims.Length, offset = rank - srcDims.Length;
            var srcStride = new int[rank];
            int stride = 1;
            for (int a = rank - 1; a >= 0; a--)
            {
                int s = a - offset;
                if (s < 0) continue;
                if (srcDims[s] == outDims[a]) srcStride[a] = stride;
                else if (srcDims[s] != 1) throw new InvalidOperationException("Internal error: " + srcDims.Format() + " does not broadcast to " + outDims.Format() + ".");
                stride *= srcDims[s];
            }
            int size = Size(outDims);
            var map = new int[size];
            var idx = new int[rank];
            for (int f = 0; f < size; f++)
            {
                int src = 0;
                for (int a = 0; a < rank; a++) src += idx[a] * srcStride[a];
                map[f] = src;
                for (int a = rank - 1; a >= 0; a--)
                {
                    if (++idx[a] < outDims[a]) break;
                    idx[a] = 0;
                }
            }
            return map;
        }
    }

    /// <summary>Scalar math the reference needs beyond <see cref="Math"/>.</summary>
    internal static class RefMath
    {
        /// <summary>
        /// log(1 + x) accurate for small x (the compensated form log(u)·x/(u−1) with u = 1 + x). .NET's
        /// <c>double.LogP1</c> is the naive log(1 + x), which loses the low bits the sigmoid loss needs.
        /// </summary>
        public static double Log1p(double x)
        {
            double u = 1.0 + x;
            if (u == 1.0) return x;
            if (double.IsInfinity(u) || u <= 0) return Math.Log(u);
            return Math.Log(u) * x / (u - 1.0);
        }

        /// <summary>Floor division (Python <c>//</c>), which the partition formulas of spec 2.2 are written in.</summary>
        public static long FloorDiv(long a, long b)
        {
            long q = a / b;
            if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
            return q;
        }

        /// <summary>Floor modulo (Python <c>%</c>): the result has the sign of <paramref name="b"/>.</summary>
        public static long FloorMod(long a, long b) => a - FloorDiv(a, b) * b;
    }
}
