using System;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Gpu;
using GraphSampling.Runtime.Gpu.Buffers;
using ILGPU;
using ILGPU.Runtime;
using Xunit;

namespace GraphSampling.Gpu.Tests
{
    /// <summary>Device gathers against <see cref="ParameterTable.Row"/> on the host table, for both partitions.</summary>
    [Collection(GpuCollection.Name)]
    public sealed class DeviceParameterTableTests(GpuFixture fixture)
    {
        public static TheoryData<string, int, int, int, Partition> Cases()
        {
            var data = new TheoryData<string, int, int, int, Partition>();
            foreach (string backend in new[] { GpuFixture.Cpu, GpuFixture.Cuda })
            {
                data.Add(backend, 50, 3, 1, Partition.Div);
                data.Add(backend, 53, 5, 4, Partition.Div);   // 53 = 4·13 + 1: one shard one row longer
                data.Add(backend, 53, 5, 4, Partition.Mod);
                data.Add(backend, 7, 1, 7, Partition.Mod);    // one row per shard
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Gather_EqualsHostRows(string backend, int rows, int width, int shards, Partition partition)
        {
            GpuContext gpu = fixture.Get(backend);
            var table = new ParameterTable("emb", rows, width, shards, partition);
            table.InitializeUniform(1.0f, seed: 3);
            long[] ids = { 0, rows - 1, rows / 2, 1, rows - 1, 0, rows / 3 };
            using var device = new DeviceParameterTable(gpu, table, maxIds: 16);

            var gathered = new float[ids.Length * width];
            device.Gather(ids, gathered);
            for (int i = 0; i < ids.Length; i++)
            {
                Assert.Equal(table.Row(ids[i]).ToArray(), gathered.AsSpan(i * width, width).ToArray());
            }
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Download_AfterDeviceWrite_LandsInTheHostTableInItsPartition(string backend, int rows, int width, int shards, Partition partition)
        {
            GpuContext gpu = fixture.Get(backend);
            var table = new ParameterTable("w", rows, width, shards, partition);
            var dense = new float[rows * width];
            for (int i = 0; i < dense.Length; i++)
            {
                dense[i] = i * 0.5f;
            }

            table.CopyFromIdOrder(dense);
            using var device = new DeviceParameterTable(gpu, table, maxIds: 1);
            Array.Clear(dense);
            table.CopyFromIdOrder(dense);           // the host copy is now zero; the device still holds the values
            device.Download();
            var back = new float[rows * width];
            table.CopyToIdOrder(back);
            for (int i = 0; i < back.Length; i++)
            {
                Assert.Equal(i * 0.5f, back[i]);
            }
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void Gather_BadId_OnHost_ThrowsNamingPositionAndBound(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            using var device = new DeviceParameterTable(gpu, new ParameterTable("outputWeights", 10, 2), maxIds: 4);
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => device.Gather(new long[] { 3, 10 }, new float[4]));
            Assert.Contains("position 1", e.Message, StringComparison.Ordinal);
            Assert.Contains("[0, 10)", e.Message, StringComparison.Ordinal);
            Assert.Contains("outputWeights", e.Message, StringComparison.Ordinal);
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void Gather_BadId_OnDevice_IsReportedAfterwards(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            using var device = new DeviceParameterTable(gpu, new ParameterTable("t", 10, 2), maxIds: 4);
            using MemoryBuffer1D<long, Stride1D.Dense> ids = gpu.Accelerator.Allocate1D(new long[] { 1, -1, 4 });
            using MemoryBuffer1D<float, Stride1D.Dense> rows = gpu.Accelerator.Allocate1D<float>(6);
            device.Gather(ids.View, rows.View);
            var e = Assert.Throws<InvalidOperationException>(device.ThrowIfBadId);
            Assert.Contains("position 1", e.Message, StringComparison.Ordinal);
            device.ThrowIfBadId(); // the record was reset
        }
    }
}
