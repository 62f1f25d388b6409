using System;
using System.Reflection;
using GraphSampling.Ir;
using GraphSampling.Runtime.Buffers;

namespace GraphSampling.Numerics.Tests;

/// <summary>
/// A generated program of a sampled-loss test graph (inputs, labels, fed sampled values; weights and biases tables),
/// seen through one surface. The generated programs share their members but no interface, so the members are bound by
/// name once, from the graph class's nested CpuProgram and its constants B, D, C, T and K.
/// </summary>
internal sealed record SampledLossProgram(IrGraph Graph, SampledLossProgram.Step ForwardBackward, ParameterTable Weights, ParameterTable Biases,
    Func<float[]> InputsGradient, SparseRowGradient WeightsGradient, SparseRowGradient BiasesGradient, int T, int K, int C, int D)
{
    public delegate void Step(int batch, ReadOnlySpan<float> inputs, ReadOnlySpan<long> labels, ReadOnlySpan<long> sampled,
        ReadOnlySpan<float> trueCounts, ReadOnlySpan<float> sampledCounts, Span<float> output, ReadOnlySpan<float> outputGradient);

    private delegate ReadOnlySpan<float> SpanGetter();

    /// <summary>The program of a graph class in Graphs/, by its name (what theory data carry).</summary>
    public static SampledLossProgram Named(string graph) =>
        Of(typeof(SampledLossProgram).Assembly.GetType("GraphSampling.Numerics.Tests.Graphs." + graph) ?? throw new ArgumentException("No graph class " + graph + ".", nameof(graph)));

    public static SampledLossProgram Of(Type graph)
    {
        var programType = graph.GetNestedType("CpuProgram") ?? throw new ArgumentException(graph.Name + " has no CpuProgram.", nameof(graph));
        object p = Activator.CreateInstance(programType)!;
        T Get<T>(string property) => (T)programType.GetProperty(property)!.GetValue(p)!;
        int Constant(string name) => (int)graph.GetField(name, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        var gradient = (SpanGetter)Delegate.CreateDelegate(typeof(SpanGetter), p, programType.GetProperty("InputsGradient")!.GetMethod!);
        return new SampledLossProgram(
            (IrGraph)graph.GetMethod("RecordGraph", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, null)!,
            (Step)Delegate.CreateDelegate(typeof(Step), p, "ForwardBackward"),
            Get<ParameterTable>("Weights"), Get<ParameterTable>("Biases"), () => gradient().ToArray(),
            Get<SparseRowGradient>("WeightsGradient"), Get<SparseRowGradient>("BiasesGradient"),
            Constant("T"), Constant("K"), Constant("C"), Constant("D"));
    }
}
