using System;
using GraphSampling.Runtime.Gpu.Buffers;
using GraphSampling.Runtime.Gpu.Optimizers;
using ILGPU;
using ILGPU.Runtime;

namespace GraphSampling.Runtime.Gpu.Ops
{
    /// <summary>
    /// The launchers of <see cref="DeviceOps"/> for one <see cref="GpuContext"/>: each kernel is loaded (compiled) on its
    /// first use and the delegate kept for the life of the context, never reloaded per call. Also holds the context's
    /// op error record (one long, <c>code · 2^32 + position + 1</c> of the highest failure, see
    /// <see cref="LossKernels.Record"/>), allocated here, in <see cref="GpuContext"/>'s constructor, and read by
    /// <see cref="DeviceOps.ThrowIfFailed"/>.
    /// </summary>
    internal sealed class OpKernels : IDisposable
    {
        private readonly GpuContext _gpu;
        private readonly MemoryBuffer1D<long, Stride1D.Dense> _error;

        public OpKernels(GpuContext gpu)
        {
            _gpu = gpu;
            try
            {
                _error = gpu.Accelerator.Allocate1D<long>(1);
                _error.MemSetToZero();
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("allocate op error record", null, e);
            }
        }

        public ArrayView<long> Error => _error.View;

        public void Dispose() => _error.Dispose();

        private T Load<T>(string op, T kernel, Func<Accelerator, T> load)
            where T : Delegate => KernelLoader.Load(_gpu, op, kernel, KernelGrouping.Implicit, load);

        // Layout
        private Action<Index1D, ArrayView<float>, float>? _fillFloat;
        private Action<Index1D, ArrayView<long>, long>? _fillLong;
        private Action<Index1D, RowCopy, ArrayView<float>, ArrayView<float>>? _copyRowsFloat;
        private Action<Index1D, RowCopy, ArrayView<long>, ArrayView<long>>? _copyRowsLong;
        private Action<Index1D, ArrayView<float>, ArrayView<float>>? _fillRowsFloat;

        public Action<Index1D, ArrayView<float>, float> FillFloat => _fillFloat ??= Load<Action<Index1D, ArrayView<float>, float>>(
            "fill", LayoutKernels.FillFloat, a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, float>(LayoutKernels.FillFloat));

        public Action<Index1D, ArrayView<long>, long> FillLong => _fillLong ??= Load<Action<Index1D, ArrayView<long>, long>>(
            "fill", LayoutKernels.FillLong, a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<long>, long>(LayoutKernels.FillLong));

        public Action<Index1D, RowCopy, ArrayView<float>, ArrayView<float>> CopyRowsFloat => _copyRowsFloat ??= Load<Action<Index1D, RowCopy, ArrayView<float>, ArrayView<float>>>(
            "copy rows", LayoutKernels.CopyRowsFloat, a => a.LoadAutoGroupedStreamKernel<Index1D, RowCopy, ArrayView<float>, ArrayView<float>>(LayoutKernels.CopyRowsFloat));

        public Action<Index1D, RowCopy, ArrayView<long>, ArrayView<long>> CopyRowsLong => _copyRowsLong ??= Load<Action<Index1D, RowCopy, ArrayView<long>, ArrayView<long>>>(
            "copy rows", LayoutKernels.CopyRowsLong, a => a.LoadAutoGroupedStreamKernel<Index1D, RowCopy, ArrayView<long>, ArrayView<long>>(LayoutKernels.CopyRowsLong));

        public Action<Index1D, ArrayView<float>, ArrayView<float>> FillRowsFloat => _fillRowsFloat ??= Load<Action<Index1D, ArrayView<float>, ArrayView<float>>>(
            "fill rows", LayoutKernels.FillRowsFloat, a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>>(LayoutKernels.FillRowsFloat));

        // Elementwise
        private Action<Index1D, ElementwiseLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _binary;
        private Action<Index1D, ElementwiseLaunch, ArrayView<float>, ArrayView<float>>? _unary;
        private Action<Index1D, Broadcast4, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _broadcast;
        private Action<Index1D, ArrayView<long>, ArrayView<float>, float, ArrayView<float>>? _maskPadding;
        private Action<Index1D, ArrayView<float>, ArrayView<float>>? _accumulate;

        public Action<Index1D, ElementwiseLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>> Binary => _binary ??= Load<Action<Index1D, ElementwiseLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>>>(
            "binary", ElementwiseKernels.Binary, a => a.LoadAutoGroupedStreamKernel<Index1D, ElementwiseLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ElementwiseKernels.Binary));

        public Action<Index1D, ElementwiseLaunch, ArrayView<float>, ArrayView<float>> Unary => _unary ??= Load<Action<Index1D, ElementwiseLaunch, ArrayView<float>, ArrayView<float>>>(
            "unary", ElementwiseKernels.Unary, a => a.LoadAutoGroupedStreamKernel<Index1D, ElementwiseLaunch, ArrayView<float>, ArrayView<float>>(ElementwiseKernels.Unary));

        public Action<Index1D, Broadcast4, ArrayView<float>, ArrayView<float>, ArrayView<float>> Broadcast => _broadcast ??= Load<Action<Index1D, Broadcast4, ArrayView<float>, ArrayView<float>, ArrayView<float>>>(
            "broadcast binary", ElementwiseKernels.Broadcast, a => a.LoadAutoGroupedStreamKernel<Index1D, Broadcast4, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ElementwiseKernels.Broadcast));

        public Action<Index1D, ArrayView<long>, ArrayView<float>, float, ArrayView<float>> MaskPadding => _maskPadding ??= Load<Action<Index1D, ArrayView<long>, ArrayView<float>, float, ArrayView<float>>>(
            "mask padding", ElementwiseKernels.MaskPadding, a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<long>, ArrayView<float>, float, ArrayView<float>>(ElementwiseKernels.MaskPadding));

        public Action<Index1D, ArrayView<float>, ArrayView<float>> Accumulate => _accumulate ??= Load<Action<Index1D, ArrayView<float>, ArrayView<float>>>(
            "accumulate", ElementwiseKernels.Accumulate, a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>>(ElementwiseKernels.Accumulate));

        // Reduce
        private Action<Index1D, int, int, ArrayView<float>, ArrayView<float>>? _sum;
        private Action<Index1D, int, int, ArrayView<float>, ArrayView<float>>? _sumOverRows;
        private Action<Index1D, int, int, ArrayView<float>, ArrayView<float>>? _broadcastAlong;
        private Action<Index1D, int, int, ArrayView<float>, ArrayView<float>>? _logSumExp;
        private Action<Index1D, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _logSumExpGradient;
        private Action<Index1D, Broadcast4, ArrayView<float>, ArrayView<float>>? _reduceTo;

        public Action<Index1D, int, int, ArrayView<float>, ArrayView<float>> Sum => _sum ??= Load<Action<Index1D, int, int, ArrayView<float>, ArrayView<float>>>(
            "reduce sum", ReduceKernels.Sum, a => a.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<float>, ArrayView<float>>(ReduceKernels.Sum));

        public Action<Index1D, int, int, ArrayView<float>, ArrayView<float>> SumOverRows => _sumOverRows ??= Load<Action<Index1D, int, int, ArrayView<float>, ArrayView<float>>>(
            "sum over rows", ReduceKernels.SumOverRows, a => a.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<float>, ArrayView<float>>(ReduceKernels.SumOverRows));

        public Action<Index1D, int, int, ArrayView<float>, ArrayView<float>> BroadcastAlong => _broadcastAlong ??= Load<Action<Index1D, int, int, ArrayView<float>, ArrayView<float>>>(
            "broadcast along", ReduceKernels.BroadcastAlong, a => a.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<float>, ArrayView<float>>(ReduceKernels.BroadcastAlong));

        public Action<Index1D, int, int, ArrayView<float>, ArrayView<float>> LogSumExp => _logSumExp ??= Load<Action<Index1D, int, int, ArrayView<float>, ArrayView<float>>>(
            "reduce logsumexp", ReduceKernels.LogSumExp, a => a.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<float>, ArrayView<float>>(ReduceKernels.LogSumExp));

        public Action<Index1D, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> LogSumExpGradient => _logSumExpGradient ??= Load<Action<Index1D, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>>(
            "logsumexp gradient", ReduceKernels.LogSumExpGradient, a => a.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ReduceKernels.LogSumExpGradient));

        public Action<Index1D, Broadcast4, ArrayView<float>, ArrayView<float>> ReduceTo => _reduceTo ??= Load<Action<Index1D, Broadcast4, ArrayView<float>, ArrayView<float>>>(
            "reduce to shape", ReduceKernels.ReduceTo, a => a.LoadAutoGroupedStreamKernel<Index1D, Broadcast4, ArrayView<float>, ArrayView<float>>(ReduceKernels.ReduceTo));

        // Hits
        private Action<Index1D, int, int, ArrayView<long>, ArrayView<long>, ArrayView<float>>? _applyHits;

        public Action<Index1D, int, int, ArrayView<long>, ArrayView<long>, ArrayView<float>> ApplyHits => _applyHits ??= Load<Action<Index1D, int, int, ArrayView<long>, ArrayView<long>, ArrayView<float>>>(
            "apply accidental hits", HitKernels.ApplyHits, a => a.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<long>, ArrayView<long>, ArrayView<float>>(HitKernels.ApplyHits));

        // Losses
        private Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _softmaxCe;
        private Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _softmaxCeGrad;
        private Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _softmaxCeWithGrad;
        private Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _softmaxCeLabelsGrad;
        private Action<Index1D, LossLaunch, ArrayView<long>, ArrayView<float>, ArrayView<float>, ArrayView<long>>? _sparseCe;
        private Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<long>, ArrayView<float>, ArrayView<float>, ArrayView<long>>? _sparseCeGrad;
        private Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<long>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<long>>? _sparseCeWithGrad;
        private Action<Index1D, int, ArrayView<long>, ArrayView<float>, ArrayView<long>>? _labelWeights;
        private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _sigmoidCe;
        private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _sigmoidCeGrad;
        private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _sigmoidCeLabelsGrad;

        public Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>> SoftmaxCrossEntropy => _softmaxCe ??= Load<Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>>>(
            "softmax cross-entropy", LossKernels.SoftmaxCrossEntropy, a => a.LoadAutoGroupedStreamKernel<Index1D, LossLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>>(LossKernels.SoftmaxCrossEntropy));

        public Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> SoftmaxCrossEntropyLogitsGradient => _softmaxCeGrad ??= Load<Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>>(
            "softmax cross-entropy logits gradient", LossKernels.SoftmaxCrossEntropyLogitsGradient, a => a.LoadAutoGroupedStreamKernel<Index1D, LossLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(LossKernels.SoftmaxCrossEntropyLogitsGradient));

        public Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> SoftmaxCrossEntropyWithLogitsGradient => _softmaxCeWithGrad ??= Load<Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>>(
            "softmax cross-entropy with logits gradient", LossKernels.SoftmaxCrossEntropyWithLogitsGradient, a => a.LoadAutoGroupedStreamKernel<Index1D, LossLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(LossKernels.SoftmaxCrossEntropyWithLogitsGradient));

        public Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>> SoftmaxCrossEntropyLabelsGradient => _softmaxCeLabelsGrad ??= Load<Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>>>(
            "softmax cross-entropy labels gradient", LossKernels.SoftmaxCrossEntropyLabelsGradient, a => a.LoadAutoGroupedStreamKernel<Index1D, LossLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>>(LossKernels.SoftmaxCrossEntropyLabelsGradient));

        public Action<Index1D, LossLaunch, ArrayView<long>, ArrayView<float>, ArrayView<float>, ArrayView<long>> SparseSoftmaxCrossEntropy => _sparseCe ??= Load<Action<Index1D, LossLaunch, ArrayView<long>, ArrayView<float>, ArrayView<float>, ArrayView<long>>>(
            "sparse softmax cross-entropy", LossKernels.SparseSoftmaxCrossEntropy, a => a.LoadAutoGroupedStreamKernel<Index1D, LossLaunch, ArrayView<long>, ArrayView<float>, ArrayView<float>, ArrayView<long>>(LossKernels.SparseSoftmaxCrossEntropy));

        public Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<long>, ArrayView<float>, ArrayView<float>, ArrayView<long>> SparseSoftmaxCrossEntropyGradient => _sparseCeGrad ??= Load<Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<long>, ArrayView<float>, ArrayView<float>, ArrayView<long>>>(
            "sparse softmax cross-entropy gradient", LossKernels.SparseSoftmaxCrossEntropyGradient, a => a.LoadAutoGroupedStreamKernel<Index1D, LossLaunch, ArrayView<float>, ArrayView<long>, ArrayView<float>, ArrayView<float>, ArrayView<long>>(LossKernels.SparseSoftmaxCrossEntropyGradient));

        public Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<long>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<long>> SparseSoftmaxCrossEntropyWithLogitsGradient => _sparseCeWithGrad ??= Load<Action<Index1D, LossLaunch, ArrayView<float>, ArrayView<long>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<long>>>(
            "sparse softmax cross-entropy with logits gradient", LossKernels.SparseSoftmaxCrossEntropyWithLogitsGradient, a => a.LoadAutoGroupedStreamKernel<Index1D, LossLaunch, ArrayView<float>, ArrayView<long>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<long>>(LossKernels.SparseSoftmaxCrossEntropyWithLogitsGradient));

        public Action<Index1D, int, ArrayView<long>, ArrayView<float>, ArrayView<long>> LabelWeights => _labelWeights ??= Load<Action<Index1D, int, ArrayView<long>, ArrayView<float>, ArrayView<long>>>(
            "label weights", LossKernels.LabelWeights, a => a.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<long>, ArrayView<float>, ArrayView<long>>(LossKernels.LabelWeights));

        public Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>> SigmoidCrossEntropy => _sigmoidCe ??= Load<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>>(
            "sigmoid cross-entropy", LossKernels.SigmoidCrossEntropy, a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>(LossKernels.SigmoidCrossEntropy));

        public Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> SigmoidCrossEntropyLogitsGradient => _sigmoidCeGrad ??= Load<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>>(
            "sigmoid cross-entropy logits gradient", LossKernels.SigmoidCrossEntropyLogitsGradient, a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(LossKernels.SigmoidCrossEntropyLogitsGradient));

        public Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>> SigmoidCrossEntropyLabelsGradient => _sigmoidCeLabelsGrad ??= Load<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>>(
            "sigmoid cross-entropy labels gradient", LossKernels.SigmoidCrossEntropyLabelsGradient, a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>(LossKernels.SigmoidCrossEntropyLabelsGradient));

        // Optimizers
        private Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, float>? _sgd;

        public Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, float> Sgd => _sgd ??= Load<Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, float>>(
            "sgd update", OptimizerKernels.Sgd, a => a.LoadAutoGroupedStreamKernel<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, float>(OptimizerKernels.Sgd));

        private Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, ArrayView<float>, StepConstants>? _adagrad;
        private Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants>? _lazyAdam;
        private Action<Index1D, ArrayView<float>, float>? _fillState;

        public Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, ArrayView<float>, StepConstants> Adagrad => _adagrad ??= Load<Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, ArrayView<float>, StepConstants>>(
            "adagrad update", OptimizerKernels.Adagrad, a => a.LoadAutoGroupedStreamKernel<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, ArrayView<float>, StepConstants>(OptimizerKernels.Adagrad));

        public Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants> LazyAdam => _lazyAdam ??= Load<Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants>>(
            "lazy adam update", OptimizerKernels.LazyAdam, a => a.LoadAutoGroupedStreamKernel<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants>(OptimizerKernels.LazyAdam));

        private Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, StepConstants>? _sgdRows;
        private Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, ArrayView<float>, StepConstants>? _momentumRows;
        private Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants>? _adamAllRows;
        private Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<float>, StepConstants>? _sgdDense;
        private Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants>? _momentumDense, _adagradDense;
        private Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants>? _adamDense;
        private Action<Index1D, ArrayView<float>, ArrayView<double>>? _denseSquaredNorm;

        public Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, StepConstants> SgdRows => _sgdRows ??= Load<Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, StepConstants>>(
            "sgd update", OptimizerKernels.SgdRows, a => a.LoadAutoGroupedStreamKernel<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, StepConstants>(OptimizerKernels.SgdRows));

        public Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, ArrayView<float>, StepConstants> MomentumRows => _momentumRows ??= Load<Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, ArrayView<float>, StepConstants>>(
            "momentum update", OptimizerKernels.MomentumRows, a => a.LoadAutoGroupedStreamKernel<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, ArrayView<float>, StepConstants>(OptimizerKernels.MomentumRows));

        public Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants> AdamAllRows => _adamAllRows ??= Load<Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants>>(
            "adam update", OptimizerKernels.AdamAllRows, a => a.LoadAutoGroupedStreamKernel<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<long>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants>(OptimizerKernels.AdamAllRows));

        public Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<float>, StepConstants> SgdDense => _sgdDense ??= Load<Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<float>, StepConstants>>(
            "sgd dense update", OptimizerKernels.SgdDense, a => a.LoadAutoGroupedStreamKernel<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<float>, StepConstants>(OptimizerKernels.SgdDense));

        public Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants> MomentumDense => _momentumDense ??= Load<Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants>>(
            "momentum dense update", OptimizerKernels.MomentumDense, a => a.LoadAutoGroupedStreamKernel<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants>(OptimizerKernels.MomentumDense));

        public Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants> AdagradDense => _adagradDense ??= Load<Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants>>(
            "adagrad dense update", OptimizerKernels.AdagradDense, a => a.LoadAutoGroupedStreamKernel<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants>(OptimizerKernels.AdagradDense));

        public Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants> AdamDense => _adamDense ??= Load<Action<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants>>(
            "adam dense update", OptimizerKernels.AdamDense, a => a.LoadAutoGroupedStreamKernel<Index1D, TableLayout, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, StepConstants>(OptimizerKernels.AdamDense));

        public Action<Index1D, ArrayView<float>, ArrayView<double>> DenseSquaredNorm => _denseSquaredNorm ??= Load<Action<Index1D, ArrayView<float>, ArrayView<double>>>(
            "dense gradient norm", OptimizerKernels.DenseSquaredNorm, a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<double>>(OptimizerKernels.DenseSquaredNorm));

        public Action<Index1D, ArrayView<float>, float> FillState => _fillState ??= Load<Action<Index1D, ArrayView<float>, float>>(
            "initialize optimizer state", OptimizerKernels.Fill, a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, float>(OptimizerKernels.Fill));
    }
}
