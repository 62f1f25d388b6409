namespace GraphSampling
{
    /// <summary>How an embedding bag combines the rows of one example (TF <c>embedding_lookup_sparse</c>'s combiner).</summary>
    public enum Combiner
    {
        /// <summary>Σ_j w_j · row_j.</summary>
        Sum = 0,
        /// <summary>Σ_j w_j · row_j / Σ_j w_j (TF's default).</summary>
        Mean = 1,
        /// <summary>Σ_j w_j · row_j / sqrt(Σ_j w_j²).</summary>
        Sqrtn = 2,
    }
}
