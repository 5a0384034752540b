using System.Text;
using Embeddings.Core.Corpus;
using Embeddings.Core.Formats.FastText;
using Embeddings.Core.Subwords;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Classification;

/// <summary>
/// The words and labels of a fastText-style classifier, and the encoding of a token list into input rows: the ids of
/// its known words, then of its hashed word n-grams, as fastText's <c>Dictionary::getLine</c> and <c>addWordNgrams</c>.
/// </summary>
internal sealed class FastTextDictionary
{
    /// <summary>fastText's end-of-line token: every example ends with it, so it is a word of every model.</summary>
    public const string EndOfLine = "</s>";

    /// <summary>fastText's multiplier when it folds a token's hash into an n-gram's.</summary>
    private const ulong NgramMultiplier = 116_049_371;

    private readonly Dictionary<string, int> _labelIds;

    public FastTextDictionary(Vocabulary words, IReadOnlyList<string> labels, IReadOnlyList<long> labelCounts, int wordNgrams, int buckets)
    {
        Words = words;
        Labels = [.. labels];
        LabelCounts = [.. labelCounts];
        WordNgrams = wordNgrams;
        Buckets = buckets;
        _labelIds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Labels.Length; i++)
        {
            _labelIds.Add(Labels[i], i);
        }
    }

    public Vocabulary Words { get; }

    public string[] Labels { get; }

    public long[] LabelCounts { get; }

    public int WordNgrams { get; }

    public int Buckets { get; }

    /// <summary>Input rows: one per word, then one per bucket.</summary>
    public long InputRows => (long)Words.Count + Buckets;

    /// <summary>
    /// Counts the words (with <see cref="EndOfLine"/> once per example) and labels of <paramref name="examples"/>, drops
    /// words seen fewer than <see cref="TextClassifierOptions.MinCount"/> times, adds the words of
    /// <paramref name="pretrained"/> (as fastText's <c>-pretrainedVectors</c> does), and sorts both by count, most
    /// frequent first (ties in order of first appearance).
    /// </summary>
    public static FastTextDictionary Build(IReadOnlyList<LabelledExample> examples, TextClassifierOptions options, WordVectors? pretrained)
    {
        var wordCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        var wordOrder = new List<string>();
        var labelCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        var labelOrder = new List<string>();
        foreach (LabelledExample example in examples)
        {
            foreach (string token in example.Tokens)
            {
                Count(wordCounts, wordOrder, token);
            }

            Count(wordCounts, wordOrder, EndOfLine);
            foreach (string label in example.Labels)
            {
                Count(labelCounts, labelOrder, label);
            }
        }

        List<string> kept = [.. wordOrder.Where(w => wordCounts[w] >= options.MinCount)];
        if (pretrained is not null)
        {
            var keptSet = new HashSet<string>(kept, StringComparer.Ordinal);
            for (int i = 0; i < pretrained.Count; i++)
            {
                string word = pretrained.Vocabulary[i];
                if (keptSet.Add(word))
                {
                    kept.Add(word);
                    wordCounts[word] = 1;
                }
                else
                {
                    wordCounts[word]++;
                }
            }
        }

        string[] words = [.. kept.OrderByDescending(w => wordCounts[w])];   // OrderBy is stable
        string[] labels = [.. labelOrder.OrderByDescending(l => labelCounts[l])];
        return new FastTextDictionary(
            Vocabulary.FromWordsInOrder(words, [.. words.Select(w => wordCounts[w])]),
            labels,
            [.. labels.Select(l => labelCounts[l])],
            options.WordNgrams,
            options.UsedBuckets);
    }

    private static void Count(Dictionary<string, long> counts, List<string> order, string key)
    {
        if (counts.TryGetValue(key, out long count))
        {
            counts[key] = count + 1;
        }
        else
        {
            counts.Add(key, 1);
            order.Add(key);
        }
    }

    /// <summary>The label's id, or -1 for a label the model does not know.</summary>
    public int LabelId(string label) => _labelIds.TryGetValue(label, out int id) ? id : -1;

    /// <summary>fastText 0.9.2's token hash (<see cref="FastTextSubwords.Hash(string)"/>).</summary>
    public static uint Hash(string token) => FastTextSubwords.Hash(token);

    /// <summary>fastText's shortest character n-gram of a word (supervised <c>-minn</c>); 0 in this library's own models.</summary>
    public int MinN { get; private init; }

    /// <summary>fastText's longest character n-gram of a word (supervised <c>-maxn</c>); 0 (none) in this library's own models.</summary>
    public int MaxN { get; private init; }

    /// <summary>Whether tokens with fastText's label prefix are dropped from the input, as fastText's <c>getLine</c> drops them.</summary>
    public bool DropsLabelTokens { get; private init; }

    /// <summary>The fastText file's dictionary, whose prune index (quantized models) maps n-gram buckets to rows; null for this library's own models.</summary>
    private FastTextDictionaryData? _file;

    /// <summary>With character n-grams: each word's input rows (its own, then its n-grams'), computed once as fastText's <c>initNgrams</c>.</summary>
    private int[][]? _wordRows;

    /// <summary>The dictionary of a supervised model read from a fastText file: its words, labels, n-gram settings and prune index.</summary>
    public static FastTextDictionary FromFastTextFile(FastTextDictionaryData data, FastTextArgs args)
    {
        var dictionary = new FastTextDictionary(
            Vocabulary.FromWordsInOrder(data.Words, data.WordCounts), [.. data.Labels.Select(WithoutPrefix)], data.LabelCounts, args.WordNgrams, args.Buckets)
        {
            MinN = args.MinN,
            MaxN = args.MaxN,
            DropsLabelTokens = true,
            _file = data,
        };
        if (args.MaxN > 0)
        {
            var rows = new List<int>();
            dictionary._wordRows = new int[data.Words.Count][];
            for (int id = 0; id < data.Words.Count; id++)
            {
                rows.Clear();
                rows.Add(id);
                dictionary.AddNgramRows(data.Words[id], rows);
                dictionary._wordRows[id] = [.. rows];
            }
        }

        return dictionary;

        // fastText keeps a label with its prefix; this library's labels are without it (LabelledData strips it).
        static string WithoutPrefix(string label) =>
            label.StartsWith(LabelledData.DefaultLabelPrefix, StringComparison.Ordinal) ? label[LabelledData.DefaultLabelPrefix.Length..] : label;
    }

    /// <summary>
    /// The input rows of a token list followed by <see cref="EndOfLine"/>, as fastText's <c>Dictionary::getLine</c>:
    /// each known word's id (with its character n-grams' rows when the model has them; an unknown word adds its n-grams'
    /// rows alone), then for each position the n-grams of 2…<see cref="WordNgrams"/> tokens (unknown words included)
    /// hashed as fastText's <c>addWordNgrams</c> into the rows after the words.
    /// </summary>
    public int[] Encode(IReadOnlyList<string> tokens)
    {
        var ids = new List<int>(tokens.Count * WordNgrams + 1);
        List<int>? hashes = Buckets > 0 ? new List<int>(tokens.Count + 1) : null;
        for (int i = 0; i <= tokens.Count; i++)
        {
            string token = i < tokens.Count ? tokens[i] : EndOfLine;
            if (DropsLabelTokens && token.StartsWith(LabelledData.DefaultLabelPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            bool known = Words.TryGetId(token, out int id);
            if (_wordRows is null)
            {
                if (known)
                {
                    ids.Add(id);
                }
            }
            else if (known)
            {
                ids.AddRange(_wordRows[id]);
            }
            else
            {
                AddNgramRows(token, ids);
            }

            // fastText keeps the hashes as int32 and widens them to uint64 with their sign, as below.
            hashes?.Add((int)Hash(token));
        }

        if (hashes is not null)
        {
            for (int i = 0; i < hashes.Count; i++)
            {
                ulong h = (ulong)(long)hashes[i];
                for (int j = i + 1; j < hashes.Count && j < i + WordNgrams; j++)
                {
                    h = h * NgramMultiplier + (ulong)(long)hashes[j];
                    AddBucketRow((int)(h % (ulong)Buckets), ids);
                }
            }
        }

        return [.. ids];
    }

    /// <summary>The rows of a word's character n-grams (none for <see cref="EndOfLine"/>).</summary>
    private void AddNgramRows(string word, List<int> rows)
    {
        var buckets = new List<int>();
        FastTextSubwords.AddNgramBuckets(word, MinN, MaxN, Buckets, buckets);
        foreach (int bucket in buckets)
        {
            AddBucketRow(bucket, rows);
        }
    }

    /// <summary>fastText's <c>pushHash</c>: a bucket's row after the words, unless a quantized model pruned the bucket.</summary>
    private void AddBucketRow(int bucket, List<int> rows)
    {
        int row = _file?.NgramRow(bucket) ?? Words.Count + bucket;
        if (row >= 0)
        {
            rows.Add(row);
        }
    }

    /// <summary>Splits raw text on the whitespace fastText's <c>readWord</c> splits on.</summary>
    public static string[] SplitText(string text) =>
        text.Split([' ', '\n', '\r', '\t', '\v', '\f', '\0'], StringSplitOptions.RemoveEmptyEntries);
}
