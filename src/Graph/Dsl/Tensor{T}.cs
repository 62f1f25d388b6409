using System;
using GraphSampling.Ir;

namespace GraphSampling
{
    /// <summary>
    /// A symbolic tensor in a graph declaration: a handle to one IR value. The element type is the dtype
    /// (<c>float</c> or <c>long</c>); the shape is static and known to the generator and the analyzers.
    /// Arithmetic operators record <c>Add</c>, <c>Subtract</c>, <c>Multiply</c> and <c>Divide</c> (float only).
    /// </summary>
    public readonly struct Tensor<T> : ITensorHandle where T : unmanaged
    {
        internal Tensor(GraphBuilder builder, ValueRef value)
        {
            Builder = builder;
            Value = value;
        }

        internal GraphBuilder Builder { get; }
        internal ValueRef Value { get; }

        GraphBuilder ITensorHandle.Builder => Builder;
        ValueRef ITensorHandle.Value => Value;

        /// <summary>Elementwise x + y with broadcasting.</summary>
        [GraphOp(OpKind.Add)]
        public static Tensor<T> operator +(Tensor<T> x, Tensor<T> y) => x.Builder.Record<T>(new OpCall(OpKind.Add, null).With("x", x.Arg).With("y", y.Arg));

        /// <summary>Elementwise x - y with broadcasting.</summary>
        [GraphOp(OpKind.Subtract)]
        public static Tensor<T> operator -(Tensor<T> x, Tensor<T> y) => x.Builder.Record<T>(new OpCall(OpKind.Subtract, null).With("x", x.Arg).With("y", y.Arg));

        /// <summary>Elementwise x * y with broadcasting.</summary>
        [GraphOp(OpKind.Multiply)]
        public static Tensor<T> operator *(Tensor<T> x, Tensor<T> y) => x.Builder.Record<T>(new OpCall(OpKind.Multiply, null).With("x", x.Arg).With("y", y.Arg));

        /// <summary>Elementwise x / y with broadcasting.</summary>
        [GraphOp(OpKind.Divide)]
        public static Tensor<T> operator /(Tensor<T> x, Tensor<T> y) => x.Builder.Record<T>(new OpCall(OpKind.Divide, null).With("x", x.Arg).With("y", y.Arg));

        internal ArgValue Arg => Builder is null
            ? throw new InvalidOperationException("This tensor was not created by a GraphBuilder.")
            : ArgValue.Tensor(Value);

        /// <inheritdoc/>
        public override string ToString() => Value.ToString();
    }

    /// <summary>The three outputs of a candidate sampler (TF's <c>sampled_values</c> triple).</summary>
    public readonly struct SampledValues
    {
        internal SampledValues(Tensor<long> sampledCandidates, Tensor<float> trueExpectedCount, Tensor<float> sampledExpectedCount)
        {
            SampledCandidates = sampledCandidates;
            TrueExpectedCount = trueExpectedCount;
            SampledExpectedCount = sampledExpectedCount;
        }

        /// <summary>int64 [numSampled]: the sampled class ids.</summary>
        public Tensor<long> SampledCandidates { get; }
        /// <summary>float [B, numTrue]: expected count of each true class under the sampler.</summary>
        public Tensor<float> TrueExpectedCount { get; }
        /// <summary>float [numSampled]: expected count of each sampled class.</summary>
        public Tensor<float> SampledExpectedCount { get; }

        internal ArgValue Arg => ArgValue.TensorArray(new[] { SampledCandidates.Value, TrueExpectedCount.Value, SampledExpectedCount.Value });
    }

    /// <summary>The outputs of <see cref="GraphBuilder.TopK"/>.</summary>
    public readonly struct TopKResult
    {
        internal TopKResult(Tensor<float> values, Tensor<long> indices)
        {
            Values = values;
            Indices = indices;
        }

        /// <summary>float [k] or [B, k], sorted descending along the last axis.</summary>
        public Tensor<float> Values { get; }
        /// <summary>int64, the same shape: the position of each value along the last axis (ties: the lower one first).</summary>
        public Tensor<long> Indices { get; }
    }

    /// <summary>A tensor of any element type, for the recorder of a Define that returns several.</summary>
    internal interface ITensorHandle
    {
        GraphBuilder Builder { get; }
        ValueRef Value { get; }
    }
}
