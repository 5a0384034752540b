namespace Embeddings.Core.Corpus;

/// <summary>
/// A corpus as word ids with sentence bounds: what trainers read, epoch after epoch. Out-of-vocabulary tokens are
/// dropped when encoding, sentences left empty are skipped, and sentences longer than the maximum length are split
/// (gensim: 10,000). Held in memory (<see cref="Encode"/>) or streamed from a file in chunks (<see cref="EncodedCorpusFile"/>)
/// for corpora larger than memory. Both hand out the same <see cref="CorpusChunk"/>s.
/// </summary>
public abstract class EncodedCorpus
{
    /// <summary>The longest sentence gensim trains on; longer ones are split.</summary>
    public const int DefaultMaxSentenceLength = 10_000;

    /// <summary>The number of ids.</summary>
    public abstract long TokenCount { get; }

    /// <summary>The number of sentences (after splitting long ones).</summary>
    public abstract long SentenceCount { get; }

    /// <summary>The size of the vocabulary the ids index into.</summary>
    public abstract int VocabularySize { get; }

    /// <summary>
    /// Reads the corpus as chunks of whole sentences, each of about <paramref name="targetTokens"/> ids
    /// (a chunk ends at the first sentence end at or past the target). Chunks own their arrays.
    /// </summary>
    /// <param name="targetTokens">The size to aim for, at least 1.</param>
    /// <param name="cancellationToken">Checked between chunks.</param>
    public abstract IEnumerable<CorpusChunk> ReadChunks(int targetTokens = 1 << 16, CancellationToken cancellationToken = default);

    /// <summary>Encodes token sequences in memory.</summary>
    /// <param name="sentences">Token sequences, e.g. a text pipeline's output.</param>
    /// <param name="vocabulary">Tokens outside it are dropped.</param>
    /// <param name="maxSentenceLength">Longer sentences are split into pieces of this length.</param>
    /// <param name="cancellationToken">Checked every few thousand sentences.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSentenceLength"/> &lt; 1.</exception>
    /// <exception cref="InvalidOperationException">More than 2³¹ − 1 ids: use <see cref="EncodedCorpusFile"/>.</exception>
    public static EncodedCorpus Encode(
        IEnumerable<IReadOnlyList<string>> sentences,
        Vocabulary vocabulary,
        int maxSentenceLength = DefaultMaxSentenceLength,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSentenceLength, 1);
        var builder = new EncodedCorpusBuilder(vocabulary, maxSentenceLength);
        long seen = 0;
        foreach (IReadOnlyList<string> sentence in sentences)
        {
            if ((++seen & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            builder.AddSentence(sentence);
        }

        return builder.Build();
    }

    /// <summary>Encodes sentences already given as ids (each id must be below <paramref name="vocabularySize"/>).</summary>
    /// <param name="sentences">Id sequences; empty ones are skipped.</param>
    /// <param name="vocabularySize">The number of words the ids index.</param>
    /// <exception cref="ArgumentOutOfRangeException">An id is negative or too large.</exception>
    public static EncodedCorpus FromIds(IEnumerable<IReadOnlyList<int>> sentences, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var tokens = new List<int>();
        var sentenceEnds = new List<int>();
        foreach (IReadOnlyList<int> sentence in sentences)
        {
            foreach (int id in sentence)
            {
                if ((uint)id >= (uint)vocabularySize)
                {
                    throw new ArgumentOutOfRangeException(nameof(sentences), id, $"Id {id} is outside the vocabulary of {vocabularySize} words.");
                }

                tokens.Add(id);
            }

            if (sentence.Count > 0)
            {
                sentenceEnds.Add(tokens.Count);
            }
        }

        return new InMemoryEncodedCorpus([.. tokens], [.. sentenceEnds], vocabularySize);
    }

    /// <summary>Turns token sequences into id pieces of at most <paramref name="maxSentenceLength"/> (one shared, reused buffer).</summary>
    internal static IEnumerable<ReadOnlyMemory<int>> EncodeSentences(
        IEnumerable<IReadOnlyList<string>> sentences, Vocabulary vocabulary, int maxSentenceLength, CancellationToken cancellationToken)
    {
        var buffer = new int[maxSentenceLength];
        long seen = 0;
        foreach (IReadOnlyList<string> sentence in sentences)
        {
            if ((++seen & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            int length = 0;
            for (int i = 0; i < sentence.Count; i++)
            {
                if (vocabulary.TryGetId(sentence[i], out int id))
                {
                    buffer[length++] = id;
                    if (length == maxSentenceLength)
                    {
                        yield return buffer;
                        length = 0;
                    }
                }
            }

            if (length > 0)
            {
                yield return buffer.AsMemory(0, length);
            }
        }
    }
}

/// <summary>A run of whole sentences from an <see cref="EncodedCorpus"/>.</summary>
/// <param name="Tokens">The ids of the chunk's sentences, back to back.</param>
/// <param name="SentenceEnds">For each sentence, the exclusive end of its ids in <paramref name="Tokens"/>.</param>
/// <param name="FirstToken">The index of the chunk's first id in the whole corpus (for progress and exact resume).</param>
public readonly record struct CorpusChunk(ReadOnlyMemory<int> Tokens, ReadOnlyMemory<int> SentenceEnds, long FirstToken)
{
    /// <summary>The number of sentences in the chunk.</summary>
    public int SentenceCount => SentenceEnds.Length;

    /// <summary>The ids of sentence <paramref name="index"/> of the chunk.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="SentenceCount"/>.</param>
    public ReadOnlySpan<int> Sentence(int index)
    {
        ReadOnlySpan<int> ends = SentenceEnds.Span;
        int start = index == 0 ? 0 : ends[index - 1];
        return Tokens.Span[start..ends[index]];
    }
}

/// <summary>An encoded corpus held in two arrays.</summary>
internal sealed class InMemoryEncodedCorpus(int[] tokens, int[] sentenceEnds, int vocabularySize) : EncodedCorpus
{
    public override long TokenCount => tokens.Length;

    public override long SentenceCount => sentenceEnds.Length;

    public override int VocabularySize => vocabularySize;

    public override IEnumerable<CorpusChunk> ReadChunks(int targetTokens = 1 << 16, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetTokens, 1);
        int sentence = 0;
        int start = 0;
        while (sentence < sentenceEnds.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int firstSentence = sentence;
            while (sentence < sentenceEnds.Length && sentenceEnds[sentence] - start < targetTokens)
            {
                sentence++;
            }

            if (sentence < sentenceEnds.Length)
            {
                sentence++; // the sentence that reaches the target closes the chunk
            }

            int end = sentenceEnds[sentence - 1];
            int[] ends = new int[sentence - firstSentence];
            for (int i = 0; i < ends.Length; i++)
            {
                ends[i] = sentenceEnds[firstSentence + i] - start;
            }

            yield return new CorpusChunk(tokens.AsMemory(start, end - start), ends, start);
            start = end;
        }
    }
}
