using System;
using GraphSampling.Ir;

namespace GraphSampling
{
    /// <summary>
    /// Marks a <c>static partial class</c> whose <c>static Tensor&lt;float&gt; Define(GraphBuilder g)</c> declares a graph.
    /// The GraphSampling source generator reads Define at compile time and emits the program classes into the same type.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class ComputationGraphAttribute : Attribute
    {
    }

    /// <summary>Marks a <see cref="GraphBuilder"/> member as the DSL spelling of an IR op. The generator identifies ops by
    /// this attribute, never by method names.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
    public sealed class GraphOpAttribute : Attribute
    {
        public GraphOpAttribute(OpKind kind) => Kind = kind;

        public OpKind Kind { get; }

        /// <summary>A fixed "value" argument the method does not take as a parameter (Zeros and Ones are Constant ops with
        /// value 0 and 1). The generator's parser reads it from the attribute; the recorder passes the same value.</summary>
        public double Value { get; set; }
    }
}
