using System;

namespace GraphSampling.Runtime.Optimizers
{
    /// <summary>
    /// The learning rate of each optimizer step, as a function of the step index <c>t</c> (0 for the first step):
    /// constant, linear warm-up, inverse square root, or cosine decay. Stateless, so a resumed run that restores the
    /// optimizer's step count continues on the same curve.
    /// </summary>
    public abstract class LearningRateSchedule
    {
        /// <summary>The rate of step <paramref name="t"/> (t &gt;= 0).</summary>
        public abstract float At(long t);

        /// <summary>The same rate at every step.</summary>
        public static LearningRateSchedule Constant(float rate) => new ConstantSchedule(Check(rate, nameof(rate)));

        /// <summary>Rises linearly from <c>rate / warmupSteps</c> at step 0 to <paramref name="rate"/> at step
        /// <c>warmupSteps - 1</c>, then stays there.</summary>
        public static LearningRateSchedule LinearWarmup(float rate, long warmupSteps) => new WarmupSchedule(Check(rate, nameof(rate)), Steps(warmupSteps, nameof(warmupSteps)));

        /// <summary>The Transformer schedule: linear warm-up to <paramref name="rate"/>, then <c>rate · sqrt(warmupSteps / (t + 1))</c>.</summary>
        public static LearningRateSchedule InverseSqrt(float rate, long warmupSteps) => new InverseSqrtSchedule(Check(rate, nameof(rate)), Steps(warmupSteps, nameof(warmupSteps)));

        /// <summary>Cosine decay from <paramref name="rate"/> at step 0 to <paramref name="finalRate"/> at
        /// <paramref name="totalSteps"/> (and after): <c>final + (rate - final) · (1 + cos(π t / total)) / 2</c>.</summary>
        public static LearningRateSchedule Cosine(float rate, long totalSteps, float finalRate = 0f) =>
            new CosineSchedule(Check(rate, nameof(rate)), Steps(totalSteps, nameof(totalSteps)), finalRate >= 0 && float.IsFinite(finalRate) ? finalRate : throw new ArgumentOutOfRangeException(nameof(finalRate), finalRate, "finalRate must be finite and non-negative."));

        private static float Check(float rate, string name) =>
            float.IsFinite(rate) && rate >= 0 ? rate : throw new ArgumentOutOfRangeException(name, rate, "A learning rate must be finite and non-negative.");

        private static long Steps(long steps, string name) => steps >= 1 ? steps : throw new ArgumentOutOfRangeException(name, steps, "Needs at least one step.");

        private sealed class ConstantSchedule(float rate) : LearningRateSchedule
        {
            public override float At(long t) => rate;
        }

        private sealed class WarmupSchedule(float rate, long warmup) : LearningRateSchedule
        {
            public override float At(long t) => t + 1 >= warmup ? rate : (float)(rate * (double)(t + 1) / warmup);
        }

        private sealed class InverseSqrtSchedule(float rate, long warmup) : LearningRateSchedule
        {
            public override float At(long t) => t + 1 < warmup ? (float)(rate * (double)(t + 1) / warmup) : (float)(rate * Math.Sqrt((double)warmup / (t + 1)));
        }

        private sealed class CosineSchedule(float rate, long total, float final) : LearningRateSchedule
        {
            public override float At(long t) => t >= total ? final : (float)(final + (rate - final) * 0.5 * (1 + Math.Cos(Math.PI * t / total)));
        }
    }
}
