using System;
using ILGPU;

namespace GraphSampling.Runtime.Gpu.Ops
{
    public static partial class DeviceOps
    {
        /// <summary><c>Losses.SoftmaxCrossEntropy</c>: loss[r] = Σ_j y_rj (log s_r − (z_rj − m_r)) over [rows, cols] logits,
        /// the label rows <paramref name="labelStride"/> apart (0: one row shared by every row, the sampled losses' labels).</summary>
        public static void SoftmaxCrossEntropy(GpuContext gpu, ArrayView<float> labels, int labelStride, ArrayView<float> logits, int rows, int cols, ArrayView<float> loss, string? tensor = null)
        {
            const string op = "softmax cross-entropy";
            if (!SoftmaxShape(op, tensor, labels, labelStride, logits, rows, cols)) return;
            Need(loss.Length, rows, op, tensor, nameof(loss));
            try
            {
                gpu.OpKernels.SoftmaxCrossEntropy(rows, new LossLaunch { Cols = cols, LabelStride = labelStride }, labels, logits, loss);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary><c>Losses.SoftmaxCrossEntropy</c> with one label row per logits row.</summary>
        public static void SoftmaxCrossEntropy(GpuContext gpu, ArrayView<float> labels, ArrayView<float> logits, int rows, int cols, ArrayView<float> loss, string? tensor = null) =>
            SoftmaxCrossEntropy(gpu, labels, cols, logits, rows, cols, loss, tensor);

        /// <summary><c>Losses.SoftmaxCrossEntropyLogitsGradient</c>: destination = g_r (softmax(z) − y); the destination may
        /// be the logits themselves (each row is read in full before it is written).</summary>
        public static void SoftmaxCrossEntropyLogitsGradient(GpuContext gpu, ArrayView<float> gradient, ArrayView<float> labels, int labelStride, ArrayView<float> logits, int rows, int cols,
            ArrayView<float> destination, string? tensor = null)
        {
            const string op = "softmax cross-entropy logits gradient";
            if (!SoftmaxShape(op, tensor, labels, labelStride, logits, rows, cols)) return;
            Need(gradient.Length, rows, op, tensor, nameof(gradient));
            Need(destination.Length, (long)rows * cols, op, tensor, nameof(destination));
            try
            {
                gpu.OpKernels.SoftmaxCrossEntropyLogitsGradient(rows, new LossLaunch { Cols = cols, LabelStride = labelStride }, gradient, labels, logits, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary><c>Losses.SoftmaxCrossEntropyLogitsGradient</c> with one label row per logits row.</summary>
        public static void SoftmaxCrossEntropyLogitsGradient(GpuContext gpu, ArrayView<float> gradient, ArrayView<float> labels, ArrayView<float> logits, int rows, int cols, ArrayView<float> destination, string? tensor = null) =>
            SoftmaxCrossEntropyLogitsGradient(gpu, gradient, labels, cols, logits, rows, cols, destination, tensor);

        /// <summary><c>Losses.SoftmaxCrossEntropyWithLogitsGradient</c>: the loss and its logits gradient in one pass. The
        /// gradient must not overlap the logits (the loss reads a row after its gradient is written).</summary>
        public static void SoftmaxCrossEntropyWithLogitsGradient(GpuContext gpu, ArrayView<float> gradient, ArrayView<float> labels, int labelStride, ArrayView<float> logits, int rows, int cols,
            ArrayView<float> loss, ArrayView<float> logitsGradient, string? tensor = null)
        {
            const string op = "softmax cross-entropy with logits gradient";
            if (!SoftmaxShape(op, tensor, labels, labelStride, logits, rows, cols)) return;
            Need(gradient.Length, rows, op, tensor, nameof(gradient));
            Need(loss.Length, rows, op, tensor, nameof(loss));
            Need(logitsGradient.Length, (long)rows * cols, op, tensor, nameof(logitsGradient));
            NoOverlap(logitsGradient.SubView(0, (long)rows * cols), logits.SubView(0, (long)rows * cols), op, tensor, nameof(logitsGradient));
            try
            {
                gpu.OpKernels.SoftmaxCrossEntropyWithLogitsGradient(rows, new LossLaunch { Cols = cols, LabelStride = labelStride }, gradient, labels, logits, loss, logitsGradient);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary><c>Losses.SoftmaxCrossEntropyLabelsGradient</c>: destination = −g_r log_softmax(z) over [rows, cols]; the
        /// destination may be the logits.</summary>
        public static void SoftmaxCrossEntropyLabelsGradient(GpuContext gpu, ArrayView<float> gradient, ArrayView<float> logits, int rows, int cols, ArrayView<float> destination, string? tensor = null)
        {
            const string op = "softmax cross-entropy labels gradient";
            NonNegative(rows, op, nameof(rows), tensor);
            NonNegative(cols, op, nameof(cols), tensor);
            if (rows == 0 || cols == 0) return;
            Need(gradient.Length, rows, op, tensor, nameof(gradient));
            Need(logits.Length, (long)rows * cols, op, tensor, nameof(logits));
            Need(destination.Length, (long)rows * cols, op, tensor, nameof(destination));
            try
            {
                gpu.OpKernels.SoftmaxCrossEntropyLabelsGradient(rows, new LossLaunch { Cols = cols, LabelStride = cols }, gradient, logits, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary><c>Losses.SparseSoftmaxCrossEntropy</c>: loss[r] = log s_r − (z_r,label − m_r). A label outside
        /// [0, cols) gives NaN and is reported by <see cref="ThrowIfFailed"/>.</summary>
        public static void SparseSoftmaxCrossEntropy(GpuContext gpu, ArrayView<long> labels, ArrayView<float> logits, int rows, int cols, ArrayView<float> loss, string? tensor = null)
        {
            const string op = "sparse softmax cross-entropy";
            if (!SparseShape(op, tensor, labels, logits, rows, cols)) return;
            Need(loss.Length, rows, op, tensor, nameof(loss));
            try
            {
                gpu.OpKernels.SparseSoftmaxCrossEntropy(rows, new LossLaunch { Cols = cols }, labels, logits, loss, gpu.OpKernels.Error);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary><c>Losses.SparseSoftmaxCrossEntropyGradient</c>: destination = g_r (softmax(z) − onehot(label)); a bad
        /// label's row is NaN and reported by <see cref="ThrowIfFailed"/>. The destination may be the logits.</summary>
        public static void SparseSoftmaxCrossEntropyGradient(GpuContext gpu, ArrayView<float> gradient, ArrayView<long> labels, ArrayView<float> logits, int rows, int cols, ArrayView<float> destination, string? tensor = null)
        {
            const string op = "sparse softmax cross-entropy gradient";
            if (!SparseShape(op, tensor, labels, logits, rows, cols)) return;
            Need(gradient.Length, rows, op, tensor, nameof(gradient));
            Need(destination.Length, (long)rows * cols, op, tensor, nameof(destination));
            try
            {
                gpu.OpKernels.SparseSoftmaxCrossEntropyGradient(rows, new LossLaunch { Cols = cols }, gradient, labels, logits, destination, gpu.OpKernels.Error);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary><c>Losses.SparseSoftmaxCrossEntropyWithLogitsGradient</c>: the sparse loss and its gradient in one pass;
        /// the gradient must not overlap the logits.</summary>
        public static void SparseSoftmaxCrossEntropyWithLogitsGradient(GpuContext gpu, ArrayView<float> gradient, ArrayView<long> labels, ArrayView<float> logits, int rows, int cols,
            ArrayView<float> loss, ArrayView<float> logitsGradient, string? tensor = null)
        {
            const string op = "sparse softmax cross-entropy with logits gradient";
            if (!SparseShape(op, tensor, labels, logits, rows, cols)) return;
            Need(gradient.Length, rows, op, tensor, nameof(gradient));
            Need(loss.Length, rows, op, tensor, nameof(loss));
            Need(logitsGradient.Length, (long)rows * cols, op, tensor, nameof(logitsGradient));
            NoOverlap(logitsGradient.SubView(0, (long)rows * cols), logits.SubView(0, (long)rows * cols), op, tensor, nameof(logitsGradient));
            try
            {
                gpu.OpKernels.SparseSoftmaxCrossEntropyWithLogitsGradient(rows, new LossLaunch { Cols = cols }, gradient, labels, logits, loss, logitsGradient, gpu.OpKernels.Error);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary><c>Losses.LabelWeights</c>: 1 / T_r at each of row r's T_r real labels of a [B, numTrue] matrix, 0 at a
        /// −1. A row of only padding gets zeros and is reported by <see cref="ThrowIfFailed"/> (the CPU throws at once).</summary>
        public static void LabelWeights(GpuContext gpu, ArrayView<long> labels, int numTrue, ArrayView<float> destination, string? tensor = null)
        {
            const string op = "label weights";
            if (numTrue < 1 || labels.Length % numTrue != 0)
            {
                throw new ArgumentException(op + Named(tensor) + ": labels (" + labels.Length + ") is not a [B, numTrue = " + numTrue + "] matrix.", nameof(labels));
            }

            Need(destination.Length, labels.Length, op, tensor, nameof(destination));
            int rows = Elements(labels.Length / numTrue, op, tensor);
            if (rows == 0) return;
            try
            {
                gpu.OpKernels.LabelWeights(rows, numTrue, labels, destination, gpu.OpKernels.Error);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary><c>Losses.SigmoidCrossEntropy</c>: loss = max(x, 0) − x z + log1p(exp(−|x|)), elementwise over the logits.</summary>
        public static void SigmoidCrossEntropy(GpuContext gpu, ArrayView<float> labels, ArrayView<float> logits, ArrayView<float> loss, string? tensor = null)
        {
            const string op = "sigmoid cross-entropy";
            Need(labels.Length, logits.Length, op, tensor, nameof(labels));
            Need(loss.Length, logits.Length, op, tensor, nameof(loss));
            int n = Elements(logits.Length, op, tensor);
            if (n == 0) return;
            try
            {
                gpu.OpKernels.SigmoidCrossEntropy(n, labels, logits, loss);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary><c>Losses.SigmoidCrossEntropyLogitsGradient</c>: destination = g (sigmoid(x) − z), TF's overflow-free sigmoid.</summary>
        public static void SigmoidCrossEntropyLogitsGradient(GpuContext gpu, ArrayView<float> gradient, ArrayView<float> labels, ArrayView<float> logits, ArrayView<float> destination, string? tensor = null)
        {
            const string op = "sigmoid cross-entropy logits gradient";
            Need(gradient.Length, logits.Length, op, tensor, nameof(gradient));
            Need(labels.Length, logits.Length, op, tensor, nameof(labels));
            Need(destination.Length, logits.Length, op, tensor, nameof(destination));
            int n = Elements(logits.Length, op, tensor);
            if (n == 0) return;
            try
            {
                gpu.OpKernels.SigmoidCrossEntropyLogitsGradient(n, gradient, labels, logits, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary><c>Losses.SigmoidCrossEntropyLabelsGradient</c>: destination = −(g x).</summary>
        public static void SigmoidCrossEntropyLabelsGradient(GpuContext gpu, ArrayView<float> gradient, ArrayView<float> logits, ArrayView<float> destination, string? tensor = null)
        {
            const string op = "sigmoid cross-entropy labels gradient";
            Need(gradient.Length, logits.Length, op, tensor, nameof(gradient));
            Need(destination.Length, logits.Length, op, tensor, nameof(destination));
            int n = Elements(logits.Length, op, tensor);
            if (n == 0) return;
            try
            {
                gpu.OpKernels.SigmoidCrossEntropyLabelsGradient(n, gradient, logits, destination);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }

        /// <summary>Checks a softmax loss's labels and logits; false when there is nothing to do.</summary>
        private static bool SoftmaxShape(string op, string? tensor, ArrayView<float> labels, int labelStride, ArrayView<float> logits, int rows, int cols)
        {
            NonNegative(rows, op, nameof(rows), tensor);
            NonNegative(cols, op, nameof(cols), tensor);
            NonNegative(labelStride, op, nameof(labelStride), tensor);
            if (rows == 0) return false;
            Elements(rows, op, tensor);
            Need(logits.Length, (long)rows * cols, op, tensor, nameof(logits));
            Need(labels.Length, ((long)(rows - 1) * labelStride) + cols, op, tensor, nameof(labels));
            return true;
        }

        private static bool SparseShape(string op, string? tensor, ArrayView<long> labels, ArrayView<float> logits, int rows, int cols)
        {
            NonNegative(rows, op, nameof(rows), tensor);
            NonNegative(cols, op, nameof(cols), tensor);
            if (rows == 0) return false;
            Need(labels.Length, rows, op, tensor, nameof(labels));
            Need(logits.Length, (long)rows * cols, op, tensor, nameof(logits));
            return true;
        }
    }
}
