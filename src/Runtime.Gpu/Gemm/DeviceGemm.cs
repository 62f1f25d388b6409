using System;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace GraphSampling.Runtime.Gpu.Gemm
{
    /// <summary>
    /// Row-major float GEMM on the device with the argument conventions of
    /// <see cref="GraphSampling.Runtime.Cpu.Kernels.MatMul"/>: cuBLAS where the device is CUDA and libcublas loads,
    /// else the tiled kernel. <see cref="Path"/> and <see cref="PathDescription"/> say which, and why.
    /// </summary>
    public sealed class DeviceGemm : IDisposable
    {
        private readonly GpuContext _context;
        private readonly CuBlas? _cuBlas;
        private readonly Action<KernelConfig, GemmLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>> _tiled;

        /// <summary>Loads the tiled kernel and, on CUDA unless <paramref name="preferCuBlas"/> is false, cuBLAS.</summary>
        public DeviceGemm(GpuContext context, bool preferCuBlas = true)
        {
            ArgumentNullException.ThrowIfNull(context);
            _context = context;
            _tiled = KernelLoader.Load(
                context,
                "matmul (tiled)",
                (Action<GemmLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>>)GemmKernels.Tiled,
                KernelGrouping.Explicit,
                acc => acc.LoadStreamKernel<GemmLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>>(GemmKernels.Tiled));

            string reason;
            if (!context.IsCuda)
            {
                reason = "the device is not CUDA";
            }
            else if (!preferCuBlas)
            {
                reason = "cuBLAS was not requested";
            }
            else
            {
                try
                {
                    _cuBlas = new CuBlas((CudaAccelerator)context.Accelerator);
                    reason = "";
                }
                catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException || GpuOperationException.IsDeviceError(e))
                {
                    reason = "cuBLAS could not be loaded (" + e.Message + ")";
                }
            }

            Path = _cuBlas is null ? GemmPath.Tiled : GemmPath.CuBlas;
            PathDescription = _cuBlas is null
                ? "tiled shared-memory kernel (" + GemmKernels.Tile + "x" + GemmKernels.Tile + " tiles), because " + reason
                : "cuBLAS on " + context.Accelerator.Name;
        }

        /// <summary>The implementation every call of this instance uses.</summary>
        public GemmPath Path { get; }

        /// <summary>The implementation and the reason it was chosen, for logs and benchmark output.</summary>
        public string PathDescription { get; }

        /// <summary>
        /// <c>C = op(A)·op(B)</c>, or <c>C += op(A)·op(B)</c> when <paramref name="accumulate"/>; row-major with leading
        /// dimensions, as <see cref="GraphSampling.Runtime.Cpu.Kernels.MatMul"/>. <paramref name="op"/> names the
        /// product in errors (for example "logits = inputs x weights^T").
        /// </summary>
        public void Multiply(
            ArrayView<float> a, int lda, bool transposeA,
            ArrayView<float> b, int ldb, bool transposeB,
            ArrayView<float> c, int ldc,
            int m, int n, int k, bool accumulate, string op = "matmul")
        {
            ArgumentOutOfRangeException.ThrowIfNegative(m);
            ArgumentOutOfRangeException.ThrowIfNegative(n);
            ArgumentOutOfRangeException.ThrowIfNegative(k);
            Check(a.Length, transposeA ? k : m, transposeA ? m : k, lda, op, "A");
            Check(b.Length, transposeB ? n : k, transposeB ? k : n, ldb, op, "B");
            Check(c.Length, m, n, ldc, op, "C");
            if (m == 0 || n == 0)
            {
                return;
            }

            try
            {
                if (_cuBlas is not null)
                {
                    // cuBLAS is column-major: row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ, and a
                    // row-major matrix is its own transpose read column-major, so the operands swap and the flags stay.
                    _cuBlas.Gemm(
                        transposeB ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose,
                        transposeA ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose,
                        n, m, k, 1.0f, b, ldb, a, lda, accumulate ? 1.0f : 0.0f, c, ldc);
                    return;
                }

                var launch = new GemmLaunch
                {
                    M = m,
                    N = n,
                    K = k,
                    Lda = lda,
                    Ldb = ldb,
                    Ldc = ldc,
                    TransposeA = transposeA ? 1 : 0,
                    TransposeB = transposeB ? 1 : 0,
                    Accumulate = accumulate ? 1 : 0,
                };
                var config = new KernelConfig(
                    new Index2D((n + GemmKernels.Tile - 1) / GemmKernels.Tile, (m + GemmKernels.Tile - 1) / GemmKernels.Tile),
                    new Index2D(GemmKernels.Threads, GemmKernels.Threads));
                _tiled(config, launch, a, b, c);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException(op, null, e);
            }
        }

        /// <inheritdoc/>
        public void Dispose() => _cuBlas?.Dispose();

        private static void Check(long length, int rows, int cols, int ld, string op, string operand)
        {
            if (ld < cols || (rows > 0 && ld < 1))
            {
                throw new ArgumentException($"{op}: leading dimension {ld} of {operand} is smaller than its row width {cols}.", operand == "A" ? "lda" : operand == "B" ? "ldb" : "ldc");
            }

            long needed = rows == 0 || cols == 0 ? 0 : ((long)(rows - 1) * ld) + cols;
            if (length < needed)
            {
                throw new ArgumentException($"{op}: {operand} holds {length} floats; [{rows}, {cols}] with leading dimension {ld} needs {needed}.", operand.ToLowerInvariant());
            }
        }
    }
}
