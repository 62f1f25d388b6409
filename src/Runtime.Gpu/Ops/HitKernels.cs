using ILGPU;

namespace GraphSampling.Runtime.Gpu.Ops
{
    /// <summary>Accidental hits applied to sampled logits on the device.</summary>
    public static class HitKernels
    {
        /// <summary>
        /// <c>AccidentalHits.ApplyHits</c> for true class i (row i / numTrue): the last position p of the class among
        /// the candidates, if any, and then logits[row · stride + p] = −FLT_MAX when that cell is finite. Each thread
        /// scans the K candidates from the end (O(K) per label; a label repeated within a row writes the same value
        /// twice, which is benign).
        /// </summary>
        [DeviceKernel(KernelGrouping.Implicit)]
        public static void ApplyHits(Index1D i, int numTrue, int stride, ArrayView<long> trueClasses, ArrayView<long> candidates, ArrayView<float> logits)
        {
            long label = trueClasses[i];
            int p = candidates.IntLength - 1;
            while (p >= 0 && candidates[p] != label)
            {
                p--;
            }

            if (p < 0)
            {
                return;
            }

            long cell = ((long)(i.X / numTrue) * stride) + p;
            if (DeviceFloat.IsFinite(logits[cell]))
            {
                logits[cell] = -float.MaxValue;
            }
        }
    }
}
