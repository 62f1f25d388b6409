using System;
using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling
{
    /// <summary>
    /// The graph DSL. Inside a <see cref="ComputationGraphAttribute"/> class's <c>Define(GraphBuilder g)</c>, each call
    /// declares one op; every shape and attribute must be a compile-time constant. The generator reads these calls
    /// from source. At run time the same calls record the IR (see <see cref="Record(Func{GraphBuilder, Tensor{float}})"/>), which the reference
    /// interpreter evaluates in tests. Argument names and defaults follow TensorFlow's, in C# case.
    /// Shapes below use B for the batch (the first dimension of inputs, any size up to the declared one per call).
    /// </summary>
    public sealed partial class GraphBuilder
    {
        private readonly IrGraphBuilder _graph = new IrGraphBuilder();

        /// <summary>Runs a Define method and returns the IR it declares, without any inference or checks.</summary>
        public static IrGraph Record(Func<GraphBuilder, Tensor<float>> define)
        {
            var g = new GraphBuilder();
            var output = define(g);
            if (!ReferenceEquals(output.Builder, g)) throw new InvalidOperationException("Define must return a tensor built by its own GraphBuilder.");
            return g._graph.Build(output.Value);
        }

        /// <summary>Runs a Define that returns a tuple of tensors (several outputs, the first the loss) and returns the IR
        /// with the outputs named <paramref name="names"/> (the generated RecordGraph passes Define's element names).</summary>
        public static IrGraph Record(Func<GraphBuilder, System.Runtime.CompilerServices.ITuple> define, params string[] names)
        {
            ArgumentNullException.ThrowIfNull(define);
            ArgumentNullException.ThrowIfNull(names);
            var g = new GraphBuilder();
            var tuple = define(g);
            if (tuple.Length != names.Length) throw new ArgumentException("Define returned " + tuple.Length + " outputs for " + names.Length + " names.", nameof(names));
            var outputs = new List<NamedOutput>();
            for (int i = 0; i < tuple.Length; i++)
            {
                if (tuple[i] is not ITensorHandle t || !ReferenceEquals(t.Builder, g)) throw new InvalidOperationException("Output " + i + " of Define is not a tensor built by its own GraphBuilder.");
                outputs.Add(new NamedOutput(names[i], t.Value));
            }
            return g._graph.Build(outputs);
        }

        internal Tensor<T> Record<T>(OpCall call) where T : unmanaged => new Tensor<T>(this, OpLowering.Lower(_graph, call));

        private ArgValue Arg<T>(Tensor<T> t) where T : unmanaged
        {
            if (!ReferenceEquals(t.Builder, this)) throw new ArgumentException("The tensor belongs to another graph.");
            return t.Arg;
        }

        private ArgValue Args<T>(Tensor<T>[] values) where T : unmanaged
        {
            var refs = new List<ValueRef>();
            foreach (var v in values)
            {
                Arg(v);
                refs.Add(v.Value);
            }
            return ArgValue.TensorArray(refs.ToArray());
        }

        private static ArgValue Ints(int[] dims)
        {
            var r = new long[dims.Length];
            for (int i = 0; i < r.Length; i++) r[i] = dims[i];
            return ArgValue.IntArray(r);
        }

        private static int DTypeOf<T>()
        {
            if (typeof(T) == typeof(float)) return (int)DType.Float32;
            if (typeof(T) == typeof(long)) return (int)DType.Int64;
            throw new NotSupportedException("Tensors hold float or long, not " + typeof(T).Name + ".");
        }

        // ---- Inputs and parameters -----------------------------------------------------------------------------

        /// <summary>A batched input fed per call: shape [batch, dims...]. A call may feed 0..batch rows.</summary>
        /// <param name="name">The input's name: a C# identifier; the generated Forward method takes a span by this name.</param>
        /// <param name="batch">The batch capacity (the largest batch a call may feed).</param>
        /// <param name="dims">The dimensions after the batch.</param>
        [GraphOp(OpKind.Input)]
        public Tensor<T> Input<T>(string name, int batch, params int[] dims) where T : unmanaged =>
            Record<T>(new OpCall(OpKind.Input, null).With("name", ArgValue.String(name)).With("dtype", ArgValue.Int(DTypeOf<T>()))
                .With("batch", ArgValue.Int(batch)).With("dims", Ints(dims)));

        /// <summary>An input of fixed shape (not batched), fed per call: for example sampled ids [K] chosen outside the graph.</summary>
        [GraphOp(OpKind.Input)]
        public Tensor<T> SideInput<T>(string name, params int[] dims) where T : unmanaged =>
            Record<T>(new OpCall(OpKind.Input, null).With("name", ArgValue.String(name)).With("dtype", ArgValue.Int(DTypeOf<T>()))
                .With("dims", Ints(dims)));

        /// <summary>True class ids: int64 [batch, numTrue] (TF's <c>labels</c>).</summary>
        [GraphOp(OpKind.Input)]
        public Tensor<long> Labels(string name, int batch, int numTrue = 1) =>
            Record<long>(new OpCall(OpKind.Input, null).With("name", ArgValue.String(name)).With("batch", ArgValue.Int(batch)).With("numTrue", ArgValue.Int(numTrue)));

        /// <summary>A trainable float table: [rows] when <paramref name="dim"/> is 0, else [rows, dim]. Its rows may be split over
        /// <paramref name="shards"/> shards by <paramref name="partition"/> (TF's sharded variables and
        /// <c>partition_strategy</c>; TF2 always uses Div).</summary>
        [GraphOp(OpKind.Parameter)]
        public Tensor<float> Parameter(string name, int rows, int dim = 0, int shards = 1, Partition partition = Partition.Div) =>
            Record<float>(new OpCall(OpKind.Parameter, null).With("name", ArgValue.String(name)).With("rows", ArgValue.Int(rows))
                .With("dim", ArgValue.Int(dim)).With("shards", ArgValue.Int(shards)).With("partition", ArgValue.Int((int)partition)));

        // ---- Dense primitives ----------------------------------------------------------------------------------

        /// <summary>TF <c>embedding_lookup(params, ids, max_norm)</c>: rows of a Parameter, shape ids.shape + params.shape[1..].
        /// With <paramref name="maxNorm"/>, each row t becomes t*c/max(|t|, c). The gradient to the table is sparse.
        /// With <paramref name="padding"/> (beyond TF), -1 in <paramref name="ids"/> gives a zero row, reads no table row and
        /// gets no gradient (ragged labels; the sampled losses' <c>raggedLabels</c> lower to it); maxNorm must then be NaN.</summary>
        [GraphOp(OpKind.EmbeddingLookup)]
        public Tensor<float> EmbeddingLookup(Tensor<float> @params, Tensor<long> ids, double maxNorm = double.NaN, bool padding = false) =>
            Record<float>(new OpCall(OpKind.EmbeddingLookup, null).With("params", Arg(@params)).With("ids", Arg(ids)).With("maxNorm", ArgValue.Double(maxNorm))
                .With("padding", ArgValue.Bool(padding)));

        /// <summary>TF <c>embedding_lookup_sparse(params, sp_ids, sp_weights, combiner)</c> over ragged ids given -1-padded:
        /// <paramref name="ids"/> int64 [B, L], each row's ids followed by -1 (any -1 is skipped), one weight per id in
        /// <paramref name="weights"/> float [B, L] (pass <c>g.Ones&lt;float&gt;(batch, L)</c> for none). Row i of the float
        /// [B, D] result is Σ_j w_ij · params[ids_ij], divided by Σ_j w_ij for <see cref="Combiner.Mean"/> and by
        /// sqrt(Σ_j w_ij²) for <see cref="Combiner.Sqrtn"/>; a row with no ids is 0. Work is proportional to the real ids,
        /// not to L. The gradient to the table is sparse and de-duplicated; the weights get a dense one when they need it
        /// (wrap data weights in StopGradient); ids get none.</summary>
        [GraphOp(OpKind.EmbeddingBag)]
        public Tensor<float> EmbeddingLookupSparse(Tensor<float> @params, Tensor<long> ids, Tensor<float> weights, Combiner combiner = Combiner.Mean) =>
            Record<float>(new OpCall(OpKind.EmbeddingBag, null).With("params", Arg(@params)).With("ids", Arg(ids)).With("weights", Arg(weights))
                .With("combiner", ArgValue.Int((int)combiner)));

        /// <summary>TF <c>matmul(a, b, transpose_a, transpose_b)</c>: [M,K] x [K,N] -&gt; [M,N] after the transposes.</summary>
        [GraphOp(OpKind.MatMul)]
        public Tensor<float> MatMul(Tensor<float> a, Tensor<float> b, bool transposeA = false, bool transposeB = false) =>
            Record<float>(new OpCall(OpKind.MatMul, null).With("a", Arg(a)).With("b", Arg(b)).With("transposeA", ArgValue.Bool(transposeA)).With("transposeB", ArgValue.Bool(transposeB)));

        /// <summary>TF <c>bias_add(value, bias)</c>: bias [N] added along the last axis of value [..., N].</summary>
        [GraphOp(OpKind.BiasAdd)]
        public Tensor<float> BiasAdd(Tensor<float> value, Tensor<float> bias) =>
            Record<float>(new OpCall(OpKind.BiasAdd, null).With("value", Arg(value)).With("bias", Arg(bias)));

        /// <summary>Elementwise x + y with numpy broadcasting (same as the + operator).</summary>
        [GraphOp(OpKind.Add)]
        public Tensor<float> Add(Tensor<float> x, Tensor<float> y) => Record<float>(new OpCall(OpKind.Add, null).With("x", Arg(x)).With("y", Arg(y)));

        /// <summary>Elementwise x - y with numpy broadcasting.</summary>
        [GraphOp(OpKind.Subtract)]
        public Tensor<float> Subtract(Tensor<float> x, Tensor<float> y) => Record<float>(new OpCall(OpKind.Subtract, null).With("x", Arg(x)).With("y", Arg(y)));

        /// <summary>Elementwise x * y with numpy broadcasting.</summary>
        [GraphOp(OpKind.Multiply)]
        public Tensor<float> Multiply(Tensor<float> x, Tensor<float> y) => Record<float>(new OpCall(OpKind.Multiply, null).With("x", Arg(x)).With("y", Arg(y)));

        /// <summary>Elementwise x / y with numpy broadcasting (same as the / operator).</summary>
        [GraphOp(OpKind.Divide)]
        public Tensor<float> Divide(Tensor<float> x, Tensor<float> y) => Record<float>(new OpCall(OpKind.Divide, null).With("x", Arg(x)).With("y", Arg(y)));

        /// <summary>Natural logarithm, elementwise.</summary>
        [GraphOp(OpKind.Log)]
        public Tensor<float> Log(Tensor<float> x) => Record<float>(new OpCall(OpKind.Log, null).With("x", Arg(x)));

        // ---- Constants -----------------------------------------------------------------------------------------

        /// <summary>TF <c>constant(value, shape)</c>: a float tensor of fixed shape <paramref name="dims"/> (no dims: a scalar)
        /// holding <paramref name="value"/> everywhere. It carries no gradient.</summary>
        [GraphOp(OpKind.Constant)]
        public Tensor<float> Constant(double value, params int[] dims) =>
            Record<float>(new OpCall(OpKind.Constant, null).With("value", ArgValue.Double(value)).With("dims", Ints(dims)));

        /// <summary>TF <c>constant(values, shape)</c>: a float tensor of fixed shape <paramref name="dims"/> holding
        /// <paramref name="values"/> in row-major order (one per element).</summary>
        [GraphOp(OpKind.Constant)]
        public Tensor<float> Constant(double[] values, params int[] dims) =>
            Record<float>(new OpCall(OpKind.Constant, null).With("values", ArgValue.DoubleArray(values)).With("dims", Ints(dims)));

        /// <summary>TF <c>fill</c> for a batched shape: [batch, dims...] with every element <paramref name="value"/> (cast to
        /// float or long). Like an input, it has as many live rows as the call's batch.</summary>
        [GraphOp(OpKind.Constant)]
        public Tensor<T> Fill<T>(int batch, double value, params int[] dims) where T : unmanaged =>
            Record<T>(new OpCall(OpKind.Constant, null).With("value", ArgValue.Double(value)).With("batch", ArgValue.Int(batch)).With("dims", Ints(dims)).With("dtype", ArgValue.Int(DTypeOf<T>())));

        /// <summary>TF <c>zeros</c> for a batched shape: <see cref="Fill{T}"/> with 0.</summary>
        [GraphOp(OpKind.Constant, Value = 0)]
        public Tensor<T> Zeros<T>(int batch, params int[] dims) where T : unmanaged =>
            Record<T>(new OpCall(OpKind.Constant, null).With("value", ArgValue.Double(0)).With("batch", ArgValue.Int(batch)).With("dims", Ints(dims)).With("dtype", ArgValue.Int(DTypeOf<T>())));

        /// <summary>TF <c>ones</c> for a batched shape: <see cref="Fill{T}"/> with 1.</summary>
        [GraphOp(OpKind.Constant, Value = 1)]
        public Tensor<T> Ones<T>(int batch, params int[] dims) where T : unmanaged =>
            Record<T>(new OpCall(OpKind.Constant, null).With("value", ArgValue.Double(1)).With("batch", ArgValue.Int(batch)).With("dims", Ints(dims)).With("dtype", ArgValue.Int(DTypeOf<T>())));

        /// <summary>TF <c>gather(params, indices, axis)</c> on any tensor: shape params[..axis] + indices.shape +
        /// params[axis+1..]. Indices must lie in [0, params.shape[axis]). The gradient to float params scatter-adds the
        /// upstream slices back (repeated indices accumulate). For rows of a Parameter prefer <see cref="EmbeddingLookup"/>,
        /// whose gradient is sparse.</summary>
        [GraphOp(OpKind.Gather)]
        public Tensor<T> Gather<T>(Tensor<T> @params, Tensor<long> indices, int axis = 0) where T : unmanaged =>
            Record<T>(new OpCall(OpKind.Gather, null).With("params", Arg(@params)).With("indices", Arg(indices)).With("axis", ArgValue.Int(axis)));

        /// <summary>TF <c>concat(values, axis)</c>: joins tensors of one rank along <paramref name="axis"/> (negative counts from the end).</summary>
        [GraphOp(OpKind.Concat)]
        public Tensor<T> Concat<T>(Tensor<T>[] values, int axis) where T : unmanaged =>
            Record<T>(new OpCall(OpKind.Concat, null).With("values", Args(values)).With("axis", ArgValue.Int(axis)));

        /// <summary>TF <c>reduce_sum(input_tensor, axis, keepdims)</c> over one axis.</summary>
        [GraphOp(OpKind.ReduceSum)]
        public Tensor<float> ReduceSum(Tensor<float> input, int axis, bool keepDims = false) =>
            Record<float>(new OpCall(OpKind.ReduceSum, null).With("input", Arg(input)).With("axis", ArgValue.Int(axis)).With("keepDims", ArgValue.Bool(keepDims)));

        /// <summary>TF <c>reduce_logsumexp(input_tensor, axis, keepdims)</c>: m + log(sum exp(x - m)), m the max (0 if not finite).</summary>
        [GraphOp(OpKind.ReduceLogSumExp)]
        public Tensor<float> ReduceLogSumExp(Tensor<float> input, int axis, bool keepDims = false) =>
            Record<float>(new OpCall(OpKind.ReduceLogSumExp, null).With("input", Arg(input)).With("axis", ArgValue.Int(axis)).With("keepDims", ArgValue.Bool(keepDims)));

        /// <summary>TF <c>reshape(tensor, shape)</c>; a batched tensor keeps its batch as the first dimension.</summary>
        [GraphOp(OpKind.Reshape)]
        public Tensor<T> Reshape<T>(Tensor<T> tensor, int[] shape) where T : unmanaged =>
            Record<T>(new OpCall(OpKind.Reshape, null).With("tensor", Arg(tensor)).With("shape", Ints(shape)));

        /// <summary>TF <c>stop_gradient(input)</c>: the same values, but no gradient flows back through them. TF's sampled losses
        /// treat labels, sampled ids and expected counts this way; wrap such float inputs so no gradient is computed for them.</summary>
        [GraphOp(OpKind.StopGradient)]
        public Tensor<T> StopGradient<T>(Tensor<T> input) where T : unmanaged =>
            Record<T>(new OpCall(OpKind.StopGradient, null).With("input", Arg(input)));

        /// <summary>TF <c>sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value, validate_indices)</c>:
        /// indices int64 [N, R] (or [N]), values [N] or a scalar; output float <paramref name="outputShape"/>.</summary>
        [GraphOp(OpKind.SparseToDense)]
        public Tensor<float> SparseToDense(Tensor<long> sparseIndices, int[] outputShape, Tensor<float> sparseValues, double defaultValue = 0, bool validateIndices = true) =>
            Record<float>(new OpCall(OpKind.SparseToDense, null).With("sparseIndices", Arg(sparseIndices)).With("outputShape", Ints(outputShape))
                .With("sparseValues", Arg(sparseValues)).With("defaultValue", ArgValue.Double(defaultValue)).With("validateIndices", ArgValue.Bool(validateIndices)));

        /// <summary>TF <c>softmax_cross_entropy_with_logits(labels, logits)</c>: labels and logits float [B, C]; loss [B].</summary>
        [GraphOp(OpKind.SoftmaxCrossEntropyWithLogits)]
        public Tensor<float> SoftmaxCrossEntropyWithLogits(Tensor<float> labels, Tensor<float> logits) =>
            Record<float>(new OpCall(OpKind.SoftmaxCrossEntropyWithLogits, null).With("labels", Arg(labels)).With("logits", Arg(logits)));

        /// <summary>TF <c>sparse_softmax_cross_entropy_with_logits(labels, logits)</c>: labels int64 [B], logits [B, C]; loss [B].</summary>
        [GraphOp(OpKind.SparseSoftmaxCrossEntropyWithLogits)]
        public Tensor<float> SparseSoftmaxCrossEntropyWithLogits(Tensor<long> labels, Tensor<float> logits) =>
            Record<float>(new OpCall(OpKind.SparseSoftmaxCrossEntropyWithLogits, null).With("labels", Arg(labels)).With("logits", Arg(logits)));

        /// <summary>TF <c>sigmoid_cross_entropy_with_logits(labels, logits)</c>: elementwise, same shape in and out.</summary>
        [GraphOp(OpKind.SigmoidCrossEntropyWithLogits)]
        public Tensor<float> SigmoidCrossEntropyWithLogits(Tensor<float> labels, Tensor<float> logits) =>
            Record<float>(new OpCall(OpKind.SigmoidCrossEntropyWithLogits, null).With("labels", Arg(labels)).With("logits", Arg(logits)));

        /// <summary>TF <c>top_k(input, k)</c> along the last axis of [N] or [B, N], sorted descending, ties to the lower
        /// index. No gradient flows through it; its indices can feed <see cref="Gather{T}"/> or a lookup.</summary>
        [GraphOp(OpKind.TopK)]
        public TopKResult TopK(Tensor<float> input, int k)
        {
            var values = Record<float>(new OpCall(OpKind.TopK, null).With("input", Arg(input)).With("k", ArgValue.Int(k)));
            return new TopKResult(values, new Tensor<long>(this, new ValueRef(values.Value.Node, 1)));
        }
    }
}
