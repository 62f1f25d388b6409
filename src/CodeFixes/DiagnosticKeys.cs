namespace GraphSampling.CodeFixes
{
    /// <summary>The diagnostic ids and property keys the fixes act on, as the analyzers write them
    /// (src/Generators/Diagnostics: DiagnosticDescriptors and DiagnosticProperties; CodeFixTests pins that they agree).</summary>
    internal static class DiagnosticKeys
    {
        public const string NotStaticPartial = "GS1001";
        public const string NonConstantArgument = "GS1004";
        public const string DimensionMismatch = "GS2001";
        public const string SamplingRange = "GS3001";

        public const string FixArgument = "GraphSampling.FixArgument";
        public const string FixValue = "GraphSampling.FixValue";
    }
}
