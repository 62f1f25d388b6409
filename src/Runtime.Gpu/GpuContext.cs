using System;
using System.Globalization;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace GraphSampling.Runtime.Gpu
{
    /// <summary>
    /// One ILGPU <see cref="Context"/> and the accelerator the GPU backend runs on: the first CUDA device when the
    /// machine has one, otherwise ILGPU's CPU accelerator (slow, but it runs every kernel, so tests and CI work without
    /// a GPU). <see cref="Description"/> says which device was chosen and <see cref="FallbackReason"/> why the CPU was.
    /// </summary>
    public sealed class GpuContext : IDisposable
    {
        private GpuContext(Context context, Accelerator accelerator, string? fallbackReason)
        {
            Context = context;
            Accelerator = accelerator;
            FallbackReason = fallbackReason;
            Description = string.Format(
                CultureInfo.InvariantCulture,
                "{0} '{1}': warp size {2}, up to {3} threads per group, {4}",
                accelerator.AcceleratorType,
                accelerator.Name,
                accelerator.WarpSize,
                accelerator.MaxNumThreadsPerGroup,
                DescribeMemory(accelerator));
            try
            {
                // The op error record is the context's one device allocation of its own: made here, so that no op
                // (and no step of a generated program) allocates device memory, not even the first.
                _opKernels = new Ops.OpKernels(this);
            }
            catch
            {
                accelerator.Dispose();
                throw;
            }
        }

        /// <summary>The ILGPU context (algorithms enabled, so XMath and the cuBLAS binding are available).</summary>
        public Context Context { get; }

        /// <summary>The accelerator every buffer and kernel of this context lives on.</summary>
        public Accelerator Accelerator { get; }

        /// <summary>True when <see cref="Accelerator"/> is a CUDA device.</summary>
        public bool IsCuda => Accelerator.AcceleratorType == AcceleratorType.Cuda;

        /// <summary>What device runs the kernels: kind, name, warp size, group size and memory.</summary>
        public string Description { get; }

        /// <summary>Why the CPU accelerator was chosen instead of a CUDA device; null when running on CUDA or when the
        /// CPU accelerator was asked for explicitly (<see cref="CreateCpu"/>).</summary>
        public string? FallbackReason { get; }

        /// <summary>
        /// The first CUDA device, or ILGPU's CPU accelerator with <see cref="FallbackReason"/> set when there is none
        /// (no driver, no device, or the device failed to start).
        /// </summary>
        public static GpuContext Create()
        {
            Context context = Context.Create(b => b.Cuda().CPU(SmallCpuDevice()).EnableAlgorithms());
            string reason;
            try
            {
                if (context.GetCudaDevices().Count > 0)
                {
                    return new GpuContext(context, context.CreateCudaAccelerator(0), null);
                }

                reason = "no CUDA device was found (no NVIDIA driver, or no device visible to this process)";
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                reason = "the CUDA device failed to start: " + e.Message;
            }

            return CreateCpuAccelerator(context, "running on ILGPU's CPU accelerator because " + reason + ".");
        }

        /// <summary>
        /// ILGPU's CPU accelerator on a small simulated device (warp 4, 16 warps, one multiprocessor: at most 64 threads
        /// per group). The default Nvidia-like CPU device starts about a thousand threads, which makes tests crawl.
        /// </summary>
        public static GpuContext CreateCpu() =>
            CreateCpuAccelerator(Context.Create(b => b.CPU(SmallCpuDevice()).EnableAlgorithms()), null);

        /// <summary>Whether this machine has a CUDA device ILGPU can use (creates and drops a context to find out).</summary>
        public static bool CudaAvailable()
        {
            try
            {
                using Context probe = Context.Create(b => b.Cuda());
                return probe.GetCudaDevices().Count > 0;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return false;
            }
        }

        /// <summary>Makes sure every kernel launched so far has finished; failures are rethrown naming <paramref name="op"/>.</summary>
        public void Synchronize(string op)
        {
            try
            {
                Accelerator.Synchronize();
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException(op, null, e);
            }
        }

        /// <summary>The launchers of <see cref="Ops.DeviceOps"/> on this context, each loaded (compiled) at its first use and
        /// kept, and the op error record (one long on the device), allocated in the constructor.</summary>
        internal Ops.OpKernels OpKernels => _opKernels;

        private readonly Ops.OpKernels _opKernels;

        /// <inheritdoc/>
        public void Dispose()
        {
            _opKernels.Dispose();
            Accelerator.Dispose();
            Context.Dispose();
        }

        private static CPUDevice SmallCpuDevice() => new CPUDevice(4, 16, 1);

        private static GpuContext CreateCpuAccelerator(Context context, string? reason)
        {
            try
            {
                return new GpuContext(context, context.CreateCPUAccelerator(0), reason);
            }
            catch
            {
                context.Dispose();
                throw;
            }
        }

        private static string DescribeMemory(Accelerator accelerator) =>
            accelerator.AcceleratorType == AcceleratorType.CPU
                ? "host memory"
                : (accelerator.MemorySize / (1024.0 * 1024 * 1024)).ToString("F1", CultureInfo.InvariantCulture) + " GiB of device memory";
    }
}
