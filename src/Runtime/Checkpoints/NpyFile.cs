using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using GraphSampling.Runtime.Buffers;

namespace GraphSampling.Runtime.Checkpoints
{
    /// <summary>
    /// One table as a NumPy <c>.npy</c> file (format version 1.0): little-endian float32 (<c>'&lt;f4'</c>), C order, shape
    /// <c>(rows, width)</c>, or <c>(rows,)</c> for a table of width 1, rows in id order whatever the sharding, so
    /// <c>numpy.load</c> or <c>torch.from_numpy</c> reads it as the dense table.
    /// </summary>
    public static class NpyFile
    {
        private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];   // \x93 is one byte, not UTF-8

        /// <summary>Writes the table in id order (through a temporary file, renamed when complete).</summary>
        public static void Export(ParameterTable table, string path)
        {
            ArgumentNullException.ThrowIfNull(table);
            ArgumentException.ThrowIfNullOrEmpty(path);
            RequireLittleEndian();
            string shape = table.Width == 1 ? "(" + table.Rows + ",)" : "(" + table.Rows + ", " + table.Width + ")";
            string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
            // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n.
            int unpadded = 10 + dict.Length + 1;
            string header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
            var dense = new float[(long)table.Rows * table.Width];
            table.CopyToIdOrder(dense);
            AtomicFile.Write(path, file =>
            {
                file.Write(Magic);
                file.Write(new byte[] { 1, 0 });
                Span<byte> length = stackalloc byte[2];
                BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
                file.Write(length);
                file.Write(Encoding.ASCII.GetBytes(header));
                file.Write(MemoryMarshal.AsBytes(dense.AsSpan()));
            });
        }

        /// <summary>Loads the table from a <c>.npy</c> of float32 in C order with shape (rows, width), or (rows,) or
        /// (rows, 1) for width 1, in id order. Anything else throws naming the file and the table, with the table
        /// unchanged.</summary>
        public static void Import(ParameterTable table, string path)
        {
            ArgumentNullException.ThrowIfNull(table);
            ArgumentException.ThrowIfNullOrEmpty(path);
            RequireLittleEndian();
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            var prefix = new byte[10];
            ReadExactly(file, prefix, path, "the header");
            if (!prefix.AsSpan(0, 6).SequenceEqual(Magic)) throw Bad(path, table, "not a .npy file: the magic bytes \\x93NUMPY are missing");
            byte major = prefix[6];
            int headerLength;
            if (major == 1)
            {
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix.AsSpan(8));
            }
            else if (major == 2 || major == 3)
            {
                var rest = new byte[2];
                ReadExactly(file, rest, path, "the header");
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(new byte[] { prefix[8], prefix[9], rest[0], rest[1] });
                if (length > 1 << 20) throw Bad(path, table, "a header of " + length + " bytes");
                headerLength = (int)length;
            }
            else
            {
                throw Bad(path, table, "format version " + major + "." + prefix[7] + " is not supported");
            }
            if (headerLength > 1 << 20) throw Bad(path, table, "a header of " + headerLength + " bytes");
            var headerBytes = new byte[headerLength];
            ReadExactly(file, headerBytes, path, "the header");
            string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);

            string descr = Field(header, "descr", @"'([^']*)'", path, table);
            if (descr != "<f4") throw Bad(path, table, "dtype '" + descr + "'; only little-endian float32 ('<f4') is read");
            if (Field(header, "fortran_order", @"(True|False)", path, table) != "False") throw Bad(path, table, "Fortran order; only C order is read");
            string shapeText = Field(header, "shape", @"\(([^)]*)\)", path, table);
            var dims = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var shape = new long[dims.Length];
            for (int i = 0; i < dims.Length; i++)
            {
                if (!long.TryParse(dims[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i])) throw Bad(path, table, "shape (" + shapeText + ")");
            }
            bool fits = shape.Length == 2 ? shape[0] == table.Rows && shape[1] == table.Width
                : shape.Length == 1 && table.Width == 1 && shape[0] == table.Rows;
            if (!fits) throw Bad(path, table, "shape (" + shapeText + "); the table is " + table.Rows + " x " + table.Width);

            var dense = new float[(long)table.Rows * table.Width];
            ReadExactly(file, MemoryMarshal.AsBytes(dense.AsSpan()), path, "the values");
            if (file.ReadByte() != -1) throw Bad(path, table, "bytes after the " + dense.Length + " values");
            table.CopyFromIdOrder(dense);
        }

        private static string Field(string header, string key, string value, string path, ParameterTable table)
        {
            var m = Regex.Match(header, "'" + key + @"'\s*:\s*" + value);
            if (!m.Success) throw Bad(path, table, "no '" + key + "' in the header");
            return m.Groups[1].Value;
        }

        private static void ReadExactly(Stream s, Span<byte> destination, string path, string what)
        {
            if (AtomicFile.Fill(s, destination) < destination.Length) throw new InvalidDataException("'" + path + "' is truncated: it ends while reading " + what + ".");
        }

        private static InvalidDataException Bad(string path, ParameterTable table, string what) =>
            new InvalidDataException("Cannot import '" + path + "' into table '" + table.Name + "': " + what + ". The table is unchanged.");

        private static void RequireLittleEndian()
        {
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException(".npy files are written little-endian; this machine is big-endian.");
        }
    }
}
