using System;

namespace GraphSampling.Runtime.Optimizers
{
    /// <summary>
    /// The step protocol every optimizer follows, on the CPU (<see cref="Optimizer"/>) and on the device: a step is
    /// <see cref="BeginStep"/> (the learning rate from <see cref="Schedule"/> and, when clipping, the scale from the
    /// squared global norm), the updates, and <see cref="EndStep"/>. Kept in one place so that both backends compute the
    /// learning rate, clip factor and weight decay of a step from the same code, and so the same bits.
    /// </summary>
    public abstract class OptimizerBase
    {
        private readonly float _weightDecay;
        private readonly float _clip;
        private bool _inStep;

        protected OptimizerBase(LearningRateSchedule schedule)
        {
            Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        }

        /// <summary>The learning rate of each step.</summary>
        public LearningRateSchedule Schedule { get; }

        /// <summary>L2 weight decay λ (0: none): the gradient becomes <c>g + λ·w</c> before the update. Sparse gradients
        /// decay only their rows.</summary>
        public float WeightDecay
        {
            get => _weightDecay;
            init => _weightDecay = float.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(WeightDecay), value, "WeightDecay must be finite and non-negative.");
        }

        /// <summary>The largest global norm a step's gradients may have (0: no clipping).</summary>
        public float ClipGlobalNorm
        {
            get => _clip;
            init => _clip = float.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(ClipGlobalNorm), value, "ClipGlobalNorm must be finite and non-negative.");
        }

        /// <summary>Steps taken so far: the index <c>t</c> of the next step (for the schedule and Adam's bias correction).
        /// Restore it with the optimizer state to resume a run.</summary>
        public long Steps { get; set; }

        /// <summary>The learning rate of the current (or last) step.</summary>
        public float CurrentLearningRate { get; private set; }

        /// <summary>The global norm the last step saw (0 unless clipping, which needs it).</summary>
        public double LastGlobalNorm { get; private set; }

        /// <summary>The factor the current step scales gradients by (1 unless clipped); with <see cref="WeightDecay"/>,
        /// what an update applies to each gradient element.</summary>
        protected float GradientScale { get; private set; } = 1f;

        /// <summary>Whether <see cref="BeginStep"/> needs the squared global norm (clipping is on).</summary>
        public bool NeedsGlobalNorm => _clip > 0;

        /// <summary>Whether a step has begun and not ended.</summary>
        protected internal bool InStep => _inStep;

        /// <summary>Starts a step: its learning rate from the schedule and, when clipping, the scale from the sum of
        /// squares of every gradient the step will apply.</summary>
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

        /// <summary>Throws unless a step has begun.</summary>
        protected void EnsureInStep()
        {
            if (!_inStep) throw new InvalidOperationException("Update must be called between BeginStep and EndStep (or use the program's ApplyGradients).");
        }
    }
}
