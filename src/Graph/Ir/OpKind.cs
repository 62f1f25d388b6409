namespace GraphSampling.Ir
{
    /// <summary>
    /// Every operation the IR knows. The doc of each member is the contract shared by the shape rules, the gradient
    /// rules, the emitters and the reference interpreter: inputs in order, attributes by name, and the semantics
    /// (from shared/spec/tf-semantics.md). "B" is the batch dimension (see <see cref="Shape.Batched"/>).
    /// Values are stable: the DSL's [Op] attributes carry them into the generator.
    /// </summary>
    public enum OpKind
    {
        // ---- Leaves --------------------------------------------------------------------------------------------

        /// <summary>Data fed per call. Attrs: name (string), dtype (int, <see cref="DType"/>), dims (int[]), batched (bool).
        /// When batched, dims[0] is the batch capacity and a call feeds any number of rows up to it; otherwise the input
        /// has exactly its declared shape (for example sampled ids [K] given from outside). <c>g.Labels</c> lowers here
        /// too (int64 [B, numTrue], batched).</summary>
        Input = 1,

        /// <summary>A trainable float table. Attrs: name, dims (int[] rank 1 or 2, rows first), shards (int &gt;= 1),
        /// partition (int, <see cref="Partition"/>). Output: float, not batched. The shards only change storage and the
        /// id -&gt; (shard, row) mapping (spec 2.2); the value is the concatenation of the shards in id order.</summary>
        Parameter = 2,

        // ---- Dense primitives ----------------------------------------------------------------------------------

        /// <summary>Inputs: params (must be a Parameter node), ids (int64, any rank). Attrs: maxNorm (double; NaN = none).
        /// Output: float, shape ids.shape + params.shape[1..], batched iff ids is. Each row is params[id]; ids outside
        /// [0, rows) are an error. With maxNorm c: row t becomes t*c / max(|t|, c) (rows with |t| = 0 unchanged).
        /// Gradient to params is sparse (one row per id occurrence, summed per unique id).</summary>
        EmbeddingLookup = 10,

        /// <summary>Inputs: a [M,K] (or [K,M] with transposeA), b [K,N] (or [N,K] with transposeB). Attrs: transposeA,
        /// transposeB (bool). Output [M,N], batched iff M is a's batch dim. A contraction over the batch dim runs over
        /// the live rows only.</summary>
        MatMul = 11,

        /// <summary>Inputs: value [..., N], bias [N]. Output: value's shape; bias added along the last axis.</summary>
        BiasAdd = 12,

        /// <summary>Inputs: x, y (float, numpy-style broadcasting aligned at the last axis). Output: the broadcast shape.</summary>
        Add = 13,
        /// <summary>x - y, broadcasting as <see cref="Add"/>.</summary>
        Subtract = 14,
        /// <summary>x * y, broadcasting as <see cref="Add"/>.</summary>
        Multiply = 15,
        /// <summary>Natural log, elementwise. Input x (float). log(0) = -inf, log(negative) = NaN.</summary>
        Log = 16,

        /// <summary>Inputs: 1..n tensors of one dtype and rank. Attrs: axis (int, may be negative). Output: joined along
        /// axis; every other dim must agree.</summary>
        Concat = 17,

        /// <summary>Input x. Attrs: axis (int, may be negative), keepDims (bool). Output: x summed over axis.</summary>
        ReduceSum = 18,

        /// <summary>Input x. Attrs: axis, keepDims. Output: m + log(sum(exp(x - m))) over axis, with m the max over axis
        /// replaced by 0 when it is not finite (spec 10.4). The shift carries no gradient.</summary>
        ReduceLogSumExp = 19,

        /// <summary>Inputs: sparseIndices (int64 [N, R] or [N] for R = 1), sparseValues (float [N] or scalar []).
        /// Attrs: outputShape (int[] of rank R), defaultValue (double), validateIndices (bool). Output: float outputShape,
        /// not batched, filled with defaultValue, then out[idx_n] = values[n] in order (a repeated index: the last write
        /// wins). Indices out of bounds are an error; with validateIndices, unsorted or repeated indices are an error too.
        /// Gradient to sparseValues: the upstream at each index that was not overwritten later (0 otherwise).</summary>
        SparseToDense = 20,

        /// <summary>Inputs: labels (float [B,C]), logits (float [B,C]). Output: float [B],
        /// loss_i = sum_j y_ij (log s_i - (z_ij - m_i)) with m_i = max_j z_ij and s_i = sum_j exp(z_ij - m_i) (spec 10.1).
        /// Gradients: dlogits = g (softmax - y); dlabels = -g log_softmax(z).</summary>
        SoftmaxCrossEntropyWithLogits = 21,

        /// <summary>Inputs: labels (int64 [B]), logits (float [B,C]). Output: float [B], loss_i = log s_i - (z_i,label - m_i)
        /// (spec 10.2). A label outside [0, C) is an error. Gradient: dlogits = g (softmax - onehot).</summary>
        SparseSoftmaxCrossEntropyWithLogits = 22,

        /// <summary>Inputs: labels (float), logits (float), same shape. Output: same shape,
        /// max(x,0) - x z + log1p(exp(-|x|)) (spec 10.3). Gradients: dlogits = g (sigmoid(x) - z); dlabels = -g x.</summary>
        SigmoidCrossEntropyWithLogits = 23,

        /// <summary>Inputs: x (float [N] or [B, N]). Attrs: k (int). Outputs: values (float [k] or [B, k]) and indices (int64,
        /// the same shape) along the last axis, sorted descending, ties to the lower index (NaN ranks below every number).
        /// No gradient flows through it. The indices lie in [0, N), so they can feed <see cref="Gather"/> or a lookup.</summary>
        TopK = 24,

        /// <summary>Input x. Attrs: dims (int[]). Output: x's elements in the same row-major order with shape dims; when x
        /// is batched, dims[0] must equal x's batch capacity and the output is batched too. Gradient: reshape back.</summary>
        Reshape = 25,

        /// <summary>Input x. Output: x unchanged; no gradient flows back through it (TF stop_gradient). Use it for values
        /// that are data to the loss, such as sampled expected counts or soft labels, so no gradient is computed for them.</summary>
        StopGradient = 26,

        /// <summary>No inputs. Attrs: dtype (int, <see cref="DType"/>), dims (int[]), batched (bool), value (double),
        /// values (double[]: empty, or one value per element in row-major order). Output: a tensor of that type holding
        /// values, or value everywhere (cast to float, or to int64 for an int64 constant). When batched, dims[0] is the
        /// batch capacity and every live row holds the same values. No gradient. Generated programs fill it once.</summary>
        Constant = 27,

        /// <summary>Inputs: params (any dtype, rank &gt;= 1), indices (int64, any rank). Attrs: axis (int, may be negative).
        /// Output: params' dtype, shape params[..axis] + indices.shape + params[axis+1..] with each slice
        /// params[.., indices[n], ..] (TF gather). An index outside [0, params.shape[axis]) is an error. Batched only when
        /// indices are batched and axis = 0, or params are batched and axis &gt; 0. Gradient to float params: the upstream
        /// slices scatter-added back at their indices.</summary>
        Gather = 28,

        /// <summary>TF <c>embedding_lookup_sparse</c> / an embedding bag over -1-padded ids. Inputs: params (a Parameter,
        /// [V, D]), ids (int64 [B, L], each in [0, V) or -1 for padding), weights (float [B, L]). Attrs: combiner
        /// (<see cref="Combiner"/>: 0 sum, 1 mean, 2 sqrtn). Output: float [B, D], row i = s_i · Σ_j w_ij · params[ids_ij]
        /// over its non-padding ids, with s_i = 1, 1 / Σ w_ij or 1 / sqrt(Σ w_ij²); a row with no ids (or zero total
        /// weight for mean and sqrtn) is 0. Work is proportional to the real ids. Gradient: sparse rows for params
        /// (w_ij · s_i · g_i per id, de-duplicated); dense for weights when they need one (EmbeddingBagWeightsGrad).</summary>
        EmbeddingBag = 29,

        /// <summary>Ragged labels' masking: out = ids &lt; 0 ? fill : x. Inputs: ids (int64 [B, T], -1 for padding), x (float,
        /// the same shape). Attrs: fill (double). The sampled losses' lowering fills padded true logits with -FLT_MAX (they
        /// drop out of every softmax and sigmoid term); the gradient to x is the same op with fill 0.</summary>
        MaskPadding = 30,

        // ---- Candidate sampling (issue 3: the graph ops are declared now, generated once their runtime lands) -----

        /// <summary>Inputs: trueClasses (int64 [B,T]). Attrs: numTrue, numSampled, unique, rangeMax, seed.
        /// Outputs: sampledCandidates (int64 [K]), trueExpectedCount (float [B,T]), sampledExpectedCount (float [K]).</summary>
        UniformCandidateSampler = 40,
        /// <summary>As <see cref="UniformCandidateSampler"/> with the log-uniform (Zipfian) distribution.</summary>
        LogUniformCandidateSampler = 41,
        /// <summary>As <see cref="UniformCandidateSampler"/> with the learned unigram distribution (stateful).</summary>
        LearnedUnigramCandidateSampler = 42,
        /// <summary>As <see cref="UniformCandidateSampler"/>, plus attrs vocabFile, distortion, numReservedIds, numShards,
        /// shard, unigrams (double[]).</summary>
        FixedUnigramCandidateSampler = 43,
        /// <summary>Inputs: trueClasses. Attrs: numTrue, numSampled, unique. Outputs as the other samplers.</summary>
        AllCandidateSampler = 44,
        /// <summary>Inputs: trueClasses (int64 [B,T]), sampledCandidates (int64 [K]). Attrs: numTrue. Output: the
        /// accidental-hit mask (float [B,K]): -FLT_MAX where a true class equals the candidate at the last position it
        /// occurs in, else 0 (spec 4).</summary>
        ComputeAccidentalHits = 45,
        /// <summary>Inputs: sampledCandidates (int64 [K]), trueExpectedCount (float [B, T]), sampledExpectedCount
        /// (float [K]). Outputs: the same three values (TF's sampled_values tuple, as data: no gradient). At run time every
        /// expected count must be finite and positive (the losses take its log); fed values are checked before anything
        /// runs. Sampled ids are range-checked by the lookups that read them.</summary>
        SampledValues = 46,
        /// <summary>Ragged labels' targets. Input: labels (int64 [B, T], -1 for padding). Output: float [B, T], 0 at padding
        /// and 1 / T_i at each of a row's T_i real labels (TF's 1/numTrue, per row). Every row must hold a real label (fed
        /// labels are checked before anything runs). No gradient.</summary>
        LabelWeights = 47,

        // ---- Composite losses: checked as one node, then lowered to primitives (Lowering/CompositeLowering) ---------

        /// <summary>TF sampled_softmax_loss (spec 6). Inputs: weights (Parameter [C, D]), biases (Parameter [C]), labels
        /// (int64 [B, T]), inputs (float [B, D]), then, when hasSampledValues, the three sampled values. Attrs:
        /// hasSampledValues, numSampled, numClasses, numTrue, removeAccidentalHits, seed, subtractLogQ. Output: float [B].</summary>
        SampledSoftmaxLoss = 60,
        /// <summary>TF contrib sampled_sparse_softmax_loss (spec 8): as <see cref="SampledSoftmaxLoss"/> with T = 1 and
        /// sparse softmax cross-entropy against column 0.</summary>
        SampledSparseSoftmaxLoss = 61,
        /// <summary>TF nce_loss (spec 7): as <see cref="SampledSoftmaxLoss"/>, with sigmoid cross-entropy summed per row.</summary>
        NceLoss = 62,
        /// <summary>TF contrib rank_sampled_softmax_loss, TAPAS (spec 9): as <see cref="SampledSoftmaxLoss"/> plus attrs
        /// numResampled and resamplingTemperature; the default sampler is the learned unigram.</summary>
        RankSampledSoftmaxLoss = 63,

        // ---- Backward-only ops, created by Autodiff; never written by users ------------------------------------

        /// <summary>Inputs: 1..n tensors of one shape. Output: their sum (gradient fan-in).</summary>
        AddN = 100,
        /// <summary>Input x. Output: -x.</summary>
        Negate = 101,
        /// <summary>Inputs: x, y (float, broadcasting as <see cref="Add"/>). Output: x / y. Written by users (g.Divide, the /
        /// operator) and by autodiff (the gradient of Log is g / x).</summary>
        Divide = 102,
        /// <summary>Input g. Attrs: dims (int[]), batched (bool). Output: g summed down to the target shape dims (the
        /// gradient of a broadcast): leading extra axes are summed, and axes where dims has 1 are summed with keepDims.</summary>
        ReduceToShape = 103,
        /// <summary>Input g (the reduced shape, keepDims or not). Attrs: axis, dims (the target shape), batched. Output:
        /// g repeated along axis (the gradient of ReduceSum).</summary>
        BroadcastAlongAxis = 104,
        /// <summary>Inputs: g (reduced), x, y = ReduceLogSumExp(x). Attrs: axis. Output: g * exp(x - y) (softmax along
        /// axis; the gradient of ReduceLogSumExp).</summary>
        ReduceLogSumExpGrad = 105,
        /// <summary>Input g. Attrs: axis, begin, size. Output: g's slice [begin, begin+size) along axis (the gradient of
        /// Concat for one of its inputs).</summary>
        Slice = 106,
        /// <summary>Inputs: g [B], labels, logits (as the forward op). Attrs: wrt ("logits" | "labels"). Output: the gradient
        /// of SoftmaxCrossEntropyWithLogits with respect to that input.</summary>
        SoftmaxCrossEntropyGrad = 107,
        /// <summary>Inputs: g [B], labels (int64 [B]), logits. Output: dlogits = g (softmax - onehot).</summary>
        SparseSoftmaxCrossEntropyGrad = 108,
        /// <summary>Inputs: g, labels, logits. Attrs: wrt ("logits" | "labels"). Output: the gradient of
        /// SigmoidCrossEntropyWithLogits with respect to that input.</summary>
        SigmoidCrossEntropyGrad = 109,
        /// <summary>Inputs: g (the lookup's output shape), params, ids. Attrs: maxNorm. Output: the gradient rows with
        /// respect to the gathered rows before clipping (identity without maxNorm; spec 2.4 with it), shape [n, D] with
        /// n = number of ids. Feeds <see cref="SparseRowGradient"/>.</summary>
        EmbeddingRowsGrad = 110,
        /// <summary>Inputs: pairs of (ids, rows) for every lookup of one parameter. Attrs: rows (int, the table size).
        /// Output: a sparse gradient (unique ids, ascending, and the summed row for each). Its TensorType is the dense
        /// [rows, D] shape; storage is sparse.</summary>
        SparseRowGradient = 111,
        /// <summary>Inputs: g (the output's shape), sparseIndices. Attrs: as the forward SparseToDense. Output: the gradient
        /// to sparseValues (float [N], or scalar: the sum, when the values were a scalar).</summary>
        SparseToDenseGrad = 112,
        /// <summary>Inputs: g (dense [rows, D]), then (ids, rowsGrad) pairs, one per lookup. Output: the dense table gradient
        /// with every rowsGrad[n] added at row ids[n]. Used when a parameter is read both directly and through lookups.</summary>
        ScatterAddRows = 114,
        /// <summary>Inputs: g (the Gather's output shape), indices. Attrs: axis (resolved, &gt;= 0), dims (params' shape),
        /// batched. Output: float params-shaped, zero except the upstream slices added at their indices.</summary>
        GatherGrad = 115,
        /// <summary>Inputs: g (float [B, D], the bag's upstream), ids (int64 [B, L]), weights (float [B, L]). Attrs:
        /// combiner. Output: float [B, L, D], row (i, j) = w_ij · s_i · g_i for every non-padding id; padding rows are not
        /// written (the sparse gradient skips their -1 ids). Feeds <see cref="SparseRowGradient"/>.</summary>
        EmbeddingBagRowsGrad = 116,
        /// <summary>Inputs: g (float [B, D]), params, ids, weights (the bag's), y (the bag's output [B, D]). Attrs: combiner.
        /// Output: float [B, L], the gradient of each weight: g_i · (r_ij − c_ij · y_i) · s_i with r_ij the id's row, s_i the
        /// combiner's factor and c_ij = 0 (sum), 1 (mean) or w_ij · s_i (sqrtn); 0 for padding.</summary>
        EmbeddingBagWeightsGrad = 117,
    }
}
