using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using GraphSampling.Runtime.Checkpoints;
using GraphSampling.Runtime.Evaluation;
using GraphSampling.Runtime.Optimizers;
using LanguageModel;
using Spectre.Console;

// A next-word model over 100,000 words, trained with a sampled loss and an optimizer, evaluated over every word
// (recall@k, MRR, full-softmax loss) against the most-frequent-words baseline, and checkpointed. By default the text is
// a synthetic Zipfian language generated from a seed; --text trains on a file of your own.
// Usage: dotnet run --project samples/LanguageModel [-- --help]
var stepsOption = new Option<int>("--steps") { Description = "Training steps (batches of 256).", DefaultValueFactory = _ => 10000 };
var lossOption = new Option<string>("--loss") { Description = "The sampled loss.", DefaultValueFactory = _ => "sampled-softmax" };
lossOption.AcceptOnlyFromAmong(Trainer.Losses);
var samplerOption = new Option<string>("--sampler") { Description = "The candidate sampler (uniform and learned-unigram with sampled-softmax).", DefaultValueFactory = _ => "log-uniform" };
samplerOption.AcceptOnlyFromAmong(Trainer.Samplers);
var optimizerOption = new Option<string>("--optimizer") { Description = "The optimizer (sparse updates: only the rows a batch touches).", DefaultValueFactory = _ => "adagrad" };
optimizerOption.AcceptOnlyFromAmong("adagrad", "lazyadam", "momentum");
var rateOption = new Option<float?>("--learning-rate") { Description = "Learning rate (default: 0.2 for Adagrad, 0.005 for LazyAdam, 0.002 for momentum)." };
var textOption = new Option<FileInfo?>("--text") { Description = "Train on this text file instead of the synthetic language (words by frequency; the rest <unk>)." };
var evalOption = new Option<int>("--eval-batches") { Description = "Held-out batches of 256 to evaluate over all words.", DefaultValueFactory = _ => 16 };
var checkpointOption = new Option<string>("--checkpoint") { Description = "Where to save the checkpoint at the end.", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "graphsampling-lm.gsckpt") };
var resumeOption = new Option<FileInfo?>("--resume") { Description = "Continue from a checkpoint saved by this sample with the same --loss, --sampler and --optimizer." };
var seedOption = new Option<int>("--seed") { Description = "Seed of the synthetic language and of the batches.", DefaultValueFactory = _ => 1 };
stepsOption.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--steps must be at least 0."); });
evalOption.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--eval-batches must be at least 1."); });
rateOption.Validators.Add(r => { if (r.GetValueOrDefault<float?>() is float v && !(v > 0 && float.IsFinite(v))) r.AddError("--learning-rate must be positive and finite."); });
((Option<FileInfo>)textOption!).AcceptExistingOnly();
((Option<FileInfo>)resumeOption!).AcceptExistingOnly();

var root = new RootCommand("Trains a 100,000-word next-word model with candidate sampling (GraphSampling).")
{
    stepsOption, lossOption, samplerOption, optimizerOption, rateOption, textOption, evalOption, checkpointOption, resumeOption, seedOption,
};
root.SetAction(parsed =>
{
    try
    {
        return Run(
            parsed.GetValue(stepsOption), parsed.GetValue(lossOption)!, parsed.GetValue(samplerOption)!, parsed.GetValue(optimizerOption)!,
            parsed.GetValue(rateOption), parsed.GetValue(textOption), parsed.GetValue(evalOption), parsed.GetValue(checkpointOption)!,
            parsed.GetValue(resumeOption), parsed.GetValue(seedOption));
    }
    catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
    {
        // A text too short, a checkpoint of another model, a diverged run: the message says which; no stack trace.
        AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
        return 1;
    }
});
return root.Parse(args).Invoke();

static int Run(int steps, string loss, string sampler, string optimizerName, float? rate, FileInfo? text, int evalBatches, string checkpoint, FileInfo? resume, int seed)
{
    const int B = Lm.Batch, V = Lm.Vocabulary, D = Lm.Dim;
    // Held out: at least one batch of positions (each needs the two words before it).
    var corpus = text == null ? Corpus.Synthetic(V, length: 4_000_000, seed) : Corpus.FromText(text.FullName, V, minHeldOut: B + 2);
    var trainer = Trainer.Create(loss, sampler);
    Optimizer optimizer = optimizerName switch
    {
        "lazyadam" => new LazyAdam(rate ?? 0.005f),
        "momentum" => new Momentum(rate ?? 0.002f, momentum: 0.9f),   // gradients are of the summed loss: a small rate
        _ => new Adagrad(rate ?? 0.2f),
    };
    var rngInit = new Random(seed);
    trainer.LastWord.InitializeUniform(0.05f, seed: rngInit.Next());
    trainer.WordBefore.InitializeUniform(0.05f, seed: rngInit.Next());
    if (loss == "nce")
    {
        // NCE learns z_w ≈ log p(w | context); starting every word at the log-uniform prior log P(w) instead of 0 spares
        // it the first thousands of steps of pushing each rare word's bias down by log Q, one sampled row at a time.
        for (int w = 0; w < V; w++) trainer.Biases.Row(w)[0] = (float)Math.Log((Math.Log(w + 2.0) - Math.Log(w + 1.0)) / Math.Log(V + 1.0));
    }
    AnsiConsole.MarkupLine($"[bold]Next-word model[/]: {Markup.Escape(corpus.Description)}");
    AnsiConsole.MarkupLine($"{Markup.Escape(trainer.Name)}, {Lm.NumSampled} sampled words per step, {optimizer.GetType().Name} (lr {optimizer.Schedule.At(0)}), batch {B}, {D}-dim embeddings, {steps:N0} steps");
    if (resume != null)
    {
        Checkpoint.Load(resume.FullName, trainer.State, optimizer);
        AnsiConsole.MarkupLine($"Resumed from [blue]{Markup.Escape(resume.FullName)}[/] at step {optimizer.Steps:N0}.");
    }


    // Batches are a function of (seed, step), so a resumed run sees the same batches as one that was not interrupted.
    var previous = new long[B];
    var beforePrevious = new long[B];
    var next = new long[B];
    var losses = new float[B];
    void TrainingBatch(long step)
    {
        int positions = corpus.HeldOutStart - 2;
        for (int i = 0; i < B; i++)
        {
            int t = 2 + (int)(Mix((ulong)seed, (ulong)(step * B + i)) % (ulong)positions);
            (previous[i], beforePrevious[i], next[i]) = (corpus.Tokens[t - 1], corpus.Tokens[t - 2], corpus.Tokens[t]);
        }
    }

    long first = optimizer.Steps;
    double running = double.NaN;
    var clock = Stopwatch.StartNew();
    void TrainStep(long step)
    {
        TrainingBatch(step);
        trainer.ForwardBackward(previous, beforePrevious, next, losses);
        trainer.ApplyGradients(optimizer);
        double mean = losses.Average(l => (double)l);
        if (!double.IsFinite(mean)) throw new InvalidOperationException($"Training diverged at step {step:N0} (the loss is {mean}): lower --learning-rate.");
        running = double.IsNaN(running) ? mean : 0.98 * running + 0.02 * mean;
    }
    string Status(long done) =>
        $"step {first + done:N0}: loss {running:F3}, {done / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):N0} steps/s, {trainer.TouchedClassRows():N0} word rows touched, num_tries {trainer.NumTries()}";

    if (AnsiConsole.Profile.Capabilities.Interactive)
    {
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: Math.Max(steps, 1));
                for (long s = 0; s < steps; s++)
                {
                    TrainStep(first + s);
                    task.Increment(1);
                    if (s % 20 == 0 || s == steps - 1) task.Description = Markup.Escape(Status(s + 1));
                }
            });
    }
    else
    {
        // Redirected output (CI, a log file): plain lines instead of a live display.
        for (long s = 0; s < steps; s++)
        {
            TrainStep(first + s);
            if (s == 0 || (s + 1) % Math.Max(steps / 10, 1) == 0) Console.WriteLine(Status(s + 1));
        }
    }
    double trainSeconds = clock.Elapsed.TotalSeconds;

    // Evaluation over all 100,000 words on held-out positions: the context graph shares the trained tables, the
    // evaluator reads the output table in chunks and ranks the true next word.
    var context = new LmContext.CpuProgram(lastWord: trainer.LastWord, wordBefore: trainer.WordBefore);
    var evaluator = new FullEvaluator(B, D, topK: 10, chunkClasses: 4096);
    var metrics = new RankingMetrics(1, 5, 10);
    var hidden = new float[B * D];
    var trainingCounts = new long[V];
    for (int t = 0; t < corpus.HeldOutStart; t++) trainingCounts[corpus.Tokens[t]]++;
    var mostFrequent = Enumerable.Range(0, V).OrderByDescending(w => trainingCounts[w]).ThenBy(w => w).Take(10).ToArray();
    var baseline = new RankingMetrics(1, 5, 10);
    var baselineRanks = new long[B];
    int heldOut = corpus.Tokens.Length - corpus.HeldOutStart - 2;
    evalBatches = Math.Min(evalBatches, heldOut / B);
    clock.Restart();
    for (int n = 0; n < evalBatches; n++)
    {
        for (int i = 0; i < B; i++)
        {
            int t = corpus.HeldOutStart + 2 + (int)((long)(n * B + i) * heldOut / (evalBatches * B));
            (previous[i], beforePrevious[i], next[i]) = (corpus.Tokens[t - 1], corpus.Tokens[t - 2], corpus.Tokens[t]);
            int at = Array.IndexOf(mostFrequent, (int)next[i]);
            baselineRanks[i] = at >= 0 ? at + 1 : 11;   // beyond the top 10: no hit at any k reported
        }
        context.Forward(B, previous, beforePrevious, hidden);
        evaluator.Evaluate(B, hidden, trainer.Weights, trainer.Biases, next);
        metrics.Add(evaluator);
        baseline.Add(baselineRanks);
    }
    double evalSeconds = clock.Elapsed.TotalSeconds;

    var table = new Table().Title($"held out: {metrics.Count:N0} next words, scored over all {V:N0}").AddColumn("").AddColumn("accuracy").AddColumn("recall@5").AddColumn("recall@10").AddColumn("MRR").AddColumn("loss");
    table.AddRow("model", $"{metrics.Accuracy:P1}", $"{metrics.Recall(5):P1}", $"{metrics.Recall(10):P1}", $"{metrics.MeanReciprocalRank:F3}", $"{metrics.MeanLoss:F3}");
    table.AddRow("most frequent words", $"{baseline.Accuracy:P1}", $"{baseline.Recall(5):P1}", $"{baseline.Recall(10):P1}", "", "");
    AnsiConsole.Write(table);
    AnsiConsole.MarkupLine($"training {trainSeconds:F1} s ({steps / Math.Max(trainSeconds, 1e-9):N0} steps/s), evaluation {evalSeconds:F1} s");
    if (corpus.Words != null)
    {
        AnsiConsole.MarkupLine($"most frequent words: {Markup.Escape(string.Join(" ", mostFrequent.Take(5).Select(w => corpus.Words[w])))}");
    }

    Checkpoint.Save(checkpoint, trainer.State, optimizer);
    AnsiConsole.MarkupLine($"checkpoint: [blue]{Markup.Escape(checkpoint)}[/] ({new FileInfo(checkpoint).Length / (1 << 20):N0} MiB, step {optimizer.Steps:N0}); continue with --resume {Markup.Escape(checkpoint)}");
    bool learned = metrics.Recall(10) > baseline.Recall(10) && metrics.Accuracy > baseline.Accuracy;
    if (!learned && steps >= 100) AnsiConsole.MarkupLine("[red]the model did not beat the baseline[/]");
    return learned || steps < 100 ? 0 : 1;
}

// SplitMix64 of (seed, index): the batch positions.
static ulong Mix(ulong seed, ulong index)
{
    ulong x = index * 0x9E3779B97F4A7C15UL + seed * 0xD1B54A32D192ED03UL + 0x9E3779B97F4A7C15UL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
    return x ^ (x >> 31);
}
