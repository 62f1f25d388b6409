using System;

namespace GraphSampling.Runtime.Evaluation
{
    /// <summary>
    /// Running evaluation metrics from true-class ranks (<see cref="FullEvaluator.Ranks"/>) and losses: recall@k for the
    /// k values asked for (the fraction of rows whose true class ranks within the top k; recall@1 is accuracy), mean
    /// reciprocal rank, and the mean loss. Sums are kept in double; adding allocates nothing.
    /// </summary>
    public sealed class RankingMetrics
    {
        private readonly int[] _ks;
        private readonly long[] _hits;
        private long _top1, _withLoss;
        private double _reciprocalRanks, _loss;

        public RankingMetrics(params int[] ks)
        {
            ArgumentNullException.ThrowIfNull(ks);
            foreach (int k in ks) ArgumentOutOfRangeException.ThrowIfLessThan(k, 1, nameof(ks));
            _ks = (int[])ks.Clone();
            _hits = new long[ks.Length];
        }

        /// <summary>Rows added so far.</summary>
        public long Count { get; private set; }

        /// <summary>The mean over the rows added with a loss (NaN when none were).</summary>
        public double MeanLoss => _withLoss == 0 ? double.NaN : _loss / _withLoss;

        public double MeanReciprocalRank => Count == 0 ? double.NaN : _reciprocalRanks / Count;

        /// <summary>Recall@1: the fraction of rows whose true class scored best.</summary>
        public double Accuracy => Count == 0 ? double.NaN : (double)_top1 / Count;

        /// <summary>The fraction of rows whose true class ranked k or better; k must be one given at construction.</summary>
        public double Recall(int k)
        {
            if (Count == 0) return double.NaN;
            int at = Array.IndexOf(_ks, k);
            if (at < 0) throw new ArgumentOutOfRangeException(nameof(k), k, "recall@" + k + " was not asked for; these were: " + string.Join(", ", _ks) + ".");
            return (double)_hits[at] / Count;
        }

        /// <summary>Adds rows: their 1-based ranks and (optionally, same length) losses.</summary>
        public void Add(ReadOnlySpan<long> ranks, ReadOnlySpan<float> losses = default)
        {
            if (!losses.IsEmpty && losses.Length != ranks.Length) throw new ArgumentException("Got " + losses.Length + " losses for " + ranks.Length + " ranks.", nameof(losses));
            for (int i = 0; i < ranks.Length; i++)
            {
                if (ranks[i] < 1) throw new ArgumentOutOfRangeException(nameof(ranks), ranks[i], "ranks[" + i + "] must be at least 1.");
            }
            for (int i = 0; i < ranks.Length; i++)
            {
                long r = ranks[i];
                for (int j = 0; j < _ks.Length; j++) if (r <= _ks[j]) _hits[j]++;
                if (r == 1) _top1++;
                _reciprocalRanks += 1.0 / r;
                if (!losses.IsEmpty) _loss += losses[i];
            }
            Count += ranks.Length;
            if (!losses.IsEmpty) _withLoss += ranks.Length;
        }

        /// <summary>Adds the last batch of an evaluator (its ranks and full-softmax losses).</summary>
        public void Add(FullEvaluator evaluator)
        {
            ArgumentNullException.ThrowIfNull(evaluator);
            if (evaluator.Ranks.IsEmpty && evaluator.Batch > 0) throw new InvalidOperationException("The evaluator's last call had no labels, so it has no ranks.");
            Add(evaluator.Ranks, evaluator.SoftmaxLoss);
        }

        public void Reset()
        {
            Array.Clear(_hits);
            _top1 = 0;
            _withLoss = 0;
            _reciprocalRanks = 0;
            _loss = 0;
            Count = 0;
        }
    }
}
