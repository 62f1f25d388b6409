using System;
using GraphSampling.Runtime.Gpu;
using GraphSampling.Runtime.Gpu.Ops;
using GraphSampling.Runtime.Ops;
using ILGPU;
using ILGPU.Runtime;
using Xunit;
using static GraphSampling.Gpu.Tests.DeviceAssert;

namespace GraphSampling.Gpu.Tests
{
    /// <summary>
    /// The cross-entropy ops of <see cref="DeviceOps"/> against <see cref="Losses"/> on the same inputs. A softmax row
    /// sum runs in column order on the device and through vector lanes on the CPU, and exp/log/log1p are correctly
    /// rounded on the device but within 1 ulp on the CPU, so these compare within bounds derived from those two facts
    /// (stated at each assertion); the products and negations that are the same IEEE operations are bit-identical.
    /// </summary>
    [Collection(GpuCollection.Name)]
    public sealed class DeviceLossTests(GpuFixture fixture)
    {
        private const int Rows = 5;
        private const int Cols = 37;   // not a multiple of any vector width

        /// <summary>Logits with a masked column (−FLT_MAX, label 0), a row of large logits, soft labels summing to 1.</summary>
        private static (float[] Logits, float[] Labels, float[] Gradient) Inputs()
        {
            float[] z = Random(Rows * Cols, 31, 6f);
            float[] y = Random(Rows * Cols, 32);
            for (int r = 0; r < Rows; r++)
            {
                double total = 0;
                for (int j = 0; j < Cols; j++)
                {
                    y[(r * Cols) + j] = Math.Abs(y[(r * Cols) + j]);
                    total += y[(r * Cols) + j];
                }

                for (int j = 0; j < Cols; j++)
                {
                    y[(r * Cols) + j] = (float)(y[(r * Cols) + j] / total);
                }
            }

            z[(1 * Cols) + 3] = -float.MaxValue;
            y[(1 * Cols) + 3] = 0f;
            for (int j = 0; j < Cols; j++)
            {
                z[(3 * Cols) + j] *= 15f;   // up to ±90: exp(z) alone would overflow
            }

            float[] g = Random(Rows, 33, 2f);
            return (z, y, g);
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void SoftmaxCrossEntropy_AndGradients_MatchLosses(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            var (z, y, g) = Inputs();
            using var dz = gpu.Accelerator.Allocate1D(z);
            using var dy = gpu.Accelerator.Allocate1D(y);
            using var dg = gpu.Accelerator.Allocate1D(g);
            using var dLoss = gpu.Accelerator.Allocate1D<float>(Rows);
            using var dLoss2 = gpu.Accelerator.Allocate1D<float>(Rows);
            using var dGrad = gpu.Accelerator.Allocate1D<float>(Rows * Cols);
            using var dGrad2 = gpu.Accelerator.Allocate1D<float>(Rows * Cols);
            (double[] logS, double[] p) = Softmax(z);

            foreach (int labelStride in new[] { Cols, 0 })
            {
                string how = labelStride == 0 ? " (shared label row)" : "";
                var loss = new float[Rows];
                Losses.SoftmaxCrossEntropy(y, labelStride, z, Rows, Cols, loss);
                DeviceOps.SoftmaxCrossEntropy(gpu, dy.View, labelStride, dz.View, Rows, Cols, dLoss.View);

                // Σ y_j (log s − (z_j − m)): log s carries the row sum's order and exp/log ulps, ≤ 2·(n + 20)·2^-24
                // absolute, into every term (× |y_j|); the terms are summed in another order, ≤ 2·(n + 16)·2^-24·Σ|term|.
                Near(loss, dLoss.GetAsArray1D(), r => 2 * (Cols + 20) * Eps * TermScale(z, y, labelStride, r, logS[r]), "softmax cross-entropy" + how);

                var grad = new float[Rows * Cols];
                Losses.SoftmaxCrossEntropyLogitsGradient(g, y, labelStride, z, Rows, Cols, grad);
                DeviceOps.SoftmaxCrossEntropyLogitsGradient(gpu, dg.View, dy.View, labelStride, dz.View, Rows, Cols, dGrad.View);

                // (e_j / s − y_j)·g: e_j within 2 ulps, s within 2·(n + 16)·2^-24 relative, so the softmax within
                // 2·(n + 20)·2^-24 of itself; the subtraction and product round once more (2 ulps of the result).
                Near(grad, dGrad.GetAsArray1D(), i => (2 * (Cols + 20) * Eps * Math.Abs(g[i / Cols]) * p[i]) + (2 * Ulp(grad[i])), "softmax logits gradient" + how);

                // The one-pass kernel gives exactly the floats of the two kernels apart (the same sums, in the same order).
                DeviceOps.SoftmaxCrossEntropyWithLogitsGradient(gpu, dg.View, dy.View, labelStride, dz.View, Rows, Cols, dLoss2.View, dGrad2.View);
                BitEqual(dLoss.GetAsArray1D(), dLoss2.GetAsArray1D(), "one-pass loss" + how);
                BitEqual(dGrad.GetAsArray1D(), dGrad2.GetAsArray1D(), "one-pass gradient" + how);
            }

            var labelsGrad = new float[Rows * Cols];
            Losses.SoftmaxCrossEntropyLabelsGradient(g, z, Rows, Cols, labelsGrad);
            DeviceOps.SoftmaxCrossEntropyLabelsGradient(gpu, dg.View, dz.View, Rows, Cols, dGrad.View);

            // −g ((z − m) − log s): log s within 2·(n + 20)·2^-24 + 2 ulps, times |g|, plus the rounding of the result.
            Near(labelsGrad, dGrad.GetAsArray1D(), i => (Math.Abs(g[i / Cols]) * ((2 * (Cols + 20) * Eps) + (2 * Ulp((float)logS[i / Cols])))) + (2 * Ulp(labelsGrad[i])), "softmax labels gradient");
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void SparseSoftmaxCrossEntropy_AndGradient_MatchLosses(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            var (z, _, g) = Inputs();
            long[] labels = { 0, 36, 17, 5, 36 };
            using var dz = gpu.Accelerator.Allocate1D(z);
            using var dLabels = gpu.Accelerator.Allocate1D(labels);
            using var dg = gpu.Accelerator.Allocate1D(g);
            using var dLoss = gpu.Accelerator.Allocate1D<float>(Rows);
            using var dLoss2 = gpu.Accelerator.Allocate1D<float>(Rows);
            using var dGrad = gpu.Accelerator.Allocate1D<float>(Rows * Cols);
            using var dGrad2 = gpu.Accelerator.Allocate1D<float>(Rows * Cols);
            (double[] logS, double[] p) = Softmax(z);

            var loss = new float[Rows];
            Losses.SparseSoftmaxCrossEntropy(labels, z, Rows, Cols, loss);
            DeviceOps.SparseSoftmaxCrossEntropy(gpu, dLabels.View, dz.View, Rows, Cols, dLoss.View);

            // log s − (z_label − m): log s as above; the subtraction rounds once.
            Near(loss, dLoss.GetAsArray1D(), r => (2 * (Cols + 20) * Eps) + (2 * Ulp((float)logS[r])) + (2 * Ulp(loss[r])), "sparse softmax cross-entropy");

            var grad = new float[Rows * Cols];
            Losses.SparseSoftmaxCrossEntropyGradient(g, labels, z, Rows, Cols, grad);
            DeviceOps.SparseSoftmaxCrossEntropyGradient(gpu, dg.View, dLabels.View, dz.View, Rows, Cols, dGrad.View);
            Near(grad, dGrad.GetAsArray1D(), i => (2 * (Cols + 20) * Eps * Math.Abs(g[i / Cols]) * p[i]) + (2 * Ulp(grad[i])), "sparse softmax gradient");

            DeviceOps.SparseSoftmaxCrossEntropyWithLogitsGradient(gpu, dg.View, dLabels.View, dz.View, Rows, Cols, dLoss2.View, dGrad2.View);
            BitEqual(dLoss.GetAsArray1D(), dLoss2.GetAsArray1D(), "one-pass sparse loss");
            BitEqual(dGrad.GetAsArray1D(), dGrad2.GetAsArray1D(), "one-pass sparse gradient");
            DeviceOps.ThrowIfFailed(gpu);
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void SparseSoftmax_LabelOutOfRange_GivesNaN_AndIsReportedByThrowIfFailed(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            var (z, _, g) = Inputs();
            long[] labels = { 0, 1, 37, 2, -1 };    // rows 2 and 4 are out of range
            using var dz = gpu.Accelerator.Allocate1D(z);
            using var dLabels = gpu.Accelerator.Allocate1D(labels);
            using var dg = gpu.Accelerator.Allocate1D(g);
            using var dLoss = gpu.Accelerator.Allocate1D<float>(Rows);
            using var dGrad = gpu.Accelerator.Allocate1D<float>(Rows * Cols);
            DeviceOps.SparseSoftmaxCrossEntropyWithLogitsGradient(gpu, dg.View, dLabels.View, dz.View, Rows, Cols, dLoss.View, dGrad.View, "t5_loss");
            float[] loss = dLoss.GetAsArray1D();
            Assert.True(float.IsNaN(loss[2]) && float.IsNaN(loss[4]));
            Assert.True(float.IsFinite(loss[0]) && float.IsFinite(loss[3]));
            Assert.True(float.IsNaN(dGrad.GetAsArray1D()[(2 * Cols) + 5]));

            var e = Assert.Throws<InvalidOperationException>(() => DeviceOps.ThrowIfFailed(gpu, "t5_loss"));
            Assert.Contains("sparse softmax cross-entropy ('t5_loss')", e.Message, StringComparison.Ordinal);
            Assert.Contains("row 4", e.Message, StringComparison.Ordinal);   // the highest failing row
            DeviceOps.ThrowIfFailed(gpu);                                    // the record was cleared
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void ThrowIfFailed_AfterTwoFailingOps_PairsTheCodeWithItsOwnRow(string backend)
        {
            // Label weights fail at row 5 (code 1), then a sparse loss at row 0 (code 2). The record keeps the highest
            // code with its own row: "sparse … row 0", never the label weights' row 5 under the sparse loss's message.
            GpuContext gpu = fixture.Get(backend);
            long[] weightsLabels = { 1, 2, 3, 4, 5, -1 };                 // numTrue 1: row 5 is only padding
            using var dWeightsLabels = gpu.Accelerator.Allocate1D(weightsLabels);
            using var dw = gpu.Accelerator.Allocate1D<float>(weightsLabels.Length);
            var (z, _, _) = Inputs();
            long[] labels = { Cols, 1, 2, 3, 4 };                          // row 0 out of range
            using var dz = gpu.Accelerator.Allocate1D(z);
            using var dLabels = gpu.Accelerator.Allocate1D(labels);
            using var dLoss = gpu.Accelerator.Allocate1D<float>(Rows);
            DeviceOps.LabelWeights(gpu, dWeightsLabels.View, 1, dw.View);
            DeviceOps.SparseSoftmaxCrossEntropy(gpu, dLabels.View, dz.View, Rows, Cols, dLoss.View);
            var e = Assert.Throws<InvalidOperationException>(() => DeviceOps.ThrowIfFailed(gpu));
            Assert.StartsWith("sparse softmax cross-entropy: the label of row 0 is outside", e.Message, StringComparison.Ordinal);
            DeviceOps.ThrowIfFailed(gpu);
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void SoftmaxLosses_RowsWithInfOrNaNLogits_AreNaN_AsOnTheCpu(string backend)
        {
            // Row 1 holds a +inf logit, row 3 a NaN: the max is +inf (NaN), z − m is NaN in some column, so the row's
            // sum, loss and gradient are NaN on the CPU. Row 0 holds a −inf logit with label 0: exp(−inf) = 0, so its
            // gradient is finite, but its loss term is 0·(log s + inf) = NaN, on the CPU as in TF. The device must give
            // NaN exactly where the CPU does, and the other rows stay finite.
            GpuContext gpu = fixture.Get(backend);
            var (z, y, g) = Inputs();
            z[(1 * Cols) + 7] = float.PositiveInfinity;
            z[(3 * Cols) + 11] = float.NaN;
            z[(0 * Cols) + 2] = float.NegativeInfinity;
            y[(0 * Cols) + 2] = 0f;
            long[] labels = { 0, 7, 17, 5, 36 };
            using var dz = gpu.Accelerator.Allocate1D(z);
            using var dy = gpu.Accelerator.Allocate1D(y);
            using var dg = gpu.Accelerator.Allocate1D(g);
            using var dLabels = gpu.Accelerator.Allocate1D(labels);
            using var dLoss = gpu.Accelerator.Allocate1D<float>(Rows);
            using var dGrad = gpu.Accelerator.Allocate1D<float>(Rows * Cols);

            var loss = new float[Rows];
            var grad = new float[Rows * Cols];
            Losses.SoftmaxCrossEntropyWithLogitsGradient(g, y, Cols, z, Rows, Cols, loss, grad);
            DeviceOps.SoftmaxCrossEntropyWithLogitsGradient(gpu, dg.View, dy.View, Cols, dz.View, Rows, Cols, dLoss.View, dGrad.View);
            SameNaNs(loss, dLoss.GetAsArray1D(), grad, dGrad.GetAsArray1D(), new[] { 0, 1, 3 }, "softmax");

            Losses.SoftmaxCrossEntropy(y, Cols, z, Rows, Cols, loss);
            DeviceOps.SoftmaxCrossEntropy(gpu, dy.View, Cols, dz.View, Rows, Cols, dLoss.View);
            Losses.SoftmaxCrossEntropyLabelsGradient(g, z, Rows, Cols, grad);
            DeviceOps.SoftmaxCrossEntropyLabelsGradient(gpu, dg.View, dz.View, Rows, Cols, dGrad.View);
            SameNaNs(loss, dLoss.GetAsArray1D(), grad, dGrad.GetAsArray1D(), new[] { 0, 1, 3 }, "softmax (two kernels)");

            Losses.SparseSoftmaxCrossEntropyWithLogitsGradient(g, labels, z, Rows, Cols, loss, grad);
            DeviceOps.SparseSoftmaxCrossEntropyWithLogitsGradient(gpu, dg.View, dLabels.View, dz.View, Rows, Cols, dLoss.View, dGrad.View);
            SameNaNs(loss, dLoss.GetAsArray1D(), grad, dGrad.GetAsArray1D(), new[] { 1, 3 }, "sparse softmax");   // row 0's label is a finite logit
            DeviceOps.ThrowIfFailed(gpu);   // non-finite logits are not a recorded error
        }

        /// <summary>The CPU's loss is NaN in <paramref name="nanRows"/> and finite elsewhere; the device's NaNs and
        /// infinities are exactly the CPU's, loss and gradient (the finite values are checked loosely here: their bounds
        /// are the other tests').</summary>
        private static void SameNaNs(float[] loss, float[] deviceLoss, float[] grad, float[] deviceGrad, int[] nanRows, string what)
        {
            for (int r = 0; r < Rows; r++)
            {
                Assert.True(float.IsNaN(loss[r]) == Array.IndexOf(nanRows, r) >= 0, what + ": CPU loss of row " + r + " is " + loss[r]);
            }

            Assert.True(float.IsNaN(grad[(1 * Cols) + 2]) && float.IsNaN(grad[(3 * Cols) + 2]), what + ": the CPU gradient rows 1 and 3 are NaN");

            Near(loss, deviceLoss, r => 1e-4 * (1 + Math.Abs(loss[r])), what + " loss");
            Near(grad, deviceGrad, i => 1e-4 * (1 + Math.Abs(grad[i])), what + " gradient");
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void LabelWeights_AreBitIdentical_AndAnEmptyRowIsReported(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            const int numTrue = 3;
            long[] labels = { 4, -1, 7, 1, 2, 3, -1, -1, 9, 0, 0, -1 };
            var expected = new float[labels.Length];
            Losses.LabelWeights(labels, numTrue, expected);
            using var dLabels = gpu.Accelerator.Allocate1D(labels);
            using var dw = gpu.Accelerator.Allocate1D<float>(labels.Length);
            DeviceOps.LabelWeights(gpu, dLabels.View, numTrue, dw.View);
            BitEqual(expected, dw.GetAsArray1D(), "label weights");
            DeviceOps.ThrowIfFailed(gpu);

            // One row of only padding (row 2 of 4): the device reports the row the CPU names, in the CPU's words.
            long[] empty = { 4, 5, 6, -1, 3, -1, -1, -1, -1, 7, -1, -1 };
            var cpuError = Assert.Throws<ArgumentException>(() => Losses.LabelWeights(empty, numTrue, new float[empty.Length]));
            string cpuMessage = cpuError.Message.Split(" (Parameter", StringSplitOptions.None)[0];
            Assert.StartsWith("labels row 2 holds only padding", cpuMessage, StringComparison.Ordinal);
            using var dEmpty = gpu.Accelerator.Allocate1D(empty);
            DeviceOps.LabelWeights(gpu, dEmpty.View, numTrue, dw.View, "t2_weights");
            var e = Assert.Throws<InvalidOperationException>(() => DeviceOps.ThrowIfFailed(gpu, "t2_weights"));
            Assert.Equal("label weights ('t2_weights'): " + cpuMessage, e.Message);

            var bad = Assert.Throws<ArgumentException>(() => DeviceOps.LabelWeights(gpu, dEmpty.View, 5, dw.View, "t2_weights"));
            Assert.Contains("label weights 't2_weights'", bad.Message, StringComparison.Ordinal);
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void SigmoidCrossEntropy_AndGradients_MatchLosses(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            const int n = 45;
            float[] x = Random(n, 34, 12f);
            float[] z = Random(n, 35);
            float[] g = Random(n, 36, 2f);
            for (int i = 0; i < n; i++)
            {
                z[i] = Math.Abs(z[i]);
            }

            x[0] = 0f;
            x[1] = -0f;
            x[2] = 100f;       // exp(−|x|) underflows towards 0
            x[3] = -100f;
            x[4] = 1e-8f;
            x[5] = float.NaN;
            using var dx = gpu.Accelerator.Allocate1D(x);
            using var dz = gpu.Accelerator.Allocate1D(z);
            using var dg = gpu.Accelerator.Allocate1D(g);
            using var dd = gpu.Accelerator.Allocate1D<float>(n);

            var loss = new float[n];
            Losses.SigmoidCrossEntropy(z, x, loss);
            DeviceOps.SigmoidCrossEntropy(gpu, dz.View, dx.View, dd.View);

            // (max(x, 0) − x z) + log1p(e): e = exp(−|x|) within 2 ulps, log1p (the CPU's Goldberg form over VectorMath's
            // log, the device's from double) within a few ulps, so t within 16·2^-24·t; the final add rounds once.
            Near(loss, dd.GetAsArray1D(), i => (16 * Eps * Log1pOfExp(x[i])) + (2 * Ulp(loss[i])), "sigmoid cross-entropy");

            var grad = new float[n];
            Losses.SigmoidCrossEntropyLogitsGradient(g, z, x, grad);
            DeviceOps.SigmoidCrossEntropyLogitsGradient(gpu, dg.View, dz.View, dx.View, dd.View);

            // g (σ − z) with σ = e / (1 + e) from e within 2 ulps: σ within 8·2^-24·σ; then one subtraction and a product.
            Near(grad, dd.GetAsArray1D(), i => (8 * Eps * Math.Abs(g[i]) * SmallSigmoid(x[i])) + (2 * Ulp(grad[i])), "sigmoid logits gradient");

            var labelsGrad = new float[n];
            Losses.SigmoidCrossEntropyLabelsGradient(g, x, labelsGrad);
            DeviceOps.SigmoidCrossEntropyLabelsGradient(gpu, dg.View, dx.View, dd.View);
            BitEqual(labelsGrad, dd.GetAsArray1D(), "sigmoid labels gradient");
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void BadSizesAndOverlap_ThrowArgumentException_NamingOpAndTensor(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            using var logits = gpu.Accelerator.Allocate1D<float>(Rows * Cols);
            using var rows = gpu.Accelerator.Allocate1D<float>(Rows);
            using var labels = gpu.Accelerator.Allocate1D<long>(Rows);

            var e = Assert.Throws<ArgumentException>(() => DeviceOps.SoftmaxCrossEntropy(gpu, logits.View, Cols, logits.View, Rows + 1, Cols, rows.View, "t4_loss"));
            Assert.Contains("softmax cross-entropy 't4_loss'", e.Message, StringComparison.Ordinal);
            Assert.Equal("logits", e.ParamName);

            e = Assert.Throws<ArgumentException>(() => DeviceOps.SparseSoftmaxCrossEntropy(gpu, labels.View, logits.View, Rows, Cols, rows.View.SubView(0, 2), "t4_loss"));
            Assert.Equal("loss", e.ParamName);

            e = Assert.Throws<ArgumentException>(() => DeviceOps.SigmoidCrossEntropy(gpu, rows.View, logits.View, logits.View, "t8"));
            Assert.Contains("sigmoid cross-entropy 't8'", e.Message, StringComparison.Ordinal);

            // The one-pass kernels read a row's logits after writing its gradient: they must not share memory.
            e = Assert.Throws<ArgumentException>(() => DeviceOps.SoftmaxCrossEntropyWithLogitsGradient(gpu, rows.View, logits.View, 0, logits.View, Rows, Cols, rows.View, logits.View, "t4_loss"));
            Assert.Contains("overlaps", e.Message, StringComparison.Ordinal);
            e = Assert.Throws<ArgumentException>(() => DeviceOps.SparseSoftmaxCrossEntropyWithLogitsGradient(gpu, rows.View, labels.View, logits.View, Rows, Cols, rows.View, logits.View.SubView(Cols - 1, (Rows * Cols) - Cols + 1), "t4_loss"));
            Assert.Equal("logitsGradient", e.ParamName);
        }

        /// <summary>Per row: log s in double and the softmax p in double (for sizing tolerances only).</summary>
        private static (double[] LogS, double[] P) Softmax(float[] z)
        {
            var logS = new double[Rows];
            var p = new double[Rows * Cols];
            for (int r = 0; r < Rows; r++)
            {
                double m = double.NegativeInfinity;
                for (int j = 0; j < Cols; j++)
                {
                    m = Math.Max(m, z[(r * Cols) + j]);
                }

                double s = 0;
                for (int j = 0; j < Cols; j++)
                {
                    s += Math.Exp(z[(r * Cols) + j] - m);
                }

                logS[r] = Math.Log(s);
                for (int j = 0; j < Cols; j++)
                {
                    p[(r * Cols) + j] = Math.Exp(z[(r * Cols) + j] - m) / s;
                }
            }

            return (logS, p);
        }

        /// <summary>Σ_j |y_j| (|log s| + |z_j − m|) + |log s|·Σ|y|: the magnitude of a softmax loss's terms.</summary>
        private static double TermScale(float[] z, float[] y, int labelStride, int r, double logS)
        {
            double m = double.NegativeInfinity;
            for (int j = 0; j < Cols; j++)
            {
                m = Math.Max(m, z[(r * Cols) + j]);
            }

            double scale = 0;
            for (int j = 0; j < Cols; j++)
            {
                double yj = Math.Abs(y[(r * labelStride) + j]);
                scale += yj * ((2 * Math.Abs(logS)) + Math.Abs(z[(r * Cols) + j] - m));
            }

            return scale;
        }

        private static double Log1pOfExp(float x) => Math.Log(1 + Math.Exp(-Math.Abs((double)x)));

        private static double SmallSigmoid(float x)
        {
            double e = Math.Exp(-Math.Abs((double)x));
            return e / (1 + e);
        }
    }
}
