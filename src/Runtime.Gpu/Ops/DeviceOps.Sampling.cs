using System;
using ILGPU;

namespace GraphSampling.Runtime.Gpu.Ops
{
    public static partial class DeviceOps
    {
        /// <summary>
        /// <c>AccidentalHits.ApplyHits</c>: for each true class of row i (<paramref name="trueClasses"/> is [B, numTrue]),
        /// the cell of <paramref name="logits"/> ([B, K] rows <paramref name="stride"/> apart) at the <b>last</b> position
        /// of that class among the K <paramref name="sampledCandidates"/> becomes −FLT_MAX when it is finite; every other
        /// cell is left as it is.
        /// </summary>
        public static void ApplyHits(GpuContext gpu, ArrayView<long> trueClasses, int numTrue, ArrayView<long> sampledCandidates, ArrayView<float> logits, int stride, string? tensor = null)
        {
            const string op = "apply accidental hits";
            if (numTrue < 1 || trueClasses.Length % numTrue != 0)
            {
                throw new ArgumentException(op + Named(tensor) + ": trueClasses (" + trueClasses.Length + ") is not a [B, numTrue = " + numTrue + "] matrix.", nameof(trueClasses));
            }

            long rows = trueClasses.Length / numTrue;
            long k = sampledCandidates.Length;
            if (rows == 0 || k == 0) return;
            if (rows > 1) NonNegative(stride, op, nameof(stride), tensor);
            Need(logits.Length, ((rows - 1) * stride) + k, op, tensor, nameof(logits));
            try
            {
                gpu.OpKernels.ApplyHits(Elements(trueClasses.Length, op, tensor), numTrue, stride, trueClasses, sampledCandidates, logits);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw Fail(op, tensor, e);
            }
        }
    }
}
