using System;
using GraphSampling.Runtime.Optimizers;
using TrainClassifier;

// Trains the generated bag-of-words classifier on a built-in synthetic task: each class owns a band of the
// vocabulary, and an example draws most of its words from its class's band and the rest from anywhere.
// Usage: dotnet run --project samples/TrainClassifier [-- steps]
int steps = args.Length > 0 ? int.Parse(args[0]) : 300;
const int B = BagOfWordsClassifier.Batch, W = BagOfWordsClassifier.Words, C = BagOfWordsClassifier.Classes, V = BagOfWordsClassifier.Vocabulary;
const float learningRate = 2f;

var program = new BagOfWordsClassifier.CpuProgram();
program.Embeddings.InitializeUniform(0.1f, seed: 1);
program.Weights.InitializeUniform(0.1f, seed: 2);

var rng = new Random(7);
var tokens = new long[B * W];
var labels = new long[B];
var loss = new float[B];

void MakeBatch()
{
    int band = V / C;
    for (int i = 0; i < B; i++)
    {
        int label = rng.Next(C);
        labels[i] = label;
        for (int j = 0; j < W; j++)
        {
            tokens[i * W + j] = rng.NextDouble() < 0.7 ? label * band + rng.Next(band) : rng.Next(V);
        }
    }
}

double Accuracy(int batches)
{
    var logitsProbe = new float[B];
    int correct = 0, total = 0;
    for (int n = 0; n < batches; n++)
    {
        MakeBatch();
        // The loss of the true class is smallest when it wins; compare against every other labelling.
        var best = new float[B];
        var bestClass = new long[B];
        Array.Fill(best, float.PositiveInfinity);
        var trueLabels = (long[])labels.Clone();
        for (int c = 0; c < C; c++)
        {
            Array.Fill(labels, c);
            program.Forward(B, tokens, labels, logitsProbe);
            for (int i = 0; i < B; i++)
            {
                if (logitsProbe[i] < best[i]) { best[i] = logitsProbe[i]; bestClass[i] = c; }
            }
        }
        for (int i = 0; i < B; i++) correct += bestClass[i] == trueLabels[i] ? 1 : 0;
        total += B;
    }
    return (double)correct / total;
}

Console.WriteLine($"Training a bag-of-words classifier: batch {B}, {W} words, vocabulary {V}, {C} classes, {steps} steps of SGD (lr {learningRate}).");
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
    Sgd.Apply(program.Embeddings, program.EmbeddingsGradient, learningRate / B);
    Sgd.Apply(program.Weights, program.WeightsGradient, learningRate / B);
    Sgd.Apply(program.Biases, program.BiasesGradient, learningRate / B);

    if (step == 1 || step % 50 == 0) Console.WriteLine($"step {step,4}: loss {running:F4} (batch mean {mean:F4}, {program.EmbeddingsGradient.Count} embedding rows touched)");
}
double accuracy = Accuracy(10);
Console.WriteLine($"held-out accuracy: {accuracy:P1} (chance is {1.0 / C:P1})");
return accuracy > 2.0 / C ? 0 : 1;
