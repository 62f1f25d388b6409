using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace GraphSampling.CodeFixes.Tests
{
    /// <summary>
    /// What the testing framework compiles against, without downloading anything (CI cannot): an empty net10.0 reference
    /// set plus the SDK's own reference pack (packs/Microsoft.NETCore.App.Ref/10.x/ref/net10.0) and the DSL assembly.
    /// </summary>
    internal static class TestReferences
    {
        public static ReferenceAssemblies Net10 { get; } = new ReferenceAssemblies("net10.0");

        private static readonly Lazy<MetadataReference[]> s_references = new Lazy<MetadataReference[]>(() =>
        {
            string shared = Path.GetDirectoryName(typeof(object).Assembly.Location)!;        // <root>/shared/Microsoft.NETCore.App/10.x
            string root = Path.GetFullPath(Path.Combine(shared, "..", "..", ".."));
            string packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
            string pack = Directory.GetDirectories(packs)
                .Where(d => Path.GetFileName(d).StartsWith("10.", StringComparison.Ordinal))
                .OrderBy(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version(0, 0))
                .LastOrDefault() ?? throw new InvalidOperationException("No .NET 10 reference pack under " + packs);
            var framework = Directory.GetFiles(Path.Combine(pack, "ref", "net10.0"), "*.dll").Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
            return framework.Append(MetadataReference.CreateFromFile(typeof(GraphSampling.GraphBuilder).Assembly.Location)).ToArray();
        });

        public static MetadataReference[] All => s_references.Value;

        /// <summary>A test with this project's references in both its starting and its fixed state.</summary>
        public static T With<T>(this T test) where T : AnalyzerTest<DefaultVerifier>
        {
            test.ReferenceAssemblies = Net10;
            test.TestState.AdditionalReferences.AddRange(All);
            return test;
        }
    }
}
