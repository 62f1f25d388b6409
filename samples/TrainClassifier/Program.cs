using System;
using System.IO;
using GraphSampling.Runtime.Checkpoints;
using GraphSampling.Runtime.Evaluation;
using GraphSampling.Runtime.Optimizers;
using TrainClassifier;

// Trains a classifier over 2,000 classes with TF's sampled softmax and Adagrad on a built-in synthetic task, evaluates
// it over all classes (accuracy, recall@5 and @10, MRR) against the trivial baseline, and checkpoints it. Each class
// owns a band of the vocabulary; an example draws most of its words from its class's band and the rest from anywhere.
// Classes are Zipf-distributed, ids sorted by frequency (class 0 the most common), which is what the default
// log-uniform sampler assumes.
// Usage: dotnet run --project samples/TrainClassifier [-- steps]
int steps = 400;
if (args.Length > 0 && (!int.TryParse(args[0], out steps) || steps < 1))
{
    Console.Error.WriteLine($"usage: the number of training steps, a positive integer (default 400); got '{args[0]}'.");
    return 2;
}
const int B = SampledSoftmaxClassifier.Batch, W = SampledSoftmaxClassifier.Words, C = SampledSoftmaxClassifier.Classes,
    V = SampledSoftmaxClassifier.Vocabulary, K = SampledSoftmaxClassifier.NumSampled, D = SampledSoftmaxClassifier.Dim;

var program = new SampledSoftmaxClassifier.CpuProgram();
program.Embeddings.InitializeUniform(0.1f, seed: 1);
program.Weights.InitializeUniform(0.1f, seed: 2);
var optimizer = new Adagrad(0.2f);   // TF's Adagrad: accumulators start at 0.1; sparse gradients touch only their rows

var rng = new Random(7);
var tokens = new long[B * W];
var labels = new long[B];
var loss = new float[B];

// Zipf's law over the classes: P(c) proportional to 1 / (c + 1).
var cumulative = new double[C];
double total = 0;
for (int c = 0; c < C; c++) cumulative[c] = total += 1.0 / (c + 1);

void MakeBatch()
{
    int band = V / C;
    for (int i = 0; i < B; i++)
    {
        int label = Array.BinarySearch(cumulative, rng.NextDouble() * total);
        label = label < 0 ? ~label : label;
        labels[i] = label;
        for (int j = 0; j < W; j++)
        {
            tokens[i * W + j] = rng.NextDouble() < 0.8 ? label * band + rng.Next(band) : rng.Next(V);
        }
    }
}

// Evaluation over all 2,000 classes: the encoder shares the training embeddings, the evaluator reads the class table
// and biases in chunks (never [B, C] logits) and ranks the true class.
var encoder = new SentenceEncoder.CpuProgram(embeddings: program.Embeddings);
var evaluator = new FullEvaluator(B, D, topK: 10, chunkClasses: 512);
var hidden = new float[B * D];
RankingMetrics Evaluate(SampledSoftmaxClassifier.CpuProgram trained, SentenceEncoder.CpuProgram encode, int batches)
{
    var metrics = new RankingMetrics(1, 5, 10);
    rng = new Random(12345);   // the same held-out examples on every evaluation, none of them seen in training
    for (int n = 0; n < batches; n++)
    {
        MakeBatch();
        encode.Forward(B, tokens, hidden);
        evaluator.Evaluate(B, hidden, trained.Weights, trained.Biases, labels);
        metrics.Add(evaluator);
    }
    return metrics;
}

Console.WriteLine($"Training a {C}-class bag-of-words classifier with sampled softmax: batch {B}, {W} words, vocabulary {V}, {K} sampled classes per step, {steps} steps of Adagrad (lr {optimizer.Schedule.At(0)}).");
double running = 0;
for (int step = 1; step <= steps; step++)
{
    MakeBatch();
    program.ForwardBackward(B, tokens, labels, loss);   // the gradients of the summed loss; all three are sparse
    program.ApplyGradients(optimizer);                  // one Adagrad step on the rows this batch touched
    double mean = 0;
    foreach (float l in loss) mean += l;
    mean /= B;
    running = step == 1 ? mean : 0.9 * running + 0.1 * mean;
    if (step == 1 || step % 50 == 0)
    {
        Console.WriteLine($"step {step,4}: sampled loss {running:F4} (batch {mean:F4}; {program.WeightsGradient.Count} class rows touched, sampler num_tries {program.LossSampler.LastNumTries})");
    }
}

var metrics = Evaluate(program, encoder, batches: 8);
// The trivial baseline always answers the most frequent classes 0, 1, ..., so its recall@k is P(label < k).
double Baseline(int k) => cumulative[k - 1] / total;
Console.WriteLine($"held-out over all {C} classes: accuracy {metrics.Accuracy:P1}, recall@5 {metrics.Recall(5):P1}, recall@10 {metrics.Recall(10):P1}, MRR {metrics.MeanReciprocalRank:F3}, full-softmax loss {metrics.MeanLoss:F3}");
Console.WriteLine($"most-frequent-classes baseline:   accuracy {Baseline(1):P1}, recall@5 {Baseline(5):P1}, recall@10 {Baseline(10):P1}");

// A checkpoint holds the parameters, Step, sampler state and Adagrad's accumulators: a run loaded from it continues
// exactly. Here it is loaded into fresh programs and evaluated again on the same held-out batches.
string checkpoint = Path.Combine(Path.GetTempPath(), "graphsampling-trainclassifier.gsckpt");
Checkpoint.Save(checkpoint, program, optimizer);
var restored = new SampledSoftmaxClassifier.CpuProgram();
var restoredOptimizer = new Adagrad(0.2f);
Checkpoint.Load(checkpoint, restored, restoredOptimizer);
var again = Evaluate(restored, new SentenceEncoder.CpuProgram(embeddings: restored.Embeddings), batches: 8);
Console.WriteLine($"checkpoint {checkpoint} ({new FileInfo(checkpoint).Length / 1024} KiB, step {restored.Step}, Adagrad step {restoredOptimizer.Steps}): reloaded accuracy {again.Accuracy:P1}");
File.Delete(checkpoint);
bool learned = metrics.Accuracy > 2 * Baseline(1) && metrics.Recall(10) > Baseline(10);
bool sameAfterReload = again.Accuracy == metrics.Accuracy && again.MeanLoss == metrics.MeanLoss;
return learned && sameAfterReload ? 0 : 1;
