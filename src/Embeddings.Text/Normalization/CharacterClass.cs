using System.Collections;
using System.Text;

namespace Embeddings.Text.Normalization;

/// <summary>
/// A set of characters written like the inside of a regular-expression class: <c>a-z@# </c>,
/// <c>a-zñáéíóúü0-9</c>, <c>\-_</c>. Ranges use <c>-</c>; a backslash escapes the next character
/// (<c>\-</c>, <c>\\</c>, <c>\]</c>) and <c>\t</c>, <c>\n</c>, <c>\r</c> mean tab, newline and carriage return;
/// a leading <c>^</c> negates the class. Lookups are O(1) for ASCII.
/// </summary>
public sealed class CharacterClass
{
    // Bitmap for U+0000..U+007F; non-ASCII members are kept as sorted, merged ranges.
    private readonly BitArray _ascii = new(128);
    private readonly (char First, char Last)[] _ranges;

    private CharacterClass(string pattern, bool negated, (char First, char Last)[] ranges)
    {
        Pattern = pattern;
        IsNegated = negated;
        _ranges = ranges;
        foreach ((char first, char last) in ranges)
        {
            for (int c = first; c <= last && c < 128; c++)
            {
                _ascii[c] = true;
            }
        }
    }

    /// <summary>The pattern this class was parsed from.</summary>
    public string Pattern { get; }

    /// <summary>Whether the pattern started with <c>^</c> (the class matches everything not listed).</summary>
    public bool IsNegated { get; }

    /// <summary>Parses a class written like a regex class body, without the square brackets.</summary>
    /// <param name="pattern">For example <c>a-z@# </c> (what the tweets lab keeps).</param>
    /// <exception cref="ArgumentException">The pattern is empty, a range is reversed (<c>z-a</c>), or it ends in a lone backslash.</exception>
    public static CharacterClass Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ReadOnlySpan<char> body = pattern;
        if (body.StartsWith("[") && body.EndsWith("]") && body.Length >= 2)
        {
            body = body[1..^1]; // tolerate the brackets users copy from Python
        }

        bool negated = body.Length > 1 && body[0] == '^';
        if (negated)
        {
            body = body[1..];
        }

        if (body.IsEmpty)
        {
            throw new ArgumentException("A character class needs at least one character, e.g. \"a-z@# \".", nameof(pattern));
        }

        var ranges = new List<(char, char)>();
        int i = 0;
        while (i < body.Length)
        {
            char first = ReadChar(body, ref i, pattern);
            // A '-' between two characters makes a range; at either end it is a literal.
            if (i + 1 < body.Length && body[i] == '-')
            {
                i++;
                char last = ReadChar(body, ref i, pattern);
                if (last < first)
                {
                    throw new ArgumentException(
                        $"Character class \"{pattern}\" has a reversed range '{first}-{last}'; write '{last}-{first}'.", nameof(pattern));
                }

                ranges.Add((first, last));
            }
            else
            {
                ranges.Add((first, first));
            }
        }

        return new CharacterClass(pattern, negated, Merge(ranges));
    }

    /// <summary>Whether <paramref name="c"/> belongs to the class.</summary>
    public bool Contains(char c)
    {
        bool listed = c < 128 ? _ascii[c] : ContainsNonAscii(c);
        return listed != IsNegated;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder("[");
        text.Append(Pattern);
        return text.Append(']').ToString();
    }

    private bool ContainsNonAscii(char c)
    {
        foreach ((char first, char last) in _ranges)
        {
            if (c < first)
            {
                return false; // ranges are sorted
            }

            if (c <= last)
            {
                return true;
            }
        }

        return false;
    }

    private static char ReadChar(ReadOnlySpan<char> body, ref int i, string pattern)
    {
        char c = body[i++];
        if (c != '\\')
        {
            return c;
        }

        if (i >= body.Length)
        {
            throw new ArgumentException($"Character class \"{pattern}\" ends in a lone backslash; write \\\\ for a backslash.", nameof(pattern));
        }

        char escaped = body[i++];
        return escaped switch
        {
            't' => '\t',
            'n' => '\n',
            'r' => '\r',
            _ => escaped,
        };
    }

    private static (char, char)[] Merge(List<(char First, char Last)> ranges)
    {
        ranges.Sort((a, b) => a.First.CompareTo(b.First));
        var merged = new List<(char First, char Last)>(ranges.Count);
        foreach (var range in ranges)
        {
            if (merged.Count > 0 && range.First <= merged[^1].Last + 1)
            {
                var last = merged[^1];
                merged[^1] = (last.First, (char)Math.Max(last.Last, range.Last));
            }
            else
            {
                merged.Add(range);
            }
        }

        return [.. merged];
    }
}
