using ILGPU;

namespace GraphSampling.Runtime.Gpu.Ops
{
    /// <summary>
    /// Reductions over one axis of a tensor viewed as [outer, axis, inner], their broadcasts back, and the rank-4
    /// <c>ReduceTo</c> of a broadcast's gradient. One thread per output element, adding in the order of the reduced
    /// index (deterministic; see docs/gpu.md for where that order equals the CPU's).
    /// </summary>
    public static class ReduceKernels
    {
        /// <summary>destination[o, i] = Σ_a x[o, a, i], a ascending, starting from the first term (as
        /// <c>Kernels.SumRows</c> does, so that a sum of −0s stays −0); 0 for an empty axis.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void Sum(Index1D t, int axis, int inner, ArrayView<float> x, ArrayView<float> destination)
        {
            int o = t.X / inner;
            int i = t.X - (o * inner);
            long start = ((long)o * axis * inner) + i;
            float acc = axis > 0 ? x[start] : 0.0f;
            for (int a = 1; a < axis; a++)
            {
                acc += x[start + ((long)a * inner)];
            }

            destination[t] = acc;
        }

        /// <summary>destination[j] = Σ_i x[i · stride + j], rows in order, from 0 (<c>Reduce.SumOverRows</c>).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void SumOverRows(Index1D j, int rows, int stride, ArrayView<float> x, ArrayView<float> destination)
        {
            float acc = 0.0f;
            for (int i = 0; i < rows; i++)
            {
                acc += x[((long)i * stride) + j.X];
            }

            destination[j] = acc;
        }

        /// <summary>destination[o, a, i] = gradient[o, i] (<c>Reduce.BroadcastAlong</c>); t runs over outer · axis · inner.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void BroadcastAlong(Index1D t, int axis, int inner, ArrayView<float> gradient, ArrayView<float> destination)
        {
            int o = t.X / (axis * inner);
            int i = t.X % inner;
            destination[t] = gradient[((long)o * inner) + i];
        }

        /// <summary>
        /// TF reduce_logsumexp of [o, :, i]: m the max (NaN if any is NaN), replaced by 0 when not finite, then
        /// log(Σ exp(x − m)) + m (<c>Reduce.LogSumExp</c>).
        /// </summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void LogSumExp(Index1D t, int axis, int inner, ArrayView<float> x, ArrayView<float> destination)
        {
            int o = t.X / inner;
            int i = t.X - (o * inner);
            long start = ((long)o * axis * inner) + i;
            float m = float.NegativeInfinity;
            for (int a = 0; a < axis; a++)
            {
                float v = x[start + ((long)a * inner)];
                m = v > m || float.IsNaN(v) ? v : m;
            }

            if (!DeviceFloat.IsFinite(m))
            {
                m = 0.0f;
            }

            float sum = 0.0f;
            for (int a = 0; a < axis; a++)
            {
                sum += DeviceFloat.Exp(x[start + ((long)a * inner)] - m);
            }

            destination[t] = DeviceFloat.Log(sum) + m;
        }

        /// <summary>destination[o, a, i] = g[o, i] · exp(x[o, a, i] − y[o, i]) (<c>Reduce.LogSumExpGradient</c>).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void LogSumExpGradient(Index1D t, int axis, int inner, ArrayView<float> gradient, ArrayView<float> x, ArrayView<float> y, ArrayView<float> destination)
        {
            int o = t.X / (axis * inner);
            int i = t.X % inner;
            long r = ((long)o * inner) + i;
            destination[t] = DeviceFloat.Mul(gradient[r], DeviceFloat.Exp(x[t] - y[r]));
        }

        /// <summary>
        /// <c>Elementwise.ReduceTo</c>: element e of the operand (dense, with the operand's rank-4 strides, 0 along its
        /// broadcast axes) = the sum of the gradient over those axes. Its indices along the kept axes come from e and the
        /// strides; the broadcast axes run in row-major order, the innermost one (when broadcast) summed first into a row
        /// total, as the CPU sums each innermost row before adding it.
        /// </summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void ReduceTo(Index1D e, Broadcast4 p, ArrayView<float> gradient, ArrayView<float> destination)
        {
            int k0 = p.X0 == 0 ? 0 : (e.X / p.X0) % p.D0;
            int k1 = p.X1 == 0 ? 0 : (e.X / p.X1) % p.D1;
            int k2 = p.X2 == 0 ? 0 : (e.X / p.X2) % p.D2;
            int k3 = p.X3 == 0 ? 0 : (e.X / p.X3) % p.D3;
            int n0 = p.X0 == 0 ? p.D0 : 1, n1 = p.X1 == 0 ? p.D1 : 1, n2 = p.X2 == 0 ? p.D2 : 1;
            float acc = 0.0f;
            for (int a0 = 0; a0 < n0; a0++)
            {
                for (int a1 = 0; a1 < n1; a1++)
                {
                    for (int a2 = 0; a2 < n2; a2++)
                    {
                        long row = ((((long)(k0 + a0) * p.D1) + k1 + a1) * p.D2) + k2 + a2;
                        long start = row * p.D3;
                        if (p.X3 != 0)
                        {
                            acc += gradient[start + k3];
                        }
                        else
                        {
                            float total = 0.0f;
                            for (int a3 = 0; a3 < p.D3; a3++)
                            {
                                total += gradient[start + a3];
                            }

                            acc += total;
                        }
                    }
                }
            }

            destination[e] = acc;
        }
    }
}
