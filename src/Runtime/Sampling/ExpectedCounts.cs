namespace GraphSampling.Runtime.Sampling
{
    /// <summary>TensorFlow's expected-count rule (spec 3.3).</summary>
    public static class ExpectedCounts
    {
        /// <summary>
        /// <c>p·K</c> when <paramref name="numTries"/> equals <paramref name="numSampled"/> (no draw was rejected),
        /// otherwise <c>1 − (1 − p)^numTries = −expm1(numTries · log1p(−p))</c>. The first branch is TF's float product;
        /// the second is evaluated in double with accurate log1p/expm1 and rounded once, within 1 ulp of TF's float.
        /// </summary>
        public static float Compute(float probability, int numSampled, int numTries)
        {
            if (numTries == numSampled)
            {
                return probability * (float)numSampled;
            }

            return (float)-AccurateMath.ExpM1(numTries * AccurateMath.Log1P(-(double)probability));
        }

        /// <summary>
        /// The same rule for a probability held in double (the renormalised proposal of an excluding sampler), rounded
        /// to float only at the end.
        /// </summary>
        public static float Compute(double probability, int numSampled, int numTries)
        {
            if (numTries == numSampled)
            {
                return (float)(probability * numSampled);
            }

            return (float)-AccurateMath.ExpM1(numTries * AccurateMath.Log1P(-probability));
        }
    }
}
