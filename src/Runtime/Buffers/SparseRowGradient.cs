using GraphSampling.Ir;
using System;
using System.Runtime.CompilerServices;

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
        private readonly long[] _sortScratch;
        private readonly float[] _rows;
        private readonly int[] _slotOfId;      // table id -> slot, valid when _stamp matches
        private readonly int[] _stampOfId;
        private readonly int[] _listStampOfId;   // AddProduct's check that its ids are distinct
        private readonly int[] _slotOffsets;     // AddProduct's row offsets, one per id of the list
        private int _stamp;
        private int _listStamp;
        private int _count;
        private bool _sealed;

        public SparseRowGradient(string name, int tableRows, int width, int maxIds)
        {
            Name = name;
            TableRows = tableRows;
            Width = width;
            int capacity = Math.Min(tableRows, maxIds);
            if ((long)capacity * width > Limits.MaxElements)
            {
                throw new ArgumentOutOfRangeException(nameof(maxIds), maxIds, "The gradient of '" + name + "' would hold " + Limits.Count((long)capacity * width)
                    + " floats (" + capacity + " rows of " + width + "), more than one array can index (" + Limits.MaxElementsText + ").");
            }
            _ids = new long[capacity];
            _sortScratch = new long[capacity];
            _rows = GC.AllocateArray<float>(capacity * width, pinned: true);
            _slotOfId = new int[tableRows];
            _stampOfId = new int[tableRows];
            _listStampOfId = new int[tableRows];
            _slotOffsets = new int[capacity];
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

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void AddIds(ReadOnlySpan<long> ids)
        {
            if (_sealed) throw new InvalidOperationException("AddIds after Seal.");
            foreach (long id in ids)
            {
                if (id < 0 || _stampOfId[id] == _stamp) continue;   // a negative id is an embedding bag's padding
                _stampOfId[id] = _stamp;
                _ids[_count++] = id;
            }
        }

        /// <summary>Sorts the ids, assigns each its slot and zeroes the rows.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Seal()
        {
            var ids = _ids.AsSpan(0, _count);
            SortIds(ids, _sortScratch, TableRows);
            for (int i = 0; i < ids.Length; i++) _slotOfId[ids[i]] = i;
            _rows.AsSpan(0, _count * Width).Clear();
            _sealed = true;
        }

        /// <summary>
        /// Sorts distinct ids in [0, <paramref name="tableRows"/>) ascending: a least-significant-digit radix sort, 11 bits
        /// a pass and only as many passes as the largest id needs (two up to 4M rows), short lists by insertion. Our own
        /// code rather than the BCL's sort so that it runs optimised from the first step (see docs/performance.md).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal static void SortIds(Span<long> ids, Span<long> scratch, int tableRows)
        {
            if (ids.Length <= 32)
            {
                for (int i = 1; i < ids.Length; i++)
                {
                    long v = ids[i];
                    int j = i - 1;
                    for (; j >= 0 && ids[j] > v; j--) ids[j + 1] = ids[j];
                    ids[j + 1] = v;
                }
                return;
            }
            const int Bits = 11, Buckets = 1 << Bits;
            int bits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)Math.Max(1, tableRows - 1));
            int passes = (bits + Bits - 1) / Bits;
            Span<int> starts = stackalloc int[Buckets];
            Span<long> from = ids, to = scratch.Slice(0, ids.Length);
            for (int pass = 0; pass < passes; pass++)
            {
                int shift = pass * Bits;
                starts.Clear();
                foreach (long id in from) starts[(int)(id >> shift) & (Buckets - 1)]++;
                int sum = 0;
                for (int b = 0; b < Buckets; b++)
                {
                    int c = starts[b];
                    starts[b] = sum;
                    sum += c;
                }
                foreach (long id in from) to[starts[(int)(id >> shift) & (Buckets - 1)]++] = id;
                var t = from;
                from = to;
                to = t;
            }
            if (passes % 2 == 1) from.CopyTo(ids);
        }

        /// <summary>Adds rows[n] (Width floats each) to the slot of ids[n].</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void AddRows(ReadOnlySpan<long> ids, ReadOnlySpan<float> rows)
        {
            if (!_sealed) throw new InvalidOperationException("AddRows before Seal.");
            int w = Width;
            for (int n = 0; n < ids.Length; n++)
            {
                if (ids[n] < 0) continue;   // padding: its row was never written
                var dst = _rows.AsSpan(_slotOfId[ids[n]] * w, w);
                GraphSampling.Runtime.Cpu.Kernels.Map<GraphSampling.Runtime.Cpu.AddOperator>(dst, rows.Slice(n * w, w), dst);
            }
        }

        /// <summary>
        /// As <see cref="AddRows"/> for rows that are the product <c>op(a) · op(b)</c> ([ids, Width]), without making them:
        /// the GEMM adds row n of the product straight into the slot of ids[n] (sampled softmax's weight gradient lands in
        /// the sparse gradient with no [K, D] copy). The ids must be distinct, which a unique sampler's candidates are;
        /// the sums are then bit-identical to <see cref="AddRows"/> of the product.
        /// </summary>
        /// <exception cref="InvalidOperationException">Before <see cref="Seal"/>, or an id is repeated in the list.</exception>
        public void AddProduct(ReadOnlySpan<long> ids, ReadOnlySpan<float> a, int lda, bool transposeA, ReadOnlySpan<float> b, int ldb, bool transposeB, int k)
        {
            if (!TryAddProduct(ids, a, lda, transposeA, b, ldb, transposeB, k))
            {
                throw new InvalidOperationException("'" + Name + "': an id repeats in the list; AddProduct needs distinct ids (use AddRows).");
            }
        }

        /// <summary>As <see cref="AddProduct(ReadOnlySpan{long}, ReadOnlySpan{float}, int, bool, ReadOnlySpan{float}, int, bool, int)"/>
        /// for ids that may repeat (fed candidates): distinct ids go straight into the slots; otherwise the product is made
        /// in <paramref name="product"/> ([ids, Width]) and added with <see cref="AddRows"/>. The sums are the same.</summary>
        public void AddProduct(ReadOnlySpan<long> ids, ReadOnlySpan<float> a, int lda, bool transposeA, ReadOnlySpan<float> b, int ldb, bool transposeB, int k, Span<float> product)
        {
            if (TryAddProduct(ids, a, lda, transposeA, b, ldb, transposeB, k)) return;
            GraphSampling.Runtime.Cpu.Kernels.MatMul(a, lda, transposeA, b, ldb, transposeB, product, Width, ids.Length, Width, k, accumulate: false);
            AddRows(ids, product);
        }

        /// <summary>As <see cref="AddProduct(ReadOnlySpan{long}, ReadOnlySpan{float}, int, bool, ReadOnlySpan{float}, int, bool, int)"/>, or false, with nothing written, when an id repeats in the list (fed
        /// candidates may): the caller then makes the product and adds it with <see cref="AddRows"/>.</summary>
        public bool TryAddProduct(ReadOnlySpan<long> ids, ReadOnlySpan<float> a, int lda, bool transposeA, ReadOnlySpan<float> b, int ldb, bool transposeB, int k)
        {
            if (!_sealed) throw new InvalidOperationException("AddProduct before Seal.");
            if (ids.Length > _slotOffsets.Length) throw new ArgumentException("'" + Name + "': " + ids.Length + " ids exceed the " + _slotOffsets.Length + " rows the gradient holds.", nameof(ids));
            if (++_listStamp == int.MaxValue)
            {
                Array.Clear(_listStampOfId);
                _listStamp = 1;
            }
            int w = Width;
            for (int n = 0; n < ids.Length; n++)
            {
                long id = ids[n];
                if ((ulong)id >= (ulong)TableRows || _stampOfId[id] != _stamp) throw new ArgumentException("'" + Name + "': id " + id + " at position " + n + " was not added (AddIds) this step.", nameof(ids));
                if (_listStampOfId[id] == _listStamp) return false;
                _listStampOfId[id] = _listStamp;
                _slotOffsets[n] = _slotOfId[id] * w;
            }
            GraphSampling.Runtime.Cpu.Kernels.MatMulAddToRows(a, lda, transposeA, b, ldb, transposeB, _rows.AsSpan(0, _count * w), _slotOffsets.AsSpan(0, ids.Length), ids.Length, w, k);
            return true;
        }

        /// <summary>Writes the gradient densely ([TableRows, Width], id order), zeros for untouched rows.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void CopyToDense(Span<float> dense)
        {
            if (dense.Length < TableRows * Width) throw new ArgumentException("Need " + TableRows * Width + " floats.", nameof(dense));
            dense.Slice(0, TableRows * Width).Clear();
            for (int i = 0; i < _count; i++) Row(i).CopyTo(dense.Slice((int)_ids[i] * Width, Width));
        }
    }
}
