using System;
using System.Collections.Generic;
using GraphSampling.Runtime.Gpu.Buffers;
using GraphSampling.Runtime.Optimizers;
using ILGPU;
using ILGPU.Runtime;

namespace GraphSampling.Runtime.Gpu.Optimizers
{
    /// <summary>
    /// The device version of <see cref="Optimizer"/>, for sparse row gradients and dense ones: the same step protocol (<see cref="OptimizerBase"/>, shared with the CPU optimizers)
    /// (<see cref="OptimizerBase.BeginStep"/>, one <c>Update</c> per table, <see cref="OptimizerBase.EndStep"/>), the same learning rate,
    /// clip factor and weight decay, computed on the host exactly as the CPU computes them, and the CPU's per-element
    /// arithmetic in the kernels, so that tables and state are bit-identical to the CPU optimizer's. State lives on the
    /// device in id order (Rows · Width floats per slot), allocated once per table by <see cref="Track"/> or, failing
    /// that, at the table's first update; a step allocates nothing and launches without waiting for the device.
    /// </summary>
    public abstract class DeviceOptimizer : OptimizerBase, IDisposable
    {
        private readonly Dictionary<DeviceParameterTable, MemoryBuffer1D<float, Stride1D.Dense>[]> _state = new(ReferenceEqualityComparer.Instance);
        private readonly int _stateSlots;

        /// <summary>An optimizer on <paramref name="gpu"/> with <paramref name="stateSlots"/> state arrays per table.</summary>
        protected DeviceOptimizer(GpuContext gpu, LearningRateSchedule schedule, int stateSlots)
            : base(schedule)
        {
            Context = gpu ?? throw new ArgumentNullException(nameof(gpu));
            _stateSlots = stateSlots;
            try
            {
                _norm = gpu.Accelerator.Allocate1D<double>(1);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("allocate optimizer norm", null, e);
            }
        }

        private readonly MemoryBuffer1D<double, Stride1D.Dense> _norm;
        private readonly double[] _hostNorm = new double[1];

        /// <summary>The device the optimizer's state lives on.</summary>
        public GpuContext Context { get; }

        /// <summary>Allocates (once) and initialises the table's state, so that no update allocates.</summary>
        public void Track(DeviceParameterTable table)
        {
            ArgumentNullException.ThrowIfNull(table);
            SameContext(table.Context, "table '" + table.Table.Name + "'");
            _ = State(table);
        }

        /// <summary>Applies a sealed sparse gradient to its table's rows (and their state); other rows are left alone. A
        /// gradient not sealed since its last <see cref="DeviceSparseRowGradient.Begin"/> is an
        /// <see cref="InvalidOperationException"/>.</summary>
        public void Update(DeviceParameterTable table, DeviceSparseRowGradient gradient)
        {
            ArgumentNullException.ThrowIfNull(table);
            ArgumentNullException.ThrowIfNull(gradient);
            CheckPair(table, gradient);
            CheckSealed(gradient);
            EnsureInStep();
            MemoryBuffer1D<float, Stride1D.Dense>[] state = State(table);
            if (gradient.Capacity == 0) return;
            try
            {
                UpdateSparse(table, gradient, state);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException(GetType().Name + " update", table.Table.Name, e);
            }
        }

        /// <summary>Applies a dense gradient in id order ([Rows, Width] floats on the device, as a generated program's
        /// <c>XGradient.View</c>): every row changes, as the CPU <see cref="Optimizer.Update(GraphSampling.Runtime.Buffers.ParameterTable, ReadOnlySpan{float})"/>
        /// does, bit for bit. One launch of Rows · Width threads, whatever the partition; no wait for the device.</summary>
        public void Update(DeviceParameterTable table, ArrayView<float> gradient)
        {
            ArgumentNullException.ThrowIfNull(table);
            long n = (long)table.Table.Rows * table.Table.Width;
            if (gradient.Length != n)
            {
                throw new ArgumentException("The gradient of '" + table.Table.Name + "' has " + gradient.Length + " floats; the table has " + n + ".", nameof(gradient));
            }

            SameContext(table.Context, "table '" + table.Table.Name + "'");
            EnsureInStep();
            MemoryBuffer1D<float, Stride1D.Dense>[] state = State(table);
            if (n == 0) return;
            try
            {
                UpdateDense(table, gradient, state);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException(GetType().Name + " dense update", table.Table.Name, e);
            }
        }

        /// <summary>Σ g² of a dense gradient in order, in double: <see cref="Optimizer.SquaredNorm(ReadOnlySpan{float})"/>'s value, for
        /// <see cref="OptimizerBase.BeginStep"/> when clipping. One device thread (the CPU's order); waits for the device.</summary>
        public double SquaredNorm(ArrayView<float> gradient)
        {
            if (gradient.Length == 0) return 0;
            try
            {
                Context.OpKernels.DenseSquaredNorm(1, gradient, _norm.View);
                _norm.View.CopyToCPU(ref _hostNorm[0], 1);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("dense gradient norm", null, e);
            }

            return _hostNorm[0];
        }

        /// <summary>Launches the dense update: Rows · Width threads, element t the gradient's (id order) and the state's t.</summary>
        protected abstract void UpdateDense(DeviceParameterTable table, ArrayView<float> gradient, MemoryBuffer1D<float, Stride1D.Dense>[] state);

        /// <summary>Launches the update of the gradient's rows (Capacity · Width threads; slots past the count do nothing).</summary>
        protected abstract void UpdateSparse(DeviceParameterTable table, DeviceSparseRowGradient gradient, MemoryBuffer1D<float, Stride1D.Dense>[] state);

        /// <summary>Initial values of fresh state (zeros unless overridden).</summary>
        protected virtual void InitializeState(MemoryBuffer1D<float, Stride1D.Dense>[] state)
        {
        }

        /// <summary>The step constants shared by the kernels, from the current step.</summary>
        protected StepConstants Constants() => new()
        {
            LearningRate = CurrentLearningRate,
            GradientScale = GradientScale,
            WeightDecay = WeightDecay,
        };

        /// <summary>Copies a table's state slot (id order) to the host: tests and checkpoints. False before its first update or <see cref="Track"/>.</summary>
        public bool CopyStateToHost(DeviceParameterTable table, int slot, Span<float> destination)
        {
            ArgumentNullException.ThrowIfNull(table);
            if (!_state.TryGetValue(table, out var state) || (uint)slot >= (uint)state.Length) return false;
            long n = state[slot].Length;
            if (destination.Length < n) throw new ArgumentException("destination holds " + destination.Length + " floats; the state of '" + table.Table.Name + "' has " + n + ".", nameof(destination));
            try
            {
                state[slot].View.CopyToCPU(ref destination[0], n);
            }
            catch (Exception e) when (GpuOperationException.IsDeviceError(e))
            {
                throw new GpuOperationException("download optimizer state", table.Table.Name, e);
            }

            return true;
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            foreach (var state in _state.Values)
            {
                foreach (var buffer in state)
                {
                    buffer?.Dispose();
                }
            }

            _state.Clear();
            _norm.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>Checks that the gradient belongs to the table and both to this optimizer's device.</summary>
        internal void CheckPair(DeviceParameterTable table, DeviceSparseRowGradient gradient)
        {
            if (gradient.Width != table.Table.Width || gradient.TableRows != table.Table.Rows)
            {
                throw new ArgumentException("The sparse gradient '" + gradient.Name + "' (" + gradient.TableRows + " x " + gradient.Width + ") does not match the table '" + table.Table.Name + "' (" + table.Table.Rows + " x " + table.Table.Width + ").", nameof(gradient));
            }

            SameContext(table.Context, "table '" + table.Table.Name + "'");
            SameContext(gradient.Context, "sparse gradient '" + gradient.Name + "'");
        }

        /// <summary>Refuses a gradient that is not sealed this step: its device ids, count and rows would be another step's.</summary>
        internal static void CheckSealed(DeviceSparseRowGradient gradient)
        {
            if (!gradient.IsSealed)
            {
                throw new InvalidOperationException("Update before Seal on the sparse gradient '" + gradient.Name + "'.");
            }
        }

        /// <summary>How many tables have device state (tests: an update of a tracked table adds none).</summary>
        internal int TrackedTables => _state.Count;

        private void SameContext(GpuContext other, string what)
        {
            if (!ReferenceEquals(other, Context)) throw new ArgumentException("The " + what + " lives on another GpuContext than the optimizer.");
        }

        private MemoryBuffer1D<float, Stride1D.Dense>[] State(DeviceParameterTable table)
        {
            if (_state.TryGetValue(table, out var state)) return state;
            state = new MemoryBuffer1D<float, Stride1D.Dense>[_stateSlots];
            long n = (long)table.Table.Rows * table.Table.Width;
            try
            {
                for (int s = 0; s < _stateSlots; s++)
                {
                    state[s] = Context.Accelerator.Allocate1D<float>(Math.Max(1, n));
                    state[s].MemSetToZero();
                }

                InitializeState(state);
            }
            catch (Exception e)
            {
                foreach (var buffer in state) buffer?.Dispose();
                if (e is not GpuOperationException && GpuOperationException.IsDeviceError(e))
                {
                    throw new GpuOperationException("allocate optimizer state", table.Table.Name, e);
                }

                throw;
            }

            _state.Add(table, state);
            return state;
        }
    }
}
