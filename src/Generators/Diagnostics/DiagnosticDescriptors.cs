using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GraphSampling.Generators.Diagnostics
{
    /// <summary>Every GSxxxx diagnostic. Ranges: GS0xxx internal, GS1xxx declaration, GS2xxx shapes and dtypes,
    /// GS3xxx graph semantics, GS4xxx backends. Each id has a page at docs/diagnostics/GSxxxx.md, its help link when the build names that folder.</summary>
    internal static class DiagnosticDescriptors
    {
        /// <summary>
        /// The MSBuild property that names the folder of the diagnostics pages (docs/diagnostics): the package's
        /// build/GraphSampling.props sets it to the pages it ships, this repository's Directory.Build.props to docs/, and
        /// each is passed to the analyzers as a compiler-visible property. A reported diagnostic's help link is the page's
        /// file URI in that folder (<see cref="WithHelp"/>); without the property there is no link rather than a dead one.
        /// </summary>
        public const string HelpFolderProperty = "build_property.GraphSamplingDiagnosticsHelp";

        private static DiagnosticDescriptor Create(string id, string title, string category, DiagnosticSeverity severity, bool configurable = true) =>
            new DiagnosticDescriptor(id, title, "{0}", category, severity, isEnabledByDefault: true, helpLinkUri: null,
                customTags: configurable ? new string[0] : new[] { WellKnownDiagnosticTags.NotConfigurable });

        private static readonly ConcurrentDictionary<(string Id, string Folder), DiagnosticDescriptor> s_withHelp = new ConcurrentDictionary<(string, string), DiagnosticDescriptor>();

        /// <summary>The descriptor with its help link: the page <c>{folder}/{id}.md</c> as a file URI. The analyzers report
        /// this copy (same id, so the compiler accepts it as supported); an empty folder keeps the descriptor as it is.</summary>
        public static DiagnosticDescriptor WithHelp(DiagnosticDescriptor d, string? folder)
        {
            if (string.IsNullOrWhiteSpace(folder)) return d;
            return s_withHelp.GetOrAdd((d.Id, folder!), key =>
            {
                string page;
                try
                {
                    page = new Uri(System.IO.Path.Combine(System.IO.Path.GetFullPath(key.Folder), key.Id + ".md")).AbsoluteUri;
                }
                catch (Exception e) when (e is ArgumentException || e is UriFormatException || e is NotSupportedException || e is System.IO.PathTooLongException)
                {
                    return d;   // a folder that is not a path: no link rather than a wrong one
                }
                return new DiagnosticDescriptor(d.Id, d.Title, d.MessageFormat, d.Category, d.DefaultSeverity, d.IsEnabledByDefault, d.Description, page, d.CustomTags.ToArray());
            });
        }

        /// <summary>The help folder the build passes to the analyzers, or null.</summary>
        public static string? HelpFolder(AnalyzerConfigOptionsProvider options) =>
            options.GlobalOptions.TryGetValue(HelpFolderProperty, out var folder) ? folder : null;

        /// <summary>GS0001: the generator threw. Format: "Generating '{0}' failed: {1}" (graph hint name, exception text).</summary>
        public static readonly DiagnosticDescriptor GeneratorFailed = new DiagnosticDescriptor(
            "GS0001", "The GraphSampling generator failed", "Generating '{0}' failed: {1}", "GraphSampling.Internal",
            DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: null);

        /// <summary>GS1001: a [ComputationGraph] class must be static and partial.</summary>
        public static readonly DiagnosticDescriptor NotStaticPartial = Create("GS1001", "A graph class must be static partial", "GraphSampling.Declaration", DiagnosticSeverity.Error);
        /// <summary>GS1002: the Define method is missing or has the wrong signature.</summary>
        public static readonly DiagnosticDescriptor MissingDefine = Create("GS1002", "Define method missing or malformed", "GraphSampling.Declaration", DiagnosticSeverity.Error);
        /// <summary>GS1003: a statement Define may not contain.</summary>
        public static readonly DiagnosticDescriptor UnsupportedStatement = Create("GS1003", "Unsupported statement in Define", "GraphSampling.Declaration", DiagnosticSeverity.Error);
        /// <summary>GS1004: an op argument that must be a compile-time constant is not.</summary>
        public static readonly DiagnosticDescriptor NonConstantArgument = Create("GS1004", "Op argument must be constant", "GraphSampling.Declaration", DiagnosticSeverity.Error);
        /// <summary>GS1005: an expression that is not a graph op.</summary>
        public static readonly DiagnosticDescriptor NotAnOp = Create("GS1005", "Not a graph op", "GraphSampling.Declaration", DiagnosticSeverity.Error);

        /// <summary>GS1006: a name that would collide with another name, or with one the generated program has.</summary>
        public static readonly DiagnosticDescriptor NameCollision = Create("GS1006", "Name collides in the generated program", "GraphSampling.Declaration", DiagnosticSeverity.Error);

        /// <summary>GS2001: two dimensions that must agree do not.</summary>
        public static readonly DiagnosticDescriptor DimensionMismatch = Create("GS2001", "Dimension mismatch", "GraphSampling.Shapes", DiagnosticSeverity.Error);
        /// <summary>GS2002: a tensor has the wrong rank.</summary>
        public static readonly DiagnosticDescriptor RankMismatch = Create("GS2002", "Rank mismatch", "GraphSampling.Shapes", DiagnosticSeverity.Error);
        /// <summary>GS2003: a tensor has the wrong dtype.</summary>
        public static readonly DiagnosticDescriptor DTypeMismatch = Create("GS2003", "Dtype mismatch", "GraphSampling.Shapes", DiagnosticSeverity.Error);
        /// <summary>GS2004: an attribute value is invalid.</summary>
        public static readonly DiagnosticDescriptor InvalidAttribute = Create("GS2004", "Invalid attribute", "GraphSampling.Shapes", DiagnosticSeverity.Error);
        /// <summary>GS2005: misuse of the batch dimension.</summary>
        public static readonly DiagnosticDescriptor BatchDimension = Create("GS2005", "Batch dimension misuse", "GraphSampling.Shapes", DiagnosticSeverity.Error);
        /// <summary>GS2006: an argument that must be a Parameter is not.</summary>
        public static readonly DiagnosticDescriptor NotAParameter = Create("GS2006", "Argument must be a Parameter", "GraphSampling.Shapes", DiagnosticSeverity.Error);
        /// <summary>GS3001: numSampled incompatible with the class range.</summary>
        public static readonly DiagnosticDescriptor SamplingRange = Create("GS3001", "Sampling range too small", "GraphSampling.Graph", DiagnosticSeverity.Error);
        /// <summary>GS4001: an op that no backend generates: an error at the op, so the build stops there rather than at a
        /// missing program class.</summary>
        public static readonly DiagnosticDescriptor UnsupportedOnCpu = Create("GS4001", "Op not generated by any backend", "GraphSampling.Backend", DiagnosticSeverity.Error);

        private static readonly Dictionary<string, DiagnosticDescriptor> ById = new Dictionary<string, DiagnosticDescriptor>
        {
            [NotStaticPartial.Id] = NotStaticPartial, [MissingDefine.Id] = MissingDefine, [UnsupportedStatement.Id] = UnsupportedStatement,
            [NonConstantArgument.Id] = NonConstantArgument, [NotAnOp.Id] = NotAnOp, [NameCollision.Id] = NameCollision, [DimensionMismatch.Id] = DimensionMismatch,
            [RankMismatch.Id] = RankMismatch, [DTypeMismatch.Id] = DTypeMismatch, [InvalidAttribute.Id] = InvalidAttribute,
            [BatchDimension.Id] = BatchDimension, [NotAParameter.Id] = NotAParameter, [SamplingRange.Id] = SamplingRange,
            [UnsupportedOnCpu.Id] = UnsupportedOnCpu,
        };

        public static DiagnosticDescriptor ForId(string id) => ById[id];
    }
}
