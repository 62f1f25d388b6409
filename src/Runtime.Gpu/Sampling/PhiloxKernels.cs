using ILGPU;

namespace GraphSampling.Runtime.Gpu.Sampling
{
    /// <summary>Raw Philox output on the device, word w of a stream being word w mod 4 of block w / 4.</summary>
    public static class PhiloxKernels
    {
        /// <summary>Writes words [0, words.Length) of the stream with the given key and first counter.</summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void FillWords(Index1D w, ulong key, ulong counterLow, ulong counterHigh, ArrayView<uint> words)
        {
            DevicePhilox.Block b = DevicePhilox.At(key, counterLow, counterHigh, (ulong)(w.X >> 2));
            int lane = w.X & 3;
            words[w] = lane == 0 ? b.X0 : lane == 1 ? b.X1 : lane == 2 ? b.X2 : b.X3;
        }

        /// <summary>
        /// Thread i runs a <see cref="DevicePhiloxStream"/> from the given counter, skips <c>i</c> doubles, and writes the
        /// next RandDouble, RandFloat, Rand32 and Uniform64(n) values (four outputs per thread): the sequential stream
        /// as kernels use it.
        /// </summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void StreamMix(Index1D i, ulong key, ulong counterLow, ulong counterHigh, ulong n, ArrayView<double> doubles, ArrayView<float> floats, ArrayView<uint> words, ArrayView<ulong> uniforms)
        {
            var stream = new DevicePhiloxStream(key, counterLow, counterHigh);
            for (int s = 0; s < i.X; s++)
            {
                stream.NextDouble();
            }

            doubles[i] = stream.NextDouble();
            floats[i] = stream.NextFloat();
            words[i] = stream.NextUInt32();
            uniforms[i] = stream.Uniform64(n);
        }
    }
}
