using System;
using System.Diagnostics;
using GraphSampling.Runtime.Evaluation;
using GraphSampling.Runtime.Optimizers;
using GraphSampling.Runtime.Sampling;
using Recommender;
using Spectre.Console;

// Retrieval over 200,000 items with several liked items per user (numTrue = 3) and mixed negatives: the batch's own
// positives plus 512 log-uniform samples, with the mixture's expected counts as log Q and every occurrence of a row's
// own items masked (MixedNegativeSampler, docs/samplers.md). Evaluated over every item (recall@10, MRR) against the
// most-popular-items baseline. The data is generated from a seed: items have Zipfian popularity (id 0 the most popular)
// and belong to one of 1,000 topics; a user likes items of their topic 80% of the time.
// Usage: dotnet run --project samples/Recommender [-- steps]
int steps = 3000;
if (args.Length > 0 && (!int.TryParse(args[0], out steps) || steps < 1))
{
    Console.Error.WriteLine($"usage: the number of training steps, a positive integer (default 3000); got '{args[0]}'.");
    return 2;
}
const int B = MixedNegativesRetrieval.Batch, T = MixedNegativesRetrieval.NumTrue, K = MixedNegativesRetrieval.NumSampled,
    N = MixedNegativesRetrieval.Candidates, Users = MixedNegativesRetrieval.Users, Items = MixedNegativesRetrieval.Items, D = MixedNegativesRetrieval.Dim;
const int Topics = 1000;

var world = new World(Items, Users, Topics, seed: 5);
var program = new MixedNegativesRetrieval.CpuProgram();
program.Users.InitializeUniform(0.05f, seed: 1);
program.Items.InitializeUniform(0.05f, seed: 2);
var optimizer = new Adagrad(0.2f);
// K log-uniform negatives (unique); the labels' own frequency learned from the labels seen (it starts uniform).
var sampler = new MixedNegativeSampler(new LogUniformSampler(Items, unique: true, seed: 1, stream: 2), new LearnedUnigramSampler(Items, unique: false, seed: 1, stream: 3));

var user = new long[B];
var liked = new long[B * T];
var candidates = new long[N];
var likedCounts = new float[B * T];
var candidateCounts = new float[N];
var mask = new float[B * N];
var softLabels = new float[B * (T + N)];
for (int i = 0; i < B; i++) for (int t = 0; t < T; t++) softLabels[i * (T + N) + t] = 1f / T;   // TF: 1/T per true class
var loss = new float[B];

Console.WriteLine($"Retrieval over {Items:N0} items for {Users:N0} users: {T} liked items per row, {B * T} in-batch + {K} sampled negatives per step, Adagrad, {steps:N0} steps");
var clock = Stopwatch.StartNew();
double running = double.NaN;
for (int step = 0; step < steps; step++)
{
    for (int i = 0; i < B; i++)
    {
        user[i] = world.User(step, i);
        for (int t = 0; t < T; t++) liked[i * T + t] = world.Liked(user[i], step, i * T + t);
    }
    int tries = sampler.Sample(step, liked, T, K, candidates, likedCounts, candidateCounts);
    AccidentalHits.AllOccurrencesMask(liked, T, candidates, mask);
    program.ForwardBackward(B, user, liked, candidates, likedCounts, candidateCounts, mask, softLabels, loss);
    program.ApplyGradients(optimizer);
    double mean = 0;
    foreach (float l in loss) mean += l;
    mean /= B;
    running = double.IsNaN(running) ? mean : 0.98 * running + 0.02 * mean;
    if (step == 0 || (step + 1) % Math.Max(steps / 10, 1) == 0)
    {
        Console.WriteLine($"step {step + 1,6:N0}: loss {running:F3}, {(step + 1) / clock.Elapsed.TotalSeconds:N0} steps/s, {program.ItemsGradient.Count:N0} item rows touched, num_tries {tries}");
    }
}
double trainSeconds = clock.Elapsed.TotalSeconds;

// Held out: one new liked item per user, ranked among all 200,000 items.
var encoder = new UserVector.CpuProgram(users: program.Users);
var evaluator = new FullEvaluator(B, D, topK: 10, chunkClasses: 4096);
var metrics = new RankingMetrics(1, 10);
var baseline = new RankingMetrics(1, 10);
var hidden = new float[B * D];
var heldOut = new long[B];
var baselineRanks = new long[B];
const int EvalBatches = 16;
for (int n = 0; n < EvalBatches; n++)
{
    for (int i = 0; i < B; i++)
    {
        user[i] = world.User(1_000_000 + n, i);
        heldOut[i] = world.Liked(user[i], 1_000_000 + n, i);
        baselineRanks[i] = heldOut[i] < 10 ? heldOut[i] + 1 : 11;   // the 10 most popular items, in order
    }
    encoder.Forward(B, user, hidden);
    evaluator.Evaluate(B, hidden, program.Items, program.ItemBiases, heldOut);
    metrics.Add(evaluator);
    baseline.Add(baselineRanks);
}
var table = new Table().Title($"held out: {metrics.Count:N0} liked items, ranked among all {Items:N0}")
    .AddColumn("").AddColumn("recall@1").AddColumn("recall@10").AddColumn("MRR");
table.AddRow("model", $"{metrics.Accuracy:P1}", $"{metrics.Recall(10):P1}", $"{metrics.MeanReciprocalRank:F3}");
table.AddRow("most popular items", $"{baseline.Accuracy:P1}", $"{baseline.Recall(10):P1}", "");
AnsiConsole.Write(table);
Console.WriteLine($"training {trainSeconds:F1} s");
return metrics.Recall(10) > 2 * baseline.Recall(10) || steps < 100 ? 0 : 1;

/// <summary>The synthetic catalogue: Zipfian item popularity, items spread over topics by a hash, each user with one
/// topic. A user's liked item is an item of their topic (by popularity within it) 80% of the time, else any item.</summary>
sealed class World
{
    private readonly int _items, _users, _topics;
    private readonly ulong _seed;
    private readonly double[] _global;           // cumulative popularity over all items
    private readonly int[][] _topicItems;        // each topic's items, most popular first
    private readonly double[][] _topicCumulative;

    public World(int items, int users, int topics, int seed)
    {
        (_items, _users, _topics, _seed) = (items, users, topics, (ulong)seed);
        _global = new double[items];
        double total = 0;
        for (int i = 0; i < items; i++) _global[i] = total += 1.0 / (i + 1);
        var lists = new System.Collections.Generic.List<int>[topics];
        for (int t = 0; t < topics; t++) lists[t] = new();
        for (int i = 0; i < items; i++) lists[(int)(Mix(_seed, (ulong)i) % (ulong)topics)].Add(i);
        _topicItems = new int[topics][];
        _topicCumulative = new double[topics][];
        for (int t = 0; t < topics; t++)
        {
            _topicItems[t] = lists[t].ToArray();
            _topicCumulative[t] = new double[_topicItems[t].Length];
            double sum = 0;
            for (int j = 0; j < _topicItems[t].Length; j++) _topicCumulative[t][j] = sum += 1.0 / (_topicItems[t][j] + 1);
        }
    }

    public long User(long step, int row) => (long)(Mix(_seed + 1, (ulong)(step * 4096 + row)) % (ulong)_users);

    public long Liked(long user, long step, int slot)
    {
        double u = Unit(Mix(_seed + 2, (ulong)(step * 65536 + slot)));
        double v = Unit(Mix(_seed + 3, (ulong)(step * 65536 + slot)));
        if (u >= 0.8) return Pick(_global, v);
        int topic = (int)(Mix(_seed + 4, (ulong)user) % (ulong)_topics);
        return _topicItems[topic][Pick(_topicCumulative[topic], v)];
    }

    private static int Pick(double[] cumulative, double u)
    {
        int i = Array.BinarySearch(cumulative, u * cumulative[^1]);
        return Math.Min(i < 0 ? ~i : i, cumulative.Length - 1);
    }

    private static double Unit(ulong x) => (x >> 11) * (1.0 / (1UL << 53));

    private static ulong Mix(ulong seed, ulong index)
    {
        ulong x = index * 0x9E3779B97F4A7C15UL + seed * 0xD1B54A32D192ED03UL + 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
