using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

        /// <summary>A call uses the sampling step and then advances it, so the step must be non-negative and below
        /// <see cref="long.MaxValue"/> (the last step has no successor: the call is refused rather than wrapping).</summary>
        public static void Step(long step)
        {
            if (step < 0 || step == long.MaxValue)
            {
                throw new InvalidOperationException("Step is " + step + " but must be in [0, " + (long.MaxValue - 1) + "]: each call uses the step and then advances it by one" + (step < 0 ? "." : ", and long.MaxValue has no next step; set Step to replay or restart the run."));
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
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Ids(ReadOnlySpan<long> ids, int rowWidth, long bound, string argument)
        {
            for (int i = 0; i < ids.Length; i++)
            {
                long v = ids[i];
                if ((ulong)v >= (ulong)bound)
                {
                    throw new ArgumentOutOfRangeException(argument, v, argument + Position(i, rowWidth) + " = " + v + " is outside [0, " + bound + ").");
                }
            }
        }

        /// <summary>Every id must lie in [0, bound) or be -1 (an embedding bag's padding).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void IdsOrPadding(ReadOnlySpan<long> ids, int rowWidth, long bound, string argument)
        {
            for (int i = 0; i < ids.Length; i++)
            {
                long v = ids[i];
                if (v != -1 && (ulong)v >= (ulong)bound)
                {
                    throw new ArgumentOutOfRangeException(argument, v, argument + Position(i, rowWidth) + " = " + v + " is outside [0, " + bound + ") and is not -1 (padding).");
                }
            }
        }

        /// <summary>Ragged labels: every row of <paramref name="rowWidth"/> labels must hold one that is not -1 (the losses
        /// divide by each row's count of real labels).</summary>
        public static void LabelInEveryRow(ReadOnlySpan<long> labels, int rowWidth, string argument)
        {
            for (int start = 0; start + rowWidth <= labels.Length; start += rowWidth)
            {
                if (labels.Slice(start, rowWidth).IndexOfAnyExcept(-1L) >= 0) continue;
                throw new ArgumentException(argument + " row " + (start / rowWidth) + " holds only padding (-1); every row needs at least one true class.", argument);
            }
        }

        /// <summary>Rejects NaN and infinities in a float input (the programs' CheckInputs switch).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Finite(ReadOnlySpan<float> values, int rowWidth, string argument)
        {
            // The common case (all finite) is a vector scan at memory speed: a float is NaN or infinite exactly when
            // its exponent bits are all ones. Only a failing input takes the scalar loop that finds the element.
            if (AllFinite(values))
            {
                return;
            }

            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    throw new ArgumentException(argument + Position(i, rowWidth) + " is " + values[i] + "; inputs must be finite.", argument);
                }
            }
        }

        /// <summary>Every value must be finite and above 0: expected counts, whose log the sampled losses take. The message
        /// names the argument, the row and the column of the first that is not.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void PositiveFinite(ReadOnlySpan<float> values, int rowWidth, string argument)
        {
            for (int i = 0; i < values.Length; i++)
            {
                float v = values[i];
                if (!(v > 0f) || float.IsPositiveInfinity(v))
                {
                    throw new ArgumentOutOfRangeException(argument, v, argument + Position(i, rowWidth) + " is " + v
                        + "; expected counts must be finite and positive (the loss takes their log).");
                }
            }
        }

        /// <summary>As <see cref="PositiveFinite"/> at every position whose label in <paramref name="labels"/> (same shape)
        /// is not -1: ragged labels' true expected counts, where a padding label's count is never used.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void PositiveFiniteOrPadding(ReadOnlySpan<float> values, ReadOnlySpan<long> labels, int rowWidth, string argument)
        {
            for (int i = 0; i < values.Length; i++)
            {
                float v = values[i];
                if (labels[i] != -1 && (!(v > 0f) || float.IsPositiveInfinity(v)))
                {
                    throw new ArgumentOutOfRangeException(argument, v, argument + Position(i, rowWidth) + " is " + v
                        + "; expected counts of real labels must be finite and positive (the loss takes their log).");
                }
            }
        }

        /// <summary>"[row r, column c]" for rows of <paramref name="rowWidth"/>, or "[i]" for a vector (rowWidth 0).</summary>
        private static string Position(int i, int rowWidth) =>
            rowWidth <= 0 ? "[" + i + "]" : "[row " + (i / rowWidth) + ", column " + (i % rowWidth) + "]";

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static bool AllFinite(ReadOnlySpan<float> values)
        {
            ReadOnlySpan<uint> bits = MemoryMarshal.Cast<float, uint>(values);
            ref uint first = ref MemoryMarshal.GetReference(bits);
            const uint Exponent = 0x7F800000;
            int i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                Vector512<uint> exponent = Vector512.Create(Exponent);
                for (; i <= bits.Length - Vector512<uint>.Count; i += Vector512<uint>.Count)
                {
                    if (Vector512.EqualsAny(Vector512.LoadUnsafe(ref first, (nuint)i) & exponent, exponent))
                    {
                        return false;
                    }
                }
            }

            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<uint> exponent = Vector256.Create(Exponent);
                for (; i <= bits.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
                {
                    if (Vector256.EqualsAny(Vector256.LoadUnsafe(ref first, (nuint)i) & exponent, exponent))
                    {
                        return false;
                    }
                }
            }

            for (; i < bits.Length; i++)
            {
                if ((bits[i] & Exponent) == Exponent)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
