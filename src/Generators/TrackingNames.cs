namespace GraphSampling.Generators
{
    /// <summary>Names of the incremental steps, for the caching tests.</summary>
    internal static class TrackingNames
    {
        public const string Parse = nameof(Parse);
        public const string Lower = nameof(Lower);
        public const string Infer = nameof(Infer);
        public const string Autodiff = nameof(Autodiff);
        public const string Plan = nameof(Plan);
        public const string Emit = nameof(Emit);
    }
}
