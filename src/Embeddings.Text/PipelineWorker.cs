using Embeddings.Text.Normalization;

namespace Embeddings.Text;

/// <summary>
/// One thread's scratch for a <see cref="TextPipeline"/>: two buffers that the normalisation steps write
/// into in turn, a stem buffer, and a cache from surface token to final token. The cache makes repeated
/// words (most of any corpus) cost one lookup instead of a stemming pass and a string allocation.
/// </summary>
internal sealed class PipelineWorker
{
    private const int CacheLimit = 200_000;

    private readonly TextPipelineOptions _options;
    private readonly Dictionary<string, string> _cache = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _cacheLookup;
    private char[] _front = new char[1024];
    private char[] _back = new char[1024];
    private char[] _stem = new char[64];

    public PipelineWorker(TextPipelineOptions options)
    {
        _options = options;
        _cacheLookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public ReadOnlySpan<char> Normalize(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<char> current = text;
        foreach (NormalizationStep step in _options.NormalizationSteps)
        {
            int length = step.Apply(current, ref _front);
            current = _front.AsSpan(0, length);
            (_front, _back) = (_back, _front); // the next step reads what this one wrote
        }

        return current;
    }

    public int Tokenize(ReadOnlySpan<char> text, ICollection<string> destination)
    {
        ReadOnlySpan<char> normalized = Normalize(text);
        int count = 0;
        int position = 0;
        while (_options.Tokenizer.TryReadToken(normalized, ref position, out Range range))
        {
            ReadOnlySpan<char> token = normalized[range];
            if (token.Length < _options.MinTokenLength || (_options.Stopwords?.Contains(token) ?? false))
            {
                continue;
            }

            destination.Add(FinalToken(token));
            count++;
        }

        return count;
    }

    private string FinalToken(ReadOnlySpan<char> token)
    {
        if (_cacheLookup.TryGetValue(token, out string? cached))
        {
            return cached;
        }

        string surface = token.ToString();
        string result = surface;
        if (_options.Stemmer is { } stemmer)
        {
            if (_stem.Length < token.Length)
            {
                _stem = new char[token.Length * 2];
            }

            int length = stemmer.Stem(token, _stem);
            result = token.SequenceEqual(_stem.AsSpan(0, length)) ? surface : new string(_stem, 0, length);
        }

        if (_cache.Count >= CacheLimit)
        {
            _cache.Clear(); // a crude bound: corpora with huge vocabularies must not grow it without end
        }

        _cache[surface] = result;
        return result;
    }
}
