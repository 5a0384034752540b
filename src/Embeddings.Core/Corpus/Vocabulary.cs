using System.Collections.Frozen;
using Embeddings.Core.IO;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Corpus;

/// <summary>
/// The words of a corpus with their counts. Ids run from 0 (the most frequent word) upwards: count descending,
/// ties broken by the words' ordinal (UTF-16) order, so a vocabulary is the same whatever order it was counted in.
/// Immutable and safe to share between threads.
/// </summary>
public sealed class Vocabulary
{
    private readonly string[] _words;
    private readonly long[] _counts;
    private readonly FrozenDictionary<string, int> _ids;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _idLookup;

    private Vocabulary(string[] words, long[] counts, long totalTokens)
    {
        _words = words;
        _counts = counts;
        TotalTokens = totalTokens;
        var ids = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++)
        {
            ids.Add(words[i], i);
        }

        _ids = ids.ToFrozenDictionary(StringComparer.Ordinal);
        _idLookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The number of words kept.</summary>
    public int Count => _words.Length;

    /// <summary>The number of tokens of the kept words in the counted corpus (gensim's <c>corpus_total_words</c> after trimming).</summary>
    public long TotalTokens { get; }

    /// <summary>The words by id.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>The word with id <paramref name="id"/>.</summary>
    /// <param name="id">0 ≤ id &lt; <see cref="Count"/>.</param>
    public string this[int id] => _words[id];

    /// <summary>
    /// Counts the tokens of <paramref name="sentences"/> and keeps the words seen at least <paramref name="minCount"/> times,
    /// at most <paramref name="maxSize"/> of them (the rarest dropped first).
    /// </summary>
    /// <param name="sentences">Token sequences, e.g. the output of a text pipeline.</param>
    /// <param name="minCount">Minimum count to keep a word (word2vec/fastText <c>min_count</c>/<c>-minCount</c>; gensim default 5).</param>
    /// <param name="maxSize">Keep at most this many words; <see langword="null"/> for no limit.</param>
    /// <param name="threads">Counting threads; the sentences are still read on the calling thread, once, in order.</param>
    /// <param name="cancellationToken">Checked every few thousand sentences.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minCount"/>, <paramref name="maxSize"/> or <paramref name="threads"/> is below 1.</exception>
    public static Vocabulary Build(
        IEnumerable<IReadOnlyList<string>> sentences,
        int minCount = 5,
        int? maxSize = null,
        int threads = 1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (maxSize is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(maxSize));
        }

        if (threads == 1)
        {
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            long seen = 0;
            foreach (IReadOnlyList<string> sentence in sentences)
            {
                if ((++seen & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                CountTokens(sentence, counts);
            }

            return FromCounts(counts, minCount, maxSize);
        }

        // Each worker counts into its own dictionary the batches of sentences it takes in turn from the one reader;
        // the dictionaries are merged once at the end (sums of counts, so the order does not matter).
        const int BatchSize = 256;
        var partials = new Dictionary<string, long>[threads];
        var gate = new object();
        bool exhausted = false;
        using (IEnumerator<IReadOnlyList<string>> reader = sentences.GetEnumerator())
        using (var gang = new WorkerGang(threads))
        {
            gang.Run(worker =>
            {
                var counts = partials[worker] = new Dictionary<string, long>(StringComparer.Ordinal);
                var batch = new List<IReadOnlyList<string>>(BatchSize);
                do
                {
                    batch.Clear();
                    lock (gate)
                    {
                        while (!exhausted && batch.Count < BatchSize && !cancellationToken.IsCancellationRequested)
                        {
                            exhausted = !reader.MoveNext();
                            if (!exhausted)
                            {
                                batch.Add(reader.Current);
                            }
                        }
                    }

                    foreach (IReadOnlyList<string> sentence in batch)
                    {
                        CountTokens(sentence, counts);
                    }
                }
                while (batch.Count > 0);
            });
        }

        cancellationToken.ThrowIfCancellationRequested();
        Dictionary<string, long> merged = partials.MaxBy(p => p.Count) ?? new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Dictionary<string, long> partial in partials)
        {
            if (!ReferenceEquals(partial, merged))
            {
                foreach ((string word, long count) in partial)
                {
                    merged[word] = merged.GetValueOrDefault(word) + count;
                }
            }
        }

        return FromCounts(merged, minCount, maxSize);
    }

    private static void CountTokens(IReadOnlyList<string> sentence, Dictionary<string, long> counts)
    {
        for (int i = 0; i < sentence.Count; i++)
        {
            ref long count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, sentence[i], out _);
            count++;
        }
    }

    /// <summary>Builds a vocabulary from word counts you already have.</summary>
    /// <param name="counts">Word → count (counts ≥ 1).</param>
    /// <param name="minCount">Minimum count to keep a word.</param>
    /// <param name="maxSize">Keep at most this many words; <see langword="null"/> for no limit.</param>
    public static Vocabulary FromCounts(IEnumerable<KeyValuePair<string, long>> counts, int minCount = 1, int? maxSize = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        var kept = new List<KeyValuePair<string, long>>();
        foreach (KeyValuePair<string, long> entry in counts)
        {
            if (entry.Value >= minCount)
            {
                kept.Add(entry);
            }
        }

        kept.Sort(static (a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key, b.Key));
        if (maxSize is { } max && kept.Count > max)
        {
            kept.RemoveRange(max, kept.Count - max);
        }

        var words = new string[kept.Count];
        var wordCounts = new long[kept.Count];
        long total = 0;
        for (int i = 0; i < kept.Count; i++)
        {
            words[i] = kept[i].Key;
            wordCounts[i] = kept[i].Value;
            total += kept[i].Value;
        }

        return new Vocabulary(words, wordCounts, total);
    }

    /// <summary>
    /// A vocabulary whose ids follow the order given, as read from a vectors file (word2vec, fastText and GloVe files
    /// list words by descending frequency but carry no counts).
    /// </summary>
    /// <param name="words">The words, id 0 first; no duplicates, no empty words.</param>
    /// <param name="counts">Their counts, or <see langword="null"/> to assign descending placeholder counts
    /// (<c>Count − id</c>, as gensim does) so that frequency order still holds.</param>
    /// <exception cref="ArgumentException">A word is empty or repeated, or the counts do not match the words.</exception>
    public static Vocabulary FromWordsInOrder(IReadOnlyList<string> words, IReadOnlyList<long>? counts = null)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (counts is not null && counts.Count != words.Count)
        {
            throw new ArgumentException($"{counts.Count} counts were given for {words.Count} words.", nameof(counts));
        }

        var seen = new HashSet<string>(words.Count, StringComparer.Ordinal);
        var wordArray = new string[words.Count];
        var countArray = new long[words.Count];
        long total = 0;
        for (int i = 0; i < words.Count; i++)
        {
            string word = words[i];
            if (string.IsNullOrEmpty(word))
            {
                throw new ArgumentException($"Word {i} is empty.", nameof(words));
            }

            if (!seen.Add(word))
            {
                throw new ArgumentException($"Word '{word}' appears twice (ids {Array.IndexOf(wordArray, word)} and {i}).", nameof(words));
            }

            wordArray[i] = word;
            countArray[i] = counts?[i] ?? words.Count - i;
            total += countArray[i];
        }

        return new Vocabulary(wordArray, countArray, total);
    }

    /// <summary>How often the word with id <paramref name="id"/> occurred.</summary>
    /// <param name="id">0 ≤ id &lt; <see cref="Count"/>.</param>
    public long GetCount(int id) => _counts[id];

    /// <summary>Looks up a word's id.</summary>
    /// <param name="word">The word.</param>
    /// <param name="id">Its id, or -1.</param>
    /// <returns>Whether the word is in the vocabulary.</returns>
    public bool TryGetId(ReadOnlySpan<char> word, out int id)
    {
        if (_idLookup.TryGetValue(word, out id))
        {
            return true;
        }

        id = -1;
        return false;
    }

    /// <summary>Whether <paramref name="word"/> is in the vocabulary.</summary>
    /// <param name="word">The word.</param>
    public bool Contains(string word) => _ids.ContainsKey(word);

    /// <summary>
    /// The probability of keeping each occurrence of each word when subsampling frequent words, with gensim's formula:
    /// keep = (√(f / (s·T)) + 1) · (s·T) / f, capped at 1, where f is the word's count, T = <see cref="TotalTokens"/>
    /// and s = <paramref name="threshold"/>.
    /// </summary>
    /// <param name="threshold">gensim <c>sample</c>, fastText <c>-t</c> (default 1e-3 in gensim, 1e-4 in fastText);
    /// 0 disables subsampling (every probability is 1). As in gensim, a value ≥ 1 is read as a count rather than a
    /// fraction (s·T becomes ⌊threshold · (3 + √5) / 2⌋).</param>
    /// <returns>One keep probability per id.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is negative or not finite.</exception>
    public double[] SubsamplingKeepProbabilities(double threshold)
    {
        if (!double.IsFinite(threshold) || threshold < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The subsampling threshold must be 0 (off) or a small positive number such as 1e-3.");
        }

        var keep = new double[_counts.Length];
        double thresholdCount = threshold < 1 ? threshold * TotalTokens : Math.Floor(threshold * (3 + Math.Sqrt(5)) / 2);
        for (int i = 0; i < keep.Length; i++)
        {
            double f = _counts[i];
            keep[i] = threshold == 0 ? 1.0 : Math.Min(1.0, (Math.Sqrt(f / thresholdCount) + 1) * thresholdCount / f);
        }

        return keep;
    }

    /// <summary>
    /// Saves the vocabulary as <c>word count</c> lines in id order (word2vec.c's <c>-save-vocab</c> format), atomically:
    /// the file appears complete or not at all.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        IO.AtomicFile.Write(path, this, static (stream, vocabulary) =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            vocabulary.WriteCounts(writer);
        });
    }

    /// <summary>
    /// Loads a vocabulary saved by <see cref="Save"/> or by word2vec.c's <c>-save-vocab</c>: <c>word count</c> lines,
    /// ids in file order.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">A malformed line, a repeated word or a count below 1; the message names the file and line.</exception>
    public static Vocabulary Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FilePaths.ThrowIfFolder(path);
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var words = new List<string>();
        var counts = new List<long>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineNumber = 0;
        var lines = new BoundedLineReader(reader, path, BoundedLineReader.DefaultMaxLineLength, LongLineHandling.Error);
        while (lines.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            int space = line.LastIndexOf(' ');
            if (space <= 0 || !long.TryParse(line.AsSpan(space + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long count) || count < 1)
            {
                throw new InvalidDataException($"'{path}' line {lineNumber}: expected 'word count' with a count of at least 1, found '{Truncate(line)}'.");
            }

            string word = line[..space];
            if (!seen.TryAdd(word, lineNumber))
            {
                throw new InvalidDataException($"'{path}' line {lineNumber}: '{Truncate(word)}' already appeared on line {seen[word]}.");
            }

            words.Add(word);
            counts.Add(count);
        }

        return FromWordsInOrder(words, counts);

        static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "…";
    }

    /// <summary>Writes <c>word count</c> lines in id order (count descending, then word), as <c>embeddings vocab</c> prints them.</summary>
    /// <param name="writer">Where to write; not closed.</param>
    public void WriteCounts(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        for (int i = 0; i < _words.Length; i++)
        {
            writer.Write(_words[i]);
            writer.Write(' ');
            writer.WriteLine(_counts[i]);
        }
    }
}
