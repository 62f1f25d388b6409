using System;
using ILGPU;
using ILGPU.Runtime;

namespace GraphSampling.Runtime.Gpu.Ops
{
    /// <summary>
    /// The device versions of the CPU runtime's ops that a generated <c>GpuProgram</c> calls (one file per family, as
    /// <c>src/Runtime/Ops</c>): each takes the <see cref="GpuContext"/> first, then device views
    /// (<see cref="ArrayView{T}"/> throughout, the type <see cref="Buffers.DeviceParameterTable"/> and
    /// <see cref="Gemm.DeviceGemm"/> use) and ints for shapes and strides, with the semantics of the CPU function of the
    /// same name (docs/gpu.md lists them with their tolerances). Every buffer is the caller's; a call allocates nothing
    /// on the device and only launches kernels on the accelerator's default stream (asynchronously on CUDA). Kernels are
    /// loaded at their first use per context and kept. Sizes are checked on the host (an
    /// <see cref="ArgumentException"/> naming the op and tensor); values the device finds wrong (a label row of only
    /// padding, a label out of range) are recorded and reported by <see cref="ThrowIfFailed"/>; ILGPU and CUDA
    /// failures are rethrown as <see cref="GpuOperationException"/> with the op and tensor.
    /// </summary>
    public static partial class DeviceOps
    {
        /// <summary>
        /// Throws if a kernel launched since the last check recorded a bad value (and clears the record): this waits for
        /// the device. The message names the op, the row and <paramref name="tensor"/> when given.
        /// </summary>
        public static void ThrowIfFailed(GpuContext gpu, string? tensor = null)
        {
            ArgumentNullException.ThrowIfNull(gpu);
            OpKernels k = gpu.OpKernels;
            long record = 0;
            try
            {
                k.Error.CopyToCPU(ref record, 1);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("check op errors", tensor, e);
            }

            if (record == 0)
            {
                return;
            }

            Clear(gpu, k.Error);
            int code = (int)(record >> 32);
            int row = (int)(record & 0xFFFF_FFFFL) - 1;
            string where = tensor is null ? "" : " ('" + tensor + "')";
            throw new InvalidOperationException(code switch
            {
                LossKernels.EmptyLabelRow => "label weights" + where + ": labels row " + row + " holds only padding (-1); every row needs at least one true class.",
                LossKernels.LabelOutOfRange => "sparse softmax cross-entropy" + where + ": the label of row " + row + " is outside [0, cols) (its loss and gradient are NaN).",
                _ => "A device op" + where + " recorded error " + code + " at position " + row + ".",
            });
        }

        private static void Clear(GpuContext gpu, ArrayView<long> error)
        {
            try
            {
                error.MemSetToZero();
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("clear op errors", null, e);
            }
        }

        private static GpuOperationException Fail(string op, string? tensor, Exception e) => new(op, tensor, e);

        private static void Need(long length, long needed, string op, string? tensor, string parameter)
        {
            if (length < needed)
            {
                throw new ArgumentException(op + (tensor is null ? "" : " '" + tensor + "'") + ": " + parameter + " holds " + length + " elements; " + needed + " are needed.", parameter);
            }
        }

        private static void NonNegative(int value, string op, string parameter, string? tensor = null)
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(parameter, value, op + Named(tensor) + ": " + parameter + " must be non-negative.");
            }
        }

        private static int Elements(long count, string op, string? tensor = null)
        {
            if (count > int.MaxValue)
            {
                throw new ArgumentException(op + Named(tensor) + ": " + count + " elements exceed one launch (2^31 - 1 threads).");
            }

            return (int)count;
        }

        /// <summary>Rows <paramref name="stride"/> apart must not overlap (a write-write race, or for a negative stride an
        /// index below the view): at least <paramref name="cols"/> when there is more than one row, as <c>Kernels.Fused</c>
        /// requires.</summary>
        private static void RowStride(int stride, int rows, int cols, string op, string? tensor, string parameter)
        {
            if (rows > 1 && stride < cols)
            {
                throw new ArgumentOutOfRangeException(parameter, stride, op + Named(tensor) + ": " + parameter + " is " + stride + "; rows of " + cols + " need a stride of at least " + cols + ".");
            }
        }

        /// <summary>Whether two views share elements of one buffer; <paramref name="offset"/> is where
        /// <paramref name="a"/> starts relative to <paramref name="b"/> (0: the same first element).</summary>
        private static bool Overlaps<T>(ArrayView<T> a, ArrayView<T> b, out long offset)
            where T : unmanaged
        {
            offset = 0;
            if (a.Length == 0 || b.Length == 0 || !ReferenceEquals(BufferOf(a), BufferOf(b))) return false;
            long ai = IndexOf(a), bi = IndexOf(b);
            offset = ai - bi;
            return ai < bi + b.Length && bi < ai + a.Length;
        }

        /// <summary>Throws when two views share elements of one buffer (a kernel would read what another thread writes).</summary>
        private static void NoOverlap<T>(ArrayView<T> a, ArrayView<T> b, string op, string? tensor, string parameter, string other = "the logits")
            where T : unmanaged
        {
            if (Overlaps(a, b, out _))
            {
                throw new ArgumentException(op + Named(tensor) + ": " + parameter + " overlaps " + other + ".", parameter);
            }
        }

        /// <summary>Throws when <paramref name="read"/> shares elements with <paramref name="written"/> other than as
        /// exactly the same elements (same first element, <paramref name="sameLayout"/>): in place is safe (each thread
        /// reads only the element it writes), any other alias is a race.</summary>
        private static void InPlaceOnly<T>(ArrayView<T> read, ArrayView<T> written, bool sameLayout, string op, string? tensor, string parameter)
            where T : unmanaged
        {
            if (Overlaps(read, written, out long offset) && !(offset == 0 && sameLayout))
            {
                throw new ArgumentException(op + Named(tensor) + ": " + parameter + " overlaps the destination other than as the same elements in place.", parameter);
            }
        }

        // Constrained generic calls reach the views' explicit interface members without boxing.
        private static object? BufferOf<TView>(TView view)
            where TView : struct, IArrayView => view.Buffer;

        private static long IndexOf<TView>(TView view)
            where TView : struct, IContiguousArrayView => view.Index;

        private static string Named(string? tensor) => tensor is null ? "" : " '" + tensor + "'";
    }
}
