using System;

namespace GraphSampling.Runtime.Cpu;

/// <summary>
/// Per-thread packing buffers for <see cref="Gemm"/>: one array on the pinned object heap per
/// thread, allocated on first use and replaced only when a larger product needs more room, so warm
/// products allocate nothing. Pinned arrays never move, so raw pointers into them stay valid.
/// </summary>
internal static unsafe class GemmScratch
{
    // 64-byte alignment keeps every packed row of a 512-bit kernel inside one cache line pair.
    private const int AlignFloats = 16;

    [ThreadStatic]
    private static float[]? buffer;

    [ThreadStatic]
    private static float* aligned;

    /// <summary>Returns three 64-byte aligned regions of the given sizes (in floats) owned by the calling thread.</summary>
    public static float* Get(int sizeA, int sizeB, int sizeEdge, out float* b, out float* edge)
    {
        int a = RoundUp(sizeA);
        int bSize = RoundUp(sizeB);
        int needed = a + bSize + RoundUp(sizeEdge);
        float[]? current = buffer;
        if (current is null || current.Length < needed + AlignFloats)
        {
            current = GC.AllocateUninitializedArray<float>(needed + AlignFloats, pinned: true);
            buffer = current;
            fixed (float* p = current)
            {
                aligned = (float*)(((nint)p + (AlignFloats * sizeof(float) - 1)) & ~(nint)(AlignFloats * sizeof(float) - 1));
            }
        }

        b = aligned + a;
        edge = aligned + a + bSize;
        return aligned;
    }

    private static int RoundUp(int floats) => (floats + AlignFloats - 1) / AlignFloats * AlignFloats;
}
