namespace Embeddings.Text.Stemming;

/// <summary>
/// A suffix list with Snowball's <c>among</c> semantics: the longest listed suffix that ends the word (and, when
/// asked, starts at or after a region) wins, with the rule given for it. Entries are bucketed by their last letter
/// and sorted longest first, so a lookup reads only the few suffixes that could match.
/// </summary>
/// <typeparam name="TRule">What to do when a suffix matches.</typeparam>
internal sealed class SuffixTable<TRule>
    where TRule : struct
{
    // Every suffix ends in a letter below U+0100 (a-z or an accented Latin-1 vowel).
    private readonly Entry[]?[] _byLastChar = new Entry[]?[256];

    /// <summary>Builds the table from groups of space-separated suffixes that share a rule.</summary>
    /// <exception cref="InvalidOperationException">A suffix is listed twice or ends past U+00FF.</exception>
    public SuffixTable(params ReadOnlySpan<(TRule Rule, string Suffixes)> groups)
    {
        var buckets = new List<Entry>?[_byLastChar.Length];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((TRule rule, string suffixes) in groups)
        {
            foreach (string suffix in suffixes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                // A duplicate would make the rule depend on list order: a typo, caught at type load.
                if (!seen.Add(suffix) || suffix[^1] >= _byLastChar.Length)
                {
                    throw new InvalidOperationException($"Bad suffix '{suffix}' in a stemmer table.");
                }

                (buckets[suffix[^1]] ??= []).Add(new Entry(suffix, rule));
            }
        }

        for (int c = 0; c < buckets.Length; c++)
        {
            if (buckets[c] is { } bucket)
            {
                Entry[] entries = bucket.ToArray();
                Array.Sort(entries, static (a, b) => b.Suffix.Length.CompareTo(a.Suffix.Length));
                _byLastChar[c] = entries;
            }
        }
    }

    /// <summary>Finds the longest suffix of <paramref name="word"/> in the table that starts at or after
    /// <paramref name="regionStart"/>.</summary>
    /// <returns>Whether one was found; <paramref name="start"/> is where it starts in the word.</returns>
    public bool TryMatch(ReadOnlySpan<char> word, int regionStart, out int start, out TRule rule)
    {
        if (word.Length > 0 && word[^1] < _byLastChar.Length && _byLastChar[word[^1]] is { } entries)
        {
            int room = word.Length - regionStart;
            char secondLast = word.Length > 1 ? word[^2] : '\0';
            foreach (Entry entry in entries)
            {
                // Comparing the second-last letter first skips most entries of a bucket cheaply.
                string suffix = entry.Suffix;
                if (suffix.Length <= room
                    && (suffix.Length == 1 || suffix[^2] == secondLast)
                    && word.EndsWith(suffix))
                {
                    start = word.Length - suffix.Length;
                    rule = entry.Rule;
                    return true;
                }
            }
        }

        start = -1;
        rule = default;
        return false;
    }

    private readonly record struct Entry(string Suffix, TRule Rule);
}
