using System;
using GraphSampling.Runtime.Cpu;
using GraphSampling.Runtime.Ops;
using Xunit;

namespace GraphSampling.Runtime.Tests.Ops
{
    /// <summary>The one-pass cross-entropy kernels a training step uses (loss and logits gradient together, labels as one
    /// shared row) give exactly the floats of the separate kernels over a full label matrix, and those the floats of the
    /// softmax written as separate passes, at every row width 1..257
    /// (this class runs in the ISA matrix of .ci/run).</summary>
    public sealed class LossPassTests
    {
        private static float[] Logits(Random rng, int n, bool masked)
        {
            var z = new float[n];
            for (int i = 0; i < n; i++) z[i] = (float)(rng.NextDouble() * 12 - 6);
            if (masked && n > 2) z[n / 2] = -float.MaxValue;   // an accidental hit
            return z;
        }

        /// <summary>g (softmax(z) − y) row by row in separate passes: max, shift, exp, sum, divide, subtract, scale.</summary>
        private static float[] ThreePassGradient(float[] g, float[] labels, int labelStride, float[] z, int rows, int cols, long[]? sparse = null)
        {
            var d = new float[rows * cols];
            for (int i = 0; i < rows; i++)
            {
                var zr = z.AsSpan(i * cols, cols);
                var dr = d.AsSpan(i * cols, cols);
                Kernels.MapScalarRight<SubtractOperator>(zr, Kernels.Max(zr), dr);
                Kernels.Map<ExpOperator>(dr, dr);
                Kernels.MapScalarRight<DivideOperator>(dr, Kernels.Sum(dr), dr);
                if (sparse != null) dr[(int)sparse[i]] -= 1f;
                else Kernels.Map<SubtractOperator>(dr, labels.AsSpan(i * labelStride, cols), dr);
                Kernels.MapScalarRight<MultiplyOperator>(dr, g[i], dr);
            }
            return d;
        }

        [Fact]
        public void SoftmaxCrossEntropy_WithGradient_AndSharedLabels_EqualsTheSeparateKernels()
        {
            var rng = new Random(11);
            const int rows = 3;
            for (int cols = 1; cols <= 257; cols++)
            {
                var z = Logits(rng, rows * cols, masked: cols % 3 == 0);
                var row = new float[cols];
                int t = Math.Min(cols, 1 + cols % 4);
                for (int j = 0; j < t; j++) row[j] = 1f / t;            // the sampled losses' labels: 1/T on the true columns
                var labels = new float[rows * cols];
                for (int i = 0; i < rows; i++) row.CopyTo(labels, i * cols);
                float[] g = { 1f, 0.5f, -2f };

                float[] loss = new float[rows], grad = new float[rows * cols];
                Losses.SoftmaxCrossEntropy(labels, z, rows, cols, loss);
                Losses.SoftmaxCrossEntropyLogitsGradient(g, labels, z, rows, cols, grad);
                Assert.Equal(ThreePassGradient(g, labels, cols, z, rows, cols), grad);

                // The loss against TF's formula in double: sum_j y_j (log sum_k exp(z_k - m) - (z_j - m)).
                for (int i = 0; i < rows; i++)
                {
                    double m = double.NegativeInfinity, s = 0, l = 0;
                    for (int j = 0; j < cols; j++) m = Math.Max(m, z[i * cols + j]);
                    for (int j = 0; j < cols; j++) s += Math.Exp(z[i * cols + j] - m);
                    for (int j = 0; j < cols; j++) l += row[j] * (Math.Log(s) - (z[i * cols + j] - m));
                    Assert.True(Math.Abs(loss[i] - l) <= 1e-5 * Math.Abs(l) + 1e-6, "cols " + cols + " row " + i + ": " + loss[i] + " vs " + l);
                }

                float[] loss1 = new float[rows], grad1 = new float[rows * cols], loss2 = new float[rows];
                Losses.SoftmaxCrossEntropyWithLogitsGradient(g, row, 0, z, rows, cols, loss1, grad1);
                Losses.SoftmaxCrossEntropy(row, 0, z, rows, cols, loss2);
                Assert.Equal(loss, loss1);
                Assert.Equal(loss, loss2);
                Assert.Equal(grad, grad1);

                // Full labels through the one-pass kernel, and a shared-row gradient alone.
                Array.Clear(grad1);
                Losses.SoftmaxCrossEntropyWithLogitsGradient(g, labels, cols, z, rows, cols, loss1, grad1);
                Assert.Equal(loss, loss1);
                Assert.Equal(grad, grad1);
                Array.Clear(grad1);
                Losses.SoftmaxCrossEntropyLogitsGradient(g, row, 0, z, rows, cols, grad1);
                Assert.Equal(grad, grad1);
            }
        }

        [Fact]
        public void SparseSoftmaxCrossEntropy_WithGradient_EqualsTheSeparateKernels()
        {
            var rng = new Random(12);
            const int rows = 3;
            for (int cols = 1; cols <= 257; cols++)
            {
                var z = Logits(rng, rows * cols, masked: false);
                long[] labels = { 0, cols - 1, cols / 2 };
                float[] g = { 1f, 0.25f, 3f };
                float[] loss = new float[rows], grad = new float[rows * cols], loss1 = new float[rows], grad1 = new float[rows * cols];
                Losses.SparseSoftmaxCrossEntropy(labels, z, rows, cols, loss);
                Losses.SparseSoftmaxCrossEntropyGradient(g, labels, z, rows, cols, grad);
                Assert.Equal(ThreePassGradient(g, Array.Empty<float>(), 0, z, rows, cols, labels), grad);
                Losses.SparseSoftmaxCrossEntropyWithLogitsGradient(g, labels, z, rows, cols, loss1, grad1);
                Assert.Equal(loss, loss1);
                Assert.Equal(grad, grad1);
            }
        }

        [Fact]
        public void OnePassKernels_RejectAGradientThatOverlapsTheLogits()
        {
            var buffer = new float[8];
            Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropyWithLogitsGradient(new float[1], new float[4], 0, buffer.AsSpan(0, 4), 1, 4, new float[1], buffer.AsSpan(2, 4)));
            Assert.Throws<ArgumentException>(() => Losses.SparseSoftmaxCrossEntropyWithLogitsGradient(new float[1], new long[1], buffer.AsSpan(0, 4), 1, 4, new float[1], buffer.AsSpan(0, 4)));
        }
    }
}
