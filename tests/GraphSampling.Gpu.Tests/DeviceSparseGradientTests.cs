using System;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Gpu;
using GraphSampling.Runtime.Gpu.Buffers;
using GraphSampling.Runtime.Gpu.Optimizers;
using GraphSampling.Runtime.Optimizers;
using ILGPU;
using ILGPU.Runtime;
using Xunit;
using static GraphSampling.Gpu.Tests.DeviceAssert;

namespace GraphSampling.Gpu.Tests
{
    /// <summary>
    /// <see cref="DeviceSparseRowGradient"/> against <see cref="SparseRowGradient"/> and the device sparse optimizers
    /// against the CPU's, on the same ids and rows: the device adds each id's rows in the CPU's (position) order from
    /// zero, and the optimizers perform the CPU's IEEE operations per element, so everything is bit-identical.
    /// </summary>
    [Collection(GpuCollection.Name)]
    public sealed class DeviceSparseGradientTests(GpuFixture fixture)
    {
        private const int TableRows = 41;
        private const int Width = 19;

        /// <summary>Two id lists of one step: repeats within and across lists, −1 padding, ids 0 and TableRows − 1.</summary>
        private static long[][] IdLists(int seed, int lengthA = 57, int lengthB = 23)
        {
            var rng = new Random(seed);
            var a = new long[lengthA];
            var b = new long[lengthB];
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = rng.Next(6) == 0 ? -1 : rng.Next(TableRows / 2) * 2;   // even ids, many repeats
            }

            for (int i = 0; i < b.Length; i++)
            {
                b[i] = rng.Next(TableRows);
            }

            a[0] = TableRows - 1;
            b[0] = 0;
            return new[] { a, b };
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void Step_GivesTheCpuIdsAndRows_BitIdentical_AndTheSameNorm(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            using var device = new DeviceSparseRowGradient(gpu, "emb", TableRows, Width, maxEntries: 100);
            var cpu = new SparseRowGradient("emb", TableRows, Width, maxIds: 100);
            // Reuse with 80, then 20, then 50 entries (sorts of 128, 32 and 64 keys): keys, ids, counts or rows left
            // from a longer step must not leak into a shorter one.
            (int A, int B)[] sizes = { (57, 23), (14, 6), (35, 15) };
            for (int step = 0; step < sizes.Length; step++)
            {
                long[][] lists = IdLists(40 + step, sizes[step].A, sizes[step].B);
                float[] rowsA = Random(lists[0].Length * Width, 50 + step, 3f);
                float[] rowsB = Random(lists[1].Length * Width, 60 + step, 3f);
                float[] rowsB2 = Random(lists[1].Length * Width, 70 + step, 3f);

                cpu.Begin();
                cpu.AddIds(lists[0]);
                cpu.AddIds(lists[1]);
                cpu.Seal();
                cpu.AddRows(lists[0], rowsA);
                cpu.AddRows(lists[1], rowsB);
                cpu.AddRows(lists[1], rowsB2);    // a tied table: the same ids' rows added twice

                using var dA = gpu.Accelerator.Allocate1D(lists[0]);
                using var dB = gpu.Accelerator.Allocate1D(lists[1]);
                using var dRowsA = gpu.Accelerator.Allocate1D(rowsA);
                using var dRowsB = gpu.Accelerator.Allocate1D(rowsB);
                using var dRowsB2 = gpu.Accelerator.Allocate1D(rowsB2);
                device.Begin();
                DeviceIdList a = device.AddIds(dA.View);
                DeviceIdList b = device.AddIds(dB.View);
                device.Seal();
                device.AddRows(a, dRowsA.View);
                device.AddRows(b, dRowsB.View);
                device.AddRows(b, dRowsB2.View);
                device.ThrowIfBadId();

                var ids = new long[device.Capacity];
                var rows = new float[device.Capacity * Width];
                int count = device.CopyToHost(ids, rows);
                Assert.Equal(cpu.Count, count);
                Assert.Equal(cpu.Ids.ToArray(), ids.AsSpan(0, count).ToArray());
                BitEqual(cpu.Rows, rows.AsSpan(0, count * Width), "rows of step " + step);
                Assert.Equal(Optimizer.SquaredNorm(cpu), device.SquaredNorm());
            }
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void EmptyAndPaddingOnlySteps_HaveNoIds(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            using var device = new DeviceSparseRowGradient(gpu, "emb", TableRows, Width, maxEntries: 8);
            device.Begin();
            device.Seal();
            Assert.Equal(0, device.ReadCount());
            Assert.Equal(0.0, device.SquaredNorm());

            using var padding = gpu.Accelerator.Allocate1D(new long[] { -1, -1, -1 });
            using var rows = gpu.Accelerator.Allocate1D<float>(3 * Width);
            device.Begin();
            DeviceIdList list = device.AddIds(padding.View);
            device.Seal();
            device.AddRows(list, rows.View);
            Assert.Equal(0, device.ReadCount());
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void Misuse_Throws_NamingTheGradient(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            using var device = new DeviceSparseRowGradient(gpu, "outputWeights", TableRows, Width, maxEntries: 4);
            using var five = gpu.Accelerator.Allocate1D(new long[] { 1, 2, 3, 4, 5 });
            using var bad = gpu.Accelerator.Allocate1D(new long[] { 1, TableRows + 3 });
            using var rows = gpu.Accelerator.Allocate1D<float>(Width);

            Assert.Throws<InvalidOperationException>(() => device.AddIds(bad.View));   // before Begin
            device.Begin();
            var e = Assert.Throws<ArgumentException>(() => device.AddIds(five.View));
            Assert.Contains("outputWeights", e.Message, StringComparison.Ordinal);
            Assert.Contains("maxEntries = 4", e.Message, StringComparison.Ordinal);

            DeviceIdList list = device.AddIds(bad.View);
            Assert.Throws<InvalidOperationException>(() => device.AddRows(list, rows.View));   // before Seal
            device.Seal();
            Assert.Throws<InvalidOperationException>(() => device.AddIds(bad.View));          // after Seal
            e = Assert.Throws<ArgumentException>(() => device.AddRows(list, rows.View));     // 2 rows needed
            Assert.Equal("rows", e.ParamName);
            Assert.Throws<ArgumentException>(() => device.AddRows(new DeviceIdList(1, 5), rows.View));

            // An id at or above TableRows is dropped on the device and reported afterwards.
            Assert.Equal(1, device.ReadCount());
            var bad2 = Assert.Throws<InvalidOperationException>(device.ThrowIfBadId);
            Assert.Contains("outputWeights", bad2.Message, StringComparison.Ordinal);
            Assert.Contains("position 1", bad2.Message, StringComparison.Ordinal);
            device.ThrowIfBadId();
        }

        public static TheoryData<string, string, int, Partition> Optimizers()
        {
            var data = new TheoryData<string, string, int, Partition>();
            foreach (string backend in new[] { GpuFixture.Cpu, GpuFixture.Cuda })
            {
                foreach (string optimizer in new[] { "sgd", "adagrad", "lazyadam" })
                {
                    data.Add(backend, optimizer, 1, Partition.Div);
                    data.Add(backend, optimizer, 3, Partition.Mod);
                }

                data.Add(backend, "adagrad", 4, Partition.Div);
                data.Add(backend, "lazyadam", 4, Partition.Div);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Optimizers))]
        public void SparseOptimizers_UpdateTableAndState_BitIdenticalToCpu(string backend, string optimizer, int shards, Partition partition)
        {
            GpuContext gpu = fixture.Get(backend);
            var hostTable = new ParameterTable("emb", TableRows, Width, shards, partition);
            hostTable.InitializeUniform(0.5f, seed: 9);
            var cpuTable = new ParameterTable("emb", TableRows, Width, shards, partition);
            hostTable.Data.CopyTo(cpuTable.Data);
            using var table = new DeviceParameterTable(gpu, hostTable, maxIds: 1);
            using var device = new DeviceSparseRowGradient(gpu, "emb", TableRows, Width, maxEntries: 80);
            var cpu = new SparseRowGradient("emb", TableRows, Width, maxIds: 80);

            // Weight decay and clipping (a small clip norm, so that it bites) exercise every term of the update.
            Optimizer? cpuOptimizer = optimizer switch
            {
                "adagrad" => new Adagrad(LearningRateSchedule.LinearWarmup(0.3f, 2)) { WeightDecay = 0.01f, ClipGlobalNorm = 5f },
                "lazyadam" => new LazyAdam(LearningRateSchedule.Cosine(0.05f, 4)) { WeightDecay = 0.02f, ClipGlobalNorm = 5f },
                _ => null,
            };
            using DeviceOptimizer? deviceOptimizer = optimizer switch
            {
                "adagrad" => new DeviceAdagrad(gpu, LearningRateSchedule.LinearWarmup(0.3f, 2)) { WeightDecay = 0.01f, ClipGlobalNorm = 5f },
                "lazyadam" => new DeviceLazyAdam(gpu, LearningRateSchedule.Cosine(0.05f, 4)) { WeightDecay = 0.02f, ClipGlobalNorm = 5f },
                _ => null,
            };
            deviceOptimizer?.Track(table);

            for (int step = 0; step < 3; step++)
            {
                long[][] lists = IdLists(80 + step);
                float[] rowsA = Random(lists[0].Length * Width, 90 + step, 2f);
                float[] rowsB = Random(lists[1].Length * Width, 100 + step, 2f);
                cpu.Begin();
                cpu.AddIds(lists[0]);
                cpu.AddIds(lists[1]);
                cpu.Seal();
                cpu.AddRows(lists[0], rowsA);
                cpu.AddRows(lists[1], rowsB);

                using var dA = gpu.Accelerator.Allocate1D(lists[0]);
                using var dB = gpu.Accelerator.Allocate1D(lists[1]);
                using var dRowsA = gpu.Accelerator.Allocate1D(rowsA);
                using var dRowsB = gpu.Accelerator.Allocate1D(rowsB);
                device.Begin();
                DeviceIdList a = device.AddIds(dA.View);
                DeviceIdList b = device.AddIds(dB.View);
                device.Seal();
                device.AddRows(a, dRowsA.View);
                device.AddRows(b, dRowsB.View);

                if (cpuOptimizer is null)
                {
                    Sgd.Apply(cpuTable, cpu, 0.25f);
                    DeviceSgd.Apply(table, device, 0.25f);
                }
                else
                {
                    cpuOptimizer.BeginStep(Optimizer.SquaredNorm(cpu));
                    cpuOptimizer.Update(cpuTable, cpu);
                    cpuOptimizer.EndStep();
                    deviceOptimizer!.BeginStep(device.SquaredNorm());
                    deviceOptimizer.Update(table, device);
                    deviceOptimizer.EndStep();
                    Assert.Equal(cpuOptimizer.CurrentLearningRate, deviceOptimizer.CurrentLearningRate);
                    Assert.Equal(cpuOptimizer.LastGlobalNorm, deviceOptimizer.LastGlobalNorm);
                }

                table.Download();
                BitEqual(cpuTable.Data, hostTable.Data, optimizer + " table after step " + step);
            }

            if (cpuOptimizer is not null)
            {
                Assert.True(cpuOptimizer.LastGlobalNorm > 5f, "the clip should bite");
                for (int slot = 0; slot < (optimizer == "adagrad" ? 1 : 2); slot++)
                {
                    var state = new float[TableRows * Width];
                    Assert.True(deviceOptimizer!.CopyStateToHost(table, slot, state));
                    BitEqual(cpuOptimizer.StateOf(cpuTable, slot), state, optimizer + " state " + slot);
                }
            }
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void UpdateBeforeSeal_Throws_AndBeginZeroesTheDeviceCount(string backend)
        {
            // Begin → AddIds → (no Seal) → Update would otherwise apply the previous step's ids and rows again.
            GpuContext gpu = fixture.Get(backend);
            var host = new ParameterTable("emb", TableRows, Width);
            host.InitializeUniform(0.5f, seed: 3);
            using var table = new DeviceParameterTable(gpu, host, maxIds: 1);
            using var gradient = new DeviceSparseRowGradient(gpu, "emb", TableRows, Width, maxEntries: 16);
            using var adagrad = new DeviceAdagrad(gpu, 0.1f);
            using var ids = gpu.Accelerator.Allocate1D(new long[] { 3, 7, 3, 11 });
            using var rows = gpu.Accelerator.Allocate1D(Random(4 * Width, 5, 1f));

            gradient.Begin();
            DeviceIdList list = gradient.AddIds(ids.View);
            gradient.Seal();
            gradient.AddRows(list, rows.View);
            DeviceSgd.Apply(table, gradient, 0.5f);
            Assert.Equal(3, gradient.ReadCount());
            table.Download();
            float[] afterStep = host.Data.ToArray();

            gradient.Begin();
            Assert.Equal(0, ((ArrayView1D<int, Stride1D.Dense>)gradient.CountView).GetAsArray1D()[0]);   // the device count, not only the host flags
            gradient.AddIds(ids.View);

            var e = Assert.Throws<InvalidOperationException>(() => DeviceSgd.Apply(table, gradient, 0.5f));
            Assert.Equal("Update before Seal on the sparse gradient 'emb'.", e.Message);
            adagrad.BeginStep();
            e = Assert.Throws<InvalidOperationException>(() => adagrad.Update(table, gradient));
            Assert.Equal("Update before Seal on the sparse gradient 'emb'.", e.Message);
            adagrad.EndStep();
            table.Download();
            BitEqual(afterStep, host.Data, "table after the refused updates");
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void Track_ThenUpdates_AllocateNoFurtherOptimizerState(string backend)
        {
            // ILGPU has no device allocation counter; the optimizer's state (its only device allocations) is counted
            // instead: after Track, steps add no state; an untracked table gets its state at its first update.
            GpuContext gpu = fixture.Get(backend);
            using var table = new DeviceParameterTable(gpu, new ParameterTable("emb", TableRows, Width), maxIds: 1);
            using var other = new DeviceParameterTable(gpu, new ParameterTable("other", TableRows, Width), maxIds: 1);
            using var gradient = new DeviceSparseRowGradient(gpu, "emb", TableRows, Width, maxEntries: 16);
            using var adam = new DeviceLazyAdam(gpu, 0.01f);
            using var ids = gpu.Accelerator.Allocate1D(new long[] { 1, 5, -1, 5 });
            using var rows = gpu.Accelerator.Allocate1D(Random(4 * Width, 6, 1f));
            adam.Track(table);
            Assert.Equal(1, adam.TrackedTables);
            for (int step = 0; step < 3; step++)
            {
                gradient.Begin();
                DeviceIdList list = gradient.AddIds(ids.View);
                gradient.Seal();
                gradient.AddRows(list, rows.View);
                adam.BeginStep();
                adam.Update(table, gradient);
                adam.EndStep();
                Assert.Equal(1, adam.TrackedTables);
            }

            adam.BeginStep();
            adam.Update(other, gradient);
            adam.EndStep();
            Assert.Equal(2, adam.TrackedTables);
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void Optimizers_RejectMismatchedGradients_AndUpdatesOutsideAStep(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            using var table = new DeviceParameterTable(gpu, new ParameterTable("w", TableRows, Width), maxIds: 1);
            using var narrow = new DeviceSparseRowGradient(gpu, "w", TableRows, Width - 1, maxEntries: 4);
            using var right = new DeviceSparseRowGradient(gpu, "w", TableRows, Width, maxEntries: 4);
            using var adagrad = new DeviceAdagrad(gpu, 0.1f);
            var e = Assert.Throws<ArgumentException>(() => DeviceSgd.Apply(table, narrow, 0.1f));
            Assert.Contains("'w'", e.Message, StringComparison.Ordinal);
            adagrad.BeginStep();
            Assert.Throws<ArgumentException>(() => adagrad.Update(table, narrow));
            adagrad.EndStep();
            right.Begin();
            right.Seal();
            Assert.Throws<InvalidOperationException>(() => adagrad.Update(table, right));   // sealed, but outside a step
            Assert.Throws<ArgumentException>(() => new DeviceAdagrad(gpu, 0.1f, initialAccumulator: 0f, epsilon: 0f));
            Assert.Throws<ArgumentOutOfRangeException>(() => new DeviceLazyAdam(gpu, beta1: 1f));
        }
    }
}
