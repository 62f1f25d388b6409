using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GraphSampling.Numerics.Tests.Graphs;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Checkpoints;
using GraphSampling.Runtime.Optimizers;
using Xunit;

namespace GraphSampling.Numerics.Tests;

/// <summary>Checkpoints (issue 8, item 6): a resumed run continues bit-identically, and a truncated, corrupted or
/// mismatched file is refused with nothing changed.</summary>
public sealed class CheckpointTests : IDisposable
{
    private const int B = LearnedSamplerClassifier.B, W = LearnedSamplerClassifier.W;
    private readonly string _dir = Directory.CreateTempSubdirectory("gs-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static LearnedSamplerClassifier.CpuProgram NewProgram()
    {
        var p = new LearnedSamplerClassifier.CpuProgram();
        p.Embeddings.InitializeUniform(0.5f, seed: 1);
        p.Weights.InitializeUniform(0.5f, seed: 2);
        p.Biases.InitializeUniform(0.1f, seed: 3);
        return p;
    }

    private static Optimizer NewOptimizer(string kind) => kind switch
    {
        "adam" => new Adam(0.05f) { WeightDecay = 0.01f },
        "lazyadam" => new LazyAdam(0.05f),
        "adagrad" => new Adagrad(0.3f),
        "momentum" => new Momentum(0.2f, momentum: 0.9f, nesterov: true),
        _ => throw new ArgumentException(kind),
    };

    /// <summary>The batch of a step: a function of the step only, so both runs see the same data.</summary>
    private static (long[] Tokens, long[] Labels) Batch(int step)
    {
        var rng = new Random(100 + step);
        return (Close.Ids(rng, B * W, LearnedSamplerClassifier.V), Close.Ids(rng, B, LearnedSamplerClassifier.C));
    }

    private static (float[] Loss, long[] Candidates) TrainStep(LearnedSamplerClassifier.CpuProgram p, Optimizer o, int step)
    {
        var (tokens, labels) = Batch(step);
        var loss = new float[B];
        p.ForwardBackward(B, tokens, labels, loss);
        p.ApplyGradients(o);
        return (loss, p.CandidatesSampler.LastCandidates.ToArray());
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("lazyadam")]
    [InlineData("adagrad")]
    [InlineData("momentum")]
    public void A_run_resumed_from_a_checkpoint_continues_bit_identically(string optimizerKind)
    {
        const int steps = 8, cut = 4;
        var straight = NewProgram();
        var straightOptimizer = NewOptimizer(optimizerKind);
        var expected = Enumerable.Range(0, steps).Select(s => TrainStep(straight, straightOptimizer, s)).ToList();

        var first = NewProgram();
        var firstOptimizer = NewOptimizer(optimizerKind);
        for (int s = 0; s < cut; s++) TrainStep(first, firstOptimizer, s);
        string file = PathOf("run.gsckpt");
        Checkpoint.Save(file, first, firstOptimizer);

        // Objects that have trained on other batches (state in every part) take the checkpoint's state entirely.
        var resumed = NewProgram();
        var resumedOptimizer = NewOptimizer(optimizerKind);
        for (int s = 20; s < 22; s++) TrainStep(resumed, resumedOptimizer, s);
        Checkpoint.Load(file, resumed, resumedOptimizer);
        Assert.Equal(cut, resumed.Step);
        Assert.Equal(cut, resumedOptimizer.Steps);
        for (int s = cut; s < steps; s++)
        {
            var (loss, candidates) = TrainStep(resumed, resumedOptimizer, s);
            Assert.Equal(expected[s].Candidates, candidates);
            Assert.Equal(Bits(expected[s].Loss), Bits(loss));   // bit for bit, not within a tolerance
        }
        foreach (var (a, b) in Tables(straight).Zip(Tables(resumed))) Assert.Equal(Bits(Close.Dense(a)), Bits(Close.Dense(b)));
        for (long c = 0; c < LearnedSamplerClassifier.C; c++)
        {
            Assert.Equal(straight.CandidatesSampler.GetCount(c), resumed.CandidatesSampler.GetCount(c));
        }
        foreach (var (a, b) in Tables(straight).Zip(Tables(resumed)))
        {
            for (int slot = 0; slot < 2; slot++)
            {
                Assert.Equal(Bits(straightOptimizer.StateOf(a, slot).ToArray()), Bits(resumedOptimizer.StateOf(b, slot).ToArray()));
            }
        }
    }

    [Fact]
    public void Saving_leaves_no_temporary_file_and_overwrites_an_earlier_checkpoint()
    {
        var p = NewProgram();
        string file = PathOf("a.gsckpt");
        Checkpoint.Save(file, p);
        p.Step = 7;
        Checkpoint.Save(file, p);
        Assert.Equal(new[] { "a.gsckpt" }, Directory.GetFiles(_dir).Select(Path.GetFileName));
        var q = new LearnedSamplerClassifier.CpuProgram();
        Checkpoint.Load(file, q);
        Assert.Equal(7, q.Step);
    }

    [Fact]
    public void A_truncated_file_is_refused_at_every_length_and_changes_nothing()
    {
        var (file, bytes) = TrainedCheckpoint();
        var target = NewProgram();
        var optimizer = NewOptimizer("adam");
        TrainStep(target, optimizer, 0);
        var before = Snapshot(target, optimizer);
        string cut = PathOf("cut.gsckpt");
        // Every prefix would be slow for no gain: the header fields, inside each section, and one byte short.
        foreach (int length in new[] { 0, 5, 8, 20, 40, 100, bytes.Length / 3, bytes.Length / 2, bytes.Length - 100, bytes.Length - 5, bytes.Length - 1 })
        {
            File.WriteAllBytes(cut, bytes.AsSpan(0, length).ToArray());
            var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(cut, target, optimizer));
            Assert.Contains("truncated", e.Message);
            Assert.Contains(cut, e.Message);
            Assert.Equal(before, Snapshot(target, optimizer));
        }
        Assert.Contains("the values of table 'embeddings'", Assert.Throws<InvalidDataException>(() =>
        {
            File.WriteAllBytes(cut, bytes.AsSpan(0, 60).ToArray());
            Checkpoint.Load(cut, target, optimizer);
        }).Message);
    }

    [Fact]
    public void A_corrupted_byte_anywhere_is_refused_and_changes_nothing()
    {
        var (_, bytes) = TrainedCheckpoint();
        var target = NewProgram();
        var optimizer = NewOptimizer("adam");
        TrainStep(target, optimizer, 9);   // optimizer state and learned counts that a partial load would disturb
        var before = Snapshot(target, optimizer);
        string bad = PathOf("bad.gsckpt");
        var rng = new Random(4);
        for (int trial = 0; trial < 40; trial++)
        {
            var copy = (byte[])bytes.Clone();
            int at = trial == 0 ? copy.Length - 1 : rng.Next(copy.Length);
            copy[at] ^= (byte)(1 << rng.Next(8));
            File.WriteAllBytes(bad, copy);
            var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(bad, target, optimizer));
            Assert.Contains(bad, e.Message);
            Assert.Contains("nothing was loaded", e.Message);
            Assert.True(e.Message.Contains("is corrupted") || e.Message.Contains("is truncated"), e.Message);   // never "does not match"
            Assert.Equal(before, Snapshot(target, optimizer));
        }
        File.WriteAllBytes(bad, bytes.Concat(new byte[] { 0 }).ToArray());
        Assert.Contains("bytes after the checksum", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(bad, target, optimizer)).Message);
    }

    [Fact]
    public void A_checkpoint_of_another_layout_or_optimizer_is_refused_naming_the_table()
    {
        var (file, _) = TrainedCheckpoint();
        var resharded = new LearnedSamplerClassifierResharded.CpuProgram();
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(file, resharded));
        Assert.Contains("table 'embeddings' was saved as 13 x 4, 2 shard(s), Mod; the program's is 13 x 4, 3 shard(s), Mod", e.Message);
        Assert.Equal(0, resharded.Step);

        var other = new ClippedBagOfWords.CpuProgram();
        e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(file, other));
        Assert.Contains("it holds 3 table(s); the program has 2 ('table', 'output')", e.Message);

        var target = NewProgram();
        var adagrad = NewOptimizer("adagrad");
        var before = Snapshot(target, adagrad);
        e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(file, target, adagrad));
        Assert.Contains("its optimizer state is a Adam's (2 slot(s) per table); a Adagrad was given", e.Message);
        Assert.Equal(before, Snapshot(target, adagrad));

        string withoutOptimizer = PathOf("no-optimizer.gsckpt");
        Checkpoint.Save(withoutOptimizer, NewProgram());
        e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(withoutOptimizer, target, NewOptimizer("adam")));
        Assert.Contains("holds no optimizer state", e.Message);
    }

    [Fact]
    public void An_evaluation_program_loads_the_parameters_of_a_training_checkpoint_without_an_optimizer()
    {
        var (file, _) = TrainedCheckpoint();
        var trained = new LearnedSamplerClassifier.CpuProgram();
        Checkpoint.Load(file, trained);   // the optimizer state in the file is skipped
        var expected = NewProgram();
        var o = NewOptimizer("adam");
        for (int s = 0; s < 3; s++) TrainStep(expected, o, s);
        foreach (var (a, b) in Tables(expected).Zip(Tables(trained))) Assert.Equal(Bits(Close.Dense(a)), Bits(Close.Dense(b)));
    }

    [Fact]
    public void A_program_without_samplers_keeps_Step_zero()
    {
        var p = new ClippedBagOfWords.CpuProgram();
        p.Table.InitializeUniform(1f, seed: 9);
        string file = PathOf("bow.gsckpt");
        Checkpoint.Save(file, p);
        var q = new ClippedBagOfWords.CpuProgram();
        Checkpoint.Load(file, q);
        Assert.Equal(Close.Dense(p.Table), Close.Dense(q.Table));
        Assert.Throws<ArgumentOutOfRangeException>(() => ((IProgramState)q).Step = 3);
    }

    [Fact]
    public void Checkpoints_key_tables_by_the_graphs_parameter_names_not_the_shared_tables_names()
    {
        var train = new ClippedBagOfWords.CpuProgram();
        train.Table.InitializeUniform(1f, seed: 4);
        train.Output.InitializeUniform(1f, seed: 5);
        var scores = new RenamedScores.CpuProgram(words: train.Table, classes: train.Output);   // tables named "table", "output"
        string file = PathOf("renamed.gsckpt");
        Checkpoint.Save(file, scores);
        var fresh = new RenamedScores.CpuProgram();
        Checkpoint.Load(file, fresh);
        Assert.Equal(Close.Dense(train.Table), Close.Dense(fresh.Words));
        Assert.Equal(Close.Dense(train.Output), Close.Dense(fresh.Classes));
        Assert.Contains("table 'words' is not a parameter of the program ('table', 'output')",
            Assert.Throws<InvalidDataException>(() => Checkpoint.Load(file, new ClippedBagOfWords.CpuProgram())).Message);
    }

    [Fact]
    public void A_save_that_fails_keeps_the_earlier_checkpoint_and_leaves_no_temporary_file()
    {
        var p = NewProgram();
        string file = PathOf("keep.gsckpt");
        Checkpoint.Save(file, p);
        var earlier = File.ReadAllBytes(file);
        var failing = new FailingState(p);
        Assert.Throws<InvalidOperationException>(() => Checkpoint.Save(file, failing));   // fails after the tables
        Assert.Equal(earlier, File.ReadAllBytes(file));
        Assert.Equal(new[] { "keep.gsckpt" }, Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    /// <summary>A program state whose samplers cannot be read: Save fails after writing every table.</summary>
    private sealed class FailingState(IProgramState inner) : IProgramState
    {
        public IReadOnlyList<string> ParameterNames => inner.ParameterNames;
        public IReadOnlyList<ParameterTable> Parameters => inner.Parameters;
        public IReadOnlyList<GraphSampling.Runtime.Sampling.CandidateSampler> Samplers => throw new InvalidOperationException("the samplers are unavailable");
        public long Step { get => inner.Step; set => inner.Step = value; }
    }

    /// <summary>A checkpoint after three Adam steps, and its bytes.</summary>
    private (string File, byte[] Bytes) TrainedCheckpoint()
    {
        var p = NewProgram();
        var o = NewOptimizer("adam");
        for (int s = 0; s < 3; s++) TrainStep(p, o, s);
        string file = PathOf("trained.gsckpt");
        Checkpoint.Save(file, p, o);
        return (file, File.ReadAllBytes(file));
    }

    /// <summary>Everything a load could change, as text, for an exact before/after comparison.</summary>
    private static string Snapshot(LearnedSamplerClassifier.CpuProgram p, Optimizer o)
    {
        var parts = new List<string> { "step " + p.Step, "optimizer steps " + o.Steps };
        foreach (var t in Tables(p))
        {
            parts.Add(t.Name + ": " + string.Join(",", Bits(Close.Dense(t))));
            for (int slot = 0; slot < 2; slot++) parts.Add("state " + slot + ": " + string.Join(",", Bits(o.StateOf(t, slot).ToArray())));
        }
        parts.Add("counts: " + string.Join(",", Enumerable.Range(0, LearnedSamplerClassifier.C).Select(c => p.CandidatesSampler.GetCount(c))));
        return string.Join("\n", parts);
    }

    private static IEnumerable<ParameterTable> Tables(IProgramState p) => p.Parameters;

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
