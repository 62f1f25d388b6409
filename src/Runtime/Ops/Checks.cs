using System;

namespace GraphSampling.Runtime.Ops
{
    /// <summary>
    /// Argument checks generated programs run before computing anything, so that bad input throws a message naming
    /// the argument, the row and the bound, and no output or gradient is half-written.
    /// </summary>
    public static class Checks
    {
        public static void Batch(int batch, int maxBatch)
        {
            if ((uint)batch > (uint)maxBatch)
            {
                throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch is " + batch + " but must be in [0, " + maxBatch + "] (the batch declared in the graph).");
            }
        }

        public static void Length<T>(ReadOnlySpan<T> span, int expected, string argument)
        {
            if (span.Length != expected)
            {
                throw new ArgumentException(argument + " has " + span.Length + " elements but this call needs exactly " + expected + ".", argument);
            }
        }

        /// <summary>Every id must lie in [0, bound); the message gives the row and column of the first that does not.</summary>
        public static void Ids(ReadOnlySpan<long> ids, int rowWidth, long bound, string argument)
        {
            for (int i = 0; i < ids.Length; i++)
            {
                long v = ids[i];
                if ((ulong)v >= (ulong)bound)
                {
                    throw new ArgumentOutOfRangeException(argument, v, argument + "[row " + (i / rowWidth) + ", column " + (i % rowWidth) + "] = " + v + " is outside [0, " + bound + ").");
                }
            }
        }

        /// <summary>Rejects NaN and infinities in a float input (the programs' CheckInputs switch).</summary>
        public static void Finite(ReadOnlySpan<float> values, int rowWidth, string argument)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    throw new ArgumentException(argument + "[row " + (i / rowWidth) + ", column " + (i % rowWidth) + "] is " + values[i] + "; inputs must be finite.", argument);
                }
            }
        }
    }
}
