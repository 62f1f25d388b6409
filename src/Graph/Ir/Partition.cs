namespace GraphSampling
{
    /// <summary>How class ids map to the shards of a sharded parameter (TF's <c>partition_strategy</c>, spec section 2.2).</summary>
    public enum Partition
    {
        /// <summary>shard = id mod P, row = id div P.</summary>
        Mod = 0,
        /// <summary>Contiguous ranges: the first N mod P shards hold N div P + 1 ids, the rest N div P.</summary>
        Div = 1,
    }
}
