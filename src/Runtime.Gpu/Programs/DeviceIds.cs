using ILGPU;

namespace GraphSampling.Runtime.Gpu.Programs
{
    /// <summary>Device id lists a generated program fills once, at construction.</summary>
    public static class DeviceIds
    {
        /// <summary>Writes 0, 1, … into <paramref name="destination"/> (allocates a host array: construction only).</summary>
        public static void FillAscending(ArrayView<long> destination)
        {
            var ids = new long[destination.Length];
            for (int i = 0; i < ids.Length; i++) ids[i] = i;
            DeviceWorkspace.Upload<long>(ids, destination, "ids");
        }
    }
}
