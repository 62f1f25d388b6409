using System;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Cpu;
using GraphSampling.Runtime.Gpu;
using GraphSampling.Runtime.Gpu.Buffers;
using GraphSampling.Runtime.Gpu.Ops;
using GraphSampling.Runtime.Ops;
using GraphSampling.Runtime.Sampling;
using ILGPU;
using ILGPU.Runtime;
using Xunit;
using static GraphSampling.Gpu.Tests.DeviceAssert;

namespace GraphSampling.Gpu.Tests
{
    /// <summary>
    /// The elementwise, layout, reduction and accidental-hit ops of <see cref="DeviceOps"/> against the CPU runtime's
    /// functions of the same name on the same inputs. Where the device performs the CPU's IEEE operations in the CPU's
    /// order the results must be bit-identical; where a sum runs in another order (the CPU's vector lanes) or exp/log
    /// are computed differently (the CPU's <c>VectorMath</c> is within 1 ulp, the device's correctly rounded), the
    /// tolerance and its reason are written beside the assertion.
    /// </summary>
    [Collection(GpuCollection.Name)]
    public sealed class DeviceOpsTests(GpuFixture fixture)
    {
        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void MaskPadding_ReplacesPaddedPositions_IncludingNonFinite(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            long[] ids = { 3, -1, 0, -1, 7, -1, 2, 9, -1, 1, 4, 5, 6, -1, 8, 0, -1, 3, 2 };
            float[] x = Random(ids.Length, 1);
            x[1] = float.NaN;
            x[3] = float.PositiveInfinity;
            x[4] = float.NegativeInfinity;
            x[6] = float.NaN;
            var expected = new float[ids.Length];
            Elementwise.MaskPadding(ids, x, -float.MaxValue, expected);

            using var dIds = gpu.Accelerator.Allocate1D(ids);
            using var dx = gpu.Accelerator.Allocate1D(x);
            using var dy = gpu.Accelerator.Allocate1D<float>(ids.Length);
            DeviceOps.MaskPadding(gpu, dIds.View, dx.View, -float.MaxValue, dy.View);
            BitEqual(expected, dy.GetAsArray1D(), "mask padding");
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void Binary_SameShape_IsBitIdentical(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            const int n = 37;
            float[] x = Random(n, 2, 3f), y = Random(n, 3, 3f);
            y[5] = 0f;                                   // x / 0: ±inf
            x[6] = float.NaN;
            using var dx = gpu.Accelerator.Allocate1D(x);
            using var dy = gpu.Accelerator.Allocate1D(y);
            using var dd = gpu.Accelerator.Allocate1D<float>(n);
            foreach (BinaryOp op in Enum.GetValues<BinaryOp>())
            {
                var expected = new float[n];
                Elementwise.Binary(op, x, y, expected);
                DeviceOps.Binary(gpu, op, dx.View, dy.View, dd.View);
                BitEqual(expected, dd.GetAsArray1D(), op.ToString());
            }
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void Binary_OperandLayouts_WithStrides_AreTheSingleIeeeOperation(string backend)
        {
            // [3, 19] output at destination stride 21; a Full operand at stride 23 against each layout of b. Each element
            // is one IEEE operation, as Kernels.Fused's operator performs it: bit-identical to the scalar op.
            GpuContext gpu = fixture.Get(backend);
            const int rows = 3, cols = 19, aStride = 23, dStride = 21;
            float[] a = Random(((rows - 1) * aStride) + cols, 4, 2f);
            float[] full = Random(((rows - 1) * aStride) + cols, 5, 2f);
            float[] row = Random(cols, 6, 2f), column = Random(rows, 7, 2f), scalar = { 1.75f };
            using var da = gpu.Accelerator.Allocate1D(a);
            using var dFull = gpu.Accelerator.Allocate1D(full);
            using var dRow = gpu.Accelerator.Allocate1D(row);
            using var dColumn = gpu.Accelerator.Allocate1D(column);
            using var dScalar = gpu.Accelerator.Allocate1D(scalar);
            using var dd = gpu.Accelerator.Allocate1D<float>(((rows - 1) * dStride) + cols);
            (DeviceOperand Operand, Func<int, int, float> Read)[] layouts =
            {
                (DeviceOperand.Full(dFull.View, aStride), (r, c) => full[(r * aStride) + c]),
                (DeviceOperand.Row(dRow.View), (r, c) => row[c]),
                (DeviceOperand.Column(dColumn.View), (r, c) => column[r]),
                (DeviceOperand.Scalar(dScalar.View), (r, c) => scalar[0]),
            };
            foreach (BinaryOp op in Enum.GetValues<BinaryOp>())
            {
                foreach (var (operand, read) in layouts)
                {
                    dd.MemSetToZero();
                    DeviceOps.Binary(gpu, op, rows, cols, DeviceOperand.Full(da.View, aStride), operand, dd.View, dStride);
                    float[] actual = dd.GetAsArray1D();
                    var expected = new float[actual.Length];
                    for (int r = 0; r < rows; r++)
                    {
                        for (int c = 0; c < cols; c++)
                        {
                            float x = a[(r * aStride) + c], y = read(r, c);
                            expected[(r * dStride) + c] = op switch { BinaryOp.Add => x + y, BinaryOp.Subtract => x - y, BinaryOp.Multiply => x * y, _ => x / y };
                        }
                    }

                    BitEqual(expected, actual, op + " with " + operand.Layout);
                }
            }
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void Binary_Broadcast_MatchesElementwiseBinary_BitIdentical(string backend)
        {
            // Output [B = 2, 3, 17] (dims left-padded, batch axis −1); x dense, y a [3, 1] column broadcast over B and
            // the last axis; then x a [17] row against y dense.
            GpuContext gpu = fixture.Get(backend);
            const int batch = 2;
            int[] dims = { 1, -1, 3, 17 };
            float[] dense = Random(batch * 3 * 17, 8, 2f), column = Random(3, 9, 2f), row = Random(17, 10, 2f);
            using var dDense = gpu.Accelerator.Allocate1D(dense);
            using var dColumn = gpu.Accelerator.Allocate1D(column);
            using var dRow = gpu.Accelerator.Allocate1D(row);
            using var dd = gpu.Accelerator.Allocate1D<float>(dense.Length);
            int[] denseStrides = { 0, 51, 17, 1 }, columnStrides = { 0, 0, 1, 0 }, rowStrides = { 0, 0, 0, 1 };
            foreach (BinaryOp op in Enum.GetValues<BinaryOp>())
            {
                var expected = new float[dense.Length];
                Elementwise.Binary(op, dense, column, expected, dims, denseStrides, columnStrides, batch);
                DeviceOps.Binary(gpu, op, dDense.View, dColumn.View, dd.View, dims, denseStrides, columnStrides, batch);
                BitEqual(expected, dd.GetAsArray1D(), op + " dense ∘ column");

                Elementwise.Binary(op, row, dense, expected, dims, rowStrides, denseStrides, batch);
                DeviceOps.Binary(gpu, op, dRow.View, dDense.View, dd.View, dims, rowStrides, denseStrides, batch);
                BitEqual(expected, dd.GetAsArray1D(), op + " row ∘ dense");
            }
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void NegateAndAccumulate_AreBitIdentical_LogWithinTwoUlps(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            const int n = 41;
            float[] x = Random(n, 11, 50f);
            for (int i = 0; i < n; i++)
            {
                x[i] = Math.Abs(x[i]) + 1e-3f;
            }

            x[0] = 0f;
            x[1] = -1f;
            x[2] = float.PositiveInfinity;
            x[3] = float.NaN;
            x[4] = 1f;
            x[5] = 1e-30f;
            float[] acc = Random(n, 12);
            using var dx = gpu.Accelerator.Allocate1D(x);
            using var dd = gpu.Accelerator.Allocate1D<float>(n);
            using var dAcc = gpu.Accelerator.Allocate1D(acc);

            var expected = new float[n];
            Elementwise.Negate(x, expected);
            DeviceOps.Negate(gpu, dx.View, dd.View);
            BitEqual(expected, dd.GetAsArray1D(), "negate");

            // Log: the device's is correctly rounded (from double), VectorMath.Log within 1 ulp: at most 2 ulps apart;
            // log(0) = −inf, log(−1) = NaN and log(inf) = inf must match exactly.
            Elementwise.Log(x, expected);
            DeviceOps.Log(gpu, dx.View, dd.View);
            WithinUlps(expected, dd.GetAsArray1D(), 2, "log");

            var sum = (float[])acc.Clone();
            Elementwise.Accumulate(x, sum);
            DeviceOps.Accumulate(gpu, dx.View, dAcc.View);
            BitEqual(sum, dAcc.GetAsArray1D(), "accumulate");
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void Layout_FillCopyInCopyOutFillRows_AreExactCopies(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            const int outer = 4, block = 7, dstBlock = 19, offset = 5;
            float[] source = Random(outer * block, 13);
            using var dSource = gpu.Accelerator.Allocate1D(source);
            using var dWide = gpu.Accelerator.Allocate1D<float>(outer * dstBlock);
            using var dBack = gpu.Accelerator.Allocate1D<float>(outer * block);

            var wide = new float[outer * dstBlock];
            wide.AsSpan().Fill(2.5f);
            DeviceOps.Fill(gpu, dWide.View, 2.5f);
            Layout.CopyIn<float>(source, outer, block, wide, dstBlock, offset);
            DeviceOps.CopyIn(gpu, dSource.View, outer, block, dWide.View, dstBlock, offset);
            BitEqual(wide, dWide.GetAsArray1D(), "copy in");

            var back = new float[outer * block];
            Layout.CopyOut<float>(wide, outer, dstBlock, offset, back, block);
            DeviceOps.CopyOut(gpu, dWide.View, outer, dstBlock, offset, dBack.View, block);
            BitEqual(back, dBack.GetAsArray1D(), "copy out");
            BitEqual(source, back, "round trip");

            float[] row = Random(17, 14);
            var rows = new float[17 * 3];
            Layout.FillRows<float>(row, rows);
            using var dRow = gpu.Accelerator.Allocate1D(row);
            using var dRows = gpu.Accelerator.Allocate1D<float>(rows.Length);
            DeviceOps.FillRows(gpu, dRow.View, dRows.View);
            BitEqual(rows, dRows.GetAsArray1D(), "fill rows");

            long[] ids = { 5, -1, 7, 9, 11 };
            using var dIds = gpu.Accelerator.Allocate1D(ids);
            using var dIdsOut = gpu.Accelerator.Allocate1D<long>(6);
            DeviceOps.Fill(gpu, dIdsOut.View, -1L);
            DeviceOps.CopyRows(gpu, dIds.View, 3, dIdsOut.View, 4, 2, 2);   // rows {5, -1} and {9, 11} at stride 4
            Assert.Equal(new long[] { 5, -1, -1, -1, 9, 11 }, dIdsOut.GetAsArray1D());
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void ReduceSum_StridedAxis_IsBitIdentical_LastAxisWithinSumBound(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            const int outer = 3, axis = 21, inner = 5;
            float[] x = Random(outer * axis * inner, 15, 4f);
            x[7] = -0f;
            for (int a = 0; a < axis; a++)
            {
                x[(((1 * axis) + a) * inner) + 2] = -0f;   // column (o = 1, i = 2) is all −0: its sum is −0, not +0
            }

            using var dx = gpu.Accelerator.Allocate1D(x);
            using var dd = gpu.Accelerator.Allocate1D<float>(outer * axis * inner);

            // inner > 1: Kernels.SumRows adds the rows in order from the first, as the device does.
            var expected = new float[outer * inner];
            Reduce.Sum(x, outer, axis, inner, expected);
            DeviceOps.ReduceSum(gpu, dx.View, outer, axis, inner, dd.View);
            float[] sums = dd.GetAsArray1D();
            BitEqual(expected, sums, "sum over a strided axis");
            Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(expected[(1 * inner) + 2]));
            Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(sums[(1 * inner) + 2]));

            // inner = 1: the CPU sums through vector lanes, the device in column order; both are within
            // (n + 16)·2^-24·Σ|x| of the exact sum, so within twice that of each other.
            const int cols = axis * inner;
            var lastAxis = new float[outer];
            Reduce.Sum(x, outer, cols, 1, lastAxis);
            DeviceOps.ReduceSum(gpu, dx.View, outer, cols, 1, dd.View);
            Near(lastAxis, dd.GetAsArray1D(), r => 2 * (cols + 16) * Eps * AbsSum(x.AsSpan(r * cols, cols)), "sum over the last axis");

            // All of x as one axis (outer = 1) and an empty axis (0).
            var all = new float[1];
            Reduce.Sum(x, 1, x.Length, 1, all);
            DeviceOps.ReduceSum(gpu, dx.View, 1, x.Length, 1, dd.View);
            Near(all, dd.GetAsArray1D(), _ => 2 * (x.Length + 16) * Eps * AbsSum(x), "sum of everything");
            DeviceOps.ReduceSum(gpu, dx.View, 2, 0, 3, dd.View);
            BitEqual(new float[6], dd.GetAsArray1D(), "empty axis");
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void SumOverRowsAndBroadcastAlong_AreBitIdentical(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            const int rows = 6, cols = 19, stride = 24;
            float[] x = Random(((rows - 1) * stride) + cols, 16, 3f);
            using var dx = gpu.Accelerator.Allocate1D(x);
            using var dd = gpu.Accelerator.Allocate1D<float>(cols);
            var expected = new float[cols];
            Reduce.SumOverRows(x, rows, cols, stride, expected);
            DeviceOps.SumOverRows(gpu, dx.View, rows, cols, stride, dd.View);
            BitEqual(expected, dd.GetAsArray1D(), "sum over rows");

            const int outer = 2, axis = 3, inner = 17;
            float[] g = Random(outer * inner, 17);
            using var dg = gpu.Accelerator.Allocate1D(g);
            using var db = gpu.Accelerator.Allocate1D<float>(outer * axis * inner);
            var broadcast = new float[outer * axis * inner];
            Reduce.BroadcastAlong(g, outer, axis, inner, broadcast);
            DeviceOps.BroadcastAlong(gpu, dg.View, outer, axis, inner, db.View);
            BitEqual(broadcast, db.GetAsArray1D(), "broadcast along");
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void LogSumExp_MatchesTf_WithinTolerance_AndSpecialRowsExactly(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            const int rows = 6, cols = 23;
            float[] x = Random(rows * cols, 18, 10f);
            for (int j = 0; j < cols; j++)
            {
                x[(1 * cols) + j] = float.NegativeInfinity;   // row 1: all −inf → −inf
            }

            x[(2 * cols) + 4] = float.PositiveInfinity;       // row 2: +inf
            x[(3 * cols) + 9] = float.NaN;                    // row 3: NaN
            x[(4 * cols) + 1] = -float.MaxValue;              // row 4: a masked logit contributes exp(−huge) = 0
            using var dx = gpu.Accelerator.Allocate1D(x);
            using var dd = gpu.Accelerator.Allocate1D<float>(rows * cols);

            // log(Σ exp(x − m)) + m: the exp terms differ by ≤ 1 ulp and are summed in another order (≤ (n + 16)·2^-24
            // relative, all terms positive), the log by ≤ 1 ulp of log s, and the final add rounds once: within
            // 2·(n + 20)·2^-24 of log s plus 2 ulps of the result.
            var expected = new float[rows];
            Reduce.LogSumExp(x, rows, cols, 1, expected);
            DeviceOps.LogSumExp(gpu, dx.View, rows, cols, 1, dd.View);
            Near(expected, dd.GetAsArray1D(), r => (2 * (cols + 20) * Eps) + (2 * Ulp(MathF.Log(cols))) + (2 * Ulp(expected[r])), "logsumexp over the last axis");

            // A strided axis ([2, 23, 3] over axis 1): the CPU's sum also runs in axis order; only exp/log differ.
            float[] y = Random(2 * cols * 3, 19, 10f);
            using var dy = gpu.Accelerator.Allocate1D(y);
            var strided = new float[6];
            Reduce.LogSumExp(y, 2, cols, 3, strided);
            DeviceOps.LogSumExp(gpu, dy.View, 2, cols, 3, dd.View);
            Near(strided, dd.GetAsArray1D(), r => (2 * (cols + 4) * Eps) + (2 * Ulp(MathF.Log(cols))) + (2 * Ulp(strided[r])), "logsumexp over a strided axis");

            // The gradient: g · exp(x − y), each a product of one exp (≤ 2 ulps apart) and g: ≤ 3 ulps.
            float[] g = Random(rows, 20);
            using var dg = gpu.Accelerator.Allocate1D(g);
            using var dLse = gpu.Accelerator.Allocate1D(expected);
            var grad = new float[rows * cols];
            Reduce.LogSumExpGradient(g, x, expected, rows, cols, 1, grad);
            DeviceOps.LogSumExpGradient(gpu, dg.View, dx.View, dLse.View, rows, cols, 1, dd.View);
            WithinUlps(grad, dd.GetAsArray1D(), 3, "logsumexp gradient");
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void ReduceTo_LeadingAxes_IsBitIdentical_InnerAxisWithinSumBound(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            const int batch = 3;
            int[] dims = { 1, -1, 4, 19 };                      // gradient [3, 4, 19]
            float[] g = Random(batch * 4 * 19, 21, 2f);
            using var dg = gpu.Accelerator.Allocate1D(g);
            using var dd = gpu.Accelerator.Allocate1D<float>(4 * 19);

            // Operand [4, 19] broadcast over the batch, [19] over batch and rows, [B, 1, 19] over the middle axis: the
            // CPU adds whole rows in order, as the device adds each element's terms.
            foreach (int[] strides in new[] { new[] { 0, 0, 19, 1 }, new[] { 0, 0, 0, 1 }, new[] { 0, 19, 0, 1 } })
            {
                int n = strides[1] != 0 ? batch * 19 : strides[2] == 0 ? 19 : 4 * 19;
                var expected = new float[n];
                Elementwise.ReduceTo(g, expected, dims, strides, batch);
                DeviceOps.ReduceTo(gpu, dg.View, dd.View, dims, strides, batch);
                BitEqual(expected, dd.GetAsArray1D(), "reduce to [" + string.Join(",", strides) + "]");
            }

            // Operand [B, 4, 1]: each gradient row of 19 is summed (TensorPrimitives.Sum on the CPU, in column order
            // on the device), then added to 0: within 2·(19 + 16)·2^-24·Σ|row|.
            int[] column = { 0, 4, 1, 0 };
            var sums = new float[batch * 4];
            Elementwise.ReduceTo(g, sums, dims, column, batch);
            DeviceOps.ReduceTo(gpu, dg.View, dd.View, dims, column, batch);
            Near(sums, dd.GetAsArray1D(), e => 2 * (19 + 16) * Eps * AbsSum(g.AsSpan(e * 19, 19)), "reduce to [B, 4, 1]");
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void ApplyHits_MatchesAccidentalHits_AtTheLastPosition_LeavingNonFiniteCells(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            const int numTrue = 2, k = 17, stride = 20;
            long[] trueClasses = { 4, 9, 3, -1, 12, 4, 30, 31 };      // 4 rows; a −1 padding label; classes not sampled
            long[] candidates = { 4, 8, 9, 3, 12, 4, 1, 2, 0, 5, 6, 7, 10, 11, 13, 9, 14 };   // 4 and 9 repeated
            int rows = trueClasses.Length / numTrue;
            float[] logits = Random(((rows - 1) * stride) + k, 22, 5f);
            logits[(2 * stride) + 4] = float.PositiveInfinity;         // row 2's hit on 12 is infinite: left as it is
            logits[(1 * stride) + 3] = float.NaN;                       // row 1's hit on 3 is NaN: left as it is
            var expected = (float[])logits.Clone();
            AccidentalHits.ApplyHits(trueClasses, numTrue, candidates, expected, stride);

            using var dTrue = gpu.Accelerator.Allocate1D(trueClasses);
            using var dCandidates = gpu.Accelerator.Allocate1D(candidates);
            using var dLogits = gpu.Accelerator.Allocate1D(logits);
            DeviceOps.ApplyHits(gpu, dTrue.View, numTrue, dCandidates.View, dLogits.View, stride);
            float[] actual = dLogits.GetAsArray1D();
            BitEqual(expected, actual, "apply hits");
            Assert.Equal(-float.MaxValue, actual[5]);                  // row 0's class 4: its last position, 5
            Assert.NotEqual(-float.MaxValue, actual[0]);

            // A label repeated within one row ({9, 9}, {4, 4}): two threads mark the same cell, as the CPU marks it once.
            long[] repeated = { 9, 9, 4, 4 };
            float[] logits2 = Random(stride + k, 23, 5f);
            var expected2 = (float[])logits2.Clone();
            AccidentalHits.ApplyHits(repeated, numTrue, candidates, expected2, stride);
            using var dRepeated = gpu.Accelerator.Allocate1D(repeated);
            using var dLogits2 = gpu.Accelerator.Allocate1D(logits2);
            DeviceOps.ApplyHits(gpu, dRepeated.View, numTrue, dCandidates.View, dLogits2.View, stride);
            float[] actual2 = dLogits2.GetAsArray1D();
            BitEqual(expected2, actual2, "apply hits with a repeated label");
            Assert.Equal(-float.MaxValue, actual2[15]);                // class 9 of row 0: its last position, 15
            Assert.Equal(-float.MaxValue, actual2[stride + 5]);        // class 4 of row 1: position 5
            Assert.NotEqual(-float.MaxValue, actual2[2]);
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void GatherRows_WithPadding_MatchesRowsOrPadding(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            var table = new ParameterTable("emb", 29, 19, 3, Partition.Mod);
            table.InitializeUniform(1f, seed: 5);
            long[] ids = { 3, -1, 28, 0, -1, 14, 3 };
            var expected = new float[ids.Length * 19];
            Gather.RowsOrPadding(table, ids, expected);
            var plain = new long[] { 3, 28, 0, 14 };
            var expectedPlain = new float[plain.Length * 19];
            Gather.Rows(table, plain, expectedPlain);

            using var device = new DeviceParameterTable(gpu, table, maxIds: 8);
            using var dIds = gpu.Accelerator.Allocate1D(ids);
            using var dPlain = gpu.Accelerator.Allocate1D(plain);
            using var dd = gpu.Accelerator.Allocate1D<float>(expected.Length);
            DeviceOps.Fill(gpu, dd.View, float.NaN);
            DeviceOps.GatherRows(gpu, device, dIds.View, dd.View, padding: true);
            BitEqual(expected, dd.GetAsArray1D(), "gather or padding");
            device.ThrowIfBadId();

            DeviceOps.GatherRows(gpu, device, dPlain.View, dd.View);
            BitEqual(expectedPlain, dd.GetAsArray1D(), "gather");

            // Without padding, −1 is a bad id: zero row, reported afterwards.
            DeviceOps.GatherRows(gpu, device, dIds.View, dd.View);
            var e = Assert.Throws<InvalidOperationException>(device.ThrowIfBadId);
            Assert.Contains("emb", e.Message, StringComparison.Ordinal);
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void BadSizes_ThrowArgumentException_NamingOpAndTensor(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            using var small = gpu.Accelerator.Allocate1D<float>(10);
            using var big = gpu.Accelerator.Allocate1D<float>(64);
            using var ids = gpu.Accelerator.Allocate1D<long>(12);

            var e = Assert.Throws<ArgumentException>(() => DeviceOps.Binary(gpu, BinaryOp.Multiply, 3, 19, DeviceOperand.Full(big.View, 19), DeviceOperand.Row(small.View), big.View, 19, "t7_logits"));
            Assert.Contains("multiply", e.Message, StringComparison.Ordinal);
            Assert.Contains("t7_logits", e.Message, StringComparison.Ordinal);
            Assert.Equal("b", e.ParamName);

            e = Assert.Throws<ArgumentException>(() => DeviceOps.MaskPadding(gpu, ids.View, small.View, 0f, big.View, "t3_true"));
            Assert.Contains("mask padding 't3_true'", e.Message, StringComparison.Ordinal);

            e = Assert.Throws<ArgumentException>(() => DeviceOps.ReduceSum(gpu, small.View, 2, 3, 2, big.View, "t9"));
            Assert.Contains("reduce sum 't9'", e.Message, StringComparison.Ordinal);

            e = Assert.Throws<ArgumentException>(() => DeviceOps.FillRows(gpu, small.View, big.View, "t1"));
            Assert.Contains("fill rows 't1'", e.Message, StringComparison.Ordinal);

            var range = Assert.Throws<ArgumentOutOfRangeException>(() => DeviceOps.CopyRows(gpu, small.View, 1, big.View, 1, -1, 1, "t6"));
            Assert.Contains("copy rows 't6'", range.Message, StringComparison.Ordinal);

            // Rank-4 shapes and strides, numTrue: the tensor is named.
            e = Assert.Throws<ArgumentException>(() => DeviceOps.Binary(gpu, BinaryOp.Add, big.View, big.View, big.View, new[] { 1, 2, 3 }, new[] { 0, 0, 1, 0 }, new[] { 0, 0, 1, 0 }, 1, "t4"));
            Assert.Contains("add 't4'", e.Message, StringComparison.Ordinal);
            e = Assert.Throws<ArgumentException>(() => DeviceOps.Binary(gpu, BinaryOp.Add, big.View, small.View, big.View, new[] { 1, 1, 2, 3 }, new[] { 0, 0, 3, 1 }, new[] { 0, 3, 1 }, 1, "t4"));
            Assert.Contains("add 't4': yStrides", e.Message, StringComparison.Ordinal);
            e = Assert.Throws<ArgumentException>(() => DeviceOps.ApplyHits(gpu, ids.View, 5, ids.View, big.View, 4, "hits"));
            Assert.Contains("apply accidental hits 'hits'", e.Message, StringComparison.Ordinal);

            // Mask padding needs exactly one x per id, as Elementwise.MaskPadding.
            Assert.Throws<ArgumentException>(() => Elementwise.MaskPadding(new long[12], new float[64], 0f, new float[64]));
            e = Assert.Throws<ArgumentException>(() => DeviceOps.MaskPadding(gpu, ids.View, big.View, 0f, big.View, "t3_true"));
            Assert.Contains("mask padding 't3_true'", e.Message, StringComparison.Ordinal);
            Assert.Equal("x", e.ParamName);

            // CopyIn / CopyOut name themselves and check the offset before taking a view.
            range = Assert.Throws<ArgumentOutOfRangeException>(() => DeviceOps.CopyIn(gpu, small.View, 2, 5, big.View, 8, 4, "t2"));
            Assert.Contains("copy in 't2'", range.Message, StringComparison.Ordinal);
            range = Assert.Throws<ArgumentOutOfRangeException>(() => DeviceOps.CopyOut(gpu, big.View, 2, 8, -1, small.View, 5, "t2"));
            Assert.Contains("copy out 't2'", range.Message, StringComparison.Ordinal);
            e = Assert.Throws<ArgumentException>(() => DeviceOps.CopyOut(gpu, small.View, 2, 8, 3, big.View, 5, "t2"));
            Assert.Contains("copy out 't2'", e.Message, StringComparison.Ordinal);
            e = Assert.Throws<ArgumentException>(() => DeviceOps.CopyIn(gpu, small.View, 2, 5, big.View, 40, 30, "t2"));
            Assert.Contains("copy in 't2'", e.Message, StringComparison.Ordinal);
            Assert.Equal("destination", e.ParamName);

            // GatherRows names the tensor.
            using var table = new DeviceParameterTable(gpu, new ParameterTable("emb", 7, 8), maxIds: 12);
            e = Assert.Throws<ArgumentException>(() => DeviceOps.GatherRows(gpu, table, ids.View, big.View, tensor: "t5_words"));
            Assert.Contains("gather rows of 'emb' into 't5_words'", e.Message, StringComparison.Ordinal);
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void StridesAndAliasing_ThatWouldRace_AreRefused_InPlaceIsAllowed(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            const int rows = 3, cols = 19, stride = 21;
            float[] init = Random(((rows - 1) * stride) + cols + 8, 24, 2f);
            using var d = gpu.Accelerator.Allocate1D(init);
            using var other = gpu.Accelerator.Allocate1D(Random(init.Length, 25, 2f));
            ArrayView<float> dv = d.View, ov = other.View;

            // Rows of the destination or of a Full operand closer than cols overlap (a write-write race), and a negative
            // stride indexes below the view: refused as Kernels.Fused refuses them.
            var range = Assert.Throws<ArgumentOutOfRangeException>(() => DeviceOps.Binary(gpu, BinaryOp.Add, rows, cols, DeviceOperand.Full(ov, stride), DeviceOperand.Scalar(ov), dv, cols - 1, "t1"));
            Assert.Equal("destinationStride", range.ParamName);
            Assert.Contains("add 't1'", range.Message, StringComparison.Ordinal);
            range = Assert.Throws<ArgumentOutOfRangeException>(() => DeviceOps.Negate(gpu, rows, cols, DeviceOperand.Full(ov, stride), dv, -stride, "t1"));
            Assert.Equal("destinationStride", range.ParamName);
            var e = Assert.Throws<ArgumentException>(() => DeviceOps.Binary(gpu, BinaryOp.Add, rows, cols, DeviceOperand.Full(ov, -1), DeviceOperand.Scalar(ov), dv, stride));
            Assert.Equal("a", e.ParamName);
            Assert.Throws<ArgumentException>(() => Kernels.Fused<AddFused>(rows, cols, FusedOperand.Full(init, -1), FusedOperand.None, FusedOperand.None, FusedOperand.None, new float[init.Length], stride));

            // An operand sharing the destination other than as the same rows in place: shifted, another stride, or a
            // row/column/scalar broadcast from it. The CPU refuses each; so does the device.
            (DeviceOperand Operand, CpuOperand Cpu)[] aliases =
            {
                (DeviceOperand.Full(dv.SubView(1), stride), x => FusedOperand.Full(x.AsSpan(1), stride)),
                (DeviceOperand.Full(dv, stride + 1), x => FusedOperand.Full(x, stride + 1)),
                (DeviceOperand.Row(dv), x => FusedOperand.Row(x)),
                (DeviceOperand.Column(dv.SubView(stride)), x => FusedOperand.Column(x.AsSpan(stride))),
                (DeviceOperand.Scalar(dv.SubView(2)), x => FusedOperand.Scalar(x.AsSpan(2))),
            };
            foreach (var (operand, cpu) in aliases)
            {
                float[] copy = (float[])init.Clone();
                Assert.Throws<ArgumentException>(() => Kernels.Fused<AddFused>(rows, cols, cpu(copy), FusedOperand.None, FusedOperand.None, FusedOperand.None, copy, stride));
                e = Assert.Throws<ArgumentException>(() => DeviceOps.Binary(gpu, BinaryOp.Add, rows, cols, DeviceOperand.Scalar(ov), operand, dv, stride, "t1"));
                Assert.Contains("overlaps the destination", e.Message, StringComparison.Ordinal);
                Assert.Equal("b", e.ParamName);
                e = Assert.Throws<ArgumentException>(() => DeviceOps.Log(gpu, rows, cols, operand, dv, stride, "t1"));
                Assert.Equal("x", e.ParamName);
            }

            // Exactly in place (Full, same first element, the destination's stride) is allowed and correct.
            d.CopyFromCPU(init);
            DeviceOps.Binary(gpu, BinaryOp.Multiply, rows, cols, DeviceOperand.Full(dv, stride), DeviceOperand.Full(ov, stride), dv, stride);
            float[] o = other.GetAsArray1D(), actual = d.GetAsArray1D();
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < cols; c++)
                {
                    int i = (r * stride) + c;
                    Assert.Equal(init[i] * o[i], actual[i]);
                }
            }

            // Accumulate: in place (x = destination) doubles it; an offset alias is refused.
            d.CopyFromCPU(init);
            DeviceOps.Accumulate(gpu, dv, dv);
            float[] doubled = d.GetAsArray1D();
            for (int i = 0; i < init.Length; i++)
            {
                Assert.Equal(init[i] + init[i], doubled[i]);
            }

            var alias = Assert.Throws<ArgumentException>(() => DeviceOps.Accumulate(gpu, dv.SubView(1, 20), dv, "t9"));
            Assert.Contains("accumulate 't9'", alias.Message, StringComparison.Ordinal);

            // Row copies: overlapping source and destination, or destination rows closer than the width.
            alias = Assert.Throws<ArgumentException>(() => DeviceOps.CopyRows(gpu, dv, 10, dv.SubView(5), 10, 3, 10, "t2"));
            Assert.Contains("overlaps the destination", alias.Message, StringComparison.Ordinal);
            alias = Assert.Throws<ArgumentException>(() => DeviceOps.Copy(gpu, dv.SubView(0, 20), dv.SubView(10)));
            Assert.Equal("source", alias.ParamName);
            range = Assert.Throws<ArgumentOutOfRangeException>(() => DeviceOps.CopyRows(gpu, ov, 10, dv, 5, 3, 10, "t2"));
            Assert.Equal("destinationStride", range.ParamName);

            // Rank-4 binary: an operand broadcast from the destination is a race; the same dense elements are not.
            int[] dims = { 1, 1, 3, 19 };
            alias = Assert.Throws<ArgumentException>(() => DeviceOps.Binary(gpu, BinaryOp.Add, dv, ov, dv, dims, new[] { 0, 0, 0, 1 }, new[] { 0, 0, 19, 1 }, 1, "t3"));
            Assert.Equal("x", alias.ParamName);
            DeviceOps.Binary(gpu, BinaryOp.Add, dv, ov, dv, dims, new[] { 0, 0, 19, 1 }, new[] { 0, 0, 19, 1 }, 1, "t3");
            range = Assert.Throws<ArgumentOutOfRangeException>(() => DeviceOps.Binary(gpu, BinaryOp.Add, dv, ov, dv, dims, new[] { 0, 0, -19, 1 }, new[] { 0, 0, 19, 1 }, 1, "t3"));
            Assert.Contains("add 't3'", range.Message, StringComparison.Ordinal);
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void ReduceTo_NonDenseOperandStrides_AreRefused_WithAClearMessage(string backend)
        {
            // The CPU accepts any operand strides; the device kernel maps each dense operand element back to its
            // indices, so it refuses strides that are not the operand's dense ones (0 where broadcast).
            GpuContext gpu = fixture.Get(backend);
            int[] dims = { 1, 2, 4, 19 };
            using var g = gpu.Accelerator.Allocate1D(Random(2 * 4 * 19, 26));
            using var d = gpu.Accelerator.Allocate1D<float>(2 * 4 * 20);
            var e = Assert.Throws<ArgumentException>(() => DeviceOps.ReduceTo(gpu, g.View, d.View, dims, new[] { 0, 0, 20, 1 }, 1, "t7_bias"));
            Assert.Contains("reduce to shape 't7_bias'", e.Message, StringComparison.Ordinal);
            Assert.Contains("dense strides [0, 0, 19, 1]", e.Message, StringComparison.Ordinal);
            Assert.Equal("strides", e.ParamName);
            e = Assert.Throws<ArgumentException>(() => DeviceOps.ReduceTo(gpu, g.View, d.View, dims, new[] { 0, 1, 0, 2 }, 1));
            Assert.Contains("dense strides [0, 19, 0, 1]", e.Message, StringComparison.Ordinal);
            e = Assert.Throws<ArgumentException>(() => DeviceOps.ReduceTo(gpu, g.View, g.View, dims, new[] { 0, 0, 19, 1 }, 1));
            Assert.Contains("overlaps the gradient", e.Message, StringComparison.Ordinal);

            // An axis of length 1 may carry any stride (it is never stepped along), as dense layouts often have.
            DeviceOps.ReduceTo(gpu, g.View, d.View, dims, new[] { 7, 0, 19, 1 }, 1);
        }

        /// <summary>A CPU operand over the given array (the destination, to alias it).</summary>
        private delegate FusedOperand CpuOperand(float[] data);

        /// <summary>a + b for the CPU's aliasing checks (only the checks are exercised).</summary>
        private readonly struct AddFused : IFusedOperator
        {
            public static float Invoke(float a, float b, float c, float d) => a + b;

            public static System.Runtime.Intrinsics.Vector128<float> Invoke(System.Runtime.Intrinsics.Vector128<float> a, System.Runtime.Intrinsics.Vector128<float> b, System.Runtime.Intrinsics.Vector128<float> c, System.Runtime.Intrinsics.Vector128<float> d) => a + b;

            public static System.Runtime.Intrinsics.Vector256<float> Invoke(System.Runtime.Intrinsics.Vector256<float> a, System.Runtime.Intrinsics.Vector256<float> b, System.Runtime.Intrinsics.Vector256<float> c, System.Runtime.Intrinsics.Vector256<float> d) => a + b;

            public static System.Runtime.Intrinsics.Vector512<float> Invoke(System.Runtime.Intrinsics.Vector512<float> a, System.Runtime.Intrinsics.Vector512<float> b, System.Runtime.Intrinsics.Vector512<float> c, System.Runtime.Intrinsics.Vector512<float> d) => a + b;
        }

        private static double AbsSum(ReadOnlySpan<float> x)
        {
            double s = 0;
            foreach (float v in x)
            {
                s += Math.Abs(v);
            }

            return s;
        }
    }
}
