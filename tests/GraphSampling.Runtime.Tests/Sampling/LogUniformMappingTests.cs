using System;
using GraphSampling.Runtime.Sampling;
using Xunit;

namespace GraphSampling.Runtime.Tests.Sampling
{
    /// <summary>The vectorised inverse CDF of the log-uniform sampler against the scalar formula with Math.Exp.</summary>
    public class LogUniformMappingTests
    {
        private static long Scalar(double u, double logRange, long range)
        {
            long v = (long)Math.Exp(u * logRange) - 1;
            return v >= range ? v % range : v;
        }

        [Theory]
        [InlineData(1L)]
        [InlineData(7L)]
        [InlineData(800_000L)]
        [InlineData(1L << 40)]
        public void RandomUniforms_MapToTheSameClassesAsTheScalarFormula(long range)
        {
            double logRange = Math.Log(range + 1.0);
            var rng = new PhiloxStream(11, 22);
            var uniforms = new double[100_003];
            rng.FillDoubles(uniforms);
            var classes = new long[uniforms.Length];
            LogUniformSampler.MapToClasses(uniforms, logRange, range, classes);
            for (int i = 0; i < uniforms.Length; i++)
            {
                Assert.Equal(Scalar(uniforms[i], logRange, range), classes[i]);
            }
        }

        [Fact]
        public void UniformsLandingOnIntegers_AreRedoneWithMathExp()
        {
            // u = log(n) / log(R + 1) makes exp(u·log(R + 1)) land within an ulp or two of the integer n, where a
            // vector exp and Math.Exp can floor to different classes: those lanes must take the scalar path.
            const long range = 800_000;
            double logRange = Math.Log(range + 1.0);
            var uniforms = new double[4096];
            for (int i = 0; i < uniforms.Length; i++)
            {
                long n = 1 + (long)i * 193 % range;
                double u = Math.Log(n) / logRange;
                // Step to neighbouring doubles so that both sides of the integer are covered.
                for (int s = 0; s < i % 4; s++)
                {
                    u = i % 8 < 4 ? Math.BitIncrement(u) : Math.BitDecrement(u);
                }

                uniforms[i] = Math.Min(u, Math.BitDecrement(1.0));
            }

            var classes = new long[uniforms.Length];
            LogUniformSampler.MapToClasses(uniforms, logRange, range, classes);
            for (int i = 0; i < uniforms.Length; i++)
            {
                Assert.Equal(Scalar(uniforms[i], logRange, range), classes[i]);
            }
        }
    }
}
