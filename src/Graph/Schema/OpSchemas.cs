using System;
using System.Collections.Generic;
using GraphSampling.Autodiff;
using GraphSampling.Ir;
using GraphSampling.Shapes;

namespace GraphSampling.Schema
{
    /// <summary>
    /// The schema of every <see cref="OpKind"/> (see <see cref="OpSchema"/>). Adding an op means adding its entry here,
    /// its shape rule (Shapes/ShapeRules.{family}.cs), its gradient rule (Autodiff), its kernels and emission rule, and its
    /// tests; docs/architecture.md lists the steps.
    /// </summary>
    public static class OpSchemas
    {
        // Field initializers run in text order: the arrays the table uses come first.
        private static readonly string[] One = { "Value" };
        private static readonly string[] None = new string[0];
        private static readonly AttrSpec[] NoAttrs = new AttrSpec[0];

        /// <summary>The kinds the GPU backend generates (GpuEmitter, docs/gpu.md "Generated GpuProgram"); a graph with
        /// any other kind gets no GPU file. Some kinds are generated only in some forms (GpuBackend.Declines).</summary>
        private static readonly OpKind[] GpuKinds =
        {
            OpKind.Input, OpKind.Parameter, OpKind.Constant, OpKind.Reshape, OpKind.StopGradient,
            OpKind.MatMul, OpKind.BiasAdd, OpKind.Add, OpKind.Subtract, OpKind.Multiply, OpKind.Negate, OpKind.AddN,
            OpKind.ReduceSum, OpKind.BroadcastAlongAxis, OpKind.ReduceToShape,
            OpKind.EmbeddingLookup, OpKind.EmbeddingRowsGrad, OpKind.SparseRowGradient,
            OpKind.SoftmaxCrossEntropyWithLogits, OpKind.SoftmaxCrossEntropyGrad,
            OpKind.SparseSoftmaxCrossEntropyWithLogits, OpKind.SparseSoftmaxCrossEntropyGrad,
            OpKind.SigmoidCrossEntropyWithLogits, OpKind.SigmoidCrossEntropyGrad,
            OpKind.Log, OpKind.Concat, OpKind.Slice,
            OpKind.UniformCandidateSampler, OpKind.LogUniformCandidateSampler, OpKind.ComputeAccidentalHits,
            OpKind.SampledValues,
        };
        private static readonly Dictionary<OpKind, OpSchema> ByKind = Build();

        /// <summary>The schema of a kind; throws for a kind outside the catalogue (see <see cref="TryGet"/>).</summary>
        public static OpSchema Of(OpKind kind) =>
            ByKind.TryGetValue(kind, out var schema) ? schema : throw new ArgumentException("Op kind " + (int)kind + " is not in the catalogue.", nameof(kind));

        public static bool TryGet(OpKind kind, out OpSchema schema) => ByKind.TryGetValue(kind, out schema!);

        public static IEnumerable<OpSchema> All => ByKind.Values;

        /// <summary>Whether some backend generates this kind (the support policy: the analyzers report GS4001 otherwise).</summary>
        public static bool IsGenerated(OpKind kind, Backends backend = Backends.Cpu) =>
            ByKind.TryGetValue(kind, out var s) && (s.IsComposite || (s.SupportedBackends & backend) != 0);

        private static Dictionary<OpKind, OpSchema> Build()
        {
            var d = new Dictionary<OpKind, OpSchema>();
            void Add(OpKind kind, OpCategory category, string[] inputs, AttrSpec[] attrs, ShapeRule shape, GradientRule? gradient,
                LoweringRule? lowering = null, string[]? outputs = null, bool differentiable = true) =>
                d.Add(kind, new OpSchema(kind, category, inputs, attrs, outputs ?? One, differentiable && gradient != null, shape, gradient, lowering,
                    Array.IndexOf(GpuKinds, kind) >= 0 ? Backends.Cpu | Backends.Gpu : Backends.Cpu));
            AttrSpec Int(string name, string? argument = null) => new AttrSpec(name, AttrKind.Int, argument);
            AttrSpec Bool(string name) => new AttrSpec(name, AttrKind.Bool);
            AttrSpec Double(string name) => new AttrSpec(name, AttrKind.Double);
            AttrSpec Ints(string name, string? argument = null) => new AttrSpec(name, AttrKind.IntArray, argument);
            string[] In(params string[] names) => names;
            AttrSpec[] Attrs(params AttrSpec[] a) => a;

            // ---- Leaves ------------------------------------------------------------------------------------------
            Add(OpKind.Input, OpCategory.Leaf, None, NoAttrs, ShapeInference.Input, null, Lowerings.Input);
            Add(OpKind.Parameter, OpCategory.Leaf, None, NoAttrs, ShapeInference.Parameter, null, Lowerings.Parameter);
            Add(OpKind.Constant, OpCategory.Leaf, None, NoAttrs, ShapeInference.Constant, null, Lowerings.Constant);

            // ---- Dense primitives ----------------------------------------------------------------------------------
            Add(OpKind.EmbeddingLookup, OpCategory.Gather, In("params", "ids"), Attrs(Double("maxNorm")), ShapeInference.EmbeddingLookup, GradientRules.EmbeddingLookup, Lowerings.EmbeddingLookup);
            Add(OpKind.Gather, OpCategory.Gather, In("params", "indices"), Attrs(Int("axis")), ShapeInference.Gather, GradientRules.Gather);
            Add(OpKind.EmbeddingBag, OpCategory.Gather, In("params", "ids", "weights"), Attrs(Int("combiner")), ShapeInference.EmbeddingBag, GradientRules.EmbeddingBag);
            Add(OpKind.MatMul, OpCategory.MatMul, In("a", "b"), Attrs(Bool("transposeA"), Bool("transposeB")), ShapeInference.MatMul, GradientRules.MatMul);
            Add(OpKind.BiasAdd, OpCategory.Elementwise, In("value", "bias"), NoAttrs, ShapeInference.BiasAdd, GradientRules.BiasAdd);
            Add(OpKind.Add, OpCategory.Elementwise, In("x", "y"), NoAttrs, ShapeInference.Elementwise, GradientRules.Add);
            Add(OpKind.Subtract, OpCategory.Elementwise, In("x", "y"), NoAttrs, ShapeInference.Elementwise, GradientRules.Subtract);
            Add(OpKind.Multiply, OpCategory.Elementwise, In("x", "y"), NoAttrs, ShapeInference.Elementwise, GradientRules.Multiply);
            Add(OpKind.Divide, OpCategory.Elementwise, In("x", "y"), NoAttrs, ShapeInference.Elementwise, GradientRules.Divide);
            Add(OpKind.Log, OpCategory.Elementwise, In("x"), NoAttrs, ShapeInference.UnaryX, GradientRules.Log);
            Add(OpKind.Concat, OpCategory.Structural, None, Attrs(Int("axis")), ShapeInference.Concat, GradientRules.Concat, Lowerings.Concat);
            Add(OpKind.Reshape, OpCategory.Structural, In("tensor"), Attrs(Ints("dims", "shape")), ShapeInference.Reshape, GradientRules.Reshape);
            Add(OpKind.StopGradient, OpCategory.Structural, In("input"), NoAttrs, ShapeInference.SameAsFirst, null);
            Add(OpKind.ReduceSum, OpCategory.Reduction, In("input"), Attrs(Int("axis"), Bool("keepDims")), ShapeInference.Reduce, GradientRules.ReduceSum);
            Add(OpKind.ReduceLogSumExp, OpCategory.Reduction, In("input"), Attrs(Int("axis"), Bool("keepDims")), ShapeInference.Reduce, GradientRules.ReduceLogSumExp);
            Add(OpKind.SparseToDense, OpCategory.Structural, In("sparseIndices", "sparseValues"),
                Attrs(Ints("outputShape"), Double("defaultValue"), Bool("validateIndices")), ShapeInference.SparseToDense, GradientRules.SparseToDense);
            Add(OpKind.TopK, OpCategory.Structural, In("input"), Attrs(Int("k")), ShapeInference.TopK, null, outputs: new[] { "Values", "Indices" });
            Add(OpKind.SoftmaxCrossEntropyWithLogits, OpCategory.Loss, In("labels", "logits"), NoAttrs, ShapeInference.CrossEntropy, GradientRules.CrossEntropy);
            Add(OpKind.SparseSoftmaxCrossEntropyWithLogits, OpCategory.Loss, In("labels", "logits"), NoAttrs, ShapeInference.CrossEntropy, GradientRules.SparseSoftmaxCrossEntropy);
            Add(OpKind.SigmoidCrossEntropyWithLogits, OpCategory.Loss, In("labels", "logits"), NoAttrs, ShapeInference.CrossEntropy, GradientRules.CrossEntropy);

            // ---- Candidate sampling --------------------------------------------------------------------------------
            string[] sampled = { "SampledCandidates", "TrueExpectedCount", "SampledExpectedCount" };
            foreach (var kind in new[] { OpKind.UniformCandidateSampler, OpKind.LogUniformCandidateSampler, OpKind.LearnedUnigramCandidateSampler,
                OpKind.FixedUnigramCandidateSampler, OpKind.AllCandidateSampler })
            {
                Add(kind, OpCategory.Sampler, In("trueClasses"), NoAttrs, ShapeInference.Sampler, null, Lowerings.Sampler, sampled);
            }
            Add(OpKind.ComputeAccidentalHits, OpCategory.SamplingData, In("trueClasses", "sampledCandidates"), Attrs(Int("numTrue")), ShapeInference.AccidentalHits, null);
            Add(OpKind.LabelWeights, OpCategory.SamplingData, In("labels"), NoAttrs, ShapeInference.LabelWeights, null);
            Add(OpKind.MaskPadding, OpCategory.SamplingData, In("ids", "x"), Attrs(Double("fill")), ShapeInference.MaskPadding, GradientRules.MaskPadding);
            Add(OpKind.SampledValues, OpCategory.SamplingData, In("sampledCandidates", "trueExpectedCount", "sampledExpectedCount"), NoAttrs,
                ShapeInference.SampledValues, null, outputs: sampled);

            // ---- Composite losses ----------------------------------------------------------------------------------
            foreach (var kind in new[] { OpKind.SampledSoftmaxLoss, OpKind.SampledSparseSoftmaxLoss, OpKind.NceLoss, OpKind.RankSampledSoftmaxLoss })
            {
                Add(kind, OpCategory.Composite, None, NoAttrs, ShapeInference.CompositeLoss, null, Lowerings.CompositeLoss);
            }

            // ---- Backward-only -------------------------------------------------------------------------------------
            void Backward(OpKind kind, ShapeRule shape) => Add(kind, OpCategory.Backward, None, NoAttrs, shape, null);
            Backward(OpKind.AddN, ShapeInference.SameAsFirst);
            Backward(OpKind.Negate, ShapeInference.UnaryX);
            Backward(OpKind.ReduceToShape, ShapeInference.DeclaredShape);
            Backward(OpKind.BroadcastAlongAxis, ShapeInference.DeclaredShape);
            Backward(OpKind.ReduceLogSumExpGrad, ShapeInference.SameAsSecond);
            Backward(OpKind.Slice, ShapeInference.Slice);
            Backward(OpKind.SoftmaxCrossEntropyGrad, ShapeInference.CrossEntropyGrad);
            Backward(OpKind.SparseSoftmaxCrossEntropyGrad, ShapeInference.CrossEntropyGrad);
            Backward(OpKind.SigmoidCrossEntropyGrad, ShapeInference.CrossEntropyGrad);
            Backward(OpKind.EmbeddingRowsGrad, ShapeInference.SameAsFirst);
            Backward(OpKind.EmbeddingBagRowsGrad, ShapeInference.EmbeddingBagRowsGrad);
            Backward(OpKind.EmbeddingBagWeightsGrad, ShapeInference.FourthInput);
            Backward(OpKind.SparseRowGradient, ShapeInference.DeclaredShape);
            Backward(OpKind.SparseToDenseGrad, ShapeInference.SparseToDenseGrad);
            Backward(OpKind.ScatterAddRows, ShapeInference.DeclaredShape);
            Backward(OpKind.GatherGrad, ShapeInference.DeclaredShape);

            foreach (OpKind kind in Enum.GetValues(typeof(OpKind)))
            {
                if (!d.ContainsKey(kind)) throw new InvalidOperationException("OpKind." + kind + " has no schema.");
            }
            return d;
        }
    }
}
