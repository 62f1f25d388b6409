using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using GraphSampling.Runtime.Buffers;

namespace GraphSampling.Runtime.Optimizers
{
    /// <summary>
    /// An optimizer over parameter tables, for dense gradients (every row) and sparse row gradients (only the rows in the
    /// gradient). One step is <see cref="BeginStep"/> (with the squared global norm when clipping), one
    /// <see cref="Update(ParameterTable, SparseRowGradient)"/> per table, and <see cref="EndStep"/>; a generated program's
    /// <c>ApplyGradients(optimizer)</c> does exactly that for all its parameters. State (moments, accumulators) is
    /// allocated once per table, at its first update, in the table's id order; after that a step allocates nothing.
    /// <para>Semantics: <see cref="WeightDecay"/> is L2 (the gradient becomes <c>g + λ·w</c> before the update, as in
    /// PyTorch's <c>weight_decay</c>); with a sparse gradient it applies to the touched rows only. <see cref="ClipGlobalNorm"/>
    /// scales every gradient of the step by <c>min(1, c / ‖g‖)</c> over all of them (TF's clip_by_global_norm).</para>
    /// </summary>
    public abstract class Optimizer
    {
        private readonly Dictionary<ParameterTable, float[][]> _state = new Dictionary<ParameterTable, float[][]>(ReferenceEqualityComparer.Instance);
        private readonly int _stateSlots;
        private bool _inStep;

        protected Optimizer(LearningRateSchedule schedule, int stateSlots)
        {
            Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
            _stateSlots = stateSlots;
        }

        /// <summary>The learning rate of each step.</summary>
        public LearningRateSchedule Schedule { get; }

        /// <summary>L2 weight decay λ (0: none). Sparse gradients decay only their rows.</summary>
        public float WeightDecay
        {
            get => _weightDecay;
            init => _weightDecay = float.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(WeightDecay), value, "WeightDecay must be finite and non-negative.");
        }

        private readonly float _weightDecay;

        /// <summary>The largest global norm a step's gradients may have (0: no clipping).</summary>
        public float ClipGlobalNorm
        {
            get => _clip;
            init => _clip = float.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(ClipGlobalNorm), value, "ClipGlobalNorm must be finite and non-negative.");
        }

        private readonly float _clip;

        /// <summary>Steps taken so far: the index <c>t</c> of the next step (for the schedule and Adam's bias correction).
        /// Restore it with the optimizer state to resume a run.</summary>
        public long Steps { get; set; }

        /// <summary>The learning rate of the current (or last) step.</summary>
        public float CurrentLearningRate { get; private set; }

        /// <summary>The global norm the last step saw (0 unless clipping, which needs it).</summary>
        public double LastGlobalNorm { get; private set; }

        /// <summary>The factor the current step scales gradients by (1 unless clipped); with <see cref="WeightDecay"/>,
        /// what <see cref="Effective"/> applies (vector row loops use both in the same order).</summary>
        protected float GradientScale { get; private set; } = 1f;

        /// <summary>Whether <see cref="BeginStep"/> needs the squared global norm (clipping is on).</summary>
        public bool NeedsGlobalNorm => _clip > 0;

        /// <summary>Starts a step: its learning rate from the schedule and, when clipping, the scale from the sum of
        /// squares of every gradient the step will apply (<see cref="SquaredNorm(SparseRowGradient)"/>).</summary>
        public void BeginStep(double squaredGlobalNorm = 0)
        {
            if (_inStep) throw new InvalidOperationException("BeginStep was called twice without EndStep.");
            if (Steps < 0) throw new InvalidOperationException("Steps is " + Steps + "; it must be non-negative.");
            if (double.IsNaN(squaredGlobalNorm) || squaredGlobalNorm < 0) throw new ArgumentOutOfRangeException(nameof(squaredGlobalNorm), squaredGlobalNorm, "The squared global norm must be a non-negative number.");
            CurrentLearningRate = Schedule.At(Steps);
            double norm = Math.Sqrt(squaredGlobalNorm);
            LastGlobalNorm = _clip > 0 ? norm : 0;
            GradientScale = _clip > 0 && norm > _clip ? (float)(_clip / norm) : 1f;
            _inStep = true;
            OnBeginStep(Steps);
        }

        /// <summary>Ends the step (the next one has index <see cref="Steps"/> + 1).</summary>
        public void EndStep()
        {
            if (!_inStep) throw new InvalidOperationException("EndStep was called without BeginStep.");
            _inStep = false;
            Steps++;
        }

        /// <summary>Per-step constants (Adam's bias corrections) for step index <paramref name="t"/>.</summary>
        protected virtual void OnBeginStep(long t)
        {
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
        protected void UpdateTouchedRows(ParameterTable table, SparseRowGradient gradient, float[][] state)
        {
            var ids = gradient.Ids;
            int width = table.Width;
            for (int i = 0; i < ids.Length; i++)
            {
                UpdateRow(table.Row(ids[i]), gradient.Row(i), state, (int)ids[i] * width);
            }
        }

        /// <summary>Updates one row <paramref name="w"/> from its gradient row; its state is at <paramref name="offset"/>
        /// in each state array (id · width).</summary>
        protected abstract void UpdateRow(Span<float> w, ReadOnlySpan<float> g, float[][] state, int offset);

        /// <summary>The gradient element the update uses: scaled by the clip factor, plus the L2 decay term.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        protected float Effective(float g, float w) => GradientScale * g + _weightDecay * w;

        /// <summary>The sum of squares of a sparse gradient's rows (for <see cref="BeginStep"/> when clipping).</summary>
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

        internal bool InStep => _inStep;

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

        private void EnsureInStep()
        {
            if (!_inStep) throw new InvalidOperationException("Update must be called between BeginStep and EndStep (or use the program's ApplyGradients).");
        }
    }
}
