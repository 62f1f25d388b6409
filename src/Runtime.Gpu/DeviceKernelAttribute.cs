using System;

namespace GraphSampling.Runtime.Gpu
{
    /// <summary>How a kernel is launched, which decides how ILGPU compiles its entry point.</summary>
    public enum KernelGrouping
    {
        /// <summary>First parameter is an index (<c>Index1D</c>...); ILGPU picks the group size.</summary>
        Implicit,

        /// <summary>No index parameter; the kernel reads <c>Grid</c>/<c>Group</c> and may use shared memory.</summary>
        Explicit,
    }

    /// <summary>
    /// Marks a static method as a device kernel. <see cref="KernelRegistry"/> lists every marked method, the PTX test
    /// compiles each one, and <see cref="KernelLoader"/> refuses to load an unmarked one, so a kernel cannot be added
    /// without being compiled for CUDA in CI.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class DeviceKernelAttribute : Attribute
    {
        /// <summary>Marks a kernel launched with the given grouping.</summary>
        public DeviceKernelAttribute(KernelGrouping grouping) => Grouping = grouping;

        /// <summary>How the kernel is launched.</summary>
        public KernelGrouping Grouping { get; }
    }
}
