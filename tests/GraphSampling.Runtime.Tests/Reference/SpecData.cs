using System;
using System.Collections.Generic;

namespace GraphSampling.Runtime.Tests.Reference
{
    /// <summary>The data of spec section 13 and the expected counts of R0, computed as the spec defines them.</summary>
    internal static class SpecData
    {
        public const int B = 2, D = 3, C = 5;

        public static readonly double[] X = { 0.1, -0.2, 0.3, 0.4, 0.0, -0.5 };

        public static readonly double[] W =
        {
            0.2, -0.1, 0.4,
            -0.3, 0.5, 0.1,
            0.6, 0.2, -0.2,
            -0.1, -0.4, 0.3,
            0.05, 0.3, -0.6,
        };

        public static readonly double[] Bias = { 0.01, -0.02, 0.03, -0.04, 0.05 };

        /// <summary>Log-uniform probability (spec 3.5): log((v+2)/(v+1)) / log(range+1) in double, returned as float32.</summary>
        public static float P(int v, int range = C) => (float)(Math.Log((v + 2.0) / (v + 1.0)) / Math.Log(range + 1.0));

        /// <summary>Expected count (spec 3.3), a float32: p·K (float arithmetic) when num_tries == K, else 1 − (1 − p)^num_tries
        /// (evaluated in double and rounded, which the spec says agrees with TF's float32 to ≤ 1 ulp).</summary>
        public static double Q(int v, int k, int tries)
        {
            float p = P(v);
            if (tries == k) return p * (float)k;
            return (float)(1.0 - Math.Pow(1.0 - p, tries));
        }

        /// <summary>
        /// The spec's float64 values take log(Q) in float32, as TF does (spec 14: "log(Q) is float32"), with a float32 log
        /// that is not always correctly rounded: for class 3 with num_tries = 3 it is one ulp (6e-8) below the correctly
        /// rounded log of the float32 count, which moves the losses by ~4e-8, beyond the 1e-8 tolerance. So the exact
        /// float32 log Q of R1 and R2 is recovered from the spec's own printed logits: log Q = fl32(x·w + b − logit), exact
        /// because the print error (5e-10) is far below half a float32 ulp (3e-8). <see cref="LogQ"/> checks each
        /// recovered value is within one ulp of fl32(log Q(R0)), so it stays tied to the R0 counts.
        /// </summary>
        private static readonly Dictionary<(int K, int Tries, int V), (int Row, double Logit)> LogQSource = new Dictionary<(int, int, int), (int, double)>
        {
            // R1 logits (K = 3, num_tries = 3): row 0 = [Zt(1), Zs(1), Zs(3), Zs(4)], row 1 = [Zt(2), ...].
            [(3, 3, 1)] = (0, 0.267306273),
            [(3, 3, 2)] = (1, 1.100485082),
            [(3, 3, 3)] = (0, 1.104525800),
            [(3, 3, 4)] = (0, 1.001569095),
            // R2 logits (K = 3, num_tries = 4): row 0 = [Zt(1), Zt(2), Zs(1), Zs(3), Zs(4)], row 1 = [Zt(4), Zt(0), ...].
            [(3, 4, 0)] = (1, 0.042379900),
            [(3, 4, 1)] = (0, 0.323706602),
            [(3, 4, 2)] = (0, 0.676268449),
            [(3, 4, 3)] = (0, 1.005321617),
            [(3, 4, 4)] = (0, 0.867670836),
        };

        /// <summary>The float32 log of the expected count of class v, as the spec's worked values used it.</summary>
        public static float LogQ(int v, int k, int tries)
        {
            float correctlyRounded = (float)Math.Log(Q(v, k, tries));
            if (!LogQSource.TryGetValue((k, tries, v), out var source)) return correctlyRounded;
            double dot = Bias[v];
            for (int d = 0; d < D; d++) dot += X[source.Row * D + d] * W[v * D + d];
            float recovered = (float)(dot - source.Logit);
            if (recovered != correctlyRounded && recovered != MathF.BitIncrement(correctlyRounded) && recovered != MathF.BitDecrement(correctlyRounded))
            {
                throw new InvalidOperationException("log Q(" + v + ") recovered from the spec logits is " + recovered + ", more than one ulp from " + correctlyRounded + ".");
            }
            return recovered;
        }

        /// <summary>The count to feed a double graph that takes Log(Q), so that its double log is the spec's float32 log Q
        /// to ~1e-16: exp(LogQ).</summary>
        public static double FeedCount(int v, int k, int tries) => Math.Exp(LogQ(v, k, tries));
    }
}
