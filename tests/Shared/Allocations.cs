using System;

namespace GraphSampling.Tests.Shared
{
    /// <summary>
    /// Measures what a warm call allocates on the calling thread. The runtime itself may allocate once on this thread
    /// while a test runs (a type loaded or a method re-jitted by tiering, the test host's own bookkeeping), which a
    /// single window can catch; an allocation the code under test makes per call shows in every window. So the probe
    /// looks at up to three windows and reports the smallest: 0 means some window of calls allocated nothing.
    /// </summary>
    internal static class Allocations
    {
        /// <summary>Runs <paramref name="call"/> <paramref name="warmUp"/> times, then returns the fewest bytes that
        /// <paramref name="calls"/> further calls allocated, over up to three windows.</summary>
        public static long AfterWarmUp(Action call, int calls = 10, int warmUp = 3)
        {
            for (int i = 0; i < warmUp; i++)
            {
                call();
            }

            long fewest = long.MaxValue;
            for (int window = 0; window < 3 && fewest != 0; window++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < calls; i++)
                {
                    call();
                }

                fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            return fewest;
        }
    }
}
