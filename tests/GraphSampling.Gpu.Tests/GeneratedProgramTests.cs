using System;
using GraphSampling.Gpu.Tests.GeneratedPrograms;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Gpu.Buffers;
using GraphSampling.Runtime.Gpu.Optimizers;
using GraphSampling.Runtime.Optimizers;
using Xunit;

namespace GraphSampling.Gpu.Tests
{
    /// <summary>
    /// The generated GpuProgram against the CpuProgram of the same graph (both generated in this project by the real
    /// generator), on the same parameters and inputs, at tiny shapes and a partial batch: loss, every gradient, one
    /// optimizer step, and the input checks (the same exceptions and messages, thrown before anything runs).
    /// Tolerance: |gpu − cpu| ≤ 1e-5·|cpu| + 1e-6. Both are float32 evaluations of the same plan that differ only in
    /// summation order (the device GEMM against the CPU's blocked SIMD GEMM, over at most 6 products here) and in exp/log
    /// (each within 1 ulp of the exact value on both sides). With u = 2^-24 ≈ 6e-8, a sum of K ≤ 6 terms of size O(1)
    /// carries at most γ_K ≈ 4e-7 relative error on each side; the softmax and two layers amplify that by a small constant,
    /// so a few dozen ulps (1e-5 relative, about 170 ulps) bounds it with a margin, and the 1e-6 absolute floor covers
    /// gradients that cancel towards zero (softmax − y).
    /// </summary>
    [Collection(GpuCollection.Name)]
    public sealed class GeneratedProgramTests(GpuFixture fixture)
    {
        private const double Rel = 1e-5, Abs = 1e-6;

        public static TheoryData<string> Backends => GpuFixture.Backends;

        private static float[] Random(int n, int seed, float scale = 1f)
        {
            var rng = new Random(seed);
            var v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
            return v;
        }

        private static void Near(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
        {
            Assert.True(expected.Length == actual.Length, what + ": length " + actual.Length + ", expected " + expected.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                double e = expected[i], a = actual[i];
                Assert.True(Math.Abs(a - e) <= Rel * Math.Abs(e) + Abs, what + "[" + i + "]: gpu " + a.ToString("R") + ", cpu " + e.ToString("R"));
            }
        }

        private static (float[] Features, float[] Onehot) DenseInputs(int batch)
        {
            var features = Random(batch * GpuDenseClassifier.Features, 11);
            var onehot = new float[batch * GpuDenseClassifier.Classes];
            for (int r = 0; r < batch; r++) onehot[(r * GpuDenseClassifier.Classes) + (r % GpuDenseClassifier.Classes)] = 1f;
            return (features, onehot);
        }

        private static GpuDenseClassifier.CpuProgram DenseCpu()
        {
            var cpu = new GpuDenseClassifier.CpuProgram();
            cpu.W1.InitializeUniform(0.8f, 1);
            cpu.W3.InitializeUniform(0.8f, 2);
            cpu.W2.InitializeUniform(0.8f, 3);
            cpu.B2.InitializeUniform(0.3f, 4);
            return cpu;
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void DenseClassifier_LossAndEveryGradient_MatchTheCpuProgram(string backend)
        {
            var gpu = fixture.Get(backend);
            var cpu = DenseCpu();
            using var device = new GpuDenseClassifier.GpuProgram(gpu, cpu.W1, cpu.W3, cpu.W2, cpu.B2);
            const int batch = 5;   // below the declared 6
            var (features, onehot) = DenseInputs(batch);
            float[] expected = new float[batch], actual = new float[batch];

            cpu.Forward(batch, features, onehot, expected);
            device.Forward(batch, features, onehot, actual);
            Near(expected, actual, "Forward loss");

            cpu.ForwardBackward(batch, features, onehot, expected);
            Array.Clear(actual);
            device.ForwardBackward(batch, features, onehot, actual);
            Near(expected, actual, "ForwardBackward loss");
            Near(cpu.W1Gradient, device.W1Gradient.ToArray(), "w1 gradient");
            Near(cpu.W3Gradient, device.W3Gradient.ToArray(), "w3 gradient");
            Near(cpu.W2Gradient, device.W2Gradient.ToArray(), "w2 gradient");
            Near(cpu.B2Gradient, device.B2Gradient.ToArray(), "b2 gradient");
            Near(cpu.FeaturesGradient, device.FeaturesGradient.ToArray(), "features gradient");
            Near(cpu.OnehotGradient, device.OnehotGradient.ToArray(), "onehot gradient");
            Assert.Equal(batch * GpuDenseClassifier.Features, device.FeaturesGradient.Length);

            // An upstream gradient from the caller.
            var upstream = Random(batch, 5, 2f);
            cpu.ForwardBackward(batch, features, onehot, expected, upstream);
            device.ForwardBackward(batch, features, onehot, actual, upstream);
            Near(expected, actual, "loss (outputGradient)");
            Near(cpu.W1Gradient, device.W1Gradient.ToArray(), "w1 gradient (outputGradient)");
            Near(cpu.FeaturesGradient, device.FeaturesGradient.ToArray(), "features gradient (outputGradient)");
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void BagOfWords_SparseAndDenseGradients_MatchTheCpuProgram(string backend)
        {
            var gpu = fixture.Get(backend);
            var cpu = new GpuBagOfWords.CpuProgram();
            cpu.Embeddings.InitializeUniform(1f, 7);
            cpu.Weights.InitializeUniform(1f, 8);
            cpu.Biases.InitializeUniform(0.2f, 9);
            using var device = new GpuBagOfWords.GpuProgram(gpu, cpu.Embeddings, cpu.Weights, cpu.Biases);
            const int batch = 4;
            long[] tokens = { 3, 16, 3, 0, 5, 9, 12, 12, 12, 1, 2, 15 };   // repeats within and across rows
            long[] labels = { 0, 5, 2, 3 };
            float[] expected = new float[batch], actual = new float[batch];

            cpu.ForwardBackward(batch, tokens, labels, expected);
            device.ForwardBackward(batch, tokens, labels, actual);
            Near(expected, actual, "loss");
            SameRows(cpu.EmbeddingsGradient, device.EmbeddingsGradient, "embeddings row gradient");
            Near(cpu.WeightsGradient, device.WeightsGradient.ToArray(), "weights gradient (Mod table, id order)");
            Near(cpu.BiasesGradient, device.BiasesGradient.ToArray(), "biases gradient");

            device.Forward(batch, tokens, labels, actual);
            cpu.Forward(batch, tokens, labels, expected);
            Near(expected, actual, "Forward loss");
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void CandidateRows_ReadInPlaceOnTheCpu_GatheredOnTheDevice_GiveTheSameLossAndGradients(string backend)
        {
            var gpu = fixture.Get(backend);
            var cpu = new GpuCandidateScorer.CpuProgram();
            cpu.Classes.InitializeUniform(1f, 21);
            using var device = new GpuCandidateScorer.GpuProgram(gpu, cpu.Classes);
            const int batch = 3;
            var x = Random(batch * GpuCandidateScorer.Dim, 22);
            long[] candidates = { 22, 0, 8, 8, 15, 7, 16 };   // a repeated class, both ends of the table, every shard
            long[] labels = { 0, 3, 6 };
            float[] expected = new float[batch], actual = new float[batch];

            cpu.ForwardBackward(batch, x, candidates, labels, expected);
            device.ForwardBackward(batch, x, candidates, labels, actual);
            Near(expected, actual, "loss");
            Near(cpu.XGradient, device.XGradient.ToArray(), "x gradient");
            SameRows(cpu.ClassesGradient, device.ClassesGradient, "classes row gradient");

            // A candidate outside the table: the same refusal, before anything runs.
            candidates[2] = 23;
            var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => cpu.Forward(batch, x, candidates, labels, expected));
            var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => device.Forward(batch, x, candidates, labels, actual));
            Assert.Equal(e1.Message, e2.Message);
        }

        /// <summary>The same unique ids (ascending) and, within the tolerance, the same summed rows.</summary>
        private static void SameRows(SparseRowGradient expected, DeviceSparseRowGradient actual, string what)
        {
            var ids = new long[actual.Capacity];
            var rows = new float[actual.Capacity * actual.Width];
            int n = actual.CopyToHost(ids, rows);
            Assert.Equal(expected.Ids.ToArray(), ids.AsSpan(0, n).ToArray());
            Near(expected.Rows, rows.AsSpan(0, n * actual.Width), what);
        }

        private static void SameTable(ParameterTable expected, DeviceParameterTable actual, string what)
        {
            actual.Download();
            Near(expected.Data, actual.Table.Data, what);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void ApplyGradients_OnTheDevice_UpdatesTheTablesAsTheCpuOptimizerDoes(string backend)
        {
            var gpu = fixture.Get(backend);
            var cpu = new GpuBagOfWords.CpuProgram();
            cpu.Embeddings.InitializeUniform(1f, 7);
            cpu.Weights.InitializeUniform(1f, 8);
            var tables = (Embeddings: Copy(cpu.Embeddings), Weights: Copy(cpu.Weights), Biases: Copy(cpu.Biases));
            using var device = new GpuBagOfWords.GpuProgram(gpu, tables.Embeddings, tables.Weights, tables.Biases);
            long[] tokens = { 1, 2, 3, 4, 4, 4, 16, 0, 1, 7, 8, 9, 10, 11, 12 };
            long[] labels = { 1, 2, 3, 4, 5 };
            var loss = new float[GpuBagOfWords.Batch];
            // Clipping that bites: the global norm over a sparse and two dense gradients (one of a Mod table).
            var cpuOptimizer = new Adagrad(0.5f) { ClipGlobalNorm = 0.5f };
            using var gpuOptimizer = new DeviceAdagrad(gpu, 0.5f) { ClipGlobalNorm = 0.5f };
            for (int step = 0; step < 3; step++)
            {
                cpu.ForwardBackward(GpuBagOfWords.Batch, tokens, labels, loss);
                cpu.ApplyGradients(cpuOptimizer);
                device.ForwardBackward(GpuBagOfWords.Batch, tokens, labels, loss);
                device.ApplyGradients(gpuOptimizer);
            }

            Assert.Equal(cpuOptimizer.LastGlobalNorm, gpuOptimizer.LastGlobalNorm, 1e-5);
            Assert.True(cpuOptimizer.LastGlobalNorm > 0.5);
            SameTable(cpu.Embeddings, device.Embeddings, "embeddings after three steps");
            SameTable(cpu.Weights, device.Weights, "weights after three steps");
            SameTable(cpu.Biases, device.Biases, "biases after three steps");

            // A CPU optimizer (no device version): the device tables are downloaded, updated on the host, uploaded.
            var momentum = (Cpu: new Momentum(0.2f, 0.9f) { ClipGlobalNorm = 0.5f }, Gpu: new Momentum(0.2f, 0.9f) { ClipGlobalNorm = 0.5f });
            for (int step = 0; step < 2; step++)
            {
                cpu.ForwardBackward(GpuBagOfWords.Batch, tokens, labels, loss);
                cpu.ApplyGradients(momentum.Cpu);
                device.ForwardBackward(GpuBagOfWords.Batch, tokens, labels, loss);
                device.ApplyGradients(momentum.Gpu);
            }

            Assert.Equal(momentum.Cpu.LastGlobalNorm, momentum.Gpu.LastGlobalNorm, 1e-5);
            SameTable(cpu.Embeddings, device.Embeddings, "embeddings after two more steps (CPU optimizer)");
            SameTable(cpu.Weights, device.Weights, "weights after two more steps (CPU optimizer)");
            SameTable(cpu.Biases, device.Biases, "biases after two more steps (CPU optimizer)");
            // The device tables are the ones a Forward reads (the Mod table through its id-order gather).
            var expected = new float[GpuBagOfWords.Batch];
            cpu.Forward(GpuBagOfWords.Batch, tokens, labels, expected);
            device.Forward(GpuBagOfWords.Batch, tokens, labels, loss);
            Near(expected, loss, "loss after the steps");
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void SampledSoftmax_CandidatesLossGradientsAndTwoSteps_MatchTheCpuProgram(string backend)
        {
            var gpu = fixture.Get(backend);
            var cpu = new GpuSampledSoftmax.CpuProgram();
            cpu.Projection.InitializeUniform(0.8f, 31);
            cpu.Weights.InitializeUniform(0.8f, 32);
            cpu.Biases.InitializeUniform(0.3f, 33);
            using var device = new GpuSampledSoftmax.GpuProgram(gpu, Copy(cpu.Projection), Copy(cpu.Weights), Copy(cpu.Biases));
            const int batch = 3;   // below the declared 4
            var features = Random(batch * GpuSampledSoftmax.Features, 34);
            long[] labels = { 0, 10, 4 };   // both ends of the table, both shards
            float[] expected = new float[batch], actual = new float[batch];
            var cpuOptimizer = new LazyAdam(0.05f);
            using var gpuOptimizer = new DeviceLazyAdam(gpu, 0.05f);
            var candidates = new long[GpuSampledSoftmax.NumSampled];
            var sampledCounts = new float[GpuSampledSoftmax.NumSampled];
            var trueCounts = new float[batch];
            for (int step = 0; step < 2; step++)
            {
                cpu.ForwardBackward(batch, features, labels, expected);
                device.ForwardBackward(batch, features, labels, actual);
                Assert.Equal(cpu.Step, device.Step);

                // Candidates bit-identical (the same Philox stream for (seed, step)); expected counts within an ulp.
                DeviceWorkspaceDownload(device.LossSampler.Candidates, candidates);
                Assert.Equal(cpu.LossSampler.LastCandidates.ToArray(), candidates);
                DeviceWorkspaceDownload(device.LossSampler.SampledExpectedCounts, sampledCounts);
                DeviceWorkspaceDownload(device.LossSampler.TrueExpectedCounts.SubView(0, batch), trueCounts);
                Near(cpu.LossSampler.LastSampledExpectedCounts, sampledCounts, "sampled expected counts, step " + step);
                Near(cpu.LossSampler.LastTrueExpectedCounts, trueCounts, "true expected counts, step " + step);

                Near(expected, actual, "loss, step " + step);
                Near(cpu.FeaturesGradient, device.FeaturesGradient.ToArray(), "features gradient, step " + step);
                Near(cpu.ProjectionGradient, device.ProjectionGradient.ToArray(), "projection gradient, step " + step);
                SameRows(cpu.WeightsGradient, device.WeightsGradient, "weights row gradient, step " + step);
                SameRows(cpu.BiasesGradient, device.BiasesGradient, "biases row gradient, step " + step);

                cpu.ApplyGradients(cpuOptimizer);
                device.ApplyGradients(gpuOptimizer);
            }

            SameTable(cpu.Projection, device.Projection, "projection after two steps");
            SameTable(cpu.Weights, device.Weights, "weights after two steps");
            SameTable(cpu.Biases, device.Biases, "biases after two steps");
            cpu.Forward(batch, features, labels, expected);
            device.Forward(batch, features, labels, actual);
            Near(expected, actual, "Forward loss after two steps (step 2's candidates)");

            // Batch 0: no rows, no copy at a column offset past the (empty) destination.
            device.ForwardBackward(0, ReadOnlySpan<float>.Empty, ReadOnlySpan<long>.Empty, Span<float>.Empty);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void Nce_CandidatesLossGradientsAndTwoSteps_MatchTheCpuProgram(string backend)
        {
            // NCE on the device: the composite's sampler, the sigmoid cross-entropy and its logits gradient, the row sum
            // and its broadcast, over a plain table (the centers' lookup) and 2-shard Mod output tables, all sparse
            // gradients; two steps of Nesterov momentum (DeviceMomentum against Momentum) and one of dense-semantics
            // Adam (DeviceAdam: every row of a sparse gradient's table moves). Tolerance as above: the sigmoid terms
            // differ by exp/log1p rounding (≤ 1 ulp each side) and the row sum by its order, over at most 8 terms.
            var gpu = fixture.Get(backend);
            var cpu = new GpuNce.CpuProgram();
            cpu.Embeddings.InitializeUniform(0.8f, 41);
            cpu.Weights.InitializeUniform(0.8f, 42);
            cpu.Biases.InitializeUniform(0.3f, 43);
            using var device = new GpuNce.GpuProgram(gpu, Copy(cpu.Embeddings), Copy(cpu.Weights), Copy(cpu.Biases));
            const int batch = 3;   // below the declared 4
            long[] centers = { 0, 12, 5 };
            long[] contexts = { 1, 2, 12, 0, 7, 7 };
            float[] expected = new float[batch], actual = new float[batch];
            var candidates = new long[GpuNce.NumSampled];
            var cpuMomentum = new Momentum(0.1f, 0.8f, nesterov: true) { WeightDecay = 0.01f };
            using var gpuMomentum = new DeviceMomentum(gpu, 0.1f, 0.8f, nesterov: true) { WeightDecay = 0.01f };
            var cpuAdam = new Adam(0.02f);
            using var gpuAdam = new DeviceAdam(gpu, 0.02f);
            for (int step = 0; step < 3; step++)
            {
                cpu.ForwardBackward(batch, centers, contexts, expected);
                device.ForwardBackward(batch, centers, contexts, actual);
                Assert.Equal(cpu.Step, device.Step);
                DeviceWorkspaceDownload(device.NceSampler.Candidates, candidates);
                Assert.Equal(cpu.NceSampler.LastCandidates.ToArray(), candidates);
                Near(expected, actual, "NCE loss, step " + step);
                SameRows(cpu.EmbeddingsGradient, device.EmbeddingsGradient, "embeddings row gradient, step " + step);
                SameRows(cpu.WeightsGradient, device.WeightsGradient, "weights row gradient, step " + step);
                SameRows(cpu.BiasesGradient, device.BiasesGradient, "biases row gradient, step " + step);
                if (step < 2)
                {
                    cpu.ApplyGradients(cpuMomentum);
                    device.ApplyGradients(gpuMomentum);
                }
                else
                {
                    cpu.ApplyGradients(cpuAdam);
                    device.ApplyGradients(gpuAdam);
                }
            }

            SameTable(cpu.Embeddings, device.Embeddings, "embeddings after three steps");
            SameTable(cpu.Weights, device.Weights, "weights after three steps");
            SameTable(cpu.Biases, device.Biases, "biases after three steps");
            cpu.Forward(batch, centers, contexts, expected);
            device.Forward(batch, centers, contexts, actual);
            Near(expected, actual, "Forward loss after the steps");
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void NceWithFedCandidates_LossGradientsAndChecks_MatchTheCpuProgram(string backend)
        {
            var gpu = fixture.Get(backend);
            var cpu = new GpuNceFed.CpuProgram();
            cpu.Weights.InitializeUniform(0.8f, 51);
            cpu.Biases.InitializeUniform(0.3f, 52);
            using var device = new GpuNceFed.GpuProgram(gpu, Copy(cpu.Weights), Copy(cpu.Biases));
            const int batch = 3;
            var inputs = Random(batch * GpuNceFed.Dim, 53);
            long[] labels = { 4, 0, 12 };
            long[] sampled = { 4, 9, 1, 12, 7, 2 };   // two accidental hits (rows 0 and 2)
            float[] trueCounts = { 0.3f, 0.9f, 0.05f };
            float[] sampledCounts = { 0.3f, 0.1f, 0.6f, 0.05f, 0.2f, 0.4f };
            float[] expected = new float[batch], actual = new float[batch];
            cpu.ForwardBackward(batch, inputs, labels, sampled, trueCounts, sampledCounts, expected);
            device.ForwardBackward(batch, inputs, labels, sampled, trueCounts, sampledCounts, actual);
            Near(expected, actual, "NCE loss (fed candidates)");
            Near(cpu.InputsGradient, device.InputsGradient.ToArray(), "inputs gradient");
            SameRows(cpu.WeightsGradient, device.WeightsGradient, "weights row gradient");
            SameRows(cpu.BiasesGradient, device.BiasesGradient, "biases row gradient");

            // A fed expected count that is not positive: the CPU's exception and message, before anything runs.
            float[] bad = { 0.3f, 0.1f, 0f, 0.05f, 0.2f, 0.4f };
            var e1 = Assert.ThrowsAny<ArgumentException>(() => cpu.Forward(batch, inputs, labels, sampled, trueCounts, bad, expected));
            var e2 = Assert.ThrowsAny<ArgumentException>(() => device.Forward(batch, inputs, labels, sampled, trueCounts, bad, actual));
            Assert.Equal(e1.GetType(), e2.GetType());
            Assert.Equal(e1.Message, e2.Message);
        }

        [Theory]
        [MemberData(nameof(Backends))]
        public void DenseParameters_DeviceOptimizers_UpdateAsTheCpuOptimizers(string backend)
        {
            // Dense parameter gradients through the optimizers' dense update (no every-row sparse detour): Nesterov
            // momentum with a clip that bites (the global norm from the dense SquaredNorm), then dense Adam and SGD.
            var gpu = fixture.Get(backend);
            var cpu = DenseCpu();
            using var device = new GpuDenseClassifier.GpuProgram(gpu, Copy(cpu.W1), Copy(cpu.W3), Copy(cpu.W2), Copy(cpu.B2));
            var (features, onehot) = DenseInputs(5);
            var loss = new float[5];
            (Optimizer Cpu, DeviceOptimizer Gpu)[] pairs =
            {
                (new Momentum(0.3f, 0.9f, nesterov: true) { ClipGlobalNorm = 0.2f }, new DeviceMomentum(gpu, 0.3f, 0.9f, nesterov: true) { ClipGlobalNorm = 0.2f }),
                (new Adam(0.05f) { WeightDecay = 0.01f }, new DeviceAdam(gpu, 0.05f) { WeightDecay = 0.01f }),
                (new Momentum(0.2f), new DeviceSgd(gpu, 0.2f)),
            };
            foreach (var (cpuOptimizer, gpuOptimizer) in pairs)
            {
                using (gpuOptimizer)
                {
                    for (int step = 0; step < 2; step++)
                    {
                        cpu.ForwardBackward(5, features, onehot, loss);
                        cpu.ApplyGradients(cpuOptimizer);
                        device.ForwardBackward(5, features, onehot, loss);
                        device.ApplyGradients(gpuOptimizer);
                    }

                    Assert.Equal(cpuOptimizer.LastGlobalNorm, gpuOptimizer.LastGlobalNorm, 1e-5);
                    string what = gpuOptimizer.GetType().Name;
                    SameTable(cpu.W1, device.W1, "w1 after " + what);
                    SameTable(cpu.W3, device.W3, "w3 after " + what);
                    SameTable(cpu.W2, device.W2, "w2 after " + what);
                    SameTable(cpu.B2, device.B2, "b2 after " + what);
                }
            }

            Assert.True(pairs[0].Cpu.LastGlobalNorm > 0.2, "the clip should bite");
        }

        private static void DeviceWorkspaceDownload<T>(ILGPU.ArrayView<T> source, T[] destination)
            where T : unmanaged => GraphSampling.Runtime.Gpu.Programs.DeviceWorkspace.Download(source, destination, "test");

        [Theory]
        [MemberData(nameof(Backends))]
        public void BadInput_ThrowsTheCpuProgramsExceptionBeforeAnythingRuns(string backend)
        {
            var gpu = fixture.Get(backend);
            var cpu = new GpuBagOfWords.CpuProgram();
            using var device = new GpuBagOfWords.GpuProgram(gpu);
            var loss = new float[] { 42f, 42f };
            void Same<T>(Action<GpuBagOfWords.CpuProgram> onCpu, Action<GpuBagOfWords.GpuProgram> onGpu)
                where T : Exception
            {
                var expected = Assert.Throws<T>(() => onCpu(cpu));
                var actual = Assert.Throws<T>(() => onGpu(device));
                Assert.Equal(expected.Message, actual.Message);
            }

            long[] badId = { 0, 1, 17, 2, 3, 4 };   // row 0, column 2: outside the 17-row table
            Same<ArgumentOutOfRangeException>(p => p.ForwardBackward(2, badId, new long[] { 0, 1 }, loss), p => p.ForwardBackward(2, badId, new long[] { 0, 1 }, loss));
            Same<ArgumentOutOfRangeException>(p => p.Forward(2, new long[6], new long[] { 0, 6 }, loss), p => p.Forward(2, new long[6], new long[] { 0, 6 }, loss));
            Same<ArgumentException>(p => p.Forward(2, new long[5], new long[2], loss), p => p.Forward(2, new long[5], new long[2], loss));
            Same<ArgumentOutOfRangeException>(p => p.Forward(6, new long[18], new long[6], new float[6]), p => p.Forward(6, new long[18], new long[6], new float[6]));
            Assert.Equal(new[] { 42f, 42f }, loss);   // nothing written by a refused call

            var dense = DenseCpu();
            using var denseDevice = new GpuDenseClassifier.GpuProgram(gpu);
            var (features, onehot) = DenseInputs(2);
            features[3] = float.NaN;
            var e1 = Assert.Throws<ArgumentException>(() => dense.Forward(2, features, onehot, loss));
            var e2 = Assert.Throws<ArgumentException>(() => denseDevice.Forward(2, features, onehot, loss));
            Assert.Equal(e1.Message, e2.Message);
            Assert.Contains("features", e2.Message, StringComparison.Ordinal);
            denseDevice.CheckInputs = false;
            denseDevice.Forward(2, features, onehot, loss);   // unchecked: runs (NaN flows into the loss)
            Assert.True(float.IsNaN(loss[0]));
        }

        private static ParameterTable Copy(ParameterTable t)
        {
            var copy = new ParameterTable(t.Name, t.Rows, t.Width, t.Shards, t.Partition);
            t.Data.CopyTo(copy.Data);
            return copy;
        }
    }
}
