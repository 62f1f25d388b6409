using System;
using System.Collections.Generic;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    /// <summary>Goodness-of-fit helpers, independent of the code under test.</summary>
    internal static class Statistics
    {
        // 0.999 quantiles of the chi-square distribution by degrees of freedom, from standard tables (checked against
        // a regularised-incomplete-gamma bisection). A correct sampler exceeds them with probability 0.001; the seeds
        // are fixed, so each test is deterministic.
        private static readonly Dictionary<int, double> Quantile999 = new()
        {
            [1] = 10.828, [2] = 13.816, [3] = 16.266, [4] = 18.467, [6] = 22.458, [7] = 24.322, [8] = 26.124, [5] = 20.515, [9] = 27.877, [19] = 43.820,
            [20] = 45.315, [29] = 58.301, [35] = 66.619, [39] = 72.055, [49] = 85.351, [99] = 148.230,
        };

        /// <summary>Asserts Pearson's statistic of <paramref name="observed"/> against N·<paramref name="probabilities"/>
        /// (which must sum to 1 over the cells) stays below the 0.999 quantile with cells − 1 degrees of freedom.</summary>
        public static void AssertChiSquareFits(long[] observed, double[] probabilities, string what)
        {
            Assert.Equal(observed.Length, probabilities.Length);
            double sumP = 0;
            long n = 0;
            for (int i = 0; i < observed.Length; i++)
            {
                sumP += probabilities[i];
                n += observed[i];
            }

            Assert.True(Math.Abs(sumP - 1.0) < 1e-9, $"{what}: cell probabilities sum to {sumP}");
            double chi2 = 0;
            for (int i = 0; i < observed.Length; i++)
            {
                double e = n * probabilities[i];
                Assert.True(e >= 5, $"{what}: cell {i} expects only {e} draws; merge cells");
                chi2 += (observed[i] - e) * (observed[i] - e) / e;
            }

            int df = observed.Length - 1;
            Assert.True(Quantile999.TryGetValue(df, out double limit), $"no tabulated quantile for df = {df}");
            Assert.True(chi2 < limit, $"{what}: chi-square {chi2:F2} >= {limit} (0.999 quantile, df = {df})");
        }

        /// <summary>Counts <paramref name="draws"/> into cells given by ascending lower bounds (first bound 0).</summary>
        public static long[] Bin(ReadOnlySpan<long> draws, long[] lowerBounds, long rangeMax)
        {
            var counts = new long[lowerBounds.Length];
            foreach (long v in draws)
            {
                Assert.InRange(v, 0, rangeMax - 1);
                int cell = Array.BinarySearch(lowerBounds, v);
                counts[cell >= 0 ? cell : ~cell - 1]++;
            }

            return counts;
        }
    }
}
