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
    /// Every device optimizer's dense update, and the sparse updates of those added with it (SGD as an optimizer,
    /// Momentum, dense Adam), against the CPU optimizer's on the same gradients: the kernels perform the CPU's IEEE
    /// operations per element (products <c>mul.rn.f32</c>), so tables and state are bit-identical, and the dense global
    /// norm is the CPU's double.
    /// </summary>
    [Collection(GpuCollection.Name)]
    public sealed class DeviceOptimizerTests(GpuFixture fixture)
    {
        private const int Rows = 37;
        private const int Width = 11;

        private static readonly string[] Names = { "sgd", "momentum", "nesterov", "adagrad", "adam", "lazyadam" };

        public static TheoryData<string, string, int, Partition> Cases()
        {
            var data = new TheoryData<string, string, int, Partition>();
            foreach (string backend in new[] { GpuFixture.Cpu, GpuFixture.Cuda })
            {
                foreach (string optimizer in Names)
                {
                    data.Add(backend, optimizer, 1, Partition.Div);
                    data.Add(backend, optimizer, 3, Partition.Mod);
                }

                data.Add(backend, "adam", 4, Partition.Div);
            }

            return data;
        }

        /// <summary>The pair for a name, with a schedule, weight decay and a clip that bites (every term of the update).
        /// SGD's CPU counterpart is <see cref="Momentum"/> with μ = 0 (the CPU has no SGD optimizer class).</summary>
        private static (Optimizer Cpu, DeviceOptimizer Gpu) Pair(GpuContext gpu, string name)
        {
            var s = LearningRateSchedule.LinearWarmup(0.2f, 2);
            var c = LearningRateSchedule.Cosine(0.05f, 4);
            const float decay = 0.015f, clip = 4f;
            return name switch
            {
                "sgd" => (new Momentum(s) { WeightDecay = decay, ClipGlobalNorm = clip }, new DeviceSgd(gpu, s) { WeightDecay = decay, ClipGlobalNorm = clip }),
                "momentum" => (new Momentum(s, 0.9f) { WeightDecay = decay, ClipGlobalNorm = clip }, new DeviceMomentum(gpu, s, 0.9f) { WeightDecay = decay, ClipGlobalNorm = clip }),
                "nesterov" => (new Momentum(s, 0.8f, nesterov: true) { WeightDecay = decay, ClipGlobalNorm = clip }, new DeviceMomentum(gpu, s, 0.8f, nesterov: true) { WeightDecay = decay, ClipGlobalNorm = clip }),
                "adagrad" => (new Adagrad(s) { WeightDecay = decay, ClipGlobalNorm = clip }, new DeviceAdagrad(gpu, s) { WeightDecay = decay, ClipGlobalNorm = clip }),
                "adam" => (new Adam(c) { WeightDecay = decay, ClipGlobalNorm = clip }, new DeviceAdam(gpu, c) { WeightDecay = decay, ClipGlobalNorm = clip }),
                _ => (new LazyAdam(c) { WeightDecay = decay, ClipGlobalNorm = clip }, new DeviceLazyAdam(gpu, c) { WeightDecay = decay, ClipGlobalNorm = clip }),
            };
        }

        private static int Slots(string name) => name switch { "sgd" => 0, "adam" or "lazyadam" => 2, _ => 1 };

        [Theory]
        [MemberData(nameof(Cases))]
        public void DenseUpdate_TableStateAndNorm_BitIdenticalToCpu(string backend, string optimizer, int shards, Partition partition)
        {
            GpuContext gpu = fixture.Get(backend);
            var host = new ParameterTable("w", Rows, Width, shards, partition);
            host.InitializeUniform(0.5f, seed: 5);
            var cpuTable = new ParameterTable("w", Rows, Width, shards, partition);
            host.Data.CopyTo(cpuTable.Data);
            using var table = new DeviceParameterTable(gpu, host, maxIds: 1);
            var (cpu, device) = Pair(gpu, optimizer);
            using (device)
            {
                device.Track(table);
                for (int step = 0; step < 3; step++)
                {
                    float[] gradient = Random(Rows * Width, 20 + step, 2f);
                    gradient[3] = 0f;
                    using var g = gpu.Accelerator.Allocate1D(gradient);
                    double cpuSquares = Optimizer.SquaredNorm(gradient);
                    double deviceSquares = device.SquaredNorm(g.View);
                    Assert.Equal(cpuSquares, deviceSquares);
                    cpu.BeginStep(cpuSquares);
                    cpu.Update(cpuTable, gradient);
                    cpu.EndStep();
                    device.BeginStep(deviceSquares);
                    device.Update(table, g.View);
                    device.EndStep();
                    Assert.Equal(1, device.TrackedTables);   // no update allocates after Track
                    table.Download();
                    BitEqual(cpuTable.Data, host.Data, optimizer + " dense table after step " + step);
                }

                Assert.True(cpu.LastGlobalNorm > 4f, "the clip should bite");
                AssertSameState(cpu, cpuTable, device, table, optimizer);
            }
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void SparseUpdate_TableAndState_BitIdenticalToCpu(string backend, string optimizer, int shards, Partition partition)
        {
            GpuContext gpu = fixture.Get(backend);
            var host = new ParameterTable("w", Rows, Width, shards, partition);
            host.InitializeUniform(0.5f, seed: 6);
            var cpuTable = new ParameterTable("w", Rows, Width, shards, partition);
            host.Data.CopyTo(cpuTable.Data);
            using var table = new DeviceParameterTable(gpu, host, maxIds: 1);
            using var gradient = new DeviceSparseRowGradient(gpu, "w", Rows, Width, maxEntries: 40);
            var cpuGradient = new SparseRowGradient("w", Rows, Width, maxIds: 40);
            var (cpu, device) = Pair(gpu, optimizer);
            using (device)
            {
                var rng = new Random(7);
                for (int step = 0; step < 3; step++)
                {
                    var ids = new long[30];
                    for (int i = 0; i < ids.Length; i++) ids[i] = rng.Next(5) == 0 ? -1 : rng.Next(Rows);
                    ids[0] = Rows - 1;
                    float[] rows = Random(ids.Length * Width, 30 + step, 2f);
                    cpuGradient.Begin();
                    cpuGradient.AddIds(ids);
                    cpuGradient.Seal();
                    cpuGradient.AddRows(ids, rows);
                    using var dIds = gpu.Accelerator.Allocate1D(ids);
                    using var dRows = gpu.Accelerator.Allocate1D(rows);
                    gradient.Begin();
                    DeviceIdList list = gradient.AddIds(dIds.View);
                    gradient.Seal();
                    gradient.AddRows(list, dRows.View);

                    cpu.BeginStep(Optimizer.SquaredNorm(cpuGradient));
                    cpu.Update(cpuTable, cpuGradient);
                    cpu.EndStep();
                    device.BeginStep(gradient.SquaredNorm());
                    device.Update(table, gradient);
                    device.EndStep();
                    table.Download();
                    BitEqual(cpuTable.Data, host.Data, optimizer + " sparse table after step " + step);
                }

                AssertSameState(cpu, cpuTable, device, table, optimizer);
            }
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void DenseUpdate_RefusesAWrongLengthAnotherContextAndOutsideAStep(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            using var table = new DeviceParameterTable(gpu, new ParameterTable("w", Rows, Width), maxIds: 1);
            using var momentum = new DeviceMomentum(gpu, 0.1f, 0.5f);
            using var shortGradient = gpu.Accelerator.Allocate1D<float>(Rows * Width - 1);
            using var gradient = gpu.Accelerator.Allocate1D<float>(Rows * Width);
            momentum.BeginStep();
            var e = Assert.Throws<ArgumentException>(() => momentum.Update(table, shortGradient.View));
            Assert.Equal("The gradient of 'w' has " + (Rows * Width - 1) + " floats; the table has " + (Rows * Width) + ". (Parameter 'gradient')", e.Message);
            momentum.EndStep();
            Assert.Throws<InvalidOperationException>(() => momentum.Update(table, gradient.View));
            Assert.Throws<ArgumentException>(() => new DeviceMomentum(gpu, 0.1f, 0f, nesterov: true));
            Assert.Throws<ArgumentOutOfRangeException>(() => new DeviceMomentum(gpu, 0.1f, 1f));
            Assert.Throws<ArgumentOutOfRangeException>(() => new DeviceAdam(gpu, beta2: 1f));
            Assert.Equal(0, momentum.SquaredNorm(gradient.View.SubView(0, 0)));
        }

        private static void AssertSameState(Optimizer cpu, ParameterTable cpuTable, DeviceOptimizer device, DeviceParameterTable table, string name)
        {
            for (int slot = 0; slot < Slots(name); slot++)
            {
                var state = new float[Rows * Width];
                Assert.True(device.CopyStateToHost(table, slot, state));
                BitEqual(cpu.StateOf(cpuTable, slot), state, name + " state " + slot);
            }
        }
    }
}
