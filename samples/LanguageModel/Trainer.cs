using System;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Checkpoints;
using GraphSampling.Runtime.Optimizers;
using GraphSampling.Runtime.Sampling;

namespace LanguageModel;

/// <summary>One of the sample's generated programs behind one shape: the generated classes share no interface beyond
/// <see cref="IProgramState"/>, so each is wrapped with its own members.</summary>
public sealed class Trainer
{
    public required string Name { get; init; }
    public required IProgramState State { get; init; }
    public required ParameterTable LastWord { get; init; }
    public required ParameterTable WordBefore { get; init; }
    public required ParameterTable Weights { get; init; }
    public required ParameterTable Biases { get; init; }

    /// <summary>ForwardBackward(previous, beforePrevious, next, loss) on a full batch.</summary>
    public required Action<long[], long[], long[], float[]> ForwardBackward { get; init; }

    public required Action<Optimizer> ApplyGradients { get; init; }

    /// <summary>Class rows the last step's gradient touched (labels and sampled words).</summary>
    public required Func<int> TouchedClassRows { get; init; }

    /// <summary>The sampler's num_tries in the last step.</summary>
    public required Func<int> NumTries { get; init; }

    public static readonly string[] Losses = { "sampled-softmax", "nce", "sampled-sparse-softmax" };
    public static readonly string[] Samplers = { "log-uniform", "uniform", "learned-unigram" };

    public static Trainer Create(string loss, string sampler)
    {
        const int B = Lm.Batch;
        switch (loss, sampler)
        {
            case ("sampled-softmax", "log-uniform"):
            {
                var p = new SampledSoftmaxLm.CpuProgram();
                return Wrap("sampled softmax, log-uniform sampler", p, p.LastWord, p.WordBefore, p.Weights, p.Biases,
                    (a, b, n, l) => p.ForwardBackward(B, a, b, n, l), p.ApplyGradients, p.WeightsGradient, p.LossSampler);
            }
            case ("sampled-softmax", "uniform"):
            {
                var p = new SampledSoftmaxUniformLm.CpuProgram();
                return Wrap("sampled softmax, uniform sampler", p, p.LastWord, p.WordBefore, p.Weights, p.Biases,
                    (a, b, n, l) => p.ForwardBackward(B, a, b, n, l), p.ApplyGradients, p.WeightsGradient, p.SampledSampler);
            }
            case ("sampled-softmax", "learned-unigram"):
            {
                var p = new SampledSoftmaxLearnedLm.CpuProgram();
                return Wrap("sampled softmax, learned-unigram sampler", p, p.LastWord, p.WordBefore, p.Weights, p.Biases,
                    (a, b, n, l) => p.ForwardBackward(B, a, b, n, l), p.ApplyGradients, p.WeightsGradient, p.SampledSampler);
            }
            case ("nce", "log-uniform"):
            {
                var p = new NceLm.CpuProgram();
                return Wrap("NCE, log-uniform sampler", p, p.LastWord, p.WordBefore, p.Weights, p.Biases,
                    (a, b, n, l) => p.ForwardBackward(B, a, b, n, l), p.ApplyGradients, p.WeightsGradient, p.LossSampler);
            }
            case ("sampled-sparse-softmax", "log-uniform"):
            {
                var p = new SampledSparseSoftmaxLm.CpuProgram();
                return Wrap("sampled sparse softmax, log-uniform sampler", p, p.LastWord, p.WordBefore, p.Weights, p.Biases,
                    (a, b, n, l) => p.ForwardBackward(B, a, b, n, l), p.ApplyGradients, p.WeightsGradient, p.LossSampler);
            }
            default:
                throw new ArgumentException($"The sample has no graph for --loss {loss} with --sampler {sampler}: the uniform and learned-unigram samplers are offered with sampled-softmax.");
        }
    }

    private static Trainer Wrap(string name, IProgramState state, ParameterTable lastWord, ParameterTable wordBefore, ParameterTable weights, ParameterTable biases,
        Action<long[], long[], long[], float[]> forwardBackward, Action<Optimizer> apply, SparseRowGradient weightsGradient, CandidateSampler sampler) => new Trainer
    {
        Name = name, State = state, LastWord = lastWord, WordBefore = wordBefore, Weights = weights, Biases = biases,
        ForwardBackward = forwardBackward, ApplyGradients = apply,
        TouchedClassRows = () => weightsGradient.Count, NumTries = () => sampler.LastNumTries,
    };
}
