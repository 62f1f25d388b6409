namespace GraphSampling.Runtime.Gpu.Gemm
{
    /// <summary>
    /// One row-major product <c>C[M, N] (+)= op(A)[M, K] · op(B)[K, N]</c> with leading dimensions, as
    /// <see cref="GraphSampling.Runtime.Cpu.Kernels.MatMul"/> takes it: A is stored [M, K] ([K, M] when transposed),
    /// B is stored [K, N] ([N, K] when transposed).
    /// </summary>
    public struct GemmLaunch
    {
        /// <summary>Rows of C.</summary>
        public int M;

        /// <summary>Columns of C.</summary>
        public int N;

        /// <summary>Depth of the product.</summary>
        public int K;

        /// <summary>Leading dimension of A as stored.</summary>
        public int Lda;

        /// <summary>Leading dimension of B as stored.</summary>
        public int Ldb;

        /// <summary>Leading dimension of C.</summary>
        public int Ldc;

        /// <summary>1 when A is stored transposed.</summary>
        public int TransposeA;

        /// <summary>1 when B is stored transposed.</summary>
        public int TransposeB;

        /// <summary>1 to add the product to C instead of overwriting it.</summary>
        public int Accumulate;
    }
}
