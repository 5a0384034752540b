using Embeddings.Core.Vectors;

namespace Embeddings.Core.Evaluation;

/// <summary>
/// gensim's <c>ok_vocab</c>: the first <c>restrict_vocab</c> words, looked up as written or, case-insensitively, by their
/// Python upper-case form, where the first (most frequent) of several case variants wins. Each word maps to a
/// canonical id: its own id, or that of the variant that won.
/// </summary>
internal sealed class RestrictedVocabulary
{
    private readonly WordVectors _vectors;
    private readonly Dictionary<string, int>? _upperIds;
    private readonly int[]? _canonical;

    public RestrictedVocabulary(WordVectors vectors, int restrictVocab, bool caseInsensitive)
    {
        _vectors = vectors;
        Limit = Math.Min(restrictVocab, vectors.Count);
        CaseInsensitive = caseInsensitive;
        if (caseInsensitive)
        {
            _upperIds = new Dictionary<string, int>(Limit, StringComparer.Ordinal);
            _canonical = new int[Limit];
            for (int id = 0; id < Limit; id++)
            {
                string upper = PythonCase.ToUpper(vectors.Vocabulary[id]);
                _canonical[id] = _upperIds.TryAdd(upper, id) ? id : _upperIds[upper];
            }
        }
    }

    /// <summary>Rows 0 to Limit − 1 are in the restricted vocabulary.</summary>
    public int Limit { get; }

    /// <summary>Whether words are compared by their upper-case form.</summary>
    public bool CaseInsensitive { get; }

    /// <summary>The canonical id of a word from a test file, or −1 if it is outside the restricted vocabulary.</summary>
    public int Find(string word)
    {
        if (_upperIds is not null)
        {
            return _upperIds.TryGetValue(PythonCase.ToUpper(word), out int id) ? id : -1;
        }

        return _vectors.Vocabulary.TryGetId(word, out int exact) && exact < Limit ? exact : -1;
    }

    /// <summary>The canonical id of row <paramref name="id"/> (&lt; <see cref="Limit"/>).</summary>
    public int Canonical(int id) => _canonical is null ? id : _canonical[id];
}
