namespace GraphSampling.Ir
{
    /// <summary>
    /// What a program can index. Every tensor, table and workspace is one .NET array addressed by int spans, so none may
    /// hold more than <see cref="MaxElements"/> elements (Array.MaxLength; the 2^31 - 1 of an int index less the array
    /// header). Shape inference refuses larger tensors (GS2004), the plan a larger workspace, the runtime larger tables.
    /// </summary>
    public static class Limits
    {
        /// <summary>The most elements one array holds (Array.MaxLength, 2,147,483,591).</summary>
        public const long MaxElements = 0x7FFFFFC7;

        /// <summary>"2,147,483,591": the limit as messages print it.</summary>
        public static string MaxElementsText => MaxElements.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>A count as messages print it ("2,560,000,000").</summary>
        public static string Count(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
    }
}
