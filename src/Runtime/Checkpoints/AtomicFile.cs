using System;
using System.IO;

namespace GraphSampling.Runtime.Checkpoints
{
    /// <summary>Writes a file so that its name never holds a half-written one: a unique temporary beside it, flushed to
    /// disk, then renamed over it (a failed or concurrent write leaves any earlier file in place).</summary>
    internal static class AtomicFile
    {
        public static void Write(string path, Action<FileStream> write)
        {
            string temporary = path + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".partial";
            try
            {
                using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
                {
                    write(file);
                    file.Flush(flushToDisk: true);
                }
                File.Move(temporary, path, overwrite: true);
            }
            catch
            {
                TryDelete(temporary);
                throw;
            }
        }

        private static void TryDelete(string path)
        {
            try { File.Delete(path); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        /// <summary>Reads destination.Length bytes, or fewer only at the end of the stream; returns how many.</summary>
        public static int Fill(Stream stream, Span<byte> destination) => stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
    }
}
