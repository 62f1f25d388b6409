using GraphSampling.Runtime.Gpu.Ops;
using ILGPU;

namespace GraphSampling.Runtime.Gpu.Buffers
{
    /// <summary>
    /// The kernels of <see cref="DeviceSparseRowGradient"/> (sorted-key de-duplication): entries are 64-bit keys <c>id · 2^32 + position</c>
    /// (position = the entry's index over all id lists of the step, in <c>AddIds</c> order; padding and unused slots are
    /// <see cref="long.MaxValue"/>), bitonic-sorted so that each id's entries are contiguous and in position order, then
    /// numbered by an inclusive scan of the "first of its id" flags.
    /// </summary>
    public static class SparseGradientKernels
    {
        /// <summary>The key of an entry that holds no id.</summary>
        public const long Empty = long.MaxValue;

        /// <summary>Key of entry position + n; ids outside [0, tableRows) other than negative ones are recorded in error.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void WriteKeys(Index1D n, int position, int tableRows, ArrayView<long> ids, ArrayView<long> keys, ArrayView<int> error)
        {
            long id = ids[n];
            int at = position + n.X;
            if (id >= tableRows)
            {
                Atomic.Max(ref error[0], at + 1);
                keys[at] = Empty;
                return;
            }

            keys[at] = id < 0 ? Empty : (id << 32) | (uint)at;
        }

        /// <summary>One compare-exchange step (k, j) of a bitonic sort of <c>keys</c> (a power-of-two length), ascending.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void BitonicStep(Index1D i, int j, int k, ArrayView<long> keys)
        {
            int partner = i.X ^ j;
            if (partner <= i.X)
            {
                return;
            }

            long a = keys[i];
            long b = keys[partner];
            bool ascending = (i.X & k) == 0;
            if ((a > b) == ascending)
            {
                keys[i] = b;
                keys[partner] = a;
            }
        }

        /// <summary>flags[i] = 1 when sorted entry i holds an id that differs from entry i − 1's.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void FirstFlags(Index1D i, ArrayView<long> keys, ArrayView<int> flags)
        {
            long key = keys[i];
            flags[i] = key != Empty && (i.X == 0 || (keys[i.X - 1] >> 32) != (key >> 32)) ? 1 : 0;
        }

        /// <summary>One Hillis–Steele step of an inclusive scan: to[i] = from[i] + from[i − offset].</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void ScanStep(Index1D i, int offset, ArrayView<int> from, ArrayView<int> to) =>
            to[i] = i.X >= offset ? from[i] + from[i.X - offset] : from[i];

        /// <summary>Unique ids (ascending), each id's first sorted entry, the end of the last one, and the count.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void Compact(Index1D i, ArrayView<long> keys, ArrayView<int> scan, ArrayView<long> uniqueIds, ArrayView<int> segmentStart, ArrayView<int> count)
        {
            long key = keys[i];
            if (key == Empty)
            {
                return;
            }

            int slot = scan[i] - 1;
            long id = key >> 32;
            if (i.X == 0 || (keys[i.X - 1] >> 32) != id)
            {
                uniqueIds[slot] = id;
                segmentStart[slot] = i.X;
            }

            if (i.X == keys.IntLength - 1 || keys[i.X + 1] == Empty)
            {
                segmentStart[slot + 1] = i.X + 1;
                count[0] = slot + 1;
            }
        }

        /// <summary>Zeroes the rows of the unique ids (element t of [capacity, width]).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void ZeroRows(Index1D t, int width, ArrayView<int> count, ArrayView<float> rows)
        {
            if (t.X / width < count[0])
            {
                rows[t] = 0.0f;
            }
        }

        /// <summary>
        /// Element (slot, c): adds to the slot's row, in position order, column c of every row of one id list
        /// (positions [position, position + length)) whose id is the slot's: the additions <c>SparseRowGradient.AddRows</c>
        /// makes, in its order, so the sums are the same floats.
        /// </summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void AddRows(Index1D t, int width, int position, int length, ArrayView<long> keys, ArrayView<int> segmentStart, ArrayView<int> count, ArrayView<float> source, ArrayView<float> rows)
        {
            int slot = t.X / width;
            if (slot >= count[0])
            {
                return;
            }

            int c = t.X - (slot * width);
            float acc = rows[t];
            int end = segmentStart[slot + 1];
            for (int e = segmentStart[slot]; e < end; e++)
            {
                int at = (int)(keys[e] & 0xFFFFFFFFL) - position;
                if (at >= 0 && at < length)
                {
                    acc += source[((long)at * width) + c];
                }
            }

            rows[t] = acc;
        }

        /// <summary>Σ g² over the count · width floats of the rows in order, in double (<c>Optimizer.SquaredNorm</c>); one thread.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void SquaredNorm(Index1D t, int width, ArrayView<int> count, ArrayView<float> rows, ArrayView<double> result)
        {
            long n = (long)count[0] * width;
            double sum = 0.0;
            for (long i = 0; i < n; i++)
            {
                double g = rows[i];
                sum += DeviceMathMul(g, g);
            }

            result[0] = sum;
        }

        private static double DeviceMathMul(double a, double b) => GraphSampling.Runtime.Gpu.Sampling.DeviceMath.Mul(a, b);
    }
}
