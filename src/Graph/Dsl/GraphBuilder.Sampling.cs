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

        private OpCall SamplerCall(OpKind kind, Tensor<long> trueClasses, int numTrue, int numSampled, bool unique, long seed) =>
            new OpCall(kind, null).With("trueClasses", Arg(trueClasses)).With("numTrue", ArgValue.Int(numTrue))
                .With("numSampled", ArgValue.Int(numSampled)).With("unique", ArgValue.Bool(unique)).With("seed", ArgValue.Int(seed));

        // ---- Candidate samplers (TF tf.random.*_candidate_sampler; spec section 3) -------------------------------

        /// <summary>Samples <paramref name="numSampled"/> classes uniformly from [0, rangeMax).
        /// <paramref name="trueClasses"/> is int64 [B, numTrue]. Candidates are a pure function of (seed, step).</summary>
        [GraphOp(OpKind.UniformCandidateSampler)]
        public SampledValues UniformCandidateSampler(Tensor<long> trueClasses, int numTrue, int numSampled, bool unique, int rangeMax, long seed = 0) =>
            RecordSampler(SamplerCall(OpKind.UniformCandidateSampler, trueClasses, numTrue, numSampled, unique, seed).With("rangeMax", ArgValue.Int(rangeMax)));

        /// <summary>Samples from the log-uniform (Zipfian) distribution P(k) = log((k+2)/(k+1)) / log(rangeMax+1),
        /// for class ids sorted by decreasing frequency.</summary>
        [GraphOp(OpKind.LogUniformCandidateSampler)]
        public SampledValues LogUniformCandidateSampler(Tensor<long> trueClasses, int numTrue, int numSampled, bool unique, int rangeMax, long seed = 0) =>
            RecordSampler(SamplerCall(OpKind.LogUniformCandidateSampler, trueClasses, numTrue, numSampled, unique, seed).With("rangeMax", ArgValue.Int(rangeMax)));

        /// <summary>Samples from a unigram distribution learned from the labels seen so far (counts start at 1).</summary>
        [GraphOp(OpKind.LearnedUnigramCandidateSampler)]
        public SampledValues LearnedUnigramCandidateSampler(Tensor<long> trueClasses, int numTrue, int numSampled, bool unique, int rangeMax, long seed = 0) =>
            RecordSampler(SamplerCall(OpKind.LearnedUnigramCandidateSampler, trueClasses, numTrue, numSampled, unique, seed).With("rangeMax", ArgValue.Int(rangeMax)));

        /// <summary>Samples from fixed unigram counts (a vocabulary file whose last CSV field is the count, or
        /// <paramref name="unigrams"/>), raised to <paramref name="distortion"/>; see TF for the reserved-id and shard rules.</summary>
        [GraphOp(OpKind.FixedUnigramCandidateSampler)]
        public SampledValues FixedUnigramCandidateSampler(Tensor<long> trueClasses, int numTrue, int numSampled, bool unique, int rangeMax,
            string vocabFile = "", double distortion = 1.0, int numReservedIds = 0, int numShards = 1, int shard = 0, double[]? unigrams = null, long seed = 0) =>
            RecordSampler(SamplerCall(OpKind.FixedUnigramCandidateSampler, trueClasses, numTrue, numSampled, unique, seed)
                .With("rangeMax", ArgValue.Int(rangeMax)).With("vocabFile", ArgValue.String(vocabFile)).With("distortion", ArgValue.Double(distortion))
                .With("numReservedIds", ArgValue.Int(numReservedIds)).With("numShards", ArgValue.Int(numShards)).With("shard", ArgValue.Int(shard))
                .With("unigrams", unigrams == null ? ArgValue.Null : ArgValue.DoubleArray(unigrams)));

        /// <summary>Returns all classes [0, numSampled) with expected count 1 (for tests and small class sets).</summary>
        [GraphOp(OpKind.AllCandidateSampler)]
        public SampledValues AllCandidateSampler(Tensor<long> trueClasses, int numTrue, int numSampled, bool unique, long seed = 0) =>
            RecordSampler(SamplerCall(OpKind.AllCandidateSampler, trueClasses, numTrue, numSampled, unique, seed));

        /// <summary>The accidental-hit mask float [B, K]: -FLT_MAX where a true class of the row equals a sampled candidate
        /// (at that candidate's last position), else 0 (TF <c>compute_accidental_hits</c> scattered as in the sampled losses).</summary>
        [GraphOp(OpKind.ComputeAccidentalHits)]
        public Tensor<float> ComputeAccidentalHits(Tensor<long> trueClasses, Tensor<long> sampledCandidates, int numTrue) =>
            Record<float>(new OpCall(OpKind.ComputeAccidentalHits, null).With("trueClasses", Arg(trueClasses))
                .With("sampledCandidates", Arg(sampledCandidates)).With("numTrue", ArgValue.Int(numTrue)));

        // ---- Composite losses (spec sections 6-9); each returns the per-example loss float [B] ----------------

        private OpCall LossCall(OpKind kind, Tensor<float> weights, Tensor<float> biases, Tensor<long> labels, Tensor<float> inputs,
            int numSampled, int numClasses, SampledValues? sampledValues, bool removeAccidentalHits) =>
            new OpCall(kind, null).With("weights", Arg(weights)).With("biases", Arg(biases)).With("labels", Arg(labels)).With("inputs", Arg(inputs))
                .With("numSampled", ArgValue.Int(numSampled)).With("numClasses", ArgValue.Int(numClasses))
                .With("sampledValues", sampledValues.HasValue ? sampledValues.Value.Arg : ArgValue.Null)
                .With("removeAccidentalHits", ArgValue.Bool(removeAccidentalHits));

        /// <summary>TF <c>sampled_softmax_loss</c>: softmax over the true and sampled classes with log-Q correction.
        /// weights [C, D] and biases [C] are Parameters (their shards and partition apply); labels int64 [B, numTrue];
        /// inputs float [B, D]. Without <paramref name="sampledValues"/>, a log-uniform unique sampler is used.</summary>
        [GraphOp(OpKind.SampledSoftmaxLoss)]
        public Tensor<float> SampledSoftmaxLoss(Tensor<float> weights, Tensor<float> biases, Tensor<long> labels, Tensor<float> inputs,
            int numSampled, int numClasses, int numTrue = 1, SampledValues? sampledValues = null, bool removeAccidentalHits = true, long seed = 0) =>
            Record<float>(LossCall(OpKind.SampledSoftmaxLoss, weights, biases, labels, inputs, numSampled, numClasses, sampledValues, removeAccidentalHits)
                .With("numTrue", ArgValue.Int(numTrue)).With("seed", ArgValue.Int(seed)));

        /// <summary>TF contrib <c>sampled_sparse_softmax_loss</c>: as <see cref="SampledSoftmaxLoss"/> with one true class,
        /// using sparse softmax cross-entropy.</summary>
        [GraphOp(OpKind.SampledSparseSoftmaxLoss)]
        public Tensor<float> SampledSparseSoftmaxLoss(Tensor<float> weights, Tensor<float> biases, Tensor<long> labels, Tensor<float> inputs,
            int numSampled, int numClasses, SampledValues? sampledValues = null, bool removeAccidentalHits = true) =>
            Record<float>(LossCall(OpKind.SampledSparseSoftmaxLoss, weights, biases, labels, inputs, numSampled, numClasses, sampledValues, removeAccidentalHits));

        /// <summary>TF <c>nce_loss</c>: sigmoid cross-entropy over the true and sampled logits (log-Q corrected), summed per row.</summary>
        [GraphOp(OpKind.NceLoss)]
        public Tensor<float> NceLoss(Tensor<float> weights, Tensor<float> biases, Tensor<long> labels, Tensor<float> inputs,
            int numSampled, int numClasses, int numTrue = 1, SampledValues? sampledValues = null, bool removeAccidentalHits = false) =>
            Record<float>(LossCall(OpKind.NceLoss, weights, biases, labels, inputs, numSampled, numClasses, sampledValues, removeAccidentalHits)
                .With("numTrue", ArgValue.Int(numTrue)));

        /// <summary>TF contrib <c>rank_sampled_softmax_loss</c> (TAPAS): keeps the <paramref name="numResampled"/> sampled classes
        /// with the highest batch log-sum-exp score, then a sampled softmax over them.</summary>
        [GraphOp(OpKind.RankSampledSoftmaxLoss)]
        public Tensor<float> RankSampledSoftmaxLoss(Tensor<float> weights, Tensor<float> biases, Tensor<long> labels, Tensor<float> inputs,
            int numSampled, int numResampled, int numClasses, int numTrue, SampledValues? sampledValues, double resamplingTemperature, bool removeAccidentalHits) =>
            Record<float>(LossCall(OpKind.RankSampledSoftmaxLoss, weights, biases, labels, inputs, numSampled, numClasses, sampledValues, removeAccidentalHits)
                .With("numTrue", ArgValue.Int(numTrue)).With("numResampled", ArgValue.Int(numResampled))
                .With("resamplingTemperature", ArgValue.Double(resamplingTemperature)));
    }
}
