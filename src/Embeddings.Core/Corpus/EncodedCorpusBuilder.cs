namespace Embeddings.Core.Corpus;

/// <summary>
/// Encodes a corpus sentence by sentence from spans, without a string per token: the low-memory path from a token
/// file to an in-memory <see cref="EncodedCorpus"/>. Not thread-safe.
/// </summary>
public sealed class EncodedCorpusBuilder
{
    private readonly Vocabulary _vocabulary;
    private readonly int _maxSentenceLength;
    private readonly List<int> _sentenceEnds = [];
    private int[] _tokens;
    private int _length;
    private int _sentenceStart;

    /// <summary>Starts an empty corpus for <paramref name="vocabulary"/>.</summary>
    /// <param name="vocabulary">Words outside it are dropped.</param>
    /// <param name="maxSentenceLength">Longer sentences are split (gensim: 10,000).</param>
    public EncodedCorpusBuilder(Vocabulary vocabulary, int maxSentenceLength = EncodedCorpus.DefaultMaxSentenceLength)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSentenceLength, 1);
        _vocabulary = vocabulary;
        _maxSentenceLength = maxSentenceLength;

        // Sized for the corpus the vocabulary was counted on, so that one array is allocated.
        _tokens = new int[Math.Min(vocabulary.TotalTokens, Array.MaxLength)];
    }

    /// <summary>Adds one sentence given as whitespace-separated tokens (a line of a token file).</summary>
    /// <param name="text">The sentence.</param>
    public void AddSentence(ReadOnlySpan<char> text)
    {
        foreach (Range range in text.SplitAny(WhitespaceSplit.Separators))
        {
            if (range.End.Value > range.Start.Value && _vocabulary.TryGetId(text[range], out int id))
            {
                Append(id);
            }
        }

        EndSentence();
    }

    /// <summary>Adds one sentence of tokens.</summary>
    /// <param name="tokens">The sentence's tokens.</param>
    public void AddSentence(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        for (int i = 0; i < tokens.Count; i++)
        {
            if (_vocabulary.TryGetId(tokens[i], out int id))
            {
                Append(id);
            }
        }

        EndSentence();
    }

    /// <summary>The encoded corpus; the builder must not be used afterwards.</summary>
    public EncodedCorpus Build()
    {
        if (_length < _tokens.Length)
        {
            Array.Resize(ref _tokens, _length);
        }

        return new InMemoryEncodedCorpus(_tokens, [.. _sentenceEnds], _vocabulary.Count);
    }

    private void Append(int id)
    {
        if (_length == _tokens.Length)
        {
            if (_length == Array.MaxLength)
            {
                throw new InvalidOperationException("The corpus has more ids than an in-memory corpus holds; write it with EncodedCorpusFile.Write.");
            }

            Array.Resize(ref _tokens, (int)Math.Min(Array.MaxLength, Math.Max(16L, 2L * _length)));
        }

        _tokens[_length++] = id;
        if (_length - _sentenceStart == _maxSentenceLength)
        {
            EndSentence();
        }
    }

    private void EndSentence()
    {
        if (_length > _sentenceStart)
        {
            _sentenceEnds.Add(_length);
            _sentenceStart = _length;
        }
    }
}
