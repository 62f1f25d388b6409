using System;
using System.Collections.Generic;
using GraphSampling.Ir;

namespace GraphSampling.Shapes
{
    public static partial class ShapeInference
    {
        /// <summary>The node's rule, from its op schema.</summary>
        private static TensorType[]? InferNode(RuleContext c) =>
            GraphSampling.Schema.OpSchemas.TryGet(c.Node.Kind, out var schema)
                ? schema.Shape(c)
                : c.Error(ShapeErrorIds.InvalidAttribute, "kind", "op kind " + (int)c.Node.Kind + " is not in the catalogue.");

        internal static int[] ToInt32(EquatableArray<long> v)
        {
            var r = new int[v.Count];
            for (int i = 0; i < r.Length; i++) r[i] = v[i] > int.MaxValue || v[i] < int.MinValue ? -1 : (int)v[i];
            return r;
        }

        internal static int[] ToInt32(long[] v) => ToInt32(new EquatableArray<long>(v));

        /// <summary>Names become C# identifiers in generated code, so only plain identifiers are accepted.</summary>
        public static bool IsValidName(string name)
        {
            if (name.Length == 0 || name.Length > 128) return false;
            if (!(char.IsLetter(name[0]) || name[0] == '_')) return false;
            foreach (char ch in name)
            {
                if (!(ch < 128 && (char.IsLetterOrDigit(ch) || ch == '_'))) return false;
            }
            return true;
        }
    }
}
