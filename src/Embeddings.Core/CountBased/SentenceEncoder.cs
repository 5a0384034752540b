using System.Runtime.InteropServices;
using Embeddings.Core.Corpus;

namespace Embeddings.Core.CountBased;

/// <summary>
/// Reads token sequences once: counts the words, builds the <see cref="Vocabulary"/> and keeps the corpus as word ids
/// with <see cref="Separator"/> between sentences. Out-of-vocabulary tokens are dropped before any window is taken
/// (as gensim and word2vec do), so a window spans <c>WindowSize</c> kept words.
/// </summary>
internal sealed class SentenceEncoder
{
    /// <summary>Marks a sentence boundary in <see cref="Ids"/>.</summary>
    public const int Separator = -1;

    private const int ChunkLength = 1 << 20;

    private SentenceEncoder(Vocabulary vocabulary, int[] ids, long sentences, long tokens, long keptTokens)
    {
        Vocabulary = vocabulary;
        Ids = ids;
        Sentences = sentences;
        Tokens = tokens;
        KeptTokens = keptTokens;
    }

    public Vocabulary Vocabulary { get; }

    /// <summary>Word ids of the kept tokens, sentences separated by <see cref="Separator"/>.</summary>
    public int[] Ids { get; }

    public long Sentences { get; }

    /// <summary>Tokens read.</summary>
    public long Tokens { get; }

    /// <summary>Tokens of vocabulary words.</summary>
    public long KeptTokens { get; }

    /// <summary>Reads <paramref name="sentences"/> once.</summary>
    /// <param name="sentences">The corpus.</param>
    /// <param name="minCount">Minimum count of a kept word.</param>
    /// <param name="maxVocabularySize">Keep at most this many words, or <see langword="null"/>.</param>
    /// <param name="tick">Called every 4,096 sentences with (sentences, tokens) read so far.</param>
    /// <param name="cancellationToken">Checked every 4,096 sentences.</param>
    /// <exception cref="ArgumentException">The corpus has more tokens than one array can hold.</exception>
    public static SentenceEncoder Encode(
        IEnumerable<IReadOnlyList<string>> sentences,
        int minCount,
        int? maxVocabularySize,
        Action<long, long>? tick,
        CancellationToken cancellationToken)
    {
        // Provisional ids in order of first appearance, then remapped to the vocabulary's frequency order.
        var provisionalIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = new List<string>();
        var counts = new List<long>();
        var chunks = new List<int[]>();
        int[] chunk = new int[ChunkLength];
        int used = 0;
        long sentenceCount = 0;
        long tokenCount = 0;

        foreach (IReadOnlyList<string> sentence in sentences)
        {
            ArgumentNullException.ThrowIfNull(sentence, nameof(sentences));
            if ((++sentenceCount & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                tick?.Invoke(sentenceCount, tokenCount);
            }

            int length = sentence.Count;
            for (int i = 0; i <= length; i++)
            {
                int id = Separator;
                if (i < length)
                {
                    string token = sentence[i];
                    ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(provisionalIds, token, out bool exists);
                    if (!exists)
                    {
                        slot = words.Count;
                        words.Add(token);
                        counts.Add(0);
                    }

                    id = slot;
                    counts[id]++;
                }

                if (used == chunk.Length)
                {
                    chunks.Add(chunk);
                    chunk = new int[ChunkLength];
                    used = 0;
                }

                chunk[used++] = id;
            }

            tokenCount += length;
        }

        chunks.Add(chunk);
        cancellationToken.ThrowIfCancellationRequested();

        var entries = new KeyValuePair<string, long>[words.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = new KeyValuePair<string, long>(words[i], counts[i]);
        }

        Vocabulary vocabulary = Vocabulary.FromCounts(entries, minCount, maxVocabularySize);
        var map = new int[words.Count];
        for (int i = 0; i < map.Length; i++)
        {
            map[i] = vocabulary.TryGetId(words[i], out int id) ? id : int.MinValue;
        }

        // Compact: drop out-of-vocabulary tokens and repeated or leading separators. First count, then fill.
        long length64 = 0;
        bool lastWasSeparator = true;
        long keptTokens = 0;
        for (int c = 0; c < chunks.Count; c++)
        {
            int end = c == chunks.Count - 1 ? used : ChunkLength;
            int[] current = chunks[c];
            for (int i = 0; i < end; i++)
            {
                int id = current[i];
                if (id == Separator)
                {
                    if (!lastWasSeparator)
                    {
                        length64++;
                        lastWasSeparator = true;
                    }
                }
                else if (map[id] >= 0)
                {
                    length64++;
                    keptTokens++;
                    lastWasSeparator = false;
                }
            }
        }

        if (length64 > Array.MaxLength)
        {
            throw new ArgumentException(
                $"The corpus holds {keptTokens:N0} tokens of vocabulary words, more than one array of ids can hold; raise MinCount or train on part of it.",
                nameof(sentences));
        }

        var ids = new int[length64];
        int written = 0;
        lastWasSeparator = true;
        for (int c = 0; c < chunks.Count; c++)
        {
            int end = c == chunks.Count - 1 ? used : ChunkLength;
            int[] current = chunks[c];
            chunks[c] = [];
            for (int i = 0; i < end; i++)
            {
                int id = current[i];
                if (id == Separator)
                {
                    if (!lastWasSeparator)
                    {
                        ids[written++] = Separator;
                        lastWasSeparator = true;
                    }
                }
                else if (map[id] >= 0)
                {
                    ids[written++] = map[id];
                    lastWasSeparator = false;
                }
            }
        }

        return new SentenceEncoder(vocabulary, ids, sentenceCount, tokenCount, keptTokens);
    }
}
