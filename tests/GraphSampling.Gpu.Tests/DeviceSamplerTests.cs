using System;
using GraphSampling.Runtime.Gpu;
using GraphSampling.Runtime.Gpu.Sampling;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Gpu.Tests
{
    /// <summary>
    /// Device samplers against the CPU samplers of GraphSampling.Runtime for the same (seed, stream, step): candidates
    /// and num_tries bit-identical; expected counts within one float ulp (the CPU rounds its counts from vector
    /// log1p/expm1 that are within an ulp or two of the scalar rule the device follows, ExpectedCounts.cs).
    /// </summary>
    [Collection(GpuCollection.Name)]
    public sealed class DeviceSamplerTests(GpuFixture fixture)
    {
        private const int NumTrue = 2;
        private static readonly long[] Steps = { 0, 1, 7, 1L << 40 };

        public static TheoryData<string, DeviceSamplerKind, long, bool, int, int> Cases()
        {
            var data = new TheoryData<string, DeviceSamplerKind, long, bool, int, int>();
            foreach (string backend in new[] { GpuFixture.Cpu, GpuFixture.Cuda })
            {
                foreach (DeviceSamplerKind kind in new[] { DeviceSamplerKind.Uniform, DeviceSamplerKind.LogUniform })
                {
                    data.Add(backend, kind, 800_000, false, 64, 0);
                    data.Add(backend, kind, 800_000, true, 64, 0);
                    data.Add(backend, kind, 1000, true, 200, 0);
                    // 280 of 300 unique: more draws than the parallel buffer holds, so the loop goes on from the stream.
                    data.Add(backend, kind, 300, true, 280, 0);
                    data.Add(backend, kind, 5000, true, 50, 16);
                }

                data.Add(backend, DeviceSamplerKind.Uniform, 1024, false, 33, 0);  // power of two: no rejection bound
                data.Add(backend, DeviceSamplerKind.Uniform, 1024, true, 100, 0);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void DeviceSampler_MatchesCpuSampler(string backend, DeviceSamplerKind kind, long rangeMax, bool unique, int k, int drawCapacity)
        {
            GpuContext gpu = fixture.Get(backend);
            const ulong seed = 0x5EED_1234_ABCDUL;
            const ulong stream = 42;
            long[] trueClasses = { 0, 1, 5, rangeMax - 1, rangeMax / 2, 3, 17 % rangeMax, rangeMax / 3 };
            CandidateSampler cpu = kind == DeviceSamplerKind.Uniform
                ? new UniformSampler(rangeMax, unique, seed, stream)
                : new LogUniformSampler(rangeMax, unique, seed, stream);
            using var device = new DeviceCandidateSampler(gpu, kind, rangeMax, unique, seed, stream, k, trueClasses.Length, drawCapacity);

            bool anyRepeat = false;
            foreach (long step in Steps)
            {
                var cpuCandidates = new long[k];
                var cpuTrue = new float[trueClasses.Length];
                var cpuSampled = new float[k];
                int cpuTries = cpu.SampleCandidates(step, trueClasses, NumTrue, cpuCandidates, cpuTrue, cpuSampled);

                var gpuCandidates = new long[k];
                var gpuTrue = new float[trueClasses.Length];
                var gpuSampled = new float[k];
                int gpuTries = device.Sample(step, trueClasses, gpuCandidates, gpuTrue, gpuSampled);

                Assert.Equal(cpuCandidates, gpuCandidates);
                Assert.Equal(cpuTries, gpuTries);
                AssertWithinOneUlp(cpuSampled, gpuSampled, "sampled expected count", step);
                AssertWithinOneUlp(cpuTrue, gpuTrue, "true expected count", step);
                anyRepeat |= cpuTries > k;
            }

            // The small-range unique cases are there to exercise rejected repeats: check that they do.
            Assert.True(anyRepeat || !unique || rangeMax > 1000, "the case should draw repeats");
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void UniformWithFrequentRejections_MatchesCpuSampler(string backend)
        {
            // n = 3·2^61: TF's Uniform64 rejects every 64-bit word below 2^62, a quarter of them, so the parallel draws
            // shift and the device redoes the call sequentially.
            GpuContext gpu = fixture.Get(backend);
            const long rangeMax = 3L << 61;
            long[] trueClasses = { 1, rangeMax - 1 };
            var cpu = new UniformSampler(rangeMax, unique: false, seed: 9, stream: 3);
            using var device = new DeviceCandidateSampler(gpu, DeviceSamplerKind.Uniform, rangeMax, false, 9, 3, 24, 2);
            for (long step = 0; step < 3; step++)
            {
                var c = new long[24];
                var ct = new float[2];
                var cs = new float[24];
                int tries = cpu.SampleCandidates(step, trueClasses, 1, c, ct, cs);
                var g = new long[24];
                var gt = new float[2];
                var gs = new float[24];
                Assert.Equal(tries, device.Sample(step, trueClasses, g, gt, gs));
                Assert.Equal(c, g);
                Assert.Equal(cs, gs);
                Assert.Equal(ct, gt);
            }
        }

        [Theory]
        [MemberData(nameof(GpuFixture.Backends), MemberType = typeof(GpuFixture))]
        public void OutOfRangeTrueClass_IsRejectedOnTheHost_NamingTheClass(string backend)
        {
            GpuContext gpu = fixture.Get(backend);
            using var device = new DeviceCandidateSampler(gpu, DeviceSamplerKind.LogUniform, 100, false, 1, 0, 4, 1);
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => device.Sample(0, new long[] { 100 }, new long[4], new float[1], new float[4]));
            Assert.Contains("[0, 100)", e.Message, StringComparison.Ordinal);
        }

        private static void AssertWithinOneUlp(float[] expected, float[] actual, string what, long step)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                int ulps = Math.Abs(BitConverter.SingleToInt32Bits(expected[i]) - BitConverter.SingleToInt32Bits(actual[i]));
                Assert.True(ulps <= 1, $"{what} {i} at step {step}: CPU {expected[i]:R}, device {actual[i]:R} ({ulps} ulps)");
            }
        }
    }
}
