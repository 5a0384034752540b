namespace Embeddings.Cli.Infrastructure;

/// <summary>
/// The one way the CLI answers a value it does not know (a model, a format, a command, an option): it names the
/// closest valid one by edit distance, or lists them all when none is close.
/// </summary>
internal static class Suggestions
{
    /// <summary><c>unknown model 'skipgrm'; did you mean 'skipgram'?</c>, or <c>…; use skipgram or cbow</c>.</summary>
    /// <param name="what">What the value names, e.g. <c>model</c> (an option's name without its dashes).</param>
    public static string UnknownValue(string what, string value, IReadOnlyCollection<string> valid) =>
        Closest(value, valid) is { } closest
            ? $"unknown {what} '{value}'; did you mean '{closest}'?"
            : $"unknown {what} '{value}'; use {Join(valid, "or")}";

    /// <summary>
    /// The candidate nearest to <paramref name="value"/>, or <see langword="null"/> when none is near enough to be a
    /// slip of the keyboard (a third of the word's letters) or two are equally near.
    /// </summary>
    public static string? Closest(string value, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        bool tie = false;
        foreach (string candidate in candidates.Distinct(StringComparer.Ordinal))
        {
            // Case is the cheapest slip: "CBOW" means "cbow" whatever the letters' count.
            int distance = string.Equals(candidate, value, StringComparison.OrdinalIgnoreCase) ? 0 : EditDistance(value, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance, tie) = (candidate, distance, false);
            }
            else if (distance == bestDistance)
            {
                tie = true;
            }
        }

        int allowed = Math.Max(1, Math.Min(value.Length, best?.Length ?? 0) / 3);
        return best is not null && !tie && bestDistance <= allowed ? best : null;
    }

    /// <summary><c>a, b or c</c> (or <c>and</c>, as <paramref name="conjunction"/> says).</summary>
    public static string Join(IReadOnlyCollection<string> values, string conjunction) => values.Count switch
    {
        0 => "nothing",
        1 => values.First(),
        _ => $"{string.Join(", ", values.SkipLast(1))} {conjunction} {values.Last()}",
    };

    /// <summary>
    /// Insertions, deletions, substitutions and swaps of neighbouring letters that turn one word into the other (the
    /// optimal string alignment distance): "skipgarm" is one swap from "skipgram".
    /// </summary>
    public static int EditDistance(string a, string b)
    {
        // Three rows of the dynamic programme: the swap looks two rows back.
        int[] twoBack = new int[b.Length + 1], previous = new int[b.Length + 1], current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + substitution);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    current[j] = Math.Min(current[j], twoBack[j - 2] + 1);
                }
            }

            (twoBack, previous, current) = (previous, current, twoBack);
        }

        return previous[b.Length];
    }
}
