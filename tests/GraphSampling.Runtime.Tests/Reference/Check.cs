using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using GraphSampling.Ir;
using GraphSampling.Runtime.Reference;
using Xunit;

namespace GraphSampling.Runtime.Tests.Reference
{
    /// <summary>Tolerance asserts and the central finite-difference gradient check.</summary>
    internal static class Check
    {
        /// <summary>|actual − expected| ≤ abs + rel·|expected| for every element, with a message naming the first failure.</summary>
        public static void Close(double[] expected, double[] actual, double abs, double rel, string what)
        {
            Assert.True(expected.Length == actual.Length, what + ": expected " + expected.Length + " values, got " + actual.Length + ".");
            for (int i = 0; i < expected.Length; i++)
            {
                double e = expected[i], a = actual[i];
                bool ok = (e == a) || Math.Abs(a - e) <= abs + rel * Math.Abs(e);
                Assert.True(ok, string.Format(CultureInfo.InvariantCulture,
                    "{0}[{1}]: expected {2:R}, got {3:R} (diff {4:E3}); all: {5}", what, i, e, a, a - e, Render(actual)));
            }
        }

        public static string Render(double[] v)
        {
            var sb = new StringBuilder("[");
            for (int i = 0; i < v.Length; i++) sb.Append(i > 0 ? ", " : "").Append(v[i].ToString("G10", CultureInfo.InvariantCulture));
            return sb.Append(']').ToString();
        }

        public static double[] Random(Random rng, int n, double lo = -1, double hi = 1)
        {
            var v = new double[n];
            for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * rng.NextDouble();
            return v;
        }

        public static ReferenceFeeds Feeds(IDictionary<string, double[]> floats, IDictionary<string, long[]>? ints = null)
        {
            var f = new ReferenceFeeds();
            foreach (var kv in floats) f.Float(kv.Key, kv.Value);
            if (ints is not null) foreach (var kv in ints) f.Int(kv.Key, kv.Value);
            return f;
        }

        /// <summary>
        /// Central differences in double of f = Σ u·output, u a random upstream gradient, against the reference backward,
        /// for every element of every float feed in <paramref name="wrt"/> (default: all float feeds).
        /// Error measure: |numeric − analytic| / max(1, |numeric|, |analytic|) &lt; <paramref name="tolerance"/>. With
        /// eps = 1e-6 and O(1) data the difference quotient's rounding error is about 1e-16·|f|/eps ≈ 1e-9 and its
        /// truncation error about eps²·|f'''| ≈ 1e-12, so 1e-6 has a wide margin, while a wrong rule (a missing term, a
        /// transposed index, a wrong broadcast reduction) is off by O(1e-2) or more.
        /// </summary>
        public static void Gradients(IrGraph graph, Dictionary<string, double[]> floats, Dictionary<string, long[]>? ints, int batch, int seed,
            IEnumerable<string>? wrt = null, double eps = 1e-6, double tolerance = 1e-6)
        {
            var interpreter = new ReferenceInterpreter(graph);
            var rng = new Random(seed);
            double[] output = interpreter.Run(Feeds(floats, ints), batch).Output;
            Assert.True(output.Length > 0, "the graph output is empty; nothing to check");
            double[] u = Random(rng, output.Length);
            ReferenceResult result = interpreter.Run(Feeds(floats, ints), batch, u);
            double largest = 0;
            int checkedCount = 0;
            foreach (string name in wrt ?? new List<string>(floats.Keys))
            {
                double[] x = floats[name];
                double[]? analytic = result.Gradient(name);
                Assert.NotNull(analytic);
                Assert.True(analytic!.Length == x.Length, name + ": gradient has " + analytic.Length + " elements, the feed " + x.Length + ".");
                for (int i = 0; i < x.Length; i++)
                {
                    double orig = x[i];
                    x[i] = orig + eps;
                    double fp = Dot(u, interpreter.Run(Feeds(floats, ints), batch).Output);
                    x[i] = orig - eps;
                    double fm = Dot(u, interpreter.Run(Feeds(floats, ints), batch).Output);
                    x[i] = orig;
                    double numeric = (fp - fm) / (2 * eps);
                    double err = Math.Abs(numeric - analytic[i]) / Math.Max(1.0, Math.Max(Math.Abs(numeric), Math.Abs(analytic[i])));
                    Assert.True(err < tolerance, string.Format(CultureInfo.InvariantCulture,
                        "d/d{0}[{1}]: finite difference {2:R}, reference backward {3:R} (error {4:E3}); backward: {5}",
                        name, i, numeric, analytic[i], err, Render(analytic)));
                    largest = Math.Max(largest, Math.Abs(analytic[i]));
                    checkedCount++;
                }
            }
            Assert.True(checkedCount > 0, "no gradient element was checked");
            Assert.True(largest > 1e-3, "every gradient is ~0; the check could not fail");
        }

        private static double Dot(double[] a, double[] b)
        {
            Assert.Equal(a.Length, b.Length);
            double s = 0;
            for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
            return s;
        }
    }
}
