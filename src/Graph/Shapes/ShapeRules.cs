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

        /// <summary>
        /// Every floating attribute is a float32 in TensorFlow and in the generated code, so a finite value beyond float's
        /// range (1e300) would silently become infinity there: it is an error at the attribute. NaN and the infinities are
        /// left to each op's rule (NaN is "no max norm", for example). A constant's values are checked by its own rule,
        /// against its dtype.
        /// </summary>
        private static bool FloatAttributesFit(RuleContext c)
        {
            if (c.Node.Kind == OpKind.Constant) return true;
            foreach (var attribute in c.Attrs.Items)
            {
                if (attribute.Kind == AttrKind.Double && !FitsFloat(attribute.DoubleValue))
                {
                    c.Error(ShapeErrorIds.InvalidAttribute, attribute.Name, attribute.Name + " is " + Format(attribute.DoubleValue) + ", which does not fit in a float (largest magnitude " + Format(float.MaxValue) + ").");
                    return false;
                }
                if (attribute.Kind != AttrKind.DoubleArray) continue;
                for (int i = 0; i < attribute.Doubles.Count; i++)
                {
                    if (FitsFloat(attribute.Doubles[i])) continue;
                    c.Error(ShapeErrorIds.InvalidAttribute, attribute.Name, attribute.Name + "[" + i + "] is " + Format(attribute.Doubles[i]) + ", which does not fit in a float (largest magnitude " + Format(float.MaxValue) + ").");
                    return false;
                }
            }
            return true;
        }

        /// <summary>Every value is one array at run time (the workspace, a table, a span), so its element count at full
        /// batch capacity must stay within <see cref="Limits.MaxElements"/>; the error names the value and the limit.</summary>
        private static bool WithinLimits(RuleContext c, TensorType[] outputs)
        {
            foreach (var t in outputs)
            {
                long n = t.Shape.Capacity;
                if (n <= Limits.MaxElements) continue;
                var node = c.Node;
                string argument = node.Kind == OpKind.Input ? (node.Attributes.Bool("batched") ? "batch" : "dims")
                    : node.Kind == OpKind.Parameter ? "rows" : Naming.ProgramNames.ResultArgument;
                c.Error(ShapeErrorIds.InvalidAttribute, argument, "'" + node.DisplayName + "' " + t.Shape + " would hold " + Limits.Count(n)
                    + " elements, more than one array can index (" + Limits.MaxElementsText + "); make it smaller (a smaller batch, fewer classes per call, or shards read in chunks).");
                return false;
            }
            return true;
        }

        private static bool FitsFloat(double v) => double.IsNaN(v) || double.IsInfinity(v) || !float.IsInfinity((float)v);

        internal static string Format(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

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
