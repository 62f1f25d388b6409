using GraphSampling.Ir;

namespace GraphSampling
{
    public sealed partial class GraphBuilder
    {
        private SampledValues RecordSampler(OpCall call)
        {
            var candidates = Record<long>(call);
            int node = candidates.Value.Node;
            return new SampledValues(candidates, new Tensor<float>(this, new ValueRef(node, 1)), new Tensor<float>(this, new ValueRef(node, 2)));
        }

        // raggedTrueClasses (every sampler): numTrue is a maximum and -1 pads a row; a padding label has expected count 0,
        // is never excluded and is not counted by the learned unigram (docs/guides/variable-length-inputs.md).
        private OpCall SamplerCall(OpKind kind, Tensor<long> trueClasses, int numTrue, int numSampled, bool unique, long seed, bool raggedTrueClasses) =>
            new OpCall(kind, null).With("trueClasses", Arg(trueClasses)).With("numTrue", ArgValue.Int(numTrue))
                .With("numSampled", ArgValue.Int(numSampled)).With("unique", ArgValue.Bool(unique)).With("seed", ArgValue.Int(seed))
                .With("raggedTrueClasses", ArgValue.Bool(raggedTrueClasses));

        // ---- Candidate samplers (TF tf.random.*_candidate_sampler; spec section 3) -------------------------------

        /// <summary>Samples <paramref name="numSampled"/> classes uniformly from [0, rangeMax).
        /// <paramref name="trueClasses"/> is int64 [B, numTrue]. Candidates are a pure function of (seed, step).</summary>
        [GraphOp(OpKind.UniformCandidateSampler)]
        public SampledValues UniformCandidateSampler(Tensor<long> trueClasses, int numTrue, int numSampled, bool unique, int rangeMax, long seed = 0, bool raggedTrueClasses = false) =>
            RecordSampler(SamplerCall(OpKind.UniformCandidateSampler, trueClasses, numTrue, numSampled, unique, seed, raggedTrueClasses).With("rangeMax", ArgValue.Int(rangeMax)));

        /// <summary>Samples from the log-uniform (Zipfian) distribution P(k) = log((k+2)/(k+1)) / log(rangeMax+1),
        /// for class ids sorted by decreasing frequency.</summary>
        [GraphOp(OpKind.LogUniformCandidateSampler)]
        public SampledValues LogUniformCandidateSampler(Tensor<long> trueClasses, int numTrue, int numSampled, bool unique, int rangeMax, long seed = 0, bool raggedTrueClasses = false) =>
            RecordSampler(SamplerCall(OpKind.LogUniformCandidateSampler, trueClasses, numTrue, numSampled, unique, seed, raggedTrueClasses).With("rangeMax", ArgValue.Int(rangeMax)));

        /// <summary>Samples from a unigram distribution learned from the labels seen so far (counts start at 1).</summary>
        [GraphOp(OpKind.LearnedUnigramCandidateSampler)]
        public SampledValues LearnedUnigramCandidateSampler(Tensor<long> trueClasses, int numTrue, int numSampled, bool unique, int rangeMax, long seed = 0, bool raggedTrueClasses = false) =>
            RecordSampler(SamplerCall(OpKind.LearnedUnigramCandidateSampler, trueClasses, numTrue, numSampled, unique, seed, raggedTrueClasses).With("rangeMax", ArgValue.Int(rangeMax)));

        /// <summary>Samples from fixed unigram counts (a vocabulary file whose last CSV field is the count, or
        /// <paramref name="unigrams"/>), raised to <paramref name="distortion"/>; see TF for the reserved-id and shard rules.</summary>
        [GraphOp(OpKind.FixedUnigramCandidateSampler)]
        public SampledValues FixedUnigramCandidateSampler(Tensor<long> trueClasses, int numTrue, int numSampled, bool unique, int rangeMax,
            string vocabFile = "", double distortion = 1.0, int numReservedIds = 0, int numShards = 1, int shard = 0, double[]? unigrams = null, long seed = 0, bool raggedTrueClasses = false) =>
            RecordSampler(SamplerCall(OpKind.FixedUnigramCandidateSampler, trueClasses, numTrue, numSampled, unique, seed, raggedTrueClasses)
                .With("rangeMax", ArgValue.Int(rangeMax)).With("vocabFile", ArgValue.String(vocabFile)).With("distortion", ArgValue.Double(distortion))
                .With("numReservedIds", ArgValue.Int(numReservedIds)).With("numShards", ArgValue.Int(numShards)).With("shard", ArgValue.Int(shard))
                .With("unigrams", unigrams == null ? ArgValue.Null : ArgValue.DoubleArray(unigrams)));

        /// <summary>Returns all classes [0, numSampled) with expected count 1 (for tests and small class sets).</summary>
        [GraphOp(OpKind.AllCandidateSampler)]
        public SampledValues AllCandidateSampler(Tensor<long> trueClasses, int numTrue, int numSampled, bool unique, long seed = 0, bool raggedTrueClasses = false) =>
            RecordSampler(SamplerCall(OpKind.AllCandidateSampler, trueClasses, numTrue, numSampled, unique, seed, raggedTrueClasses));

        /// <summary>The accidental-hit mask float [B, K]: -FLT_MAX where a true class of the row equals a sampled candidate
        /// (at that candidate's last position), else 0 (TF <c>compute_accidental_hits</c> scattered as in the sampled losses).</summary>
        [GraphOp(OpKind.ComputeAccidentalHits)]
        public Tensor<float> ComputeAccidentalHits(Tensor<long> trueClasses, Tensor<long> sampledCandidates, int numTrue) =>
            Record<float>(new OpCall(OpKind.ComputeAccidentalHits, null).With("trueClasses", Arg(trueClasses))
                .With("sampledCandidates", Arg(sampledCandidates)).With("numTrue", ArgValue.Int(numTrue)));

        /// <summary>Ragged labels (beyond TF): <paramref name="x"/> where <paramref name="ids"/> (same shape) is a real id, and
        /// <paramref name="fill"/> where it is -1 (the sampled losses fill padded true logits with -FLT_MAX). The gradient
        /// reaches x at real ids only.</summary>
        [GraphOp(OpKind.MaskPadding)]
        public Tensor<float> MaskPadding(Tensor<long> ids, Tensor<float> x, double fill) =>
            Record<float>(new OpCall(OpKind.MaskPadding, null).With("ids", Arg(ids)).With("x", Arg(x)).With("fill", ArgValue.Double(fill)));

        /// <summary>Ragged labels' targets (beyond TF): float [B, T], 1 / T_i at each of row i's T_i real labels (TF's
        /// 1/numTrue per row) and 0 at -1. Every row must hold a real label.</summary>
        [GraphOp(OpKind.LabelWeights)]
        public Tensor<float> LabelWeights(Tensor<long> labels) =>
            Record<float>(new OpCall(OpKind.LabelWeights, null).With("labels", Arg(labels)));

        /// <summary>TF's <c>sampled_values</c> tuple from data you provide: your own sampler's candidates (int64 [K], usually
        /// a side input), the true classes' expected counts (float [B, numTrue]) and the candidates' (float [K]). Pass the
        /// result as <c>sampledValues</c> of a sampled loss. The values carry no gradient; at run time every expected count
        /// must be finite and positive, and each candidate is checked against the class range by the loss's lookups.</summary>
        [GraphOp(OpKind.SampledValues)]
        public SampledValues SampledValues(Tensor<long> sampledCandidates, Tensor<float> trueExpectedCount, Tensor<float> sampledExpectedCount) =>
            RecordSampler(new OpCall(OpKind.SampledValues, null).With("sampledCandidates", Arg(sampledCandidates))
                .With("trueExpectedCount", Arg(trueExpectedCount)).With("sampledExpectedCount", Arg(sampledExpectedCount)));

        // ---- Composite losses (spec sections 5-9); each returns the per-example loss float [B] ----------------
        // Each is checked as one op (errors at its arguments), then lowered to the primitives TF composes
        // (src/Graph/Lowering/CompositeLowering.cs); docs/losses/ shows the primitive form of each.

        private OpCall LossCall(OpKind kind, Tensor<float> weights, Tensor<float> biases, Tensor<long> labels, Tensor<float> inputs,
            int numSampled, int numClasses, SampledValues? sampledValues, bool removeAccidentalHits, long seed) =>
            // Exactly the C# method's parameters, as the generator's parser sees them; OpLowering supplies the fixed ones.
            new OpCall(kind, null).With("weights", Arg(weights)).With("biases", Arg(biases)).With("labels", Arg(labels)).With("inputs", Arg(inputs))
                .With("numSampled", ArgValue.Int(numSampled)).With("numClasses", ArgValue.Int(numClasses))
                .With("sampledValues", sampledValues.HasValue ? SampledArg(sampledValues.Value) : ArgValue.Null)
                .With("removeAccidentalHits", ArgValue.Bool(removeAccidentalHits)).With("seed", ArgValue.Int(seed));

        private ArgValue SampledArg(SampledValues values)
        {
            Arg(values.SampledCandidates);
            return values.Arg;
        }

        /// <summary>TF <c>sampled_softmax_loss</c> (spec 6): softmax cross-entropy over each row's true classes and the
        /// sampled classes, with the log expected count subtracted from every logit and (by default) accidental hits masked.
        /// weights [C, D] and biases [C] are Parameters (their shards and partition apply); labels int64 [B, numTrue];
        /// inputs float [B, D]. Without <paramref name="sampledValues"/>, TF's default sampler is used: log-uniform, unique,
        /// seeded by <paramref name="seed"/> (the program exposes it). Returns the per-example loss float [B].</summary>
        [GraphOp(OpKind.SampledSoftmaxLoss)]
        public Tensor<float> SampledSoftmaxLoss(Tensor<float> weights, Tensor<float> biases, Tensor<long> labels, Tensor<float> inputs,
            int numSampled, int numClasses, int numTrue = 1, SampledValues? sampledValues = null, bool removeAccidentalHits = true, long seed = 0,
            bool subtractLogQ = true, bool raggedLabels = false) =>
            Record<float>(LossCall(OpKind.SampledSoftmaxLoss, weights, biases, labels, inputs, numSampled, numClasses, sampledValues, removeAccidentalHits, seed)
                .With("numTrue", ArgValue.Int(numTrue)).With("subtractLogQ", ArgValue.Bool(subtractLogQ)).With("raggedLabels", ArgValue.Bool(raggedLabels)));

        /// <summary>TF <c>nce_loss</c> (spec 7): sigmoid cross-entropy of every true and sampled logit (log-Q corrected),
        /// summed per row; true columns have label 1/numTrue. Same arguments as <see cref="SampledSoftmaxLoss"/>; accidental
        /// hits are kept by default, as in TF.</summary>
        [GraphOp(OpKind.NceLoss)]
        public Tensor<float> NceLoss(Tensor<float> weights, Tensor<float> biases, Tensor<long> labels, Tensor<float> inputs,
            int numSampled, int numClasses, int numTrue = 1, SampledValues? sampledValues = null, bool removeAccidentalHits = false, long seed = 0,
            bool subtractLogQ = true, bool raggedLabels = false) =>
            Record<float>(LossCall(OpKind.NceLoss, weights, biases, labels, inputs, numSampled, numClasses, sampledValues, removeAccidentalHits, seed)
                .With("numTrue", ArgValue.Int(numTrue)).With("subtractLogQ", ArgValue.Bool(subtractLogQ)).With("raggedLabels", ArgValue.Bool(raggedLabels)));

        /// <summary>TF contrib <c>sampled_sparse_softmax_loss</c> (spec 8): the sampled softmax of one true class per row
        /// (labels int64 [B, 1]), computed with sparse softmax cross-entropy against column 0.</summary>
        [GraphOp(OpKind.SampledSparseSoftmaxLoss)]
        public Tensor<float> SampledSparseSoftmaxLoss(Tensor<float> weights, Tensor<float> biases, Tensor<long> labels, Tensor<float> inputs,
            int numSampled, int numClasses, SampledValues? sampledValues = null, bool removeAccidentalHits = true, long seed = 0) =>
            Record<float>(LossCall(OpKind.SampledSparseSoftmaxLoss, weights, biases, labels, inputs, numSampled, numClasses, sampledValues, removeAccidentalHits, seed));

        /// <summary>TF contrib <c>rank_sampled_softmax_loss</c>, TAPAS (spec 9): scores each of the
        /// <paramref name="numSampled"/> candidates by log-sum-exp over the batch of W·x/τ plus b/τ, keeps the
        /// <paramref name="numResampled"/> best (ties to the lower position), then a sampled softmax over them (the
        /// expected counts stay those of the first sampler). No gradient flows through the selection. Without
        /// <paramref name="sampledValues"/>, TF's default sampler is used: learned unigram, unique, seeded by
        /// <paramref name="seed"/>.</summary>
        [GraphOp(OpKind.RankSampledSoftmaxLoss)]
        public Tensor<float> RankSampledSoftmaxLoss(Tensor<float> weights, Tensor<float> biases, Tensor<long> labels, Tensor<float> inputs,
            int numSampled, int numResampled, int numClasses, int numTrue, SampledValues? sampledValues, double resamplingTemperature, bool removeAccidentalHits,
            long seed = 0, bool raggedLabels = false) =>
            Record<float>(LossCall(OpKind.RankSampledSoftmaxLoss, weights, biases, labels, inputs, numSampled, numClasses, sampledValues, removeAccidentalHits, seed)
                .With("numTrue", ArgValue.Int(numTrue)).With("raggedLabels", ArgValue.Bool(raggedLabels)).With("numResampled", ArgValue.Int(numResampled))
                .With("resamplingTemperature", ArgValue.Double(resamplingTemperature)));
    }
}
