using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace GraphSampling.Generators.Tests.Harness
{
    /// <summary>
    /// The metadata references a test compilation needs: the framework (from TRUSTED_PLATFORM_ASSEMBLIES, restricted to
    /// the shared framework directory so that test-only assemblies such as xunit and the generator itself stay out), the
    /// DSL assembly (GraphSampling.Graph) and the runtime the generated code calls (GraphSampling.Runtime).
    /// </summary>
    internal static class References
    {
        private static readonly Lazy<ImmutableArray<MetadataReference>> s_all = new Lazy<ImmutableArray<MetadataReference>>(Load);

        private static readonly Lazy<ImmutableArray<MetadataReference>> s_withGpu = new Lazy<ImmutableArray<MetadataReference>>(() => s_all.Value.AddRange(
            new[] { typeof(GraphSampling.Runtime.Gpu.GpuContext).Assembly.Location, typeof(ILGPU.Context).Assembly.Location, typeof(ILGPU.Algorithms.XMath).Assembly.Location }
                .Distinct(StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))));

        public static ImmutableArray<MetadataReference> All => s_all.Value;

        /// <summary><see cref="All"/> plus GraphSampling.Runtime.Gpu and ILGPU: a compilation that gets the GPU file.</summary>
        public static ImmutableArray<MetadataReference> WithGpu => s_withGpu.Value;

        private static ImmutableArray<MetadataReference> Load()
        {
            string tpa = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string
                ?? throw new InvalidOperationException("TRUSTED_PLATFORM_ASSEMBLIES is not set.");
            string frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var paths = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                if (string.Equals(Path.GetDirectoryName(path), frameworkDir, StringComparison.Ordinal)) paths.Add(path);
            }
            // The generator assembly links the IR sources too; it must not be referenced, or GraphSampling.Ir types would be ambiguous.
            paths.Add(typeof(GraphSampling.GraphBuilder).Assembly.Location);
            paths.Add(typeof(GraphSampling.Runtime.Buffers.Workspace).Assembly.Location);
            return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
        }
    }
}
