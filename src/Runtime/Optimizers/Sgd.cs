using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using GraphSampling.Runtime.Buffers;

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
            var ids = gradient.Ids;
            for (int i = 0; i < ids.Length; i++)
            {
                var row = table.Row(ids[i]);
                TensorPrimitives.MultiplyAdd(gradient.Row(i), -learningRate, row, row);
            }
        }
    }
}
