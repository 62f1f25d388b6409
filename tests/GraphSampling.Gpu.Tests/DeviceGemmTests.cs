using System;
using GraphSampling.Runtime.Cpu;
using GraphSampling.Runtime.Gpu;
using GraphSampling.Runtime.Gpu.Gemm;
using ILGPU;
using ILGPU.Runtime;
using Xunit;

namespace GraphSampling.Gpu.Tests
{
    /// <summary>
    /// Device GEMM against the CPU runtime's <see cref="Kernels.MatMul"/> on the three products of a sampled-softmax step.
    /// Tolerance: both results are float32 sums of K products in different orders (and fused or not), each within
    /// γ_K·Σ|a·b| of the exact value (γ_K = K·u / (1 − K·u), u = 2^-24), so they differ by at most 2γ_(K+1)·(Σ|a·b| + |C₀|).
    /// </summary>
    [Collection(GpuCollection.Name)]
    public sealed class DeviceGemmTests(GpuFixture fixture)
    {
        public static TheoryData<string, int, int, int, bool> Cases()
        {
            var data = new TheoryData<string, int, int, int, bool>();
            foreach (string backend in new[] { GpuFixture.Cpu, GpuFixture.Cuda })
            {
                foreach (bool cuBlas in new[] { false, true })
                {
                    data.Add(backend, 5, 19, 23, cuBlas);   // every dimension a partial tile
                    data.Add(backend, 33, 40, 70, cuBlas);  // several tiles along each axis
                    data.Add(backend, 16, 16, 16, cuBlas);  // exactly one tile
                }
            }

            return data;
        }

        /// <summary>logits[B, S] = inputs[B, D] · weights[S, D]ᵀ; dInputs[B, D] = dLogits[B, S] · weights[S, D];
        /// dWeights[S, D] = dLogits[B, S]ᵀ · inputs[B, D] (accumulated onto existing values).</summary>
        [Theory]
        [MemberData(nameof(Cases))]
        public void SampledSoftmaxProducts_MatchCpuMatMul(string backend, int batch, int dim, int sampled, bool preferCuBlas)
        {
            GpuContext gpu = fixture.Get(backend);
            using var gemm = new DeviceGemm(gpu, preferCuBlas);
            Assert.Equal(gpu.IsCuda && preferCuBlas ? GemmPath.CuBlas : GemmPath.Tiled, gemm.Path);

            float[] inputs = Random(batch * dim, 1);
            float[] weights = Random(sampled * dim, 2);
            float[] dLogits = Random(batch * sampled, 3);
            float[] dWeights0 = Random(sampled * dim, 4);

            Check(gpu, gemm, inputs, dim, false, weights, dim, true, new float[batch * sampled], sampled, batch, sampled, dim, false);
            Check(gpu, gemm, dLogits, sampled, false, weights, dim, false, new float[batch * dim], dim, batch, dim, sampled, false);
            Check(gpu, gemm, dLogits, sampled, true, inputs, dim, false, dWeights0, dim, sampled, dim, batch, true);
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void StridedOperands_MatchCpuMatMul(string backend)
        {
            // Leading dimensions wider than the rows: a product over column blocks of larger buffers.
            GpuContext gpu = fixture.Get(backend);
            using var gemm = new DeviceGemm(gpu, preferCuBlas: false);
            const int m = 9, n = 11, k = 13;
            float[] a = Random(m * (k + 3), 5);
            float[] b = Random(n * (k + 2), 6);
            float[] c = Random(m * (n + 4), 7);
            Check(gpu, gemm, a, k + 3, false, b, k + 2, true, c, n + 4, m, n, k, false);
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void Path_IsReportedWithItsReason(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            using var gemm = new DeviceGemm(gpu);
            Assert.False(string.IsNullOrWhiteSpace(gemm.PathDescription));
            if (!gpu.IsCuda)
            {
                Assert.Contains("not CUDA", gemm.PathDescription, StringComparison.Ordinal);
            }
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void TooShortOperand_ThrowsNamingTheProduct(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            using var gemm = new DeviceGemm(gpu);
            using MemoryBuffer1D<float, Stride1D.Dense> small = gpu.Accelerator.Allocate1D<float>(4);
            var e = Assert.Throws<ArgumentException>(() => gemm.Multiply(small.View, 2, false, small.View, 2, false, small.View, 2, 3, 2, 2, false, "logits"));
            Assert.Contains("logits", e.Message, StringComparison.Ordinal);
        }

        private static void Check(
            GpuContext gpu, DeviceGemm gemm,
            float[] a, int lda, bool transposeA, float[] b, int ldb, bool transposeB, float[] c0, int ldc,
            int m, int n, int k, bool accumulate)
        {
            float[] expected = (float[])c0.Clone();
            Kernels.MatMul(a, lda, transposeA, b, ldb, transposeB, expected, ldc, m, n, k, accumulate);

            Accelerator acc = gpu.Accelerator;
            using var da = acc.Allocate1D(a);
            using var db = acc.Allocate1D(b);
            using var dc = acc.Allocate1D(c0);
            gemm.Multiply(da.View, lda, transposeA, db.View, ldb, transposeB, dc.View, ldc, m, n, k, accumulate);
            float[] actual = dc.GetAsArray1D();

            const double u = 1.0 / (1 << 24);
            double gamma = 2 * (k + 1) * u / (1 - ((k + 1) * u));
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double magnitude = accumulate ? Math.Abs(c0[(i * ldc) + j]) : 0;
                    for (int p = 0; p < k; p++)
                    {
                        float av = transposeA ? a[(p * lda) + i] : a[(i * lda) + p];
                        float bv = transposeB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                        magnitude += Math.Abs((double)av * bv);
                    }

                    int index = (i * ldc) + j;
                    Assert.True(
                        Math.Abs(actual[index] - expected[index]) <= gamma * magnitude,
                        $"C[{i}, {j}]: device {actual[index]:R}, CPU {expected[index]:R}, bound {gamma * magnitude:R}");
                }
            }

            // Padding between rows of C (ldc > n) is never written.
            for (int i = 0; i < m; i++)
            {
                for (int j = n; j < ldc && (i * ldc) + j < c0.Length; j++)
                {
                    Assert.Equal(c0[(i * ldc) + j], actual[(i * ldc) + j]);
                }
            }
        }

        private static float[] Random(int length, int seed)
        {
            var rng = new Random(seed);
            var values = new float[length];
            for (int i = 0; i < length; i++)
            {
                values[i] = (float)((rng.NextDouble() * 2) - 1);
            }

            return values;
        }
    }
}
