using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace GraphSampling.Generators.Diagnostics
{
    /// <summary>Every GSxxxx diagnostic. Ranges: GS0xxx internal, GS1xxx declaration, GS2xxx shapes and dtypes,
    /// GS3xxx graph semantics, GS4xxx backends. Each id has a page at docs/diagnostics/GSxxxx.md.</summary>
    internal static class DiagnosticDescriptors
    {
        private const string HelpBase = "https://github.com/graphsampling/graphsampling/blob/main/docs/diagnostics/";

        private static DiagnosticDescriptor Create(string id, string title, string category, DiagnosticSeverity severity, bool configurable = true) =>
            new DiagnosticDescriptor(id, title, "{0}", category, severity, isEnabledByDefault: true, helpLinkUri: HelpBase + id + ".md",
                customTags: configurable ? new string[0] : new[] { WellKnownDiagnosticTags.NotConfigurable });

        /// <summary>GS0001: the generator threw. Format: "Generating '{0}' failed: {1}" (graph hint name, exception text).</summary>
        public static readonly DiagnosticDescriptor GeneratorFailed = new DiagnosticDescriptor(
            "GS0001", "The GraphSampling generator failed", "Generating '{0}' failed: {1}", "GraphSampling.Internal",
            DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + "GS0001.md");

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
        /// <summary>GS4001: an op the CPU backend does not generate yet.</summary>
        public static readonly DiagnosticDescriptor UnsupportedOnCpu = Create("GS4001", "Op not generated for the CPU backend yet", "GraphSampling.Backend", DiagnosticSeverity.Warning);

        private static readonly Dictionary<string, DiagnosticDescriptor> ById = new Dictionary<string, DiagnosticDescriptor>
        {
            [NotStaticPartial.Id] = NotStaticPartial, [MissingDefine.Id] = MissingDefine, [UnsupportedStatement.Id] = UnsupportedStatement,
            [NonConstantArgument.Id] = NonConstantArgument, [NotAnOp.Id] = NotAnOp, [DimensionMismatch.Id] = DimensionMismatch,
            [RankMismatch.Id] = RankMismatch, [DTypeMismatch.Id] = DTypeMismatch, [InvalidAttribute.Id] = InvalidAttribute,
            [BatchDimension.Id] = BatchDimension, [NotAParameter.Id] = NotAParameter, [SamplingRange.Id] = SamplingRange,
            [UnsupportedOnCpu.Id] = UnsupportedOnCpu,
        };

        public static DiagnosticDescriptor ForId(string id) => ById[id];
    }
}
