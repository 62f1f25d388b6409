using GraphSampling.Ir;
using System;

namespace GraphSampling.Runtime.Buffers
{
    /// <summary>
    /// One pinned slab per element type, sized once from the generator's buffer plan. Generated code slices every
    /// intermediate out of it at constant offsets, so a step allocates nothing.
    /// </summary>
    public sealed class Workspace
    {
        private readonly float[] _floats;
        private readonly long[] _longs;

        public Workspace(long floats, long longs)
        {
            if (floats < 0 || floats > Limits.MaxElements) throw new ArgumentOutOfRangeException(nameof(floats), floats, "A workspace holds at most " + Limits.MaxElementsText + " floats.");
            if (longs < 0 || longs > Limits.MaxElements) throw new ArgumentOutOfRangeException(nameof(longs), longs, "A workspace holds at most " + Limits.MaxElementsText + " longs.");
            _floats = GC.AllocateArray<float>((int)floats, pinned: true);
            _longs = GC.AllocateArray<long>((int)longs, pinned: true);
        }

        public Span<float> Floats(int offset, int length) => _floats.AsSpan(offset, length);
        public Span<long> Longs(int offset, int length) => _longs.AsSpan(offset, length);

        /// <summary>The part of a value's floats from element <paramref name="skip"/> on: a view whose rows lie inside a wider
        /// value (a concatenation's columns, a slice of a gradient). Empty when the value is (a batch of 0 rows).</summary>
        public Span<float> FloatsFrom(int offset, int length, int skip) => length <= skip ? Span<float>.Empty : _floats.AsSpan(offset + skip, length - skip);

        public long FloatCapacity => _floats.Length;
        public long LongCapacity => _longs.Length;
    }
}
