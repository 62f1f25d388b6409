namespace GraphSampling.Generators
{
    /// <summary>Names of the incremental steps, for the caching tests.</summary>
    internal static class TrackingNames
    {
        public const string Parse = nameof(Parse);
        public const string Emit = nameof(Emit);
    }
}
