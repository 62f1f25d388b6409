using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using GraphSampling.Runtime.Cpu;

namespace GraphSampling.Runtime.Ops
{
    /// <summary>The cross-entropy kernels of spec section 10, forward and backward, row by row over [rows, cols].</summary>
    public static class Losses
    {
        /// <summary>loss_i = sum_j y_ij (log s_i - (z_ij - m_i)), m_i the row max, s_i = sum_j exp(z_ij - m_i).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SoftmaxCrossEntropy(ReadOnlySpan<float> labels, ReadOnlySpan<float> logits, int rows, int cols, Span<float> loss)
        {
            Span<float> shiftedChunk = stackalloc float[Chunk];
            for (int i = 0; i < rows; i++)
            {
                var z = logits.Slice(i * cols, cols);
                var y = labels.Slice(i * cols, cols);
                float logS = LogSumExpShifted(z, out float m);
                // Every column contributes y * (log s - shifted), as in TF: a masked column (-FLT_MAX) is finite, so
                // its zero label gives exactly 0, while a NaN logit still poisons the row. The shifted logits go
                // through a stack chunk so that the sum is a vector reduction.
                float l = 0f;
                for (int start = 0; start < cols; start += Chunk)
                {
                    int n = Math.Min(Chunk, cols - start);
                    Span<float> shifted = shiftedChunk.Slice(0, n);
                    Kernels.MapScalarRight<SubtractOperator>(z.Slice(start, n), m, shifted);
                    l += Kernels.CrossEntropyTerms(shifted, y.Slice(start, n), logS);
                }

                loss[i] = l;
            }
        }

        /// <summary>dlogits = g_i (softmax - y).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SoftmaxCrossEntropyLogitsGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<float> labels, ReadOnlySpan<float> logits, int rows, int cols, Span<float> destination)
        {
            for (int i = 0; i < rows; i++)
            {
                var z = logits.Slice(i * cols, cols);
                var y = labels.Slice(i * cols, cols);
                var d = destination.Slice(i * cols, cols);
                Softmax(z, d);
                Kernels.Map<SubtractOperator>(d, y, d);
                Kernels.MapScalarRight<MultiplyOperator>(d, gradient[i], d);
            }
        }

        /// <summary>dlabels = -g_i log_softmax(z).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SoftmaxCrossEntropyLabelsGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<float> logits, int rows, int cols, Span<float> destination)
        {
            for (int i = 0; i < rows; i++)
            {
                var z = logits.Slice(i * cols, cols);
                var d = destination.Slice(i * cols, cols);
                float logS = LogSumExpShifted(z, out float m);
                float g = gradient[i];
                for (int j = 0; j < cols; j++) d[j] = -g * ((z[j] - m) - logS);
            }
        }

        /// <summary>loss_i = log s_i - (z_i,label - m_i); labels must be in [0, cols) (checked by the caller).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SparseSoftmaxCrossEntropy(ReadOnlySpan<long> labels, ReadOnlySpan<float> logits, int rows, int cols, Span<float> loss)
        {
            for (int i = 0; i < rows; i++)
            {
                var z = logits.Slice(i * cols, cols);
                loss[i] = LogSumExpShifted(z, out float m) - (z[(int)labels[i]] - m);
            }
        }

        /// <summary>dlogits = g_i (softmax - onehot(label)).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SparseSoftmaxCrossEntropyGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<long> labels, ReadOnlySpan<float> logits, int rows, int cols, Span<float> destination)
        {
            for (int i = 0; i < rows; i++)
            {
                var d = destination.Slice(i * cols, cols);
                Softmax(logits.Slice(i * cols, cols), d);
                d[(int)labels[i]] -= 1f;
                Kernels.MapScalarRight<MultiplyOperator>(d, gradient[i], d);
            }
        }

        /// <summary>max(x,0) - x z + log1p(exp(-|x|)), elementwise (spec 10.3), vectorised in stack-sized chunks.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SigmoidCrossEntropy(ReadOnlySpan<float> labels, ReadOnlySpan<float> logits, Span<float> loss)
        {
            Span<float> e = stackalloc float[Chunk];
            Span<float> t = stackalloc float[Chunk];
            for (int start = 0; start < logits.Length; start += Chunk)
            {
                int n = Math.Min(Chunk, logits.Length - start);
                var x = logits.Slice(start, n);
                var z = labels.Slice(start, n);
                var en = e.Slice(0, n);
                var tn = t.Slice(0, n);
                var dst = loss.Slice(start, n);
                TensorPrimitives.Abs(x, en);
                TensorPrimitives.Negate(en, en);
                Kernels.Map<ExpOperator>(en, en);              // e = exp(-|x|), in (0, 1]
                Log1pOfSmall(en, tn);                          // log1p(e), accurate for tiny e
                for (int i = 0; i < n; i++) dst[i] = MathF.Max(x[i], 0f) - x[i] * z[i] + tn[i];
            }
        }

        /// <summary>dlogits = g (sigmoid(x) - z), with sigmoid(x) as TF evaluates it: x &gt;= 0 ? 1 - e/(1+e) : e/(1+e),
        /// e = exp(-|x|), so it never overflows.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SigmoidCrossEntropyLogitsGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<float> labels, ReadOnlySpan<float> logits, Span<float> destination)
        {
            Span<float> e = stackalloc float[Chunk];
            for (int start = 0; start < logits.Length; start += Chunk)
            {
                int n = Math.Min(Chunk, logits.Length - start);
                var x = logits.Slice(start, n);
                var en = e.Slice(0, n);
                TensorPrimitives.Abs(x, en);
                TensorPrimitives.Negate(en, en);
                Kernels.Map<ExpOperator>(en, en);
                for (int i = 0; i < n; i++)
                {
                    float s = en[i] / (1f + en[i]);
                    float d = x[i] >= 0f ? 1f - labels[start + i] - s : s - labels[start + i];
                    destination[start + i] = gradient[start + i] * d;
                }
            }
        }

        /// <summary>dlabels = -g x.</summary>
        public static void SigmoidCrossEntropyLabelsGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<float> logits, Span<float> destination)
        {
            TensorPrimitives.Multiply(gradient, logits, destination);
            TensorPrimitives.Negate(destination, destination);
        }

        /// <summary>log s for one row, with m its max and s = sum_j exp(z_j - m): the shared core of every softmax loss.</summary>
        private static float LogSumExpShifted(ReadOnlySpan<float> z, out float m)
        {
            m = Kernels.Max(z);
            return MathF.Log(Kernels.SumExpShifted(z, m));
        }

        private static void Softmax(ReadOnlySpan<float> z, Span<float> destination)
        {
            float m = Kernels.Max(z);
            Kernels.MapScalarRight<SubtractOperator>(z, m, destination);
            Kernels.Map<ExpOperator>(destination, destination);
            Kernels.MapScalarRight<DivideOperator>(destination, Kernels.Sum(destination), destination);
        }

        private const int Chunk = 256;

        /// <summary>log1p(v) for v in (0, 1], vectorised: log(u) * v / (u - 1) with u = 1 + v, which restores the digits
        /// the rounding of u drops (Goldberg's trick; when u rounds to 1, log1p(v) = v to float precision).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Log1pOfSmall(ReadOnlySpan<float> v, Span<float> destination)
        {
            Span<float> u = stackalloc float[Chunk];
            var un = u.Slice(0, v.Length);
            TensorPrimitives.Add(v, 1f, un);
            Kernels.Map<LogOperator>(un, destination);
            for (int i = 0; i < v.Length; i++)
            {
                float d = un[i] - 1f;
                destination[i] = d == 0f ? v[i] : destination[i] * (v[i] / d);
            }
        }
    }
}
