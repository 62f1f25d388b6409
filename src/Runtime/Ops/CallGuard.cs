using System;
using System.Threading;

namespace GraphSampling.Runtime.Ops
{
    /// <summary>
    /// Detects two threads inside one program at once. A program owns one workspace, so concurrent calls would corrupt
    /// each other's values silently; a flag set by an interlocked exchange on entry costs a few nanoseconds per call and
    /// turns that into an exception.
    /// </summary>
    public static class CallGuard
    {
        /// <summary>Marks the program busy, or throws when another call is inside it.</summary>
        public static void Enter(ref int busy, string program)
        {
            if (Interlocked.Exchange(ref busy, 1) != 0)
            {
                throw new InvalidOperationException(
                    program + " was called from two threads at once. A program owns one workspace and is not thread-safe: use one program per thread.");
            }
        }

        /// <summary>Marks the program free again (in the finally of the call that entered).</summary>
        public static void Exit(ref int busy) => Volatile.Write(ref busy, 0);
    }
}
