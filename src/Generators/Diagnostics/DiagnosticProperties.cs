namespace GraphSampling.Generators.Diagnostics
{
    /// <summary>
    /// Keys of the properties a diagnostic carries for its code fix (src/CodeFixes reads them by these same strings; the
    /// code-fix assembly does not reference this one). A diagnostic reported at an argument with a known one-argument fix
    /// names the op's parameter to set and the C# value to set it to.
    /// </summary>
    internal static class DiagnosticProperties
    {
        /// <summary>The op's parameter the fix sets (numTrue, transposeB, numSampled).</summary>
        public const string FixArgument = "GraphSampling.FixArgument";

        /// <summary>The C# value the fix writes for it ("2", "true").</summary>
        public const string FixValue = "GraphSampling.FixValue";
    }
}
