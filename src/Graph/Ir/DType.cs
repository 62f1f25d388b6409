namespace GraphSampling.Ir
{
    /// <summary>Element type of a tensor. Float32 is the only floating type, as in TF's sampled losses (spec section 5).</summary>
    public enum DType
    {
        Float32 = 0,
        Int64 = 1,
    }

    public static class DTypeNames
    {
        public static string CSharpName(DType t) => t == DType.Float32 ? "float" : "long";
    }
}
