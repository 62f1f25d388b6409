using System;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace GraphSampling.Runtime.Checkpoints
{
    /// <summary>Little-endian writes that feed the checksum of everything written.</summary>
    internal sealed class ChecksummedWriter
    {
        private readonly Stream _stream;
        private Crc32C _crc = new Crc32C();

        public ChecksummedWriter(Stream stream) => _stream = stream;

        public uint Checksum => _crc.Value;

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            _crc.Append(bytes);
            _stream.Write(bytes);
        }

        public void Int32(int value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, value);
            Bytes(b);
        }

        public void Int64(long value)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, value);
            Bytes(b);
        }

        public void String(string value)
        {
            var utf8 = Encoding.UTF8.GetBytes(value);
            Int32(utf8.Length);
            Bytes(utf8);
        }

        public void Floats(ReadOnlySpan<float> values) => Bytes(MemoryMarshal.AsBytes(values));   // little-endian only (Checkpoint checks)

        /// <summary>The checksum itself, which is not part of what it covers.</summary>
        public void Trailer()
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(b, _crc.Value);
            _stream.Write(b);
        }
    }

    /// <summary>Reads what <see cref="ChecksummedWriter"/> wrote, checksumming as it goes; every short read is reported as a
    /// truncated file, naming what was being read.</summary>
    internal sealed class ChecksummedReader
    {
        private const int MaxStringBytes = 1 << 16;
        private readonly Stream _stream;
        private readonly string _file;
        private Crc32C _crc = new Crc32C();
        private byte[]? _skip;

        public ChecksummedReader(Stream stream, string file)
        {
            _stream = stream;
            _file = file;
        }

        /// <summary>What is being read, for the message of a truncated file.</summary>
        public string Reading { get; set; } = "the header";

        public void Bytes(Span<byte> destination)
        {
            if (AtomicFile.Fill(_stream, destination) < destination.Length)
            {
                throw new InvalidDataException("Checkpoint '" + _file + "' is truncated: it ends while reading " + Reading + "; nothing was loaded.");
            }
            _crc.Append(destination);
        }

        public int Int32()
        {
            Span<byte> b = stackalloc byte[4];
            Bytes(b);
            return BinaryPrimitives.ReadInt32LittleEndian(b);
        }

        public long Int64()
        {
            Span<byte> b = stackalloc byte[8];
            Bytes(b);
            return BinaryPrimitives.ReadInt64LittleEndian(b);
        }

        public string String()
        {
            int length = Int32();
            if (length < 0 || length > MaxStringBytes) throw Corrupt("a name of " + length + " bytes while reading " + Reading);
            var utf8 = new byte[length];
            Bytes(utf8);
            return Encoding.UTF8.GetString(utf8);
        }

        public void Floats(Span<float> destination) => Bytes(MemoryMarshal.AsBytes(destination));

        /// <summary>Reads <paramref name="count"/> bytes into the checksum only (the validation pass).</summary>
        public void Skip(long count)
        {
            _skip ??= new byte[1 << 20];
            while (count > 0)
            {
                int n = (int)Math.Min(count, _skip.Length);
                Bytes(_skip.AsSpan(0, n));
                count -= n;
            }
        }

        /// <summary>Checks the trailer against the checksum of everything before it, and that nothing follows.</summary>
        public void Trailer()
        {
            uint computed = _crc.Value;
            Reading = "the checksum";
            Span<byte> b = stackalloc byte[4];
            if (AtomicFile.Fill(_stream, b) < 4) throw new InvalidDataException("Checkpoint '" + _file + "' is truncated: it ends while reading the checksum; nothing was loaded.");
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(b);
            if (stored != computed)
            {
                throw Corrupt("checksum 0x" + stored.ToString("x8") + " stored, 0x" + computed.ToString("x8") + " computed over the contents");
            }
            if (_stream.ReadByte() != -1) throw Corrupt("bytes after the checksum");
        }

        public CheckpointMismatchException Mismatch(string what) =>
            new CheckpointMismatchException("Checkpoint '" + _file + "' does not match the program: " + what + "; nothing was loaded.");

        /// <summary>After a mismatch: whether the rest of the file, up to its last four bytes, checksums to them (if not,
        /// the "mismatch" was a corrupted field).</summary>
        public bool RestMatchesChecksum()
        {
            long rest = _stream.Length - _stream.Position;   // Load's file stream is seekable
            if (rest < 4) return false;
            try
            {
                Skip(rest - 4);
                Span<byte> stored = stackalloc byte[4];
                return AtomicFile.Fill(_stream, stored) == 4 && BinaryPrimitives.ReadUInt32LittleEndian(stored) == _crc.Value;
            }
            catch (InvalidDataException)
            {
                return false;
            }
        }

        public InvalidDataException Corrupt(string what) =>
            new InvalidDataException("Checkpoint '" + _file + "' is corrupted (" + what + "); nothing was loaded.");
    }

    /// <summary>A well-formed field that does not fit the program (a shape, a name, a type); Load tells it apart from
    /// corruption by the checksum before reporting it.</summary>
    internal sealed class CheckpointMismatchException : Exception
    {
        public CheckpointMismatchException(string message) : base(message)
        {
        }
    }
}
