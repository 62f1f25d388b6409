using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Threading;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Cpu;

namespace GraphSampling.Runtime.Optimizers
{
    /// <summary>Plain SGD on parameter tables: dense gradients update every row; sparse ones only the touched rows.</summary>
    public static class Sgd
    {
        /// <summary>table -= learningRate * gradient, for a dense gradient in id order ([Rows, Width]).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Apply(ParameterTable table, ReadOnlySpan<float> gradient, float learningRate)
        {
            if (gradient.Length != table.Rows * table.Width)
            {
                throw new ArgumentException("The gradient of '" + table.Name + "' has " + gradient.Length + " floats; the table has " + table.Rows * table.Width + ".", nameof(gradient));
            }
            if (table.IsIdOrdered)
            {
                TensorPrimitives.MultiplyAdd(gradient, -learningRate, table.Data, table.Data);
                return;
            }
            for (long id = 0; id < table.Rows; id++)
            {
                var row = table.Row(id);
                TensorPrimitives.MultiplyAdd(gradient.Slice((int)id * table.Width, table.Width), -learningRate, row, row);
            }
        }

        /// <summary>row(id) -= learningRate * gradient row, for each unique id of a sparse gradient.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Apply(ParameterTable table, SparseRowGradient gradient, float learningRate)
        {
            if (gradient.Width != table.Width || gradient.TableRows != table.Rows)
            {
                throw new ArgumentException("The sparse gradient '" + gradient.Name + "' does not match the table '" + table.Name + "'.", nameof(gradient));
            }
            // Distinct rows, each updated on its own: blocks of rows in parallel give the bits of one thread. A second
            // caller at the same time updates its rows on its own thread (same bits).
            if (!Monitor.TryEnter(Rows))
            {
                ApplyRows(table, gradient, learningRate, 0, gradient.Count);
                return;
            }
            try
            {
                Rows.Run(table, gradient, learningRate);
            }
            finally
            {
                Monitor.Exit(Rows);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void ApplyRows(ParameterTable table, SparseRowGradient gradient, float learningRate, int begin, int end)
        {
            var ids = gradient.Ids;
            for (int i = begin; i < end; i++)
            {
                var row = table.Row(ids[i]);
                TensorPrimitives.MultiplyAdd(gradient.Row(i), -learningRate, row, row);
            }
        }

        private static readonly SparseRows Rows = new();

        /// <summary>One sparse update's rows (its arguments held only for the call, under its monitor).</summary>
        private sealed class SparseRows : RowParts
        {
            private ParameterTable? _table;
            private SparseRowGradient? _gradient;
            private float _learningRate;

            public void Run(ParameterTable table, SparseRowGradient gradient, float learningRate)
            {
                (_table, _gradient, _learningRate) = (table, gradient, learningRate);
                try
                {
                    RunRows(gradient.Count, table.Width);
                }
                finally
                {
                    (_table, _gradient) = (null, null);
                }
            }

            protected override void Rows(int begin, int end, int slot) => ApplyRows(_table!, _gradient!, _learningRate, begin, end);
        }
    }
}
