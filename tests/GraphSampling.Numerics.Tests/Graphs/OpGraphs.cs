using GraphSampling;

namespace GraphSampling.Numerics.Tests.Graphs;

/// <summary>Bag of words over a Mod-sharded table with max-norm clipping: lookup, ReduceSum, MatMul, sparse softmax.</summary>
[ComputationGraph]
public static partial class ClippedBagOfWords
{
    public const int B = 6, W = 3, V = 11, D = 4, C = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var tokens = g.Input<long>("tokens", B, W);
        var labels = g.Input<long>("labels", B);
        var table = g.Parameter("table", V, D, shards: 3, partition: Partition.Mod);
        var output = g.Parameter("output", C, D);
        var words = g.EmbeddingLookup(table, tokens, maxNorm: 0.5);
        var sentence = g.ReduceSum(words, axis: 1);
        return g.SparseSoftmaxCrossEntropyWithLogits(labels, g.MatMul(sentence, output, transposeB: true));
    }
}

/// <summary>The same model as <see cref="ShardedTable"/> but stored in one shard: outputs and gradients must agree.</summary>
[ComputationGraph]
public static partial class UnshardedTable
{
    public const int B = 4, V = 13, D = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var ids = g.Input<long>("ids", B, 2);
        var x = g.Input<float>("x", B, D);
        var table = g.Parameter("table", V, D);
        var rows = g.EmbeddingLookup(table, ids);
        return g.ReduceSum(g.ReduceSum(rows, axis: 1) * x, axis: 1);
    }
}

/// <summary>13 ids on 5 Div shards (spec 2.2: [[0,1,2],[3,4,5],[6,7,8],[9,10],[11,12]]), read both through lookups and
/// directly by a MatMul (so its gradient is dense with the lookup rows scattered in).</summary>
[ComputationGraph]
public static partial class ShardedTable
{
    public const int B = 4, V = 13, D = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var ids = g.Input<long>("ids", B, 2);
        var x = g.Input<float>("x", B, D);
        var table = g.Parameter("table", V, D, shards: 5, partition: Partition.Div);
        var rows = g.EmbeddingLookup(table, ids);
        return g.ReduceSum(g.ReduceSum(rows, axis: 1) * x, axis: 1);
    }
}

/// <summary>A Mod-sharded table used directly by MatMul (copied to id order) and through two lookups.</summary>
[ComputationGraph]
public static partial class ModTableDenseAndSparse
{
    public const int B = 3, V = 7, D = 2;

    static Tensor<float> Define(GraphBuilder g)
    {
        var ids = g.Input<long>("ids", B);
        var x = g.Input<float>("x", B, D);
        var labels = g.Input<long>("labels", B);
        var table = g.Parameter("table", V, D, shards: 3, partition: Partition.Mod);
        // Two lookups and a dense read of one table: the dense gradient gets both lookups' rows scattered in.
        var logits = g.MatMul(x + g.EmbeddingLookup(table, ids) * g.EmbeddingLookup(table, labels), table, transposeB: true);   // [B, V]
        return g.SparseSoftmaxCrossEntropyWithLogits(labels, logits);
    }
}

/// <summary>Elementwise ops with broadcasting, Log, Concat, Reshape, ReduceSum over the batch (keepDims), and
/// ReduceLogSumExp on both axes.</summary>
[ComputationGraph]
public static partial class ElementwiseZoo
{
    public const int B = 5, N = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var x = g.Input<float>("x", B, N);
        var y = g.Input<float>("y", B, 1);
        var v = g.Parameter("v", N);
        var u = g.Parameter("u", 2, N);
        var positive = g.Input<float>("positive", B, N);
        var a = x * v + y;                                                       // [B,N] * [N] + [B,1]
        var b = g.Log(positive) - a * x;                                         // [B,N]
        var c = g.Concat([a, b], axis: 1);                                       // [B,2N]
        var r = g.Reshape(c, [B, 2, N]);                                         // [B,2,N]
        var d = g.ReduceSum(r * u, axis: 1);                                     // [B,N] (u broadcast over the batch)
        var columnMass = g.ReduceSum(d, axis: 0, keepDims: true);                // [1,N] summed over live rows
        var lse = g.ReduceLogSumExp(d, axis: 0);                                 // [N] over live rows
        var e = g.Subtract(d, columnMass) + lse;
        return g.ReduceLogSumExp(e, axis: 1) + g.ReduceSum(g.Multiply(x, e), axis: -1);
    }
}

/// <summary>MatMul in every transpose combination, including a contraction over the batch.</summary>
[ComputationGraph]
public static partial class MatMulTransposes
{
    public const int B = 4, D = 3, E = 2;

    static Tensor<float> Define(GraphBuilder g)
    {
        var x = g.Input<float>("x", B, D);
        var w = g.Parameter("w", D, E);
        var wt = g.Parameter("wt", E, D);
        var z = g.Parameter("z", D, E);
        var h1 = g.MatMul(x, w);                                                 // [B,E]
        var h2 = g.MatMul(x, wt, transposeB: true);                              // [B,E]
        var gram = g.MatMul(x, x, transposeA: true);                             // [D,D] over live rows
        var h3 = g.MatMul(gram, z, transposeA: true);                            // [D,E]
        var h4 = g.MatMul(z, gram, transposeA: true, transposeB: true);          // [E,D]
        var s = g.ReduceSum(g.ReduceSum(h3, axis: 0), axis: 0) + g.ReduceSum(g.ReduceSum(h4, axis: 1), axis: 0);
        return g.ReduceSum(h1 * h2, axis: 1) * s;
    }
}

/// <summary>SparseToDense building a weight matrix from trainable values (a repeated index: the last write wins).</summary>
[ComputationGraph]
public static partial class SparseToDenseGraph
{
    public const int B = 3, D = 3, E = 4, N = 5;

    static Tensor<float> Define(GraphBuilder g)
    {
        var x = g.Input<float>("x", B, D);
        var targets = g.Input<float>("targets", B, E);
        var indices = g.SideInput<long>("indices", N, 2);
        var values = g.Parameter("values", N);
        var dense = g.SparseToDense(indices, [D, E], values, defaultValue: 0.25, validateIndices: false);
        var logits = g.MatMul(x, dense);
        return g.ReduceSum(g.SigmoidCrossEntropyWithLogits(targets, logits), axis: 1);
    }
}

/// <summary>Top-k over logits (evaluation only: no gradient flows through TopK, so no backward is generated).</summary>
[ComputationGraph]
public static partial class TopKGraph
{
    public const int B = 4, N = 7, K = 3;

    static Tensor<float> Define(GraphBuilder g)
    {
        var x = g.Input<float>("x", B, N);
        var top = g.TopK(x, K);
        return g.ReduceSum(top.Values, axis: 1);
    }
}

/// <summary>The primitives the composites added: constants (scalar and batched), Divide, Gather on a batched input
/// (axis 1), on a table (dense scatter gradient) and on a vector by TopK indices, and log-sum-exp over the batch axis
/// (live rows only).</summary>
[ComputationGraph]
public static partial class DataZoo
{
    public const int B = 5, N = 6, V = 7;

    static Tensor<float> Define(GraphBuilder g)
    {
        var x = g.Input<float>("x", B, N);
        var ids = g.SideInput<long>("ids", 3);
        var rowIds = g.Input<long>("rowIds", B);
        var table = g.Parameter("table", V, N);
        var columns = g.Gather(x, ids, axis: 1);                       // [B, 3]
        var lse = g.ReduceLogSumExp(x / g.Constant(2.5), axis: 0);     // [6], over the live rows
        var top = g.TopK(lse, 3);
        var weights = g.Gather(lse, top.Indices);                      // [3], differentiable through the gather
        var rows = g.Gather(table, rowIds);                            // [B, 6]
        var picked = g.Gather(table, top.Indices, axis: 1);            // [7, 3]
        var total = g.ReduceSum(g.ReduceSum(picked, axis: 1), axis: 0);   // []
        return g.ReduceSum(columns * weights, axis: 1) + g.ReduceSum(rows * g.Fill<float>(B, 0.5, N), axis: 1) + total;
    }
}

/// <summary>Ids joined from two fed inputs by Concat, read by a lookup after a learned-unigram sampler has been declared:
/// a bad id in either input must be rejected before the sampler runs.</summary>
[ComputationGraph]
public static partial class ConcatIds
{
    public const int B = 3, V = 9, D = 2;

    static Tensor<float> Define(GraphBuilder g)
    {
        var first = g.Input<long>("first", B, 2);
        var second = g.Input<long>("second", B, 3);
        var labels = g.Labels("labels", B);
        var learned = g.LearnedUnigramCandidateSampler(labels, numTrue: 1, numSampled: 2, unique: true, rangeMax: V, seed: 1);
        var table = g.Parameter("table", V, D);
        var rows = g.EmbeddingLookup(table, g.Concat([first, second], axis: 1));   // [B, 5, 2]
        return g.ReduceSum(g.ReduceSum(rows, axis: 2), axis: 1) + g.ReduceSum(learned.TrueExpectedCount, axis: 1);
    }
}
