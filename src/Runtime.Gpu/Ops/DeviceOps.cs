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
            Span<int> record = stackalloc int[2];
            try
            {
                k.Error.CopyToCPU(ref record[0], 2);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("check op errors", tensor, e);
            }

            if (record[0] == 0)
            {
                return;
            }

            Clear(gpu, k.Error);
            int row = record[1] - 1;
            string where = tensor is null ? "" : " ('" + tensor + "')";
            throw new InvalidOperationException(record[0] switch
            {
                LossKernels.EmptyLabelRow => "label weights" + where + ": labels row " + row + " holds only padding (-1); every row needs at least one true class.",
                LossKernels.LabelOutOfRange => "sparse softmax cross-entropy" + where + ": the label of row " + row + " is outside [0, cols) (its loss and gradient are NaN).",
                _ => "A device op" + where + " recorded error " + record[0] + " at position " + row + ".",
            });
        }

        private static void Clear(GpuContext gpu, ArrayView<int> error)
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

        private static void NonNegative(int value, string op, string parameter)
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(parameter, value, op + ": " + parameter + " must be non-negative.");
            }
        }

        private static int Elements(long count, string op)
        {
            if (count > int.MaxValue)
            {
                throw new ArgumentException(op + ": " + count + " elements exceed one launch (2^31 - 1 threads).");
            }

            return (int)count;
        }
    }
}
