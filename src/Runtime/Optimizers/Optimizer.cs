using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Cpu;

namespace GraphSampling.Runtime.Optimizers
{
    /// <summary>
    /// An optimizer over parameter tables, for dense gradients (every row) and sparse row gradients (only the rows in the
    /// gradient). One step is <see cref="OptimizerBase.BeginStep"/> (with the squared global norm when clipping), one
    /// <see cref="Update(ParameterTable, SparseRowGradient)"/> per table, and <see cref="OptimizerBase.EndStep"/>; a generated program's
    /// <c>ApplyGradients(optimizer)</c> does exactly that for all its parameters. State (moments, accumulators) is
    /// allocated once per table, at its first update, in the table's id order; after that a step allocates nothing.
    /// <para>Semantics: <see cref="OptimizerBase.WeightDecay"/> is L2 (the gradient becomes <c>g + λ·w</c> before the update, as in
    /// PyTorch's <c>weight_decay</c>); with a sparse gradient it applies to the touched rows only. <see cref="OptimizerBase.ClipGlobalNorm"/>
    /// scales every gradient of the step by <c>min(1, c / ‖g‖)</c> over all of them (TF's clip_by_global_norm).</para>
    /// </summary>
    public abstract class Optimizer : OptimizerBase
    {
        private readonly Dictionary<ParameterTable, float[][]> _state = new Dictionary<ParameterTable, float[][]>(ReferenceEqualityComparer.Instance);
        private readonly int _stateSlots;

        protected Optimizer(LearningRateSchedule schedule, int stateSlots)
            : base(schedule)
        {
            _stateSlots = stateSlots;
            _touchedRows = new TouchedRows(this);
        }

        /// <summary>Applies a sparse row gradient: only its rows (and their state) change.</summary>
        public void Update(ParameterTable table, SparseRowGradient gradient)
        {
            ArgumentNullException.ThrowIfNull(table);
            ArgumentNullException.ThrowIfNull(gradient);
            if (gradient.Width != table.Width || gradient.TableRows != table.Rows)
            {
                throw new ArgumentException("The sparse gradient '" + gradient.Name + "' (" + gradient.TableRows + " x " + gradient.Width + ") does not match the table '" + table.Name + "' (" + table.Rows + " x " + table.Width + ").", nameof(gradient));
            }
            EnsureInStep();
            UpdateSparse(table, gradient, State(table));
        }

        /// <summary>Applies a dense gradient in id order ([Rows, Width]): every row changes.</summary>
        public void Update(ParameterTable table, ReadOnlySpan<float> gradient)
        {
            ArgumentNullException.ThrowIfNull(table);
            if (gradient.Length != table.Rows * table.Width)
            {
                throw new ArgumentException("The gradient of '" + table.Name + "' has " + gradient.Length + " floats; the table has " + table.Rows * table.Width + ".", nameof(gradient));
            }
            EnsureInStep();
            var state = State(table);
            int width = table.Width;
            for (int id = 0; id < table.Rows; id++)
            {
                UpdateRow(table.Row(id), gradient.Slice(id * width, width), state, id * width);
            }
        }

        /// <summary>A sparse update: by default the touched rows only (lazy); Adam overrides it to move every row.</summary>
        protected virtual void UpdateSparse(ParameterTable table, SparseRowGradient gradient, float[][] state) => UpdateTouchedRows(table, gradient, state);

        /// <summary>Updates the gradient's rows and their state; every other row and its state are left alone.</summary>
        protected void UpdateTouchedRows(ParameterTable table, SparseRowGradient gradient, float[][] state) => _touchedRows.Run(table, gradient, state);

        private readonly TouchedRows _touchedRows;

        /// <summary>
        /// A sparse update's rows: distinct ids, each update touching only its row and that row's state, so blocks of rows
        /// run in parallel and give the bits of one thread.
        /// </summary>
        private sealed class TouchedRows(Optimizer owner) : RowParts
        {
            private ParameterTable? _table;
            private SparseRowGradient? _gradient;
            private float[][]? _state;

            public void Run(ParameterTable table, SparseRowGradient gradient, float[][] state)
            {
                (_table, _gradient, _state) = (table, gradient, state);
                try
                {
                    RunRows(gradient.Count, table.Width);
                }
                finally
                {
                    (_table, _gradient, _state) = (null, null, null);
                }
            }

            protected override void Rows(int begin, int end, int slot)
            {
                var ids = _gradient!.Ids;
                int width = _table!.Width;
                for (int i = begin; i < end; i++)
                {
                    owner.UpdateRow(_table.Row(ids[i]), _gradient.Row(i), _state!, (int)ids[i] * width);
                }
            }
        }

        /// <summary>Updates one row <paramref name="w"/> from its gradient row; its state is at <paramref name="offset"/>
        /// in each state array (id · width).</summary>
        protected abstract void UpdateRow(Span<float> w, ReadOnlySpan<float> g, float[][] state, int offset);

        /// <summary>The gradient element the update uses: scaled by the clip factor, plus the L2 decay term.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        protected float Effective(float g, float w) => GradientScale * g + WeightDecay * w;

        /// <summary>The sum of squares of a sparse gradient's rows (for <see cref="OptimizerBase.BeginStep"/> when clipping).</summary>
        public static double SquaredNorm(SparseRowGradient gradient) => SquaredNorm(gradient.Rows);

        /// <summary>The sum of squares of a dense gradient.</summary>
        public static double SquaredNorm(ReadOnlySpan<float> gradient)
        {
            double sum = 0;
            foreach (float g in gradient) sum += (double)g * g;
            return sum;
        }

        /// <summary>The optimizer's state arrays for a table (id order, Rows · Width each), created at its first update.</summary>
        protected float[][] State(ParameterTable table)
        {
            if (_state.TryGetValue(table, out var state)) return state;
            state = new float[_stateSlots][];
            for (int s = 0; s < _stateSlots; s++) state[s] = new float[table.Rows * table.Width];
            InitializeState(state);
            _state.Add(table, state);
            return state;
        }

        /// <summary>Read access to a table's state slot (tests, checkpoints): the array in id order, or empty before its
        /// first update.</summary>
        public ReadOnlySpan<float> StateOf(ParameterTable table, int slot) =>
            _state.TryGetValue(table, out var state) && slot < state.Length ? state[slot] : ReadOnlySpan<float>.Empty;

        // Checkpoint's access (src/Runtime/Checkpoints): the slot count, the state a table has, and a whole-state swap
        // made only after a checkpoint was read and checked in full.
        internal int StateSlots => _stateSlots;

        internal float[][]? ExistingState(ParameterTable table) => _state.TryGetValue(table, out var state) ? state : null;

        /// <summary>New arrays to read a table's saved state into (swapped in by <see cref="ReplaceState"/>, so a failed
        /// read leaves the current state as it was).</summary>
        internal float[][] StateForRestore(ParameterTable table)
        {
            var state = new float[_stateSlots][];
            for (int s = 0; s < _stateSlots; s++) state[s] = new float[table.Rows * table.Width];
            return state;
        }

        /// <summary>The state of a program's tables becomes exactly the restored one (its other tables lose theirs);
        /// tables of other programs that share this optimizer keep theirs.</summary>
        internal void ReplaceState(IReadOnlyList<ParameterTable> programTables, IReadOnlyList<(ParameterTable Table, float[][] State)> states, long steps)
        {
            foreach (var table in programTables) _state.Remove(table);
            foreach (var (table, state) in states) _state[table] = state;   // a table tied to two parameters: one state
            Steps = steps;
        }

        /// <summary>Initial values of fresh state (Adagrad's initial accumulator); zeros otherwise.</summary>
        protected virtual void InitializeState(float[][] state)
        {
        }
    }
}
