using System;
using System.Collections.Generic;
using System.Globalization;

namespace GraphSampling.Ir
{
    public enum AttrKind
    {
        Int = 0,
        Double = 1,
        Bool = 2,
        String = 3,
        IntArray = 4,
        DoubleArray = 5,
    }

    /// <summary>One named, constant attribute of an op (a literal the user wrote, or a default).</summary>
    public sealed class OpAttribute : IEquatable<OpAttribute>
    {
        private OpAttribute(string name, AttrKind kind, long i, double d, string? s, EquatableArray<long> ints, EquatableArray<double> doubles)
        {
            Name = name;
            Kind = kind;
            IntValue = i;
            DoubleValue = d;
            StringValue = s;
            Ints = ints;
            Doubles = doubles;
        }

        public string Name { get; }
        public AttrKind Kind { get; }
        public long IntValue { get; }
        public double DoubleValue { get; }
        public string? StringValue { get; }
        public EquatableArray<long> Ints { get; }
        public EquatableArray<double> Doubles { get; }

        public static OpAttribute Int(string name, long value) => new OpAttribute(name, AttrKind.Int, value, 0, null, EquatableArray<long>.Empty, EquatableArray<double>.Empty);
        public static OpAttribute Double(string name, double value) => new OpAttribute(name, AttrKind.Double, 0, value, null, EquatableArray<long>.Empty, EquatableArray<double>.Empty);
        public static OpAttribute Bool(string name, bool value) => new OpAttribute(name, AttrKind.Bool, value ? 1 : 0, 0, null, EquatableArray<long>.Empty, EquatableArray<double>.Empty);
        public static OpAttribute String(string name, string value) => new OpAttribute(name, AttrKind.String, 0, 0, value, EquatableArray<long>.Empty, EquatableArray<double>.Empty);
        public static OpAttribute IntArray(string name, long[] values) => new OpAttribute(name, AttrKind.IntArray, 0, 0, null, EquatableArray.Create(values), EquatableArray<double>.Empty);
        public static OpAttribute DoubleArray(string name, double[] values) => new OpAttribute(name, AttrKind.DoubleArray, 0, 0, null, EquatableArray<long>.Empty, EquatableArray.Create(values));

        public bool Equals(OpAttribute? other) =>
            other is not null && Name == other.Name && Kind == other.Kind && IntValue == other.IntValue
            && DoubleValue.Equals(other.DoubleValue) && StringValue == other.StringValue
            && Ints.Equals(other.Ints) && Doubles.Equals(other.Doubles);

        public override bool Equals(object? obj) => Equals(obj as OpAttribute);

        public override int GetHashCode() =>
            unchecked(((Name.GetHashCode() * 31 + (int)Kind) * 31 + IntValue.GetHashCode()) * 31 + DoubleValue.GetHashCode());

        public override string ToString()
        {
            switch (Kind)
            {
                case AttrKind.Int: return Name + "=" + IntValue.ToString(CultureInfo.InvariantCulture);
                case AttrKind.Double: return Name + "=" + DoubleValue.ToString("R", CultureInfo.InvariantCulture);
                case AttrKind.Bool: return Name + "=" + (IntValue != 0 ? "true" : "false");
                case AttrKind.String: return Name + "=\"" + StringValue + "\"";
                case AttrKind.IntArray: return Name + "=" + Ints;
                default: return Name + "=" + Doubles;
            }
        }
    }

    /// <summary>The attributes of one node, kept sorted by name (ordinal) so that equality and output are deterministic.</summary>
    public sealed class OpAttributes : IEquatable<OpAttributes>
    {
        public static readonly OpAttributes None = new OpAttributes(EquatableArray<OpAttribute>.Empty);

        private OpAttributes(EquatableArray<OpAttribute> items) => Items = items;

        public EquatableArray<OpAttribute> Items { get; }

        public static OpAttributes Of(params OpAttribute[] items)
        {
            var list = new List<OpAttribute>(items);
            list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            for (int i = 1; i < list.Count; i++)
            {
                if (list[i].Name == list[i - 1].Name) throw new ArgumentException("Duplicate attribute '" + list[i].Name + "'.");
            }
            return new OpAttributes(new EquatableArray<OpAttribute>(list.ToArray()));
        }

        public OpAttribute? Find(string name)
        {
            foreach (var a in Items)
            {
                if (a.Name == name) return a;
            }
            return null;
        }

        public OpAttribute Get(string name) => Find(name) ?? throw new KeyNotFoundException("Missing attribute '" + name + "'.");

        public long Int(string name) => Get(name).IntValue;
        public double Double(string name) => Get(name).DoubleValue;
        public bool Bool(string name) => Get(name).IntValue != 0;
        /// <summary>An optional switch: true only when present and set (attributes added only when on keep older graphs,
        /// and their snapshots, unchanged).</summary>
        public bool Flag(string name) => Find(name) is { } a && a.IntValue != 0;
        public string String(string name) => Get(name).StringValue ?? "";
        public EquatableArray<long> Ints(string name) => Get(name).Ints;


        public bool Equals(OpAttributes? other) => other is not null && Items.Equals(other.Items);
        public override bool Equals(object? obj) => Equals(obj as OpAttributes);
        public override int GetHashCode() => Items.GetHashCode();
        public override string ToString() => string.Join(", ", Items);
    }
}
