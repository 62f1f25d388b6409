using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace GraphSampling.Runtime.Gpu
{
    /// <summary>One device kernel of this assembly.</summary>
    /// <param name="Name">Declaring type and method, for messages.</param>
    /// <param name="Method">The kernel method.</param>
    /// <param name="Grouping">How it is launched (and so which entry-point description compiles it).</param>
    public sealed record DeviceKernelInfo(string Name, MethodInfo Method, KernelGrouping Grouping);

    /// <summary>The single list of device kernels: every static method of this assembly marked <see cref="DeviceKernelAttribute"/>.</summary>
    public static class KernelRegistry
    {
        private static readonly Lazy<IReadOnlyList<DeviceKernelInfo>> LazyAll = new(Discover);

        /// <summary>Every kernel, ordered by name (ordinal).</summary>
        public static IReadOnlyList<DeviceKernelInfo> All => LazyAll.Value;

        private static IReadOnlyList<DeviceKernelInfo> Discover() =>
            typeof(KernelRegistry).Assembly.GetTypes()
                .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                .Select(m => (Method: m, Attribute: m.GetCustomAttribute<DeviceKernelAttribute>()))
                .Where(p => p.Attribute is not null)
                .Select(p => new DeviceKernelInfo(p.Method.DeclaringType!.Name + "." + p.Method.Name, p.Method, p.Attribute!.Grouping))
                .OrderBy(k => k.Name, StringComparer.Ordinal)
                .ToArray();
    }
}
