using System;
using ILGPU;
using ILGPU.Runtime;

namespace GraphSampling.Runtime.Gpu
{
    /// <summary>
    /// An ILGPU or CUDA failure (compilation, allocation, launch, copy) rethrown with the op and the tensor it concerns,
    /// so that "out of memory" or "unsupported instruction" says which buffer or kernel of the graph caused it.
    /// </summary>
    public sealed class GpuOperationException : Exception
    {
        /// <summary>Wraps <paramref name="inner"/>, naming the op and, when known, the tensor.</summary>
        public GpuOperationException(string op, string? tensor, Exception inner)
            : base(Format(op, tensor, inner), inner)
        {
            Op = op;
            Tensor = tensor;
        }

        /// <summary>The op (kernel or runtime step) that failed.</summary>
        public string Op { get; }

        /// <summary>The tensor or buffer concerned, or null.</summary>
        public string? Tensor { get; }

        /// <summary>Whether <paramref name="e"/> comes from ILGPU or the device (and so should be wrapped).</summary>
        internal static bool IsDeviceError(Exception e) =>
            e is AcceleratorException or InternalCompilerException or NotSupportedException or InvalidKernelOperationException
                || (e.GetType().Namespace?.StartsWith("ILGPU", StringComparison.Ordinal) ?? false);

        private static string Format(string op, string? tensor, Exception inner) =>
            "GPU op '" + op + "'" + (tensor is null ? "" : " on tensor '" + tensor + "'") + " failed: " + inner.Message;
    }
}
