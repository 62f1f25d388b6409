using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace LanguageModel;

/// <summary>
/// A token stream with word ids sorted by frequency (id 0 the most common, which is what the log-uniform sampler
/// assumes), split into training and held-out parts. Either generated from a seed, or read from a text file.
/// </summary>
public sealed class Corpus
{
    private Corpus(int[] tokens, int heldOutStart, string description, IReadOnlyList<string>? words)
    {
        Tokens = tokens;
        HeldOutStart = heldOutStart;
        Description = description;
        Words = words;
    }

    public int[] Tokens { get; }

    /// <summary>Positions from here on are held out (never trained on).</summary>
    public int HeldOutStart { get; }

    public string Description { get; }

    /// <summary>The word of each id for a text corpus (null for the synthetic one).</summary>
    public IReadOnlyList<string>? Words { get; }

    /// <summary>
    /// A synthetic language with Zipfian word frequencies and structure a model can learn: with probability 0.5 the next
    /// word is the fixed successor of the last word, with probability 0.2 the fixed successor of the word before it,
    /// otherwise a Zipf draw. Each word's successors are themselves Zipf draws (seeded by the word), so the frequencies
    /// stay Zipfian. Nothing is downloaded.
    /// </summary>
    public static Corpus Synthetic(int vocabulary, int length, int seed)
    {
        var cumulative = new double[vocabulary];
        double total = 0;
        for (int w = 0; w < vocabulary; w++) cumulative[w] = total += 1.0 / (w + 1);
        int Zipf(double u)
        {
            int i = Array.BinarySearch(cumulative, u * total);
            return Math.Min(i < 0 ? ~i : i, vocabulary - 1);
        }
        var first = new int[vocabulary];
        var second = new int[vocabulary];
        for (int w = 0; w < vocabulary; w++)
        {
            first[w] = Zipf(Unit((ulong)w * 2 + 1, seed));
            second[w] = Zipf(Unit((ulong)w * 2 + 2, seed));
        }
        var rng = new Random(seed);
        var tokens = new int[length];
        tokens[0] = Zipf(rng.NextDouble());
        tokens[1] = Zipf(rng.NextDouble());
        for (int t = 2; t < length; t++)
        {
            double r = rng.NextDouble();
            tokens[t] = r < 0.5 ? first[tokens[t - 1]] : r < 0.7 ? second[tokens[t - 2]] : Zipf(rng.NextDouble());
        }
        return new Corpus(tokens, length - length / 20, $"synthetic Zipfian language, {vocabulary:N0} words, {length:N0} tokens (seed {seed})", null);
    }

    /// <summary>The words of a text file (lower-cased runs of letters, digits and apostrophes), the most frequent
    /// <paramref name="vocabulary"/> - 1 kept and the rest &lt;unk&gt;; the last 5 % (at least
    /// <paramref name="minHeldOut"/> words) held out. Too short a text is an InvalidDataException saying how many words
    /// it needs.</summary>
    public static Corpus FromText(string path, int vocabulary, int minHeldOut)
    {
        var words = new List<string>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var word = new StringBuilder();
        foreach (string line in File.ReadLines(path))
        {
            foreach (char ch in line + " ")
            {
                if (char.IsLetterOrDigit(ch) || ch == '\'') { word.Append(char.ToLowerInvariant(ch)); continue; }
                if (word.Length == 0) continue;
                string w = word.ToString();
                word.Clear();
                words.Add(w);
                counts[w] = counts.TryGetValue(w, out int c) ? c + 1 : 1;
            }
        }
        int heldOut = Math.Max(words.Count / 20, minHeldOut);
        int needed = heldOut + 1000;   // and at least 1,000 to train on
        if (words.Count < needed) throw new InvalidDataException($"'{path}' has {words.Count:N0} words; the sample needs at least {needed:N0} (1,000 to train on and {heldOut:N0} held out).");
        var kept = counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(vocabulary - 1).Select(p => p.Key).ToList();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < kept.Count; i++) ids[kept[i]] = i;
        int unknown = kept.Count;
        kept.Add("<unk>");
        var tokens = words.Select(w => ids.TryGetValue(w, out int id) ? id : unknown).ToArray();
        int oov = tokens.Count(t => t == unknown);
        return new Corpus(tokens, tokens.Length - heldOut,
            $"'{Path.GetFileName(path)}', {tokens.Length:N0} words, {counts.Count:N0} distinct ({kept.Count - 1:N0} kept, {oov:N0} tokens <unk>)", kept);
    }

    /// <summary>A uniform number in [0, 1) from (key, seed): the same for a word on every run.</summary>
    private static double Unit(ulong key, int seed)
    {
        ulong x = key * 0x9E3779B97F4A7C15UL + (ulong)seed * 0xBF58476D1CE4E5B9UL;
        x ^= x >> 30; x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27; x *= 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (x >> 11) * (1.0 / (1UL << 53));
    }
}
