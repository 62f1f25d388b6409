using System;
using System.Collections.Generic;

namespace GraphSampling.Runtime.Reference
{
    /// <summary>
    /// Values for the leaves of a graph, by the <c>name</c> attribute of their Input or Parameter node. Arrays are copied
    /// when given; feeding a name again replaces the earlier value.
    /// </summary>
    public sealed class ReferenceFeeds
    {
        private readonly Dictionary<string, double[]> _floats = new Dictionary<string, double[]>(StringComparer.Ordinal);
        private readonly Dictionary<string, long[]> _ints = new Dictionary<string, long[]>(StringComparer.Ordinal);

        /// <summary>A float Input (row-major; a batched input with exactly <c>batch</c> rows), or a Parameter as its
        /// dense full table in id order, rows × cols.</summary>
        public ReferenceFeeds Float(string name, double[] values)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(values);
            _ints.Remove(name);
            _floats[name] = (double[])values.Clone();
            return this;
        }

        /// <summary>An int64 Input (row-major; a batched input with exactly <c>batch</c> rows).</summary>
        public ReferenceFeeds Int(string name, long[] values)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(values);
            _floats.Remove(name);
            _ints[name] = (long[])values.Clone();
            return this;
        }

        internal bool TryGetFloat(string name, out double[] values) => _floats.TryGetValue(name, out values!);

        internal bool TryGetInt(string name, out long[] values) => _ints.TryGetValue(name, out values!);

        internal IEnumerable<string> Names
        {
            get
            {
                foreach (var k in _floats.Keys) yield return k;
                foreach (var k in _ints.Keys) yield return k;
            }
        }
    }
}
