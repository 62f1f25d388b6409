using System;
using System.Reflection;
using ILGPU.Runtime;

namespace GraphSampling.Runtime.Gpu
{
    /// <summary>
    /// Loads a kernel once (at construction of its owner; the launcher delegate is kept, never reloaded per call),
    /// after checking that it is in <see cref="KernelRegistry"/> with the grouping it is loaded for, and rethrows ILGPU
    /// compile errors naming the op.
    /// </summary>
    internal static class KernelLoader
    {
        public static TLauncher Load<TLauncher>(GpuContext context, string op, Delegate kernel, KernelGrouping grouping, Func<Accelerator, TLauncher> load)
        {
            MethodInfo method = kernel.Method;
            DeviceKernelAttribute? mark = method.GetCustomAttribute<DeviceKernelAttribute>();
            if (mark is null || mark.Grouping != grouping)
            {
                throw new InvalidOperationException(
                    "Kernel " + method.DeclaringType?.Name + "." + method.Name + " must be marked [DeviceKernel(KernelGrouping." + grouping
                    + ")] so that the PTX compile check covers it.");
            }

            try
            {
                return load(context.Accelerator);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException(op, null, e);
            }
        }
    }
}
