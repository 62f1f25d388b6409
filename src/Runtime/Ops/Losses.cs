using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using GraphSampling.Runtime.Cpu;

namespace GraphSampling.Runtime.Ops
{
    /// <summary>The cross-entropy kernels of spec section 10, forward and backward, row by row over [rows, cols].</summary>
    public static class Losses
    {
        /// <summary>loss_i = sum_j y_ij (log s_i - (z_ij - m_i)), m_i the row max, s_i = sum_j exp(z_ij - m_i).</summary>
        public static void SoftmaxCrossEntropy(ReadOnlySpan<float> labels, ReadOnlySpan<float> logits, int rows, int cols, Span<float> loss) =>
            SoftmaxCrossEntropy(labels, cols, logits, rows, cols, loss);

        /// <summary>As <see cref="SoftmaxCrossEntropy(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, Span{float})"/>,
        /// the label rows <paramref name="labelStride"/> apart: 0 when every row has the same labels (the sampled losses'
        /// constant labels, read as one row instead of a [rows, cols] matrix).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SoftmaxCrossEntropy(ReadOnlySpan<float> labels, int labelStride, ReadOnlySpan<float> logits, int rows, int cols, Span<float> loss)
        {
            Span<float> shiftedChunk = stackalloc float[Chunk];
            for (int i = 0; i < rows; i++) loss[i] = CrossEntropyRow(labels.Slice(i * labelStride, cols), logits.Slice(i * cols, cols), shiftedChunk);
        }

        /// <summary>dlogits = g_i (softmax - y).</summary>
        public static void SoftmaxCrossEntropyLogitsGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<float> labels, ReadOnlySpan<float> logits, int rows, int cols, Span<float> destination) =>
            SoftmaxCrossEntropyLogitsGradient(gradient, labels, cols, logits, rows, cols, destination);

        /// <summary>dlogits = g_i (softmax - y), the label rows <paramref name="labelStride"/> apart (0: shared).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SoftmaxCrossEntropyLogitsGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<float> labels, int labelStride, ReadOnlySpan<float> logits, int rows, int cols, Span<float> destination)
        {
            for (int i = 0; i < rows; i++) LogitsGradientRow(gradient[i], labels.Slice(i * labelStride, cols), logits.Slice(i * cols, cols), destination.Slice(i * cols, cols));
        }

        /// <summary>
        /// The loss and its logits gradient in one pass over the rows, for a training step whose upstream gradient is
        /// known before the forward pass (the loss is the graph's output): each row is read from memory once, and both
        /// results are the floats <see cref="SoftmaxCrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, int, Span{float})"/>
        /// and <see cref="SoftmaxCrossEntropyLogitsGradient(ReadOnlySpan{float}, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, int, Span{float})"/> give.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SoftmaxCrossEntropyWithLogitsGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<float> labels, int labelStride, ReadOnlySpan<float> logits, int rows, int cols,
            Span<float> loss, Span<float> logitsGradient)
        {
            // The gradient's row is written before the loss has read the logits' row: they must not share memory.
            if (logitsGradient.Slice(0, rows * cols).Overlaps(logits.Slice(0, rows * cols))) throw new ArgumentException("The logits gradient overlaps the logits.", nameof(logitsGradient));
            Span<float> shiftedChunk = stackalloc float[Chunk];
            for (int i = 0; i < rows; i++)
            {
                var y = labels.Slice(i * labelStride, cols);
                var z = logits.Slice(i * cols, cols);
                var d = logitsGradient.Slice(i * cols, cols);
                // One exp pass serves both: the loss's sum of exp(z - m) is the softmax's denominator.
                float sum = ExpShifted(z, d, out float m);
                loss[i] = CrossEntropyTerms(y, z, m, MathF.Log(sum), shiftedChunk);
                FinishSoftmaxGradient(d, y, sum, gradient[i]);
            }
        }

        /// <summary>One row's sum_j y_j (log s - (z_j - m)).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float CrossEntropyRow(ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> shiftedChunk)
        {
            float logS = LogSumExpShifted(z, out float m);
            return CrossEntropyTerms(y, z, m, logS, shiftedChunk);
        }

        /// <summary>sum_j y_j (log s - (z_j - m)) given m and log s.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float CrossEntropyTerms(ReadOnlySpan<float> y, ReadOnlySpan<float> z, float m, float logS, Span<float> shiftedChunk)
        {
            // Every column contributes y * (log s - shifted), as in TF: a masked column (-FLT_MAX) is finite, so its zero
            // label gives exactly 0, while a NaN logit still poisons the row. The shifted logits go through a stack chunk
            // so that the sum is a vector reduction.
            int cols = z.Length;
            float l = 0f;
            for (int start = 0; start < cols; start += Chunk)
            {
                int n = Math.Min(Chunk, cols - start);
                Span<float> shifted = shiftedChunk.Slice(0, n);
                Kernels.MapScalarRight<SubtractOperator>(z.Slice(start, n), m, shifted);
                l += Kernels.CrossEntropyTerms(shifted, y.Slice(start, n), logS);
            }
            return l;
        }

        /// <summary>One row's g (softmax(z) - y).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void LogitsGradientRow(float g, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> d)
        {
            float sum = ExpShifted(z, d, out _);
            FinishSoftmaxGradient(d, y, sum, g);
        }

        /// <summary>d = exp(z - m), m the row max; returns their sum. Summed in <see cref="Kernels.Sum"/>'s order over the
        /// same lanes, it is the value <see cref="Kernels.SumExpShifted"/> gives (LossPassTests pins this at every width).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float ExpShifted(ReadOnlySpan<float> z, Span<float> d, out float m)
        {
            m = Kernels.Max(z);
            Kernels.MapScalarRight<SubtractOperator>(z, m, d);
            Kernels.Map<ExpOperator>(d, d);
            return Kernels.Sum(d);
        }

        /// <summary>d = (e / s − y) · g in one pass: the softmax, minus the labels, times the upstream gradient, each op
        /// rounded as the three passes round it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void FinishSoftmaxGradient(Span<float> d, ReadOnlySpan<float> y, float sum, float g)
        {
            Kernels.Fused<SoftmaxGradientOperator>(1, d.Length, FusedOperand.Full(d, d.Length), FusedOperand.Row(y),
                FusedOperand.Scalar(MemoryMarshal.CreateReadOnlySpan(ref sum, 1)), FusedOperand.Scalar(MemoryMarshal.CreateReadOnlySpan(ref g, 1)), d, d.Length);
        }

        /// <summary>(a / c − b) · d.</summary>
        private readonly struct SoftmaxGradientOperator : IFusedOperator
        {
            public static float Invoke(float a, float b, float c, float d) => (a / c - b) * d;
            public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d) => (a / c - b) * d;
            public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d) => (a / c - b) * d;
            public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d) => (a / c - b) * d;
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
            for (int i = 0; i < rows; i++) loss[i] = SparseCrossEntropyRow((int)labels[i], logits.Slice(i * cols, cols));
        }

        /// <summary>The sparse loss and its logits gradient in one pass over the rows (see
        /// <see cref="SoftmaxCrossEntropyWithLogitsGradient"/>): the floats the two kernels give apart.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SparseSoftmaxCrossEntropyWithLogitsGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<long> labels, ReadOnlySpan<float> logits, int rows, int cols,
            Span<float> loss, Span<float> logitsGradient)
        {
            if (logitsGradient.Slice(0, rows * cols).Overlaps(logits.Slice(0, rows * cols))) throw new ArgumentException("The logits gradient overlaps the logits.", nameof(logitsGradient));
            for (int i = 0; i < rows; i++)
            {
                var z = logits.Slice(i * cols, cols);
                var d = logitsGradient.Slice(i * cols, cols);
                int label = (int)labels[i];
                float sum = ExpShifted(z, d, out float m);
                loss[i] = MathF.Log(sum) - (z[label] - m);
                FinishSparseGradient(d, label, sum, gradient[i]);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float SparseCrossEntropyRow(int label, ReadOnlySpan<float> z) => LogSumExpShifted(z, out float m) - (z[label] - m);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void SparseLogitsGradientRow(float g, int label, ReadOnlySpan<float> z, Span<float> d) => FinishSparseGradient(d, label, ExpShifted(z, d, out _), g);

        /// <summary>d = (e / s − onehot(label)) · g: one pass for every column, the label's column redone from its e.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void FinishSparseGradient(Span<float> d, int label, float sum, float g)
        {
            float e = d[label];
            Kernels.Fused<ScaledQuotientOperator>(1, d.Length, FusedOperand.Full(d, d.Length), FusedOperand.None,
                FusedOperand.Scalar(MemoryMarshal.CreateReadOnlySpan(ref sum, 1)), FusedOperand.Scalar(MemoryMarshal.CreateReadOnlySpan(ref g, 1)), d, d.Length);
            d[label] = (e / sum - 1f) * g;
        }

        /// <summary>(a / c) · d.</summary>
        private readonly struct ScaledQuotientOperator : IFusedOperator
        {
            public static float Invoke(float a, float b, float c, float d) => a / c * d;
            public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d) => a / c * d;
            public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d) => a / c * d;
            public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d) => a / c * d;
        }

        /// <summary>dlogits = g_i (softmax - onehot(label)).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SparseSoftmaxCrossEntropyGradient(ReadOnlySpan<float> gradient, ReadOnlySpan<long> labels, ReadOnlySpan<float> logits, int rows, int cols, Span<float> destination)
        {
            for (int i = 0; i < rows; i++) SparseLogitsGradientRow(gradient[i], (int)labels[i], logits.Slice(i * cols, cols), destination.Slice(i * cols, cols));
        }

        /// <summary>Ragged labels' targets: 1 / T_i at each of row i's T_i real labels (TF's 1/numTrue, in float), 0 at a
        /// -1. A row without a real label has no target distribution: it throws, naming the row (fed labels are checked
        /// before a call runs, so this guards computed ones).</summary>
        public static void LabelWeights(ReadOnlySpan<long> labels, int numTrue, Span<float> destination)
        {
            if (numTrue < 1 || labels.Length % numTrue != 0) throw new ArgumentException("labels is not a [B, numTrue = " + numTrue + "] matrix.", nameof(labels));
            for (int start = 0, row = 0; start < labels.Length; start += numTrue, row++)
            {
                var r = labels.Slice(start, numTrue);
                int real = numTrue - r.Count(-1L);
                if (real == 0) throw new ArgumentException("labels row " + row + " holds only padding (-1); every row needs at least one true class.", nameof(labels));
                float weight = 1f / real;
                for (int j = 0; j < numTrue; j++) destination[start + j] = r[j] < 0 ? 0f : weight;
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
