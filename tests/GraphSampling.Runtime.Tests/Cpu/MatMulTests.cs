using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics.X86;
using System.Threading;
using GraphSampling.Runtime.Cpu;
using Xunit;

namespace GraphSampling.Runtime.Tests.Cpu;

/// <summary>
/// MatMul against a double triple loop for all transpose combinations, accumulate on and off,
/// padded leading dimensions and shapes that are not multiples of any tile or block. Each element
/// of C is one chain of k multiply-adds starting from C (or 0), so its error is at most
/// steps * u * (|C0| + sum|a * b|), with steps = k + 1 when the multiply-add is fused and 2k + 1
/// when it is not.
/// </summary>
public sealed class MatMulTests
{
    private const float Sentinel = 777.25f;

    public static IEnumerable<object[]> Shapes()
    {
        int[][] shapes =
        [
            [1, 1, 1], [1, 1, 7], [2, 3, 1], [6, 16, 5], [13, 31, 7], [12, 32, 256], [25, 65, 257],
            [37, 45, 300], [97, 129, 513], [145, 33, 20], [1, 300, 40], [300, 1, 40], [11, 200, 1],
        ];
        foreach (int[] s in shapes)
        {
            yield return [s[0], s[1], s[2]];
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatMul_AllTransposesAccumulateAndPadding_MatchReference(int m, int n, int k)
    {
        int seed = (m * 1000) + (n * 10) + k;
        foreach (bool transposeA in new[] { false, true })
        {
            foreach (bool transposeB in new[] { false, true })
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    foreach (int pad in new[] { 0, 5 })
                    {
                        var p = Problem.Create(m, n, k, transposeA, transposeB, pad, seed++);
                        float[] c = (float[])p.C0.Clone();
                        Kernels.MatMul(p.A, p.Lda, transposeA, p.B, p.Ldb, transposeB, c, p.Ldc, m, n, k, accumulate);
                        p.AssertMatches(c, accumulate, $"m={m} n={n} k={k} tA={transposeA} tB={transposeB} acc={accumulate} pad={pad}");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(0, 5, 3)]
    [InlineData(5, 0, 3)]
    [InlineData(5, 3, 0)]
    [InlineData(40, 70, 0)]
    public void MatMul_EmptyDimensions_ZeroOrKeepC(int m, int n, int k)
    {
        foreach (bool accumulate in new[] { false, true })
        {
            var p = Problem.Create(m, n, k, false, false, 2, 1);
            float[] c = (float[])p.C0.Clone();
            Kernels.MatMul(p.A, p.Lda, false, p.B, p.Ldb, false, c, p.Ldc, m, n, k, accumulate);
            p.AssertMatches(c, accumulate, $"m={m} n={n} k={k} acc={accumulate}");
        }
    }

    [Fact]
    public void MatMul_LargeThreadedProduct_MatchesReferenceAndIsDeterministic()
    {
        const int m = 256, n = 1024, k = 512;
        foreach (bool transposeB in new[] { true, false })
        {
            var p = Problem.Create(m, n, k, false, transposeB, 0, 42);
            float[] c = (float[])p.C0.Clone();
            Kernels.MatMul(p.A, p.Lda, false, p.B, p.Ldb, transposeB, c, p.Ldc, m, n, k, false);
            p.AssertMatches(c, false, $"large tB={transposeB}");

            for (int repeat = 0; repeat < 3; repeat++)
            {
                float[] again = (float[])p.C0.Clone();
                Kernels.MatMul(p.A, p.Lda, false, p.B, p.Ldb, transposeB, again, p.Ldc, m, n, k, false);
                AssertBitwiseEqual(c, again);
            }

            // Any split of C over threads must give the same bits: a 3 x 2 grid of blocks on this thread.
            float[] gridded = (float[])p.C0.Clone();
            p.RunOnGrid(gridded, transposeB, 3, 2);
            AssertBitwiseEqual(c, gridded);

            float[] single = (float[])p.C0.Clone();
            p.RunOnGrid(single, transposeB, 1, 1);
            AssertBitwiseEqual(c, single);
        }
    }

    [Fact]
    public void MatMul_ConcurrentCallers_SameBitsAsAlone()
    {
        // One caller gets the worker pool, the others compute on their own threads: same bits either way.
        var p = Problem.Create(256, 640, 300, false, true, 0, 9);
        float[] expected = (float[])p.C0.Clone();
        Kernels.MatMul(p.A, p.Lda, false, p.B, p.Ldb, true, expected, p.Ldc, p.M, p.N, p.K, false);
        var results = new float[4][];
        var threads = new Thread[results.Length];
        for (int t = 0; t < threads.Length; t++)
        {
            int index = t;
            threads[t] = new Thread(() =>
            {
                float[] c = (float[])p.C0.Clone();
                for (int repeat = 0; repeat < 5; repeat++)
                {
                    Kernels.MatMul(p.A, p.Lda, false, p.B, p.Ldb, true, c, p.Ldc, p.M, p.N, p.K, false);
                }

                results[index] = c;
            });
            threads[t].Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        foreach (float[] c in results)
        {
            AssertBitwiseEqual(expected, c);
        }
    }

    [Theory]
    [InlineData(256, 8192, 512, 2)]
    [InlineData(8192, 512, 256, 2)]
    [InlineData(256, 512, 8192, 16)]
    [InlineData(8192, 512, 256, 16)]
    [InlineData(100, 3, 5000, 16)]
    [InlineData(7, 9, 11, 64)]
    public void Partition_ChunksTileCExactly(int m, int n, int k, int threads)
    {
        (int mr, int nr) = Gemm.Tile;
        (int tm, int tn) = Gemm.ChooseGrid(m, n, k, threads);
        Assert.InRange(tm * tn, 1, threads);
        (tm, tn) = Gemm.Subdivide(m, n, tm, tn);
        Assert.InRange(tm * tn, 1, 4 * threads);

        // Chunks must cover [0, extent) without gaps or overlap, on tile boundaries.
        AssertCovers(m, mr, tm);
        AssertCovers(n, nr, tn);

        static void AssertCovers(int extent, int tile, int parts)
        {
            int expectedBegin = 0;
            for (int i = 0; i < parts; i++)
            {
                (int begin, int end) = Gemm.Split(extent, tile, parts, i);
                Assert.Equal(expectedBegin, begin);
                Assert.True(end >= begin);
                Assert.True(end == extent || end % tile == 0);
                expectedBegin = end;
            }

            Assert.Equal(extent, expectedBegin);
        }
    }

    [Fact]
    public void MatMul_EveryMicroKernelTheMachineSupports_MatchesReference()
    {
        Check<ScalarKernel>();
        if (Vector128Kernel.IsSupported)
        {
            Check<Vector128Kernel>();
        }

        if (Avx2Kernel.IsSupported)
        {
            Check<Avx2Kernel>();
        }

        if (Avx512Kernel.IsSupported)
        {
            Check<Avx512Kernel>();
        }

        static void Check<TK>()
            where TK : struct, IMicroKernel
        {
            foreach (int[] s in new[] { new[] { 1, 1, 1 }, new[] { 29, 47, 300 }, new[] { 70, 33, 9 } })
            {
                foreach (bool transposeA in new[] { false, true })
                {
                    foreach (bool transposeB in new[] { false, true })
                    {
                        var p = Problem.Create(s[0], s[1], s[2], transposeA, transposeB, 3, s[2]);
                        float[] c = (float[])p.C0.Clone();
                        p.Run<TK>(c, transposeA, transposeB, accumulate: true);
                        p.AssertMatches(c, true, $"{typeof(TK).Name} {s[0]}x{s[1]}x{s[2]} tA={transposeA} tB={transposeB}");
                    }
                }
            }
        }
    }

    [Fact]
    public void MatMul_InvalidArguments_ThrowNamingArgument_WriteNothing()
    {
        float[] a = TestData.Uniform(6 * 4, 1);
        float[] b = TestData.Uniform(4 * 5, 2);
        float[] c = TestData.Filled(6 * 5, Sentinel);

        AssertRejected("m", () => Kernels.MatMul(a, 4, false, b, 5, false, c, 5, -1, 5, 4, false));
        AssertRejected("n", () => Kernels.MatMul(a, 4, false, b, 5, false, c, 5, 6, -1, 4, false));
        AssertRejected("k", () => Kernels.MatMul(a, 4, false, b, 5, false, c, 5, 6, 5, -1, false));
        AssertRejected("lda", () => Kernels.MatMul(a, 3, false, b, 5, false, c, 5, 6, 5, 4, false));
        AssertRejected("lda", () => Kernels.MatMul(a, 5, true, b, 5, false, c, 5, 6, 5, 4, false));
        AssertRejected("ldb", () => Kernels.MatMul(a, 4, false, b, 4, false, c, 5, 6, 5, 4, false));
        AssertRejected("ldb", () => Kernels.MatMul(a, 4, false, b, 3, true, c, 5, 6, 5, 4, false));
        AssertRejected("ldc", () => Kernels.MatMul(a, 4, false, b, 5, false, c, 4, 6, 5, 4, false));
        AssertRejected("a", () => Kernels.MatMul(a.AsSpan(0, 23), 4, false, b, 5, false, c, 5, 6, 5, 4, false));
        AssertRejected("a", () => Kernels.MatMul(a, 5, false, b, 5, false, c, 5, 6, 5, 4, false));
        AssertRejected("b", () => Kernels.MatMul(a, 4, false, b.AsSpan(0, 19), 5, false, c, 5, 6, 5, 4, false));
        AssertRejected("c", () => Kernels.MatMul(a, 4, false, b, 5, false, c.AsSpan(0, 29), 5, 6, 5, 4, false));
        AssertRejected("c", () => Kernels.MatMul(a, 4, false, b, 5, false, c, 6, 6, 5, 4, false));

        // C overlapping an input would read partial results.
        float[] shared = TestData.Uniform(100, 3);
        float[] before = (float[])shared.Clone();
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => Kernels.MatMul(shared, 4, false, b, 5, false, shared.AsSpan(20, 30), 5, 6, 5, 4, false));
        Assert.Equal("c", error.ParamName);
        Assert.Equal(before, shared);

        void AssertRejected(string name, Action action)
        {
            ArgumentException rejected = Assert.ThrowsAny<ArgumentException>(action);
            Assert.Equal(name, rejected.ParamName);
            Assert.Equal(TestData.Filled(6 * 5, Sentinel), c);
        }
    }

    private static void AssertBitwiseEqual(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"element {i}: {expected[i]:R} vs {actual[i]:R}");
            }
        }
    }

    /// <summary>One product's operands, stored with the requested transposes and padded leading dimensions.</summary>
    private sealed class Problem
    {
        public required int M { get; init; }
        public required int N { get; init; }
        public required int K { get; init; }
        public required bool TransposeA { get; init; }
        public required float[] A { get; init; }
        public required int Lda { get; init; }
        public required float[] B { get; init; }
        public required int Ldb { get; init; }
        public required float[] C0 { get; init; }
        public required int Ldc { get; init; }

        public static Problem Create(int m, int n, int k, bool transposeA, bool transposeB, int pad, int seed)
        {
            int lda = (transposeA ? m : k) + pad;
            int ldb = (transposeB ? k : n) + pad;
            int ldc = n + pad;
            int aRows = transposeA ? k : m;
            int bRows = transposeB ? n : k;

            // Buffers hold exactly the rows they need; C's padding columns carry a sentinel that must survive.
            float[] a = TestData.Uniform(Math.Max(0, (aRows * lda) - pad), seed);
            float[] b = TestData.Uniform(Math.Max(0, (bRows * ldb) - pad), seed + 1);
            float[] c = TestData.Uniform(Math.Max(0, (m * ldc) - pad), seed + 2);
            for (int i = 0; i < m; i++)
            {
                for (int j = n; j < ldc && (i * ldc) + j < c.Length; j++)
                {
                    c[(i * ldc) + j] = Sentinel;
                }
            }

            return new Problem { M = m, N = n, K = k, TransposeA = transposeA, A = a, Lda = lda, B = b, Ldb = ldb, C0 = c, Ldc = ldc, TransposeB = transposeB };
        }

        public required bool TransposeB { get; init; }

        private float OpA(int i, int p) => TransposeA ? A[(p * Lda) + i] : A[(i * Lda) + p];

        private float OpB(int p, int j) => TransposeB ? B[(j * Ldb) + p] : B[(p * Ldb) + j];

        public void AssertMatches(float[] c, bool accumulate, string context)
        {
            double steps = Fma.IsSupported ? K + 1 : (2 * K) + 1;
            for (int i = 0; i < M; i++)
            {
                for (int j = 0; j < N; j++)
                {
                    double c0 = accumulate ? C0[(i * Ldc) + j] : 0;
                    double exact = c0, absolute = Math.Abs(c0);
                    for (int p = 0; p < K; p++)
                    {
                        double product = (double)OpA(i, p) * OpB(p, j);
                        exact += product;
                        absolute += Math.Abs(product);
                    }

                    double bound = 1.001 * steps * TestData.U * absolute;
                    float actual = c[(i * Ldc) + j];
                    if (!(Math.Abs(actual - exact) <= bound))
                    {
                        Assert.Fail($"{context}: C[{i},{j}] = {actual:R}, expected {exact:R} within {bound:E3}");
                    }
                }

                for (int j = N; j < Ldc && (i * Ldc) + j < c.Length; j++)
                {
                    Assert.True(c[(i * Ldc) + j] == Sentinel, $"{context}: padding C[{i},{j}] was written");
                }
            }
        }

        /// <summary>Runs the product as a grid of independent blocks on the calling thread, as the worker pool would split it.</summary>
        public unsafe void RunOnGrid(float[] c, bool transposeB, int tm, int tn)
        {
            (int mr, int nr) = Gemm.Tile;
            fixed (float* pa = A)
            fixed (float* pb = B)
            fixed (float* pc = c)
            {
                GemmArgs args = Args(pa, pb, pc, TransposeA, transposeB, accumulate: false);
                for (int row = 0; row < tm; row++)
                {
                    for (int column = 0; column < tn; column++)
                    {
                        (int m0, int m1) = Gemm.Split(M, mr, tm, row);
                        (int n0, int n1) = Gemm.Split(N, nr, tn, column);
                        Gemm.RunBlock(args, m0, m1, n0, n1);
                    }
                }
            }
        }

        public unsafe void Run<TK>(float[] c, bool transposeA, bool transposeB, bool accumulate)
            where TK : struct, IMicroKernel
        {
            fixed (float* pa = A)
            fixed (float* pb = B)
            fixed (float* pc = c)
            {
                Gemm.RunBlock<TK>(Args(pa, pb, pc, transposeA, transposeB, accumulate), 0, M, 0, N);
            }
        }

        private unsafe GemmArgs Args(float* a, float* b, float* c, bool transposeA, bool transposeB, bool accumulate) => new()
        {
            A = a,
            Lda = Lda,
            TransposeA = transposeA,
            B = b,
            Ldb = Ldb,
            TransposeB = transposeB,
            C = c,
            Ldc = Ldc,
            M = M,
            N = N,
            K = K,
            Accumulate = accumulate,
        };
    }
}
