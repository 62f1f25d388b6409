using System;
using System.IO;
using System.Linq;
using System.Text;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Checkpoints;
using Xunit;

namespace GraphSampling.Runtime.Tests.Checkpoints;

/// <summary>One table as NumPy's .npy (format 1.0): the bytes NumPy documents, id order for any sharding, and imports
/// that refuse what does not fit without touching the table.</summary>
public sealed class NpyFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gs-npy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static ParameterTable Table(int rows, int width, int shards, Partition partition)
    {
        var t = new ParameterTable("w", rows, width, shards, partition);
        for (long id = 0; id < rows; id++)
        {
            var row = t.Row(id);
            for (int j = 0; j < width; j++) row[j] = id * 100 + j + 0.25f;   // value = id.column, whatever the storage order
        }
        return t;
    }

    [Fact]
    public void Export_writes_the_documented_header_and_the_rows_in_id_order()
    {
        var t = Table(5, 3, shards: 2, Partition.Mod);
        string file = PathOf("w.npy");
        NpyFile.Export(t, file);
        var bytes = File.ReadAllBytes(file);

        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes.Take(8).ToArray());
        int headerLength = bytes[8] | bytes[9] << 8;
        Assert.Equal(0, (10 + headerLength) % 64);   // NumPy aligns the data to 64 bytes
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Equal("{'descr': '<f4', 'fortran_order': False, 'shape': (5, 3), }", header.TrimEnd(' ', '\n'));
        Assert.EndsWith("\n", header);

        var values = new float[15];
        Buffer.BlockCopy(bytes, 10 + headerLength, values, 0, 60);
        Assert.Equal(Enumerable.Range(0, 15).Select(i => i / 3 * 100 + i % 3 + 0.25f), values);
        Assert.Equal(10 + headerLength + 60, bytes.Length);
    }

    [Fact]
    public void A_table_of_width_one_is_a_vector()
    {
        NpyFile.Export(Table(7, 1, 1, Partition.Div), PathOf("b.npy"));
        var bytes = File.ReadAllBytes(PathOf("b.npy"));
        Assert.Contains("'shape': (7,), }", Encoding.ASCII.GetString(bytes, 10, bytes[8] | bytes[9] << 8));
    }

    [Theory]
    [InlineData(1, Partition.Div)]
    [InlineData(3, Partition.Mod)]
    [InlineData(2, Partition.Div)]
    public void Export_then_import_into_any_sharding_gives_the_same_table(int shards, Partition partition)
    {
        var source = Table(10, 4, shards: 3, Partition.Mod);
        NpyFile.Export(source, PathOf("t.npy"));
        var target = new ParameterTable("w", 10, 4, shards, partition);
        NpyFile.Import(target, PathOf("t.npy"));
        for (long id = 0; id < 10; id++) Assert.Equal(source.Row(id).ToArray(), target.Row(id).ToArray());
    }

    [Fact]
    public void A_file_that_does_not_fit_is_refused_naming_the_file_and_the_table_and_the_table_is_unchanged()
    {
        var table = Table(5, 3, 1, Partition.Div);
        var before = table.Data.ToArray();
        string good = PathOf("good.npy");
        NpyFile.Export(table, good);
        var bytes = File.ReadAllBytes(good);
        string header = Encoding.ASCII.GetString(bytes, 10, bytes[8] | bytes[9] << 8);

        void Refused(string name, byte[] content, string expected)
        {
            string file = PathOf(name);
            File.WriteAllBytes(file, content);
            var e = Assert.Throws<InvalidDataException>(() => NpyFile.Import(table, file));
            Assert.Contains(expected, e.Message);
            Assert.Contains(file, e.Message);
            Assert.Equal(before, table.Data.ToArray());
        }

        byte[] WithHeader(string replacement) => bytes.Take(10).Concat(Encoding.ASCII.GetBytes(replacement.PadRight(header.Length - 1) + "\n")).Concat(bytes.Skip(10 + header.Length)).ToArray();

        Refused("f8.npy", WithHeader(header.TrimEnd().Replace("<f4", "<f8")), "dtype '<f8'");
        Refused("fortran.npy", WithHeader(header.TrimEnd().Replace("False", "True")), "Fortran order");
        Refused("shape.npy", WithHeader(header.TrimEnd().Replace("(5, 3)", "(3, 5)")), "shape (3, 5); the table is 5 x 3");
        Refused("short.npy", bytes.Take(bytes.Length - 4).ToArray(), "truncated");
        Refused("long.npy", bytes.Concat(new byte[4]).ToArray(), "bytes after the 15 values");
        Refused("magic.npy", bytes.Skip(1).ToArray(), "magic bytes");
        Assert.Contains("table 'w'", Assert.Throws<InvalidDataException>(() =>
        {
            File.WriteAllBytes(PathOf("x.npy"), WithHeader(header.TrimEnd().Replace("<f4", ">f4")));
            NpyFile.Import(table, PathOf("x.npy"));
        }).Message);
    }
}
