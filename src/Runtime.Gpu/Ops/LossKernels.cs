using ILGPU;

namespace GraphSampling.Runtime.Gpu.Ops
{
    /// <summary>
    /// The cross-entropy kernels of <c>Losses</c>, one thread per row for the softmax ones (max, then Σ exp(z − m) in
    /// column order, then the row's terms) and one per element for the sigmoid ones. Exp and log are rounded once
    /// from double (<see cref="DeviceFloat"/>); every other operation is the one the CPU performs, in the same order
    /// within a term, and every float product is <see cref="DeviceFloat.Mul"/> (<c>mul.rn.f32</c> on CUDA), so that
    /// ptxas cannot contract it with an add (the PTX test rejects a bare <c>mul.f32</c> here).
    /// </summary>
    public static class LossKernels
    {
        /// <summary>Error code of a label row holding only padding (<see cref="LabelWeights"/>).</summary>
        public const int EmptyLabelRow = 1;

        /// <summary>Error code of a sparse label outside [0, cols).</summary>
        public const int LabelOutOfRange = 2;

        /// <summary>loss[r] = Σ_j y_rj (log s_r − (z_rj − m_r)) (<c>Losses.SoftmaxCrossEntropy</c>).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void SoftmaxCrossEntropy(Index1D r, LossLaunch p, ArrayView<float> labels, ArrayView<float> logits, ArrayView<float> loss)
        {
            long z0 = (long)r.X * p.Cols;
            float m = RowMax(logits, z0, p.Cols);
            float sum = 0.0f;
            for (int j = 0; j < p.Cols; j++)
            {
                sum += DeviceFloat.Exp(logits[z0 + j] - m);
            }

            loss[r] = Terms(labels, (long)r.X * p.LabelStride, logits, z0, p.Cols, m, DeviceFloat.Log(sum));
        }

        /// <summary>dlogits[r, j] = (exp(z − m) / s − y) · g_r (<c>Losses.SoftmaxCrossEntropyLogitsGradient</c>).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void SoftmaxCrossEntropyLogitsGradient(Index1D r, LossLaunch p, ArrayView<float> gradient, ArrayView<float> labels, ArrayView<float> logits, ArrayView<float> destination)
        {
            long z0 = (long)r.X * p.Cols;
            float sum = ExpShifted(logits, destination, z0, p.Cols, out _);
            FinishSoftmaxGradient(destination, labels, (long)r.X * p.LabelStride, z0, p.Cols, sum, gradient[r]);
        }

        /// <summary>The loss and its logits gradient in one pass (<c>Losses.SoftmaxCrossEntropyWithLogitsGradient</c>).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void SoftmaxCrossEntropyWithLogitsGradient(Index1D r, LossLaunch p, ArrayView<float> gradient, ArrayView<float> labels, ArrayView<float> logits, ArrayView<float> loss, ArrayView<float> destination)
        {
            long z0 = (long)r.X * p.Cols;
            long y0 = (long)r.X * p.LabelStride;
            float sum = ExpShifted(logits, destination, z0, p.Cols, out float m);
            loss[r] = Terms(labels, y0, logits, z0, p.Cols, m, DeviceFloat.Log(sum));
            FinishSoftmaxGradient(destination, labels, y0, z0, p.Cols, sum, gradient[r]);
        }

        /// <summary>dlabels[r, j] = −g_r ((z − m) − log s) (<c>Losses.SoftmaxCrossEntropyLabelsGradient</c>).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void SoftmaxCrossEntropyLabelsGradient(Index1D r, LossLaunch p, ArrayView<float> gradient, ArrayView<float> logits, ArrayView<float> destination)
        {
            long z0 = (long)r.X * p.Cols;
            float m = RowMax(logits, z0, p.Cols);
            float sum = 0.0f;
            for (int j = 0; j < p.Cols; j++)
            {
                sum += DeviceFloat.Exp(logits[z0 + j] - m);
            }

            float logS = DeviceFloat.Log(sum);
            float g = gradient[r];
            for (int j = 0; j < p.Cols; j++)
            {
                destination[z0 + j] = DeviceFloat.Mul(-g, (logits[z0 + j] - m) - logS);
            }
        }

        /// <summary>loss[r] = log s_r − (z_r,label − m_r) (<c>Losses.SparseSoftmaxCrossEntropy</c>); a label outside
        /// [0, cols) gives NaN and is recorded in <c>error</c>.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void SparseSoftmaxCrossEntropy(Index1D r, LossLaunch p, ArrayView<long> labels, ArrayView<float> logits, ArrayView<float> loss, ArrayView<long> error)
        {
            long label = labels[r];
            if (label < 0 || label >= p.Cols)
            {
                loss[r] = float.NaN;
                Record(error, LabelOutOfRange, r.X);
                return;
            }

            long z0 = (long)r.X * p.Cols;
            float m = RowMax(logits, z0, p.Cols);
            float sum = 0.0f;
            for (int j = 0; j < p.Cols; j++)
            {
                sum += DeviceFloat.Exp(logits[z0 + j] - m);
            }

            loss[r] = DeviceFloat.Log(sum) - (logits[z0 + label] - m);
        }

        /// <summary>dlogits = (exp(z − m) / s − onehot) · g (<c>Losses.SparseSoftmaxCrossEntropyGradient</c>).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void SparseSoftmaxCrossEntropyGradient(Index1D r, LossLaunch p, ArrayView<float> gradient, ArrayView<long> labels, ArrayView<float> logits, ArrayView<float> destination, ArrayView<long> error)
        {
            long label = labels[r];
            long z0 = (long)r.X * p.Cols;
            if (label < 0 || label >= p.Cols)
            {
                FillNaN(destination, z0, p.Cols);
                Record(error, LabelOutOfRange, r.X);
                return;
            }

            float sum = ExpShifted(logits, destination, z0, p.Cols, out _);
            FinishSparseGradient(destination, z0 + label, z0, p.Cols, sum, gradient[r]);
        }

        /// <summary>The sparse loss and its gradient in one pass (<c>Losses.SparseSoftmaxCrossEntropyWithLogitsGradient</c>).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void SparseSoftmaxCrossEntropyWithLogitsGradient(Index1D r, LossLaunch p, ArrayView<float> gradient, ArrayView<long> labels, ArrayView<float> logits, ArrayView<float> loss, ArrayView<float> destination, ArrayView<long> error)
        {
            long label = labels[r];
            long z0 = (long)r.X * p.Cols;
            if (label < 0 || label >= p.Cols)
            {
                loss[r] = float.NaN;
                FillNaN(destination, z0, p.Cols);
                Record(error, LabelOutOfRange, r.X);
                return;
            }

            float sum = ExpShifted(logits, destination, z0, p.Cols, out float m);
            loss[r] = DeviceFloat.Log(sum) - (logits[z0 + label] - m);
            FinishSparseGradient(destination, z0 + label, z0, p.Cols, sum, gradient[r]);
        }

        /// <summary>Row r of <c>Losses.LabelWeights</c>: 1 / T at each of its T real labels, 0 at a −1; a row of only
        /// padding gets zeros and is recorded in <c>error</c>.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void LabelWeights(Index1D r, int numTrue, ArrayView<long> labels, ArrayView<float> destination, ArrayView<long> error)
        {
            long start = (long)r.X * numTrue;
            int real = 0;
            for (int j = 0; j < numTrue; j++)
            {
                if (labels[start + j] != -1)
                {
                    real++;
                }
            }

            if (real == 0)
            {
                Record(error, EmptyLabelRow, r.X);
            }

            float weight = real == 0 ? 0.0f : 1.0f / real;
            for (int j = 0; j < numTrue; j++)
            {
                destination[start + j] = labels[start + j] < 0 ? 0.0f : weight;
            }
        }

        /// <summary>max(x, 0) − x z + log1p(exp(−|x|)) (<c>Losses.SigmoidCrossEntropy</c>).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void SigmoidCrossEntropy(Index1D i, ArrayView<float> labels, ArrayView<float> logits, ArrayView<float> loss)
        {
            float x = logits[i];
            float e = DeviceFloat.Exp(-Abs(x));
            float t = DeviceFloat.Log1P(e);
            loss[i] = (Max0(x) - DeviceFloat.Mul(x, labels[i])) + t;
        }

        /// <summary>g (sigmoid(x) − z) with TF's sigmoid (<c>Losses.SigmoidCrossEntropyLogitsGradient</c>).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void SigmoidCrossEntropyLogitsGradient(Index1D i, ArrayView<float> gradient, ArrayView<float> labels, ArrayView<float> logits, ArrayView<float> destination)
        {
            float x = logits[i];
            float e = DeviceFloat.Exp(-Abs(x));
            float s = e / (1.0f + e);
            float d = x >= 0.0f ? (1.0f - labels[i]) - s : s - labels[i];
            destination[i] = DeviceFloat.Mul(gradient[i], d);
        }

        /// <summary>−(g x) (<c>Losses.SigmoidCrossEntropyLabelsGradient</c>).</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void SigmoidCrossEntropyLabelsGradient(Index1D i, ArrayView<float> gradient, ArrayView<float> logits, ArrayView<float> destination) =>
            destination[i] = -DeviceFloat.Mul(gradient[i], logits[i]);

        /// <summary>The row max, NaN when any element is NaN, −inf for an empty row (<c>Kernels.Max</c>).</summary>
        private static float RowMax(ArrayView<float> z, long start, int cols)
        {
            float m = float.NegativeInfinity;
            for (int j = 0; j < cols; j++)
            {
                float v = z[start + j];
                m = v > m || float.IsNaN(v) ? v : m;
            }

            return m;
        }

        /// <summary>Σ_j y_j (log s − (z_j − m)), each term as TF forms it.</summary>
        private static float Terms(ArrayView<float> y, long y0, ArrayView<float> z, long z0, int cols, float m, float logS)
        {
            float l = 0.0f;
            for (int j = 0; j < cols; j++)
            {
                l += DeviceFloat.Mul(y[y0 + j], logS - (z[z0 + j] - m));
            }

            return l;
        }

        /// <summary>d = exp(z − m) with m the row max; returns Σ d.</summary>
        private static float ExpShifted(ArrayView<float> z, ArrayView<float> d, long z0, int cols, out float m)
        {
            m = RowMax(z, z0, cols);
            float sum = 0.0f;
            for (int j = 0; j < cols; j++)
            {
                float e = DeviceFloat.Exp(z[z0 + j] - m);
                d[z0 + j] = e;
                sum += e;
            }

            return sum;
        }

        private static void FinishSoftmaxGradient(ArrayView<float> d, ArrayView<float> y, long y0, long z0, int cols, float sum, float g)
        {
            for (int j = 0; j < cols; j++)
            {
                d[z0 + j] = DeviceFloat.Mul((d[z0 + j] / sum) - y[y0 + j], g);
            }
        }

        private static void FinishSparseGradient(ArrayView<float> d, long labelIndex, long z0, int cols, float sum, float g)
        {
            float e = d[labelIndex];
            for (int j = 0; j < cols; j++)
            {
                d[z0 + j] = DeviceFloat.Mul(d[z0 + j] / sum, g);
            }

            d[labelIndex] = DeviceFloat.Mul((e / sum) - 1.0f, g);
        }

        private static void FillNaN(ArrayView<float> d, long z0, int cols)
        {
            for (int j = 0; j < cols; j++)
            {
                d[z0 + j] = float.NaN;
            }
        }

        private static float Abs(float x) => x < 0.0f ? -x : x == 0.0f ? 0.0f : x;

        private static float Max0(float x) => x > 0.0f || float.IsNaN(x) ? x : 0.0f;

        /// <summary>Records an error (the device cannot throw) as one 64-bit value, code · 2^32 + position + 1, kept by one
        /// atomic max: the highest code wins, and among its records the highest position, so the code and the position
        /// read back always come from the same failure (two separate maxima could pair one op's code with another's row).</summary>
        internal static void Record(ArrayView<long> error, int code, int position) =>
            Atomic.Max(ref error[0], Pack(code, position));

        /// <summary>code · 2^32 + position + 1 (both non-negative), the error record's value.</summary>
        internal static long Pack(int code, int position) => ((long)code << 32) | (uint)(position + 1);
    }

    /// <summary>A softmax loss launch: the row width and the label rows' stride (0: one shared label row).</summary>
    public struct LossLaunch
    {
        /// <summary>Columns per row.</summary>
        public int Cols;

        /// <summary>Distance between label rows (0 when every row shares one).</summary>
        public int LabelStride;
    }
}
