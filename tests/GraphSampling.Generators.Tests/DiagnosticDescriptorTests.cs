using System.IO;
using System.Linq;
using System.Reflection;
using GraphSampling.Generators.Diagnostics;
using GraphSampling.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace GraphSampling.Generators.Tests
{
    /// <summary>Every descriptor has a unique id, a help page under docs/diagnostics and a help link to it; the analyzers only
    /// report ids that have descriptors.</summary>
    public sealed class DiagnosticDescriptorTests
    {
        private static DiagnosticDescriptor[] All => typeof(DiagnosticDescriptors)
            .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToArray();

        [Fact]
        public void Ids_are_unique_and_cover_the_documented_set()
        {
            var ids = All.Select(d => d.Id).OrderBy(i => i, System.StringComparer.Ordinal).ToArray();
            Assert.Equal(ids.Distinct().Count(), ids.Length);
            Assert.Equal(new[] { "GS0001", "GS1001", "GS1002", "GS1003", "GS1004", "GS1005", "GS1006", "GS2001", "GS2002", "GS2003", "GS2004", "GS2005", "GS2006", "GS3001", "GS4001" }, ids);
        }

        [Fact]
        public void Every_id_has_a_help_page_and_a_help_link_to_it()
        {
            string docs = Path.Combine(SnapshotAssert.RepositoryRoot, "docs", "diagnostics");
            foreach (var d in All)
            {
                string page = Path.Combine(docs, d.Id + ".md");
                Assert.True(File.Exists(page), "missing " + page);
                Assert.StartsWith("# " + d.Id + ":", File.ReadLines(page).First());
                Assert.False(string.IsNullOrWhiteSpace(d.Title.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                // No link to a site: without the build's help folder there is none, with it the page's file, which opens.
                Assert.Equal("", d.HelpLinkUri);
                var linked = DiagnosticDescriptors.WithHelp(d, docs + Path.DirectorySeparatorChar);
                Assert.Equal(d.Id, linked.Id);
                string local = new System.Uri(linked.HelpLinkUri).LocalPath;
                Assert.Equal(Path.GetFullPath(page), local);
                Assert.StartsWith("# " + d.Id + ":", File.ReadLines(local).First());
            }
        }

        /// <summary>The help folder as the build passes it to the analyzers (a compiler-visible property).</summary>
        private sealed class HelpFolderOptions : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
        {
            private readonly Options _global;
            public HelpFolderOptions(string folder) => _global = new Options(folder);
            public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions => _global;
            public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _global;
            public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _global;

            private sealed class Options : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
            {
                private readonly string _folder;
                public Options(string folder) => _folder = folder;
                public override bool TryGetValue(string key, out string value)
                {
                    value = key == DiagnosticDescriptors.HelpFolderProperty ? _folder : "";
                    return key == DiagnosticDescriptors.HelpFolderProperty;
                }
            }
        }

        [Fact]
        public async System.Threading.Tasks.Task A_reported_diagnostics_help_link_opens_its_page_in_the_folder_the_build_names()
        {
            string docs = Path.Combine(SnapshotAssert.RepositoryRoot, "docs", "diagnostics") + Path.DirectorySeparatorChar;
            var compilation = GeneratorHarness.CreateCompilation(AnalyzerTests.Graph("""
                var h = g.Input<float>("h", Batch, 128);
                var w = g.Parameter("w", 256, 10);
                return g.ReduceSum(g.MatMul(h, w), axis: 1);
                """));
            var options = new Microsoft.CodeAnalysis.Diagnostics.AnalyzerOptions(System.Collections.Immutable.ImmutableArray<AdditionalText>.Empty, new HelpFolderOptions(docs));
            var diagnostics = await Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzerExtensions.WithAnalyzers(compilation, AnalyzerHarness.Analyzers, options).GetAnalyzerDiagnosticsAsync(TestContext.Current.CancellationToken);
            var d = Assert.Single(diagnostics);
            Assert.Equal("GS2001", d.Id);
            string page = new System.Uri(d.Descriptor.HelpLinkUri).LocalPath;
            Assert.StartsWith("# GS2001:", File.ReadLines(page).First());
        }

        [Fact]
        public void Every_page_names_a_live_id_and_shows_a_bad_and_a_fixed_example()
        {
            string docs = Path.Combine(SnapshotAssert.RepositoryRoot, "docs", "diagnostics");
            var ids = All.Select(d => d.Id).ToHashSet();
            foreach (string page in Directory.GetFiles(docs, "*.md"))
            {
                string id = Path.GetFileNameWithoutExtension(page);
                Assert.True(ids.Contains(id), page + " documents no diagnostic the analyzers have (a stale page)");
                if (id == "GS0001") continue;   // the generator's own bug report: there is no graph to fix
                string text = File.ReadAllText(page);
                foreach (string section in new[] { "## When it appears", "## Example", "## How to fix" })
                {
                    Assert.True(text.Contains("\n" + section + "\n"), page + " lacks the section '" + section + "'");
                }
                int example = text.IndexOf("\n## Example\n", System.StringComparison.Ordinal), fix = text.IndexOf("\n## How to fix\n", System.StringComparison.Ordinal);
                Assert.True(text.IndexOf("```csharp", example, System.StringComparison.Ordinal) is int bad && bad > example && bad < fix, page + ": no code under '## Example'");
                Assert.True(text.IndexOf("```csharp", fix, System.StringComparison.Ordinal) > fix, page + ": no fixed code under '## How to fix'");
                Assert.Contains("// " + id, text);   // the bad example marks the line that reports it
            }
        }

        [Fact]
        public void Analyzers_support_only_known_descriptors_and_together_cover_every_user_facing_id()
        {
            var known = All.Select(d => d.Id).ToHashSet();
            var supported = AnalyzerHarness.Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet();
            Assert.Subset(known, supported);
            // GS0001 is the generator's own; everything else is reported by an analyzer, with a source location.
            Assert.Equal(known.Where(i => i != "GS0001").OrderBy(i => i, System.StringComparer.Ordinal), supported.OrderBy(i => i, System.StringComparer.Ordinal));
        }
    }
}
