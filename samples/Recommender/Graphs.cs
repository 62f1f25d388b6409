using GraphSampling;

namespace Recommender;

/// <summary>
/// Next-item retrieval: a user's embedding scores <see cref="NumTrue"/> items the user liked against a candidate list
/// of the batch's own positives (the in-batch negatives: row i uses the other rows' items) followed by
/// <see cref="NumSampled"/> sampled items, with the mixture's log Q subtracted and every occurrence of a row's own items
/// masked (the list repeats items, so TF's last-position mask would leave copies of the positive as negatives). The
/// candidates, their expected counts and the mask come from <c>MixedNegativeSampler</c> each step; the sampled softmax
/// over them is TF's, written in primitives (spec 5-6), with 1/T on each true column.
/// </summary>
[ComputationGraph]
public static partial class MixedNegativesRetrieval
{
    public const int Batch = 128, Users = 50_000, Items = 200_000, Dim = 48, NumTrue = 3, NumSampled = 512;
    public const int Candidates = Batch * NumTrue + NumSampled;

    static Tensor<float> Define(GraphBuilder g)
    {
        var user = g.Input<long>("user", Batch, 1);
        var liked = g.Labels("liked", Batch, numTrue: NumTrue);
        var candidates = g.SideInput<long>("candidates", Candidates);
        var likedCounts = g.StopGradient(g.Input<float>("likedCounts", Batch, NumTrue));
        var candidateCounts = g.StopGradient(g.SideInput<float>("candidateCounts", Candidates));
        var mask = g.StopGradient(g.Input<float>("mask", Batch, Candidates));
        var softLabels = g.StopGradient(g.Input<float>("softLabels", Batch, NumTrue + Candidates));
        var users = g.Parameter("users", Users, Dim, shards: 2, partition: Partition.Mod);
        var items = g.Parameter("items", Items, Dim, shards: 2);
        var itemBiases = g.Parameter("itemBiases", Items, shards: 2);

        var u = g.ReduceSum(g.EmbeddingLookup(users, user), axis: 1);                         // [B, D]
        var likedLogits = g.ReduceSum(g.Reshape(u, [Batch, 1, Dim]) * g.EmbeddingLookup(items, liked), axis: 2)
            + g.EmbeddingLookup(itemBiases, liked);                                              // [B, T]
        var candidateLogits = g.BiasAdd(g.MatMul(u, g.EmbeddingLookup(items, candidates), transposeB: true),
            g.EmbeddingLookup(itemBiases, candidates)) + mask;                                  // [B, B·T + K]
        var logits = g.Concat([likedLogits - g.Log(likedCounts), candidateLogits - g.Log(candidateCounts)], axis: 1);
        return g.SoftmaxCrossEntropyWithLogits(softLabels, logits);
    }
}

/// <summary>The user embedding alone, for evaluation over every item: shares the training program's user table.</summary>
[ComputationGraph]
public static partial class UserVector
{
    static Tensor<float> Define(GraphBuilder g)
    {
        var user = g.Input<long>("user", MixedNegativesRetrieval.Batch, 1);
        var users = g.Parameter("users", MixedNegativesRetrieval.Users, MixedNegativesRetrieval.Dim, shards: 2, partition: Partition.Mod);
        return g.ReduceSum(g.EmbeddingLookup(users, user), axis: 1);
    }
}
