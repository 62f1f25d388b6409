using System;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    public class AccidentalHitsTests
    {
        [Fact]
        public void SpecExample_TwoRows()
        {
            // Spec 13 R0: labels [[1,2],[4,0]], sampled [1,3,4] -> indices [0,1], ids [0,2], weights -FLT_MAX.
            long[] labels = [1, 2, 4, 0];
            long[] sampled = [1, 3, 4];
            var indices = new int[4];
            var ids = new long[4];
            var weights = new float[4];
            int h = AccidentalHits.ComputeAccidentalHits(labels, 2, sampled, indices, ids, weights);
            Assert.Equal(2, h);
            Assert.Equal([0, 1], indices[..h]);
            Assert.Equal([0L, 2L], ids[..h]);
            Assert.Equal([-3.4028234663852886e38f, -3.4028234663852886e38f], weights[..h]);
            Assert.Equal(2, AccidentalHits.CountAccidentalHits(labels, 2, sampled));
        }

        [Fact]
        public void ApplyHits_GivesWhatAddingTheMaskThenSubtractingLogCountsGives()
        {
            // A fused group writes (logits − log Q) and then sets the hits; the unfused graph adds the −FLT_MAX mask first.
            var rng = new Random(5);
            long[] labels = [3, 3, 7, 1, 2, 9];          // [3, 2]: a repeated label, hits at the last position of 3
            long[] sampled = [3, 5, 3, 1, 8, 9, 0];
            const int b = 3, k = 7, stride = 9;          // rows inside a wider buffer: the concat's columns
            var logits = new float[b * k];
            var logQ = new float[k];
            for (int i = 0; i < logits.Length; i++) logits[i] = (float)(rng.NextDouble() * 20 - 10);
            for (int j = 0; j < k; j++) logQ[j] = (float)Math.Log(rng.NextDouble() + 1e-3);
            var mask = new float[b * k];
            AccidentalHits.AccidentalHitMask(labels, 2, sampled, mask);
            var fused = new float[b * stride];
            fused.AsSpan().Fill(42f);
            for (int i = 0; i < b; i++)
                for (int j = 0; j < k; j++) fused[i * stride + j] = logits[i * k + j] - logQ[j];
            AccidentalHits.ApplyHits(labels, 2, sampled, fused, stride);
            int hits = 0;
            for (int i = 0; i < b; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    float unfused = (logits[i * k + j] + mask[i * k + j]) - logQ[j];
                    Assert.Equal(unfused, fused[i * stride + j]);
                    if (mask[i * k + j] != 0) hits++;
                }
                for (int j = k; j < stride && i * stride + j < fused.Length; j++) Assert.Equal(42f, fused[i * stride + j]);
            }
            Assert.Equal(3, hits);   // row 0: 3 at its last position 2 (once, though repeated); row 1: 1 at 3; row 2: 9 at 5
            Assert.Throws<ArgumentException>(() => AccidentalHits.ApplyHits(labels, 2, sampled, new float[2 * stride + k - 1], stride));

            // A NaN or infinite hit cell stays as adding the mask leaves it.
            float[] special = { float.NaN, float.PositiveInfinity, float.NegativeInfinity };
            foreach (float v in special)
            {
                var one = new float[k];
                one[2] = v;                                       // row 0's hit (class 3 at position 2)
                AccidentalHits.ApplyHits(labels.AsSpan(0, 2), 2, sampled, one, k);
                Assert.Equal(v + -float.MaxValue - 0.5f, one[2]);
            }
        }

        [Fact]
        public void SpecExample_DuplicateCandidates_LastPositionWins_RepeatedLabelRepeatsTriple()
        {
            // labels [[3,3]], sampled [3,5,3]: indices [0,0], ids [2,2]; position 0 is not masked.
            long[] labels = [3, 3];
            long[] sampled = [3, 5, 3];
            var indices = new int[2];
            var ids = new long[2];
            var weights = new float[2];
            Assert.Equal(2, AccidentalHits.ComputeAccidentalHits(labels, 2, sampled, indices, ids, weights));
            Assert.Equal([0, 0], indices);
            Assert.Equal([2L, 2L], ids);

            var mask = new float[3];
            AccidentalHits.AccidentalHitMask(labels, 2, sampled, mask);
            Assert.Equal([0f, 0f, -float.MaxValue], mask);

            var predicate = new bool[3];
            AccidentalHits.AccidentalHitPredicate(labels, 2, sampled, predicate);
            Assert.Equal([false, false, true], predicate);

            AccidentalHits.AllOccurrencesPredicate(labels, 2, sampled, predicate);
            Assert.Equal([true, false, true], predicate);
            AccidentalHits.AllOccurrencesMask(labels, 2, sampled, mask);
            Assert.Equal([-float.MaxValue, 0f, -float.MaxValue], mask);
        }

        [Fact]
        public void Mask_TwoRows_MatchesTriples()
        {
            long[] labels = [1, 2, 4, 0];
            long[] sampled = [1, 3, 4];
            var mask = new float[6];
            mask.AsSpan().Fill(7f); // stale content must be overwritten
            AccidentalHits.AccidentalHitMask(labels, 2, sampled, mask);
            Assert.Equal([-float.MaxValue, 0f, 0f, 0f, 0f, -float.MaxValue], mask);
        }

        [Fact]
        public void TooSmallOutputs_Throw_WithRequiredCount()
        {
            var e = Assert.Throws<ArgumentException>(() =>
                AccidentalHits.ComputeAccidentalHits([1, 4], 1, [1, 4], new int[1], new long[1], new float[1]));
            Assert.Contains("2 accidental hits", e.Message);
        }

        [Fact]
        public void BadShapes_Throw()
        {
            Assert.Throws<ArgumentException>(() => AccidentalHits.CountAccidentalHits([1, 2, 3], 2, [1]));
            Assert.Throws<ArgumentException>(() => AccidentalHits.AccidentalHitMask([1, 2], 1, [1, 2], new float[3]));
            Assert.Throws<ArgumentOutOfRangeException>(() => AccidentalHits.CountAccidentalHits([1], 0, [1]));
        }

        [Fact]
        public void PredicateMask_GivesTheSameLossAsTfArithmetic()
        {
            // TF: logits + mask(-FLT_MAX) - log Q, then softmax cross-entropy with the true logit in column 0.
            float[] logits = [1.25f, 0.5f, -2f, 3.75f, 0.125f, -1f];
            float[] logQ = [0.3f, -0.2f, 1.1f, 0.0f, 2.5f, -0.7f];
            bool[] predicate = [false, true, false, false, false, true];
            var tf = new float[6];
            var ours = new float[6];
            for (int i = 0; i < 6; i++)
            {
                tf[i] = logits[i] + (predicate[i] ? -float.MaxValue : 0f) - logQ[i];
                ours[i] = logits[i] - logQ[i];
            }

            AccidentalHits.ApplyMask<float>(ours, predicate);
            Assert.Equal(tf, ours);
            Assert.Equal(SoftmaxLoss(tf, 3), SoftmaxLoss(ours, 3));
        }

        [Fact]
        public void PredicateMask_InHalfPrecision_StaysFinite()
        {
            Half[] logits = [(Half)1.5f, (Half)(-2f), (Half)4f];
            AccidentalHits.ApplyMask<Half>(logits, [false, true, false]);
            Assert.Equal(Half.MinValue, logits[1]);
            Assert.True(Half.IsFinite(logits[1]));
            // exp(masked - max) underflows to exactly 0, so the masked column drops out of the softmax.
            Assert.Equal(0.0, Math.Exp((double)logits[1] - 4.0));
        }

        private static float SoftmaxLoss(float[] z, int columns)
        {
            float total = 0;
            for (int r = 0; r < z.Length / columns; r++)
            {
                float max = float.NegativeInfinity;
                for (int c = 0; c < columns; c++)
                {
                    max = MathF.Max(max, z[r * columns + c]);
                }

                float sum = 0;
                for (int c = 0; c < columns; c++)
                {
                    sum += MathF.Exp(z[r * columns + c] - max);
                }

                total += MathF.Log(sum) - (z[r * columns] - max);
            }

            return total;
        }
    }
}
