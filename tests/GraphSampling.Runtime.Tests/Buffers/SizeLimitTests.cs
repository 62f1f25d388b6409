using System;
using GraphSampling.Runtime.Buffers;
using Xunit;

namespace GraphSampling.Runtime.Tests.Buffers
{
    /// <summary>A table, workspace or gradient beyond what one array can index is refused before anything is allocated,
    /// with the table named and the limit given (it used to be a bare OverflowException).</summary>
    public sealed class SizeLimitTests
    {
        [Fact]
        public void A_table_of_20M_by_128_names_the_table_and_the_limit()
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ParameterTable("embeddings", 20_000_000, 128));
            Assert.Contains("'embeddings'", e.Message);
            Assert.Contains("2,560,000,000", e.Message);
            Assert.Contains("2,147,483,591", e.Message);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "nothing large was allocated");
            // One float over the limit is refused too (268,435,449 x 8 = 2,147,483,592).
            var over = Assert.Throws<ArgumentOutOfRangeException>(() => new ParameterTable("edge", 268_435_449, 8));
            Assert.Contains("2,147,483,592", over.Message);
        }

        [Fact]
        public void A_workspace_and_a_sparse_gradient_beyond_the_limit_are_refused()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new Workspace(3_000_000_000L, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Workspace(0, -1));
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SparseRowGradient("w", 30_000_000, 128, 30_000_000));
            Assert.Contains("'w'", e.Message);
        }
    }
}
