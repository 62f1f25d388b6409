using System;
using System.Collections.Generic;

namespace GraphSampling.Ir
{
    public enum ArgKind
    {
        Null = 0,
        Tensor = 1,
        TensorArray = 2,
        Int = 3,
        Double = 4,
        Bool = 5,
        String = 6,
        IntArray = 7,
        DoubleArray = 8,
    }

    /// <summary>One argument of a DSL call, by C# parameter name: a tensor reference or a constant.</summary>
    public sealed class ArgValue : IEquatable<ArgValue>
    {
        private ArgValue(ArgKind kind, EquatableArray<ValueRef> tensors, long i, double d, string? s, EquatableArray<long> ints, EquatableArray<double> doubles)
        {
            Kind = kind;
            Tensors = tensors;
            IntValue = i;
            DoubleValue = d;
            StringValue = s;
            Ints = ints;
            Doubles = doubles;
        }

        public ArgKind Kind { get; }
        public EquatableArray<ValueRef> Tensors { get; }
        public long IntValue { get; }
        public double DoubleValue { get; }
        public string? StringValue { get; }
        public EquatableArray<long> Ints { get; }
        public EquatableArray<double> Doubles { get; }

        public static readonly ArgValue Null = new ArgValue(ArgKind.Null, EquatableArray<ValueRef>.Empty, 0, 0, null, EquatableArray<long>.Empty, EquatableArray<double>.Empty);
        public static ArgValue Tensor(ValueRef v) => new ArgValue(ArgKind.Tensor, EquatableArray.Create(v), 0, 0, null, EquatableArray<long>.Empty, EquatableArray<double>.Empty);
        public static ArgValue TensorArray(ValueRef[] v) => new ArgValue(ArgKind.TensorArray, EquatableArray.Create(v), 0, 0, null, EquatableArray<long>.Empty, EquatableArray<double>.Empty);
        public static ArgValue Int(long v) => new ArgValue(ArgKind.Int, EquatableArray<ValueRef>.Empty, v, 0, null, EquatableArray<long>.Empty, EquatableArray<double>.Empty);
        public static ArgValue Double(double v) => new ArgValue(ArgKind.Double, EquatableArray<ValueRef>.Empty, 0, v, null, EquatableArray<long>.Empty, EquatableArray<double>.Empty);
        public static ArgValue Bool(bool v) => new ArgValue(ArgKind.Bool, EquatableArray<ValueRef>.Empty, v ? 1 : 0, 0, null, EquatableArray<long>.Empty, EquatableArray<double>.Empty);
        public static ArgValue String(string v) => new ArgValue(ArgKind.String, EquatableArray<ValueRef>.Empty, 0, 0, v, EquatableArray<long>.Empty, EquatableArray<double>.Empty);
        public static ArgValue IntArray(long[] v) => new ArgValue(ArgKind.IntArray, EquatableArray<ValueRef>.Empty, 0, 0, null, EquatableArray.Create(v), EquatableArray<double>.Empty);
        public static ArgValue DoubleArray(double[] v) => new ArgValue(ArgKind.DoubleArray, EquatableArray<ValueRef>.Empty, 0, 0, null, EquatableArray<long>.Empty, EquatableArray.Create(v));

        public bool Equals(ArgValue? other) =>
            other is not null && Kind == other.Kind && Tensors.Equals(other.Tensors) && IntValue == other.IntValue
            && DoubleValue.Equals(other.DoubleValue) && StringValue == other.StringValue && Ints.Equals(other.Ints)
            && Doubles.Equals(other.Doubles);

        public override bool Equals(object? obj) => Equals(obj as ArgValue);
        public override int GetHashCode() => unchecked(((int)Kind * 397) ^ Tensors.GetHashCode() ^ IntValue.GetHashCode() ^ DoubleValue.GetHashCode());
    }

    /// <summary>A named argument of a call.</summary>
    public sealed class NamedArg : IEquatable<NamedArg>
    {
        public NamedArg(string name, ArgValue value)
        {
            Name = name;
            Value = value;
        }

        public string Name { get; }
        public ArgValue Value { get; }

        public bool Equals(NamedArg? other) => other is not null && Name == other.Name && Value.Equals(other.Value);
        public override bool Equals(object? obj) => Equals(obj as NamedArg);
        public override int GetHashCode() => Name.GetHashCode() * 31 + Value.GetHashCode();
    }

    /// <summary>
    /// One call of a DSL method, as the C# code states it: the op kind from the method's [GraphOp] attribute and every
    /// argument by parameter name (defaults included). Both the generator's parser and the runtime recorder produce
    /// these, and <see cref="OpLowering"/> turns them into IR nodes, so both paths give the same graph.
    /// </summary>
    public sealed class OpCall
    {
        private readonly Dictionary<string, ArgValue> _args = new Dictionary<string, ArgValue>(StringComparer.Ordinal);

        public OpCall(OpKind kind, string? resultName)
        {
            Kind = kind;
            ResultName = resultName;
        }

        public OpKind Kind { get; }

        /// <summary>The user's variable name for the result, if any.</summary>
        public string? ResultName { get; }

        public OpCall With(string name, ArgValue value)
        {
            _args[name] = value;
            return this;
        }

        public bool Has(string name) => _args.ContainsKey(name) && _args[name].Kind != ArgKind.Null;

        public ArgValue Get(string name)
        {
            if (!_args.TryGetValue(name, out var v)) throw new GraphDeclarationException(Kind + ": missing argument '" + name + "'.", name);
            return v;
        }

        public ValueRef Tensor(string name)
        {
            var v = Get(name);
            if (v.Kind != ArgKind.Tensor) throw new GraphDeclarationException(Kind + ": argument '" + name + "' must be a tensor.", name);
            return v.Tensors[0];
        }

        public long Int(string name) => Expect(name, ArgKind.Int).IntValue;
        public bool Bool(string name) => Expect(name, ArgKind.Bool).IntValue != 0;
        public string String(string name) => Expect(name, ArgKind.String).StringValue ?? "";

        public double Double(string name)
        {
            var v = Get(name);
            if (v.Kind == ArgKind.Int) return v.IntValue;
            return Expect(name, ArgKind.Double).DoubleValue;
        }

        public long[] Ints(string name)
        {
            var v = Get(name);
            if (v.Kind == ArgKind.Null) return new long[0];
            return Expect(name, ArgKind.IntArray).Ints.ToArray();
        }

        /// <summary>A constant array of numbers as doubles (an int array is widened).</summary>
        public double[] Doubles(string name)
        {
            var v = Get(name);
            if (v.Kind == ArgKind.Null) return new double[0];
            if (v.Kind == ArgKind.IntArray)
            {
                var r = new double[v.Ints.Count];
                for (int i = 0; i < r.Length; i++) r[i] = v.Ints[i];
                return r;
            }
            return Expect(name, ArgKind.DoubleArray).Doubles.ToArray();
        }

        private ArgValue Expect(string name, ArgKind kind)
        {
            var v = Get(name);
            if (v.Kind != kind) throw new GraphDeclarationException(Kind + ": argument '" + name + "' must be a constant " + kind + ".", name);
            return v;
        }
    }

    /// <summary>A declaration the lowering cannot accept; <see cref="Argument"/> names the offending C# parameter.</summary>
    public sealed class GraphDeclarationException : Exception
    {
        public GraphDeclarationException(string message, string argument) : base(message) => Argument = argument;

        public string Argument { get; }
    }
}
