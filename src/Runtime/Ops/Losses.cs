using System;
using System.Numerics.Tensors;

namespace GraphSampling.Runtime.Ops
{
    /// <summary>The cross-entropy kernels of spec section 10, forward and backward, row by row over [rows, cols].</summary>
    public static class Losses
    {
        /// <summary>loss_i = sum_j y_ij (log s_i - (z_ij - m_i)), m_i the row max, s_i = sum_j exp(z_ij - m_i).</summary>
        public static void SoftmaxCrossEntropy(ReadOnlySpan<float> labels, ReadOnlySpan<float> logits, int rows, int cols, Span<float> loss)
        {
            for (int i = 0; i < rows; i++)
            {
                var z = logits.Slice(i * cols, cols);
                var y = labels.Slice(i * cols, cols);
                float m = TensorPrimitives.Max(z);
                float logS = MathF.Log(Reduce.SumExpShifted(z, m));
                float l = 0f;
                // Every column contributes y * (log s - shifted), as in TF: a masked column (-FLT_MAX) is finite, so
                // its zero label gives exactly 0, while a NaN logit still poisons the row.
                for (int j = 0; j < cols; j++) l += y[j] * (logS - (z[j] - m));
                loss[i] = l;
            }
        }

        /// <summary>dlogits = g_i (softmax - y).</summary>
        public static void SoftmaxCrossEntropyLogitsGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<float> labels, ReadOnlySpan<float> logits, int rows, int cols, Span<float> destination)
        {
            for (int i = 0; i < rows; i++)
            {
                var z = logits.Slice(i * cols, cols);
                var y = labels.Slice(i * cols, cols);
                var d = destination.Slice(i * cols, cols);
                Softmax(z, d);
                TensorPrimitives.Subtract(d, y, d);
                TensorPrimitives.Multiply(d, gradient[i], d);
            }
        }

        /// <summary>dlabels = -g_i log_softmax(z).</summary>
        public static void SoftmaxCrossEntropyLabelsGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<float> logits, int rows, int cols, Span<float> destination)
        {
            for (int i = 0; i < rows; i++)
            {
                var z = logits.Slice(i * cols, cols);
                var d = destination.Slice(i * cols, cols);
                float m = TensorPrimitives.Max(z);
                float logS = MathF.Log(Reduce.SumExpShifted(z, m));
                float g = gradient[i];
                for (int j = 0; j < cols; j++) d[j] = -g * ((z[j] - m) - logS);
            }
        }

        /// <summary>loss_i = log s_i - (z_i,label - m_i); labels must be in [0, cols) (checked by the caller).</summary>
        public static void SparseSoftmaxCrossEntropy(ReadOnlySpan<long> labels, ReadOnlySpan<float> logits, int rows, int cols, Span<float> loss)
        {
            for (int i = 0; i < rows; i++)
            {
                var z = logits.Slice(i * cols, cols);
                float m = TensorPrimitives.Max(z);
                loss[i] = MathF.Log(Reduce.SumExpShifted(z, m)) - (z[(int)labels[i]] - m);
            }
        }

        /// <summary>dlogits = g_i (softmax - onehot(label)).</summary>
        public static void SparseSoftmaxCrossEntropyGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<long> labels, ReadOnlySpan<float> logits, int rows, int cols, Span<float> destination)
        {
            for (int i = 0; i < rows; i++)
            {
                var d = destination.Slice(i * cols, cols);
                Softmax(logits.Slice(i * cols, cols), d);
                d[(int)labels[i]] -= 1f;
                TensorPrimitives.Multiply(d, gradient[i], d);
            }
        }

        /// <summary>max(x,0) - x z + log1p(exp(-|x|)), elementwise (spec 10.3).</summary>
        public static void SigmoidCrossEntropy(ReadOnlySpan<float> labels, ReadOnlySpan<float> logits, Span<float> loss)
        {
            for (int i = 0; i < logits.Length; i++)
            {
                float x = logits[i];
                loss[i] = MathF.Max(x, 0f) - x * labels[i] + Log1p(MathF.Exp(-MathF.Abs(x)));
            }
        }

        /// <summary>dlogits = g (sigmoid(x) - z), evaluated as TF does: [x&gt;=0] - z + (x&gt;=0 ? -1 : 1) e/(1+e), e = exp(-|x|).</summary>
        public static void SigmoidCrossEntropyLogitsGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<float> labels, ReadOnlySpan<float> logits, Span<float> destination)
        {
            for (int i = 0; i < logits.Length; i++)
            {
                float x = logits[i];
                float e = MathF.Exp(-MathF.Abs(x));
                float s = e / (1f + e);
                float d = x >= 0f ? 1f - labels[i] - s : s - labels[i];
                destination[i] = gradient[i] * d;
            }
        }

        /// <summary>dlabels = -g x.</summary>
        public static void SigmoidCrossEntropyLabelsGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<float> logits, Span<float> destination)
        {
            TensorPrimitives.Multiply(gradient, logits, destination);
            TensorPrimitives.Negate(destination, destination);
        }

        private static void Softmax(ReadOnlySpan<float> z, Span<float> destination)
        {
            float m = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, m, destination);
            TensorPrimitives.Exp(destination, destination);
            TensorPrimitives.Divide(destination, TensorPrimitives.Sum(destination), destination);
        }

        /// <summary>log(1 + v) for v in [0, 1], accurate for small v (float.LogP1 is computed as log(1 + v)).</summary>
        private static float Log1p(float v)
        {
            double u = 1.0 + v;
            return u == 1.0 ? v : (float)(Math.Log(u) * v / (u - 1.0));
        }
    }
}
