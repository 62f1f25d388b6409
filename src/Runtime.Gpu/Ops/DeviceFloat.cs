using GraphSampling.Runtime.Gpu.Sampling;
using ILGPU.Runtime.Cuda;

namespace GraphSampling.Runtime.Gpu.Ops
{
    /// <summary>
    /// Float exp, log and log1p for kernels, each computed with <see cref="DeviceMath"/> in double and rounded once to
    /// float: correctly rounded but for double rounding (about one argument in 2^29), so within 1 ulp of the CPU's
    /// <c>VectorMath</c>/<c>MathF</c> results, which are themselves within 1 ulp of the exact value. ILGPU's own float
    /// exp/log on CUDA are approximations several ulps off.
    /// </summary>
    internal static class DeviceFloat
    {
        public static float Exp(float x) => float.IsNaN(x) ? x : (float)DeviceMath.Exp(x);

        public static float Log(float x) => (float)DeviceMath.Log(x);

        public static float Log1P(float x) => (float)DeviceMath.Log1P(x);

        /// <summary>a·b rounded on its own (PTX <c>mul.rn.f32</c> on CUDA), so that ptxas cannot fuse it with a following
        /// add into an FMA: the CPU's vector code never fuses, and the sums must round as its do.</summary>
        /// <remarks>ILGPU keeps the branch not taken in the PTX (it tests <c>1 != 1</c> at run time), so the fallback
        /// must not be a float multiply either, or a bare <c>mul.f32</c> would remain in the module for ptxas to see (the
        /// PTX test rejects one). It multiplies in double instead: the product of two floats is exact in double, so the one
        /// rounding to float gives the IEEE float product, bit for bit, subnormals included.</remarks>
        public static float Mul(float a, float b)
        {
            if (CudaAsm.IsSupported)
            {
                CudaAsm.Emit("mul.rn.f32 %0, %1, %2;", out float r, a, b);
                return r;
            }

            return (float)((double)a * b);
        }

        /// <summary>Neither NaN nor infinite.</summary>
        public static bool IsFinite(float x) => x - x == 0.0f;
    }
}
