using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using GraphSampling.Ir;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Cpu;
using GraphSampling.Runtime.Ops;

namespace GraphSampling.Runtime.Evaluation
{
    /// <summary>
    /// Evaluation over the whole class table (spec 12): for inputs X [B, D] and a class table W [C, D] with biases b [C],
    /// the logits <c>X·Wᵀ + b</c> are computed a chunk of classes at a time (memory O(B · chunk), never O(B · C)) on the
    /// project's GEMM (parallel on its worker threads), and each chunk is folded into per-row results before the next:
    /// <list type="bullet">
    /// <item>the full-softmax cross-entropy <c>logsumexp(z) − z_y</c> (TF's sparse softmax cross-entropy on the full logits);</item>
    /// <item>optionally the full-sigmoid loss <c>Σ_c [max(z_c, 0) + log1p(exp(−|z_c|))] − z_y</c> (TF's summed sigmoid
    /// cross-entropy with one-hot labels, the NCE counterpart);</item>
    /// <item>the rank of the true class, 1-based: <c>1 + #{c : z_c &gt; z_y, or z_c = z_y and c &lt; y}</c>, the position the
    /// true class takes in <see cref="TopIds"/>' order (recall@k is rank ≤ k; MRR averages 1 / rank);</item>
    /// <item>the top k ids and values per row, best first, ties to the lower id (TF top_k), by a k-element heap per row:
    /// O(C log k) per row, and most logits are rejected by one vector compare.</item>
    /// </list>
    /// The table may have any sharding: chunks follow its storage, and each stored row's id is known. The true logit is
    /// the same GEMM's value (a product of the label rows), whose every element is the same chain of multiply-adds as
    /// in a chunk, so it compares exactly with the chunk logits (and the true class is never counted ahead of itself
    /// in any case). Results are
    /// for the last <see cref="Evaluate"/>; buffers are sized once and a warm call allocates nothing.
    /// </summary>
    public sealed class FullEvaluator
    {
        private readonly float[] _logits, _labelRows, _labelProducts, _trueLogit, _chunkLse, _sigmoidTerms, _zeros;
        private readonly long[] _labels;
        private readonly double[] _lseMax, _lseSum, _sigmoidSum;
        private readonly long[] _greater;
        private readonly float[] _heapValues;
        private readonly long[] _heapIds;
        private readonly int[] _heapCount;
        private readonly float[] _softmaxLoss, _sigmoidLoss, _topValues;
        private readonly long[] _ranks, _topIds;
        private int _batch;
        private bool _hasLabels;

        // The chunk being folded, read by the fold's parts on every thread (written before and only between folds).
        private int _foldClasses, _foldShard, _foldStart;
        private long _foldFirstId, _foldStride;
        private bool _foldLabels;
        private ParameterTable? _foldBiases;

        /// <summary>Rows per block of the true-logit products (a block x block product per block of rows).</summary>
        private const int TrueLogitBlock = 64;



        /// <param name="maxBatch">The most rows one call evaluates.</param>
        /// <param name="dim">The input width D (the class table's width).</param>
        /// <param name="topK">How many best classes to keep per row (at least 1).</param>
        /// <param name="chunkClasses">Classes per chunk: the logits buffer is maxBatch x chunkClasses floats.</param>
        /// <param name="sigmoidLoss">Also compute the full-sigmoid loss (one more pass over each chunk).</param>
        public FullEvaluator(int maxBatch, int dim, int topK, int chunkClasses = 4096, bool sigmoidLoss = false)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(chunkClasses, 1);
            if ((long)maxBatch * chunkClasses > Ir.Limits.MaxElements || (long)maxBatch * dim > Ir.Limits.MaxElements)
            {
                throw new ArgumentOutOfRangeException(nameof(chunkClasses), chunkClasses, "maxBatch x chunkClasses and maxBatch x dim must each fit in one array.");
            }
            MaxBatch = maxBatch;
            Dim = dim;
            TopK = topK;
            ChunkClasses = chunkClasses;
            ComputesSigmoidLoss = sigmoidLoss;
            _logits = new float[maxBatch * chunkClasses];
            _labelRows = new float[maxBatch * dim];
            _labels = new long[maxBatch];
            _fold = new ChunkFold(this);
            _labelProducts = new float[Math.Min(maxBatch, TrueLogitBlock) * Math.Min(maxBatch, TrueLogitBlock)];
            _trueLogit = new float[maxBatch];
            _chunkLse = new float[maxBatch];
            // One row of sigmoid terms per thread that may fold at once.
            _sigmoidTerms = sigmoidLoss ? new float[WorkerPool.MaxParallelism * chunkClasses] : Array.Empty<float>();
            _zeros = sigmoidLoss ? new float[chunkClasses] : Array.Empty<float>();
            _lseMax = new double[maxBatch];
            _lseSum = new double[maxBatch];
            _sigmoidSum = new double[maxBatch];
            _greater = new long[maxBatch];
            _heapValues = new float[maxBatch * topK];
            _heapIds = new long[maxBatch * topK];
            _heapCount = new int[maxBatch];
            _softmaxLoss = new float[maxBatch];
            _sigmoidLoss = new float[maxBatch];
            _ranks = new long[maxBatch];
            _topValues = new float[maxBatch * topK];
            _topIds = new long[maxBatch * topK];
        }

        public int MaxBatch { get; }
        public int Dim { get; }
        public int TopK { get; }
        public int ChunkClasses { get; }
        public bool ComputesSigmoidLoss { get; }

        /// <summary>Rows of the last call.</summary>
        public int Batch => _batch;

        /// <summary>Full-softmax cross-entropy per row of the last call (empty when it had no labels).</summary>
        public ReadOnlySpan<float> SoftmaxLoss => _hasLabels ? _softmaxLoss.AsSpan(0, _batch) : default;

        /// <summary>Full-sigmoid loss per row (empty unless constructed with sigmoidLoss and called with labels).</summary>
        public ReadOnlySpan<float> SigmoidLoss => _hasLabels && ComputesSigmoidLoss ? _sigmoidLoss.AsSpan(0, _batch) : default;

        /// <summary>The 1-based rank of each row's true class (empty when the call had no labels).</summary>
        public ReadOnlySpan<long> Ranks => _hasLabels ? _ranks.AsSpan(0, _batch) : default;

        /// <summary>[B, k] the best class ids per row, best first (ties: lower id first).</summary>
        public ReadOnlySpan<long> TopIds => _topIds.AsSpan(0, _batch * TopK);

        /// <summary>[B, k] their logits.</summary>
        public ReadOnlySpan<float> TopValues => _topValues.AsSpan(0, _batch * TopK);

        /// <summary>
        /// Evaluates <paramref name="batch"/> rows of <paramref name="inputs"/> ([batch, D], row-major) against every class
        /// of <paramref name="weights"/> (C x D) plus <paramref name="biases"/> (C, the same sharding as the weights, or
        /// null). <paramref name="labels"/> holds one class per row, or is empty for top-k only. Inputs, labels and
        /// layouts are checked first; a non-finite logit row is refused after the pass, before any result is written.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Evaluate(int batch, ReadOnlySpan<float> inputs, ParameterTable weights, ParameterTable? biases, ReadOnlySpan<long> labels)
        {
            ArgumentNullException.ThrowIfNull(weights);
            Checks.Batch(batch, MaxBatch);
            if (weights.Width != Dim) throw new ArgumentException("The class table '" + weights.Name + "' has width " + weights.Width + "; this evaluator was made for D = " + Dim + ".", nameof(weights));
            if (weights.Rows < TopK) throw new ArgumentException("The class table '" + weights.Name + "' has " + weights.Rows + " classes, fewer than topK = " + TopK + ".", nameof(weights));
            if (biases != null && (biases.Rows != weights.Rows || biases.Width != 1 || biases.Shards != weights.Shards || biases.Partition != weights.Partition))
            {
                throw new ArgumentException("The biases '" + biases.Name + "' (" + biases.Rows + " x " + biases.Width + ", " + biases.Shards + " shard(s), " + biases.Partition
                    + ") must be one float per class of '" + weights.Name + "', sharded the same way (" + weights.Rows + ", " + weights.Shards + " shard(s), " + weights.Partition + ").", nameof(biases));
            }
            Checks.Length(inputs, batch * Dim, nameof(inputs));
            Checks.Finite(inputs.Slice(0, batch * Dim), Dim, nameof(inputs));
            bool hasLabels = !labels.IsEmpty;
            if (hasLabels)
            {
                Checks.Length(labels, batch, nameof(labels));
                Checks.Ids(labels, 1, weights.Rows, nameof(labels));
            }
            if (batch == 0)
            {
                _batch = 0;
                _hasLabels = hasLabels;
                return;
            }

            if (hasLabels)
            {
                TrueLogits(batch, inputs, weights, biases, labels);
                labels.CopyTo(_labels);   // the fold's threads read them from here
            }
            for (int i = 0; i < batch; i++)
            {
                _lseMax[i] = double.NegativeInfinity;
                _lseSum[i] = 0;
                _sigmoidSum[i] = 0;
                _greater[i] = 0;
                _heapCount[i] = 0;
            }

            int d = Dim;
            for (int shard = 0; shard < weights.Shards; shard++)
            {
                var table = weights.Shard(shard);
                int shardRows = weights.ShardRows(shard);
                long firstId = PartitionMath.IdOf(shard, 0, weights.Rows, weights.Shards, weights.Partition);
                long idStride = weights.Shards > 1 && weights.Partition == Partition.Mod ? weights.Shards : 1;
                for (int start = 0; start < shardRows; start += ChunkClasses)
                {
                    int n = Math.Min(ChunkClasses, shardRows - start);
                    var logits = _logits.AsSpan(0, batch * n);
                    Kernels.MatMul(inputs, d, false, table.Slice(start * d, n * d), d, true, logits, n, batch, n, d, accumulate: false);
                    Fold(batch, n, firstId + start * idStride, idStride, biases, shard, start, hasLabels);
                }
            }
            Finish(batch, hasLabels, labels);
        }

        /// <summary>z_y per row: the label rows gathered and multiplied by the same GEMM, whose every element is the same
        /// chain of multiply-adds as in the chunk products, so z_y equals the chunk's logit bit for bit.</summary>
        private void TrueLogits(int batch, ReadOnlySpan<float> inputs, ParameterTable weights, ParameterTable? biases, ReadOnlySpan<long> labels)
        {
            int d = Dim;
            for (int i = 0; i < batch; i++) weights.Row(labels[i]).CopyTo(_labelRows.AsSpan(i * d, d));
            // Blocks of rows, each against its own label rows: O(B · block · D) work and block² floats, not B².
            for (int start = 0; start < batch; start += TrueLogitBlock)
            {
                int n = Math.Min(TrueLogitBlock, batch - start);
                var products = _labelProducts.AsSpan(0, n * n);
                Kernels.MatMul(inputs.Slice(start * d, n * d), d, false, _labelRows.AsSpan(start * d, n * d), d, true, products, n, n, n, d, accumulate: false);
                for (int i = 0; i < n; i++)
                {
                    float z = products[i * n + i];
                    long label = labels[start + i];
                    _trueLogit[start + i] = biases == null ? z : z + biases.Row(label)[0];
                }
            }
        }

        /// <summary>
        /// Folds one chunk of logits ([batch, n], classes firstId + stride · j, biases from row <paramref name="start"/> of
        /// the shard) into every row's results. Rows are independent (each has its own log-sum-exp, count and heap), so
        /// blocks of rows run in parallel; each row is finished in one visit (bias, log-sum-exp, count, heap) while it is
        /// in L1, instead of one pass over the whole chunk per step.
        /// </summary>
        private void Fold(int batch, int n, long firstId, long stride, ParameterTable? biases, int shard, int start, bool hasLabels)
        {
            _foldClasses = n;
            _foldFirstId = firstId;
            _foldStride = stride;
            _foldBiases = biases;
            _foldShard = shard;
            _foldStart = start;
            _foldLabels = hasLabels;
            _fold.Run(batch, n);
        }

        private readonly ChunkFold _fold;

        /// <summary>The fold's rows, in parallel blocks (<see cref="RowParts"/>).</summary>
        private sealed class ChunkFold(FullEvaluator owner) : RowParts
        {
            public void Run(int batch, int classes) => RunRows(batch, classes);

            protected override void Rows(int begin, int end, int slot) => owner.FoldRows(begin, end, slot);
        }

        /// <summary>Folds rows [begin, end) of the current chunk; <paramref name="slot"/> picks the thread's scratch row.</summary>
        private void FoldRows(int begin, int end, int slot)
        {
            int n = _foldClasses;
            long firstId = _foldFirstId, stride = _foldStride;
            ReadOnlySpan<float> bias = _foldBiases == null ? default : _foldBiases.Shard(_foldShard).Slice(_foldStart, n);
            for (int i = begin; i < end; i++)
            {
                var row = _logits.AsSpan(i * n, n);
                if (_foldBiases != null) TensorPrimitives.Add(row, bias, row);
                var lse = _chunkLse.AsSpan(i, 1);
                Kernels.LogSumExpRows(row, lse, 1, n);
                // Chunk log-sum-exps combine in double: log(e^M·s + e^l) with a running shift M.
                double l = lse[0], m = _lseMax[i];
                if (l > m)
                {
                    _lseSum[i] = _lseSum[i] * Math.Exp(m - l) + 1;
                    _lseMax[i] = l;
                }
                else if (!double.IsNegativeInfinity(l))   // NaN falls through here and poisons the sum, as it should
                {
                    _lseSum[i] += Math.Exp(l - m);
                }
                if (ComputesSigmoidLoss)
                {
                    var terms = _sigmoidTerms.AsSpan(slot * ChunkClasses, n);
                    Losses.SigmoidCrossEntropy(_zeros.AsSpan(0, n), row, terms);   // max(z,0) + log1p(exp(-|z|)) per class
                    _sigmoidSum[i] += Kernels.Sum(terms);
                }
                if (_foldLabels) _greater[i] += CountAhead(row, _trueLogit[i], _labels[i], firstId, stride);
                Offer(i, row, firstId, stride);
            }
        }

        /// <summary>Classes of the chunk ranked ahead of the true class: a larger logit, or an equal one with a lower id.</summary>
        private static long CountAhead(ReadOnlySpan<float> row, float t, long label, long firstId, long stride)
        {
            long count = 0;
            int j = 0;
            bool anyEqual = false;
            if (Vector.IsHardwareAccelerated && row.Length >= Vector<float>.Count)
            {
                var vt = new Vector<float>(t);
                var rows = MemoryMarshal.Cast<float, Vector<float>>(row);
                var ahead = Vector<int>.Zero;
                var equal = Vector<int>.Zero;
                foreach (var v in rows)
                {
                    ahead -= Vector.GreaterThan(v, vt);   // a true lane is -1
                    equal |= Vector.Equals(v, vt);
                }
                for (int lane = 0; lane < Vector<int>.Count; lane++) count += ahead[lane];
                anyEqual = equal != Vector<int>.Zero;
                j = rows.Length * Vector<float>.Count;
            }
            for (int k = j; k < row.Length; k++)
            {
                if (row[k] > t) count++;
                else if (row[k] == t) anyEqual = true;
            }
            if (anyEqual)
            {
                for (int k = 0; k < row.Length; k++) if (row[k] == t && firstId + stride * k < label) count++;
            }
            // The true class itself never counts, even if its logit here rounded differently from t.
            long offset = label - firstId;
            if (offset >= 0 && offset % stride == 0 && offset / stride < row.Length && row[(int)(offset / stride)] > t) count--;
            return count;
        }

        /// <summary>Offers a chunk row to row i's heap of the k best (a min-heap on (value, then higher id worse)).</summary>
        private void Offer(int i, ReadOnlySpan<float> row, long firstId, long stride)
        {
            int k = TopK;
            var values = _heapValues.AsSpan(i * k, k);
            var ids = _heapIds.AsSpan(i * k, k);
            int count = _heapCount[i];
            int j = 0;
            // Fill the heap from the first elements, then skip every vector whose lanes all fall below the worst kept.
            while (count < k && j < row.Length)
            {
                Push(values, ids, ref count, row[j], firstId + stride * j);
                j++;
            }
            if (Vector.IsHardwareAccelerated)
            {
                int width = Vector<float>.Count;
                for (; j + width <= row.Length; j += width)
                {
                    var v = new Vector<float>(row.Slice(j, width));
                    if (!Vector.GreaterThanOrEqualAny(v, new Vector<float>(values[0]))) continue;
                    for (int lane = 0; lane < width; lane++) Replace(values, ids, row[j + lane], firstId + stride * (j + lane));
                }
            }
            for (; j < row.Length; j++) Replace(values, ids, row[j], firstId + stride * j);
            _heapCount[i] = count;
        }

        /// <summary>True when (a, aId) ranks below (b, bId): a smaller value, or equal with a higher id.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Worse(float a, long aId, float b, long bId) => a < b || (a == b && aId > bId);

        private static void Push(Span<float> values, Span<long> ids, ref int count, float v, long id)
        {
            int c = count++;
            while (c > 0)
            {
                int parent = (c - 1) / 2;
                if (!Worse(v, id, values[parent], ids[parent])) break;
                values[c] = values[parent];
                ids[c] = ids[parent];
                c = parent;
            }
            values[c] = v;
            ids[c] = id;
        }

        /// <summary>Replaces the worst kept element (the root) when (v, id) ranks above it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Replace(Span<float> values, Span<long> ids, float v, long id)
        {
            if (Worse(values[0], ids[0], v, id)) SiftDown(values, ids, v, id);
        }

        /// <summary>Checks every row and only then writes the results, so a refused call leaves the last results.</summary>
        private void Finish(int batch, bool hasLabels, ReadOnlySpan<long> labels)
        {
            for (int i = 0; i < batch; i++)
            {
                double lse = _lseMax[i] + Math.Log(_lseSum[i]);
                _lseMax[i] = lse;   // the row's log-sum-exp from here on
                if (!double.IsFinite(lse))
                {
                    throw new InvalidOperationException("Row " + i + ": the logits are not all finite (log-sum-exp " + lse + "); a table or an input holds NaN, infinity or values too large for float.");
                }
            }
            int k = TopK;
            for (int i = 0; i < batch; i++)
            {
                if (hasLabels)
                {
                    _softmaxLoss[i] = (float)(_lseMax[i] - _trueLogit[i]);
                    _sigmoidLoss[i] = (float)(_sigmoidSum[i] - _trueLogit[i]);
                    _ranks[i] = 1 + _greater[i];
                }
                // The heap in best-first order: repeatedly move the root (the worst) to the end.
                var values = _heapValues.AsSpan(i * k, k);
                var ids = _heapIds.AsSpan(i * k, k);
                var outValues = _topValues.AsSpan(i * k, k);
                var outIds = _topIds.AsSpan(i * k, k);
                for (int n = k; n > 0; n--)
                {
                    outValues[n - 1] = values[0];
                    outIds[n - 1] = ids[0];
                    float lastV = values[n - 1];
                    long lastId = ids[n - 1];
                    SiftDown(values.Slice(0, n - 1), ids.Slice(0, n - 1), lastV, lastId);
                }
            }
            _batch = batch;
            _hasLabels = hasLabels;
        }

        /// <summary>Puts (v, id) at the root of a min-heap and sifts it down to its place.</summary>
        private static void SiftDown(Span<float> values, Span<long> ids, float v, long id)
        {
            int k = values.Length, c = 0;
            if (k == 0) return;
            while (true)
            {
                int child = 2 * c + 1;
                if (child >= k) break;
                if (child + 1 < k && Worse(values[child + 1], ids[child + 1], values[child], ids[child])) child++;
                if (!Worse(values[child], ids[child], v, id)) break;
                values[c] = values[child];
                ids[c] = ids[child];
                c = child;
            }
            values[c] = v;
            ids[c] = id;
        }
    }
}
