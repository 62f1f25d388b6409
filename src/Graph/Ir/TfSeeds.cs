namespace GraphSampling.Ir
{
    /// <summary>
    /// TensorFlow's seed rule for an op seed when no graph seed is set (spec 3.9): the Philox key is 87654321 and the
    /// stream is the op seed modulo 2^31 - 1, taken as Python takes it, so a negative seed gives a non-negative stream
    /// (-5 gives 2147483642).
    /// </summary>
    public static class TfSeeds
    {
        /// <summary>TF's DEFAULT_GRAPH_SEED: the Philox key when only the op seed is given.</summary>
        public const long DefaultGraphSeed = 87654321;

        private const long MaxInt32 = int.MaxValue;   // TF's _MAXINT32, 2^31 - 1

        /// <summary>The stream (seed2) of an op seed: <c>opSeed mod (2^31 - 1)</c> in [0, 2^31 - 2].</summary>
        public static long Stream(long opSeed)
        {
            long r = opSeed % MaxInt32;
            return r < 0 ? r + MaxInt32 : r;
        }
    }
}
