using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace GraphSampling.Runtime.Checkpoints
{
    /// <summary>CRC-32C (Castagnoli) over a byte stream, eight bytes at a time through
    /// <see cref="BitOperations.Crc32C(uint, ulong)"/> (the SSE4.2 / ARMv8 instruction where present).</summary>
    internal struct Crc32C
    {
        private uint _state;

        public Crc32C() => _state = uint.MaxValue;

        public readonly uint Value => ~_state;

        public void Append(ReadOnlySpan<byte> bytes)
        {
            uint crc = _state;
            var words = MemoryMarshal.Cast<byte, ulong>(bytes);
            foreach (ulong w in words) crc = BitOperations.Crc32C(crc, w);
            for (int i = words.Length * 8; i < bytes.Length; i++) crc = BitOperations.Crc32C(crc, bytes[i]);
            _state = crc;
        }
    }
}
