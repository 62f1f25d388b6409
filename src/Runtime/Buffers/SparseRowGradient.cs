using System;

namespace GraphSampling.Runtime.Buffers
{
    /// <summary>
    /// The gradient of a table read through lookups: the unique ids touched this step, ascending, and one summed row per
    /// id (TF's IndexedSlices, de-duplicated). Storage is sized once for the most ids a step can touch.
    /// Filling is two-phase so that rows are summed in place: <see cref="Begin"/>, <see cref="AddIds"/> for every id
    /// list, <see cref="Seal"/>, then <see cref="AddRows"/> for every (ids, rows) pair.
    /// </summary>
    public sealed class SparseRowGradient
    {
        private readonly long[] _ids;
        private readonly float[] _rows;
        private readonly int[] _slotOfId;      // table id -> slot, valid when _stamp matches
        private readonly int[] _stampOfId;
        private int _stamp;
        private int _count;
        private bool _sealed;

        public SparseRowGradient(string name, int tableRows, int width, int maxIds)
        {
            Name = name;
            TableRows = tableRows;
            Width = width;
            int capacity = Math.Min(tableRows, maxIds);
            _ids = new long[capacity];
            _rows = GC.AllocateArray<float>(checked(capacity * width), pinned: true);
            _slotOfId = new int[tableRows];
            _stampOfId = new int[tableRows];
        }

        public string Name { get; }
        public int TableRows { get; }
        public int Width { get; }

        /// <summary>Number of unique ids this step.</summary>
        public int Count => _count;

        /// <summary>The unique ids, ascending.</summary>
        public ReadOnlySpan<long> Ids => _ids.AsSpan(0, _count);

        /// <summary>Count x Width floats: the summed gradient row of each id in <see cref="Ids"/>.</summary>
        public ReadOnlySpan<float> Rows => _rows.AsSpan(0, _count * Width);

        /// <summary>The gradient row of the i-th unique id.</summary>
        public ReadOnlySpan<float> Row(int i) => _rows.AsSpan(i * Width, Width);

        public void Begin()
        {
            _count = 0;
            _sealed = false;
            // A new stamp invalidates every slot without clearing the id-sized arrays.
            if (++_stamp == int.MaxValue)
            {
                Array.Clear(_stampOfId);
                _stamp = 1;
            }
        }

        public void AddIds(ReadOnlySpan<long> ids)
        {
            if (_sealed) throw new InvalidOperationException("AddIds after Seal.");
            foreach (long id in ids)
            {
                if (_stampOfId[id] == _stamp) continue;
                _stampOfId[id] = _stamp;
                _ids[_count++] = id;
            }
        }

        /// <summary>Sorts the ids, assigns each its slot and zeroes the rows.</summary>
        public void Seal()
        {
            var ids = _ids.AsSpan(0, _count);
            ids.Sort();
            for (int i = 0; i < ids.Length; i++) _slotOfId[ids[i]] = i;
            _rows.AsSpan(0, _count * Width).Clear();
            _sealed = true;
        }

        /// <summary>Adds rows[n] (Width floats each) to the slot of ids[n].</summary>
        public void AddRows(ReadOnlySpan<long> ids, ReadOnlySpan<float> rows)
        {
            if (!_sealed) throw new InvalidOperationException("AddRows before Seal.");
            int w = Width;
            for (int n = 0; n < ids.Length; n++)
            {
                var dst = _rows.AsSpan(_slotOfId[ids[n]] * w, w);
                System.Numerics.Tensors.TensorPrimitives.Add(dst, rows.Slice(n * w, w), dst);
            }
        }

        /// <summary>Writes the gradient densely ([TableRows, Width], id order), zeros for untouched rows.</summary>
        public void CopyToDense(Span<float> dense)
        {
            if (dense.Length < TableRows * Width) throw new ArgumentException("Need " + TableRows * Width + " floats.", nameof(dense));
            dense.Slice(0, TableRows * Width).Clear();
            for (int i = 0; i < _count; i++) Row(i).CopyTo(dense.Slice((int)_ids[i] * Width, Width));
        }
    }
}
