using System;
using System.Collections.Generic;
using System.IO;
using GraphSampling.Runtime.Buffers;
using GraphSampling.Runtime.Optimizers;
using GraphSampling.Runtime.Sampling;

namespace GraphSampling.Runtime.Checkpoints
{
    /// <summary>
    /// One file holding everything a training run needs to continue bit-identically: every parameter table, the sampling
    /// <c>Step</c>, each sampler's state (learned-unigram counts), and optionally the optimizer's state and step count.
    /// <para>Format (version 1, little-endian): the magic <c>GSCKPT\r\n</c>, int32 version, int32 flags (0), int64 step;
    /// int32 table count, then per table its parameter name (the graph's, not the table's own), rows, width, shards, partition and rows x width floats in storage
    /// order; int32 sampler count, then per sampler its type name, rangeMax and its state bytes; one byte (1: optimizer
    /// state follows) with the optimizer's type name, its step count, its slot count and the tables that have state, each
    /// by name with its slots in id order; last, the CRC-32C of every byte before it. Names are int32-length-prefixed
    /// UTF-8. See docs/checkpoints.md.</para>
    /// <para>Loading reads the file twice: first to check the structure against the program, every shape and the
    /// checksum, then to fill the tables (optimizer state, learned counts and Step are swapped in last). A truncated,
    /// corrupted or mismatched file therefore throws before anything changes; only a file changed between the passes
    /// can leave tables partly loaded, and the error says so. Saving writes a unique temporary file beside the target,
    /// flushes it and renames it, so a failed save leaves any earlier checkpoint in place.</para>
    /// </summary>
    public static class Checkpoint
    {
        private const int Version = 1;
        private static ReadOnlySpan<byte> Magic => "GSCKPT\r\n"u8;

        /// <summary>Saves the program's parameters, Step and sampler state, and the optimizer's state when given.</summary>
        public static void Save(string path, IProgramState program, Optimizer? optimizer = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            ArgumentNullException.ThrowIfNull(program);
            RequireLittleEndian();
            if (optimizer != null && optimizer.InStep) throw new InvalidOperationException("Cannot save between the optimizer's BeginStep and EndStep.");
            AtomicFile.Write(path, file => Write(new ChecksummedWriter(file), program, optimizer));
        }

        /// <summary>Loads a checkpoint into the program (and the optimizer, when given; the file must then hold optimizer
        /// state of the same type). Throws <see cref="InvalidDataException"/> naming the file and the table for a
        /// truncated, corrupted or mismatched file, with nothing changed.</summary>
        public static void Load(string path, IProgramState program, Optimizer? optimizer = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            ArgumentNullException.ThrowIfNull(program);
            RequireLittleEndian();
            if (optimizer != null && optimizer.InStep) throw new InvalidOperationException("Cannot load between the optimizer's BeginStep and EndStep.");
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            var check = new ChecksummedReader(file, path);
            try
            {
                Read(check, program, optimizer, apply: false);
            }
            catch (CheckpointMismatchException mismatch)
            {
                // A flipped bit in a count, a shape or a name reads as a mismatch: tell corruption apart by the checksum.
                if (!check.RestMatchesChecksum()) throw check.Corrupt("its checksum does not match its contents");
                throw new InvalidDataException(mismatch.Message, mismatch);
            }
            file.Position = 0;
            try
            {
                Read(new ChecksummedReader(file, path), program, optimizer, apply: true);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or CheckpointMismatchException)
            {
                throw new InvalidDataException("Checkpoint '" + path + "' passed its checks but could not be read again (was it changed while loading?); "
                    + "the program's tables may be partly loaded, while Step, the samplers and the optimizer are unchanged.", e);
            }
        }

        private static void Write(ChecksummedWriter w, IProgramState program, Optimizer? optimizer)
        {
            w.Bytes(Magic);
            w.Int32(Version);
            w.Int32(0);
            w.Int64(program.Step);
            var tables = program.Parameters;
            var names = program.ParameterNames;
            if (names.Count != tables.Count) throw new ArgumentException("The program lists " + names.Count + " parameter names for " + tables.Count + " tables.", nameof(program));
            w.Int32(tables.Count);
            for (int i = 0; i < tables.Count; i++)
            {
                var t = tables[i];
                w.String(names[i]);
                w.Int32(t.Rows);
                w.Int32(t.Width);
                w.Int32(t.Shards);
                w.Int32((int)t.Partition);
                w.Floats(t.Data);
            }
            var samplers = program.Samplers;
            w.Int32(samplers.Count);
            foreach (var s in samplers)
            {
                w.String(s.GetType().Name);
                w.Int64(s.RangeMax);
                if (s is LearnedUnigramSampler learned)
                {
                    var state = new byte[learned.StateSizeInBytes];
                    learned.WriteState(state);
                    w.Int32(state.Length);
                    w.Bytes(state);
                }
                else
                {
                    w.Int32(0);
                }
            }
            w.Bytes(new[] { optimizer == null ? (byte)0 : (byte)1 });
            if (optimizer != null)
            {
                w.String(optimizer.GetType().Name);
                w.Int64(optimizer.Steps);
                w.Int32(optimizer.StateSlots);
                var withState = new List<(string Name, float[][] State)>();
                for (int i = 0; i < tables.Count; i++)
                {
                    var state = optimizer.ExistingState(tables[i]);
                    if (state != null) withState.Add((names[i], state));
                }
                w.Int32(withState.Count);
                foreach (var (name, state) in withState)
                {
                    w.String(name);
                    foreach (var slot in state) w.Floats(slot);
                }
            }
            w.Trailer();
        }

        /// <summary>One pass over the file. With apply false it checks everything (payloads only checksummed); with
        /// apply true, run only after a clean first pass, it fills the program and the optimizer.</summary>
        private static void Read(ChecksummedReader r, IProgramState program, Optimizer? optimizer, bool apply)
        {
            Span<byte> magic = stackalloc byte[Magic.Length];
            r.Bytes(magic);
            if (!magic.SequenceEqual(Magic)) throw r.Corrupt("not a GraphSampling checkpoint: the magic bytes GSCKPT are missing");
            int version = r.Int32();
            if (version != Version) throw r.Corrupt("version " + version + "; this library reads version " + Version);
            int flags = r.Int32();
            if (flags != 0) throw r.Corrupt("flags " + flags);
            long step = r.Int64();
            if (step < 0) throw r.Corrupt("Step " + step);

            var tables = program.Parameters;
            var names = program.ParameterNames;
            r.Reading = "the table count";
            int tableCount = r.Int32();
            if (tableCount != tables.Count)
            {
                throw Mismatch(r, "it holds " + tableCount + " table(s); the program has " + tables.Count + " (" + Names(names) + ")");
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int n = 0; n < tableCount; n++)
            {
                r.Reading = "a table's header";
                string name = r.String();
                int index = IndexOf(names, name);
                if (index < 0) throw Mismatch(r, "table '" + name + "' is not a parameter of the program (" + Names(names) + ")");
                if (!seen.Add(name)) throw r.Corrupt("table '" + name + "' appears twice");
                var table = tables[index];
                int rows = r.Int32(), width = r.Int32(), shards = r.Int32(), partition = r.Int32();
                if (rows != table.Rows || width != table.Width || shards != table.Shards || partition != (int)table.Partition)
                {
                    throw Mismatch(r, "table '" + name + "' was saved as " + rows + " x " + width + ", " + shards + " shard(s), " + PartitionName(partition)
                        + "; the program's is " + table.Rows + " x " + table.Width + ", " + table.Shards + " shard(s), " + table.Partition);
                }
                r.Reading = "the values of table '" + name + "'";
                if (apply) r.Floats(table.Data);
                else r.Skip(4L * table.Rows * table.Width);
            }

            var samplers = program.Samplers;
            var learnedStates = new List<(LearnedUnigramSampler Sampler, byte[] State)>();
            r.Reading = "the sampler count";
            int samplerCount = r.Int32();
            if (samplerCount != samplers.Count) throw Mismatch(r, "it holds " + samplerCount + " sampler(s); the program has " + samplers.Count);
            if (samplers.Count == 0 && step != 0) throw r.Corrupt("Step " + step + " saved by a program without samplers");
            for (int i = 0; i < samplers.Count; i++)
            {
                var sampler = samplers[i];
                r.Reading = "sampler " + i;
                string type = r.String();
                long rangeMax = r.Int64();
                if (type != sampler.GetType().Name || rangeMax != sampler.RangeMax)
                {
                    throw Mismatch(r, "sampler " + i + " was saved as a " + type + " over " + rangeMax + " classes; the program's is a "
                        + sampler.GetType().Name + " over " + sampler.RangeMax);
                }
                int bytes = r.Int32();
                long expected = sampler is LearnedUnigramSampler l ? l.StateSizeInBytes : 0;
                if (bytes != expected) throw r.Corrupt("sampler " + i + " has " + bytes + " state bytes; a " + type + " over " + rangeMax + " classes has " + expected);
                if (bytes == 0) continue;
                var state = new byte[bytes];
                r.Bytes(state);
                var learned = (LearnedUnigramSampler)sampler;
                try
                {
                    // The counts are checked on a scratch sampler; the program's own takes them once the file has
                    // been read to its checksum.
                    new LearnedUnigramSampler(learned.RangeMax, learned.Unique, learned.Seed, learned.Stream).ReadState(state);
                }
                catch (InvalidDataException e)
                {
                    throw r.Corrupt("sampler " + i + ": " + e.Message);
                }
                learnedStates.Add((learned, state));
            }

            r.Reading = "the optimizer flag";
            var flag = new byte[1];
            r.Bytes(flag);
            if (flag[0] > 1) throw r.Corrupt("optimizer flag " + flag[0]);
            bool hasOptimizer = flag[0] == 1;
            if (optimizer != null && !hasOptimizer) throw Mismatch(r, "it holds no optimizer state, and a " + optimizer.GetType().Name + " was given to load into");
            List<(ParameterTable Table, float[][] State)>? restored = null;
            long optimizerSteps = 0;
            if (hasOptimizer)
            {
                r.Reading = "the optimizer's header";
                string type = r.String();
                optimizerSteps = r.Int64();
                int slots = r.Int32();
                int count = r.Int32();
                if (optimizer != null && (type != optimizer.GetType().Name || slots != optimizer.StateSlots))
                {
                    throw Mismatch(r, "its optimizer state is a " + type + "'s (" + slots + " slot(s) per table); a " + optimizer.GetType().Name + " was given");
                }
                if (optimizerSteps < 0 || count < 0 || count > tables.Count || slots < 0 || slots > 16) throw r.Corrupt("optimizer header (steps " + optimizerSteps + ", " + count + " tables, " + slots + " slots)");
                restored = new List<(ParameterTable, float[][])>();
                var withState = new HashSet<string>(StringComparer.Ordinal);
                for (int i = 0; i < count; i++)
                {
                    r.Reading = "the optimizer state's table name";
                    string name = r.String();
                    int index = IndexOf(names, name);
                    if (index < 0) throw Mismatch(r, "optimizer state for table '" + name + "', which is not a parameter of the program");
                    if (!withState.Add(name)) throw r.Corrupt("optimizer state for table '" + name + "' appears twice");
                    var table = tables[index];
                    r.Reading = "the optimizer state of table '" + name + "'";
                    if (apply && optimizer != null)
                    {
                        var state = optimizer.StateForRestore(table);
                        foreach (var slot in state) r.Floats(slot);
                        restored.Add((table, state));
                    }
                    else
                    {
                        r.Skip(4L * slots * table.Rows * table.Width);
                    }
                }
            }
            r.Trailer();
            if (!apply) return;
            // Everything read and checked: the state that is swapped, not overwritten, changes last and all at once.
            foreach (var (learned, state) in learnedStates) learned.ReadState(state);
            program.Step = step;
            if (optimizer != null && restored != null) optimizer.ReplaceState(tables, restored, optimizerSteps);
        }

        private static int IndexOf(IReadOnlyList<string> names, string name)
        {
            for (int i = 0; i < names.Count; i++) if (names[i] == name) return i;
            return -1;
        }

        private static string Names(IReadOnlyList<string> names)
        {
            var quoted = new string[names.Count];
            for (int i = 0; i < quoted.Length; i++) quoted[i] = "'" + names[i] + "'";
            return quoted.Length == 0 ? "none" : string.Join(", ", quoted);
        }

        private static string PartitionName(int partition) => Enum.IsDefined(typeof(Partition), partition) ? ((Partition)partition).ToString() : "partition " + partition;

        private static CheckpointMismatchException Mismatch(ChecksummedReader r, string what) => r.Mismatch(what);

        private static void RequireLittleEndian()
        {
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Checkpoints are little-endian; this machine is big-endian.");
        }
    }
}
