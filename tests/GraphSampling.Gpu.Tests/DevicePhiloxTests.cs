using System;
using GraphSampling.Runtime.Gpu;
using GraphSampling.Runtime.Gpu.Sampling;
using GraphSampling.Runtime.Sampling;
using ILGPU;
using ILGPU.Runtime;
using Xunit;

namespace GraphSampling.Gpu.Tests
{
    /// <summary>Device Philox against the CPU's <see cref="PhiloxStream"/>: the same words, bit for bit.</summary>
    [Collection(GpuCollection.Name)]
    public sealed class DevicePhiloxTests(GpuFixture fixture)
    {
        // Counters near a 64-bit carry (a block crossing into the high half) and ordinary ones.
        public static TheoryData<string, ulong, ulong, long> Cases()
        {
            var data = new TheoryData<string, ulong, ulong, long>();
            foreach (string backend in new[] { GpuFixture.Cpu, GpuFixture.Cuda })
            {
                data.Add(backend, 1UL, 0UL, 0L);
                data.Add(backend, 0x0123456789ABCDEFUL, 77UL, 12345L);
                data.Add(backend, ulong.MaxValue, ulong.MaxValue, long.MaxValue / 512);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void FillWords_EqualsPhiloxStreamWords(string backend, ulong seed, ulong stream, long step)
        {
            GpuContext gpu = fixture.Get(backend);
            const int count = 1030;
            PhiloxStream cpu = PhiloxStream.ForCall(seed, stream, step, 64);
            UInt128 start = cpu.NextCounter;
            var expected = new uint[count];
            for (int i = 0; i < count; i++)
            {
                expected[i] = cpu.NextUInt32();
            }

            using MemoryBuffer1D<uint, Stride1D.Dense> words = gpu.Accelerator.Allocate1D<uint>(count);
            var fill = gpu.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ulong, ulong, ulong, ArrayView<uint>>(PhiloxKernels.FillWords);
            fill(count, seed, (ulong)start, (ulong)(start >> 64), words.View);
            Assert.Equal(expected, words.GetAsArray1D());
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void DeviceStream_EqualsPhiloxStream_ForEveryPrimitive(string backend, ulong seed, ulong stream, long step)
        {
            GpuContext gpu = fixture.Get(backend);
            const int threads = 40;
            ulong n = 1_000_003; // not a power of two: Uniform64 takes the rejection branch
            PhiloxStream start = PhiloxStream.ForCall(seed, stream, step, 8);
            UInt128 counter = start.NextCounter;
            var doubles = new double[threads];
            var floats = new float[threads];
            var words = new uint[threads];
            var uniforms = new ulong[threads];
            for (int i = 0; i < threads; i++)
            {
                PhiloxStream s = start;
                for (int skip = 0; skip < i; skip++)
                {
                    s.NextDouble();
                }

                doubles[i] = s.NextDouble();
                floats[i] = s.NextFloat();
                words[i] = s.NextUInt32();
                uniforms[i] = s.Uniform64(n);
            }

            Accelerator a = gpu.Accelerator;
            using var d = a.Allocate1D<double>(threads);
            using var f = a.Allocate1D<float>(threads);
            using var w = a.Allocate1D<uint>(threads);
            using var u = a.Allocate1D<ulong>(threads);
            var kernel = a.LoadAutoGroupedStreamKernel<Index1D, ulong, ulong, ulong, ulong, ArrayView<double>, ArrayView<float>, ArrayView<uint>, ArrayView<ulong>>(PhiloxKernels.StreamMix);
            kernel(threads, seed, (ulong)counter, (ulong)(counter >> 64), n, d.View, f.View, w.View, u.View);
            Assert.Equal(doubles, d.GetAsArray1D());
            Assert.Equal(floats, f.GetAsArray1D());
            Assert.Equal(words, w.GetAsArray1D());
            Assert.Equal(uniforms, u.GetAsArray1D());
        }

        [Fact]
        public void DevicePhiloxCompute_EqualsPhilox4x32_OnTheHost()
        {
            var rng = new Random(5);
            for (int i = 0; i < 1000; i++)
            {
                uint c0 = (uint)rng.Next(), c1 = (uint)rng.Next(), c2 = (uint)rng.Next(), c3 = (uint)rng.Next(), k0 = (uint)rng.Next(), k1 = (uint)rng.Next();
                PhiloxBlock cpu = Philox4x32.Compute(c0, c1, c2, c3, k0, k1);
                DevicePhilox.Block device = DevicePhilox.Compute(c0, c1, c2, c3, k0, k1);
                Assert.Equal(cpu, new PhiloxBlock(device.X0, device.X1, device.X2, device.X3));
            }
        }
    }
}
