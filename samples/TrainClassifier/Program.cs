using System;
using GraphSampling.Runtime.Optimizers;
using TrainClassifier;

// Trains a classifier over 2,000 classes with TF's sampled softmax on a built-in synthetic task, then measures its
// accuracy over all classes. Each class owns a band of the vocabulary; an example draws most of its words from its
// class's band and the rest from anywhere. Classes are Zipf-distributed, ids sorted by frequency (class 0 the most
// common), which is what the default log-uniform sampler assumes.
// Usage: dotnet run --project samples/TrainClassifier [-- steps]
int steps = args.Length > 0 ? int.Parse(args[0]) : 400;
const int B = SampledSoftmaxClassifier.Batch, W = SampledSoftmaxClassifier.Words, C = SampledSoftmaxClassifier.Classes,
    V = SampledSoftmaxClassifier.Vocabulary, K = SampledSoftmaxClassifier.NumSampled;
const float learningRate = 1.5f;

var program = new SampledSoftmaxClassifier.CpuProgram();
program.Embeddings.InitializeUniform(0.1f, seed: 1);
program.Weights.InitializeUniform(0.1f, seed: 2);

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

// Evaluation scores all 2,000 classes with a second program over the same parameter tables (shared, not copied).
var scorer = new FullScores.CpuProgram(embeddings: program.Embeddings, weights: program.Weights, biases: program.Biases);
var logits = new float[B * C];
double Accuracy(int batches)
{
    int correct = 0;
    for (int n = 0; n < batches; n++)
    {
        MakeBatch();
        scorer.Forward(B, tokens, logits);
        for (int i = 0; i < B; i++)
        {
            var row = logits.AsSpan(i * C, C);
            int best = 0;
            for (int c = 1; c < C; c++) best = row[c] > row[best] ? c : best;
            correct += best == labels[i] ? 1 : 0;
        }
    }
    return (double)correct / (batches * B);
}

Console.WriteLine($"Training a {C}-class bag-of-words classifier with sampled softmax: batch {B}, {W} words, vocabulary {V}, {K} sampled classes per step, {steps} steps of SGD (lr {learningRate}).");
double running = 0;
for (int step = 1; step <= steps; step++)
{
    MakeBatch();
    program.ForwardBackward(B, tokens, labels, loss);
    double mean = 0;
    foreach (float l in loss) mean += l;
    mean /= B;
    running = step == 1 ? mean : 0.9 * running + 0.1 * mean;

    // The graph's loss is per example; its gradients are of the summed loss, so scale by 1/B for a mean.
    // All three gradients are sparse: SGD touches only the rows this batch used.
    Sgd.Apply(program.Embeddings, program.EmbeddingsGradient, learningRate / B);
    Sgd.Apply(program.Weights, program.WeightsGradient, learningRate / B);
    Sgd.Apply(program.Biases, program.BiasesGradient, learningRate / B);

    if (step == 1 || step % 50 == 0)
    {
        Console.WriteLine($"step {step,4}: sampled loss {running:F4} (batch {mean:F4}; {program.WeightsGradient.Count} class rows touched, sampler num_tries {program.LossSampler.LastNumTries})");
    }
}
double accuracy = Accuracy(8);
double majority = 1.0 / total;   // always answering class 0, the most frequent
Console.WriteLine($"held-out accuracy over all {C} classes: {accuracy:P1} (always guessing the most frequent class: {majority:P1})");
return accuracy > 2 * majority ? 0 : 1;
