using System.Buffers;
using System.Globalization;

namespace Embeddings.Text.Stemming;

/// <summary>A stemmer that works on a copy of the word, shortening or rewriting it where it lies.</summary>
internal interface IInPlaceStemmer
{
    /// <summary>Stems the word held in <paramref name="word"/> in place.</summary>
    /// <returns>The length of the stem, a prefix of the buffer (a stem is never longer than its word).</returns>
    int StemInPlace(Span<char> word);
}

/// <summary>The string and span overloads of <see cref="IStemmer"/>, written once over <see cref="IInPlaceStemmer"/>.</summary>
internal static class InPlaceStemming
{
    // Words up to this length are stemmed in a stack buffer; longer ones rent from the shared pool.
    private const int StackBufferLength = 128;

    /// <summary>Stems a copy of <paramref name="word"/>; returns <paramref name="word"/> itself when nothing changes,
    /// so only a changed stem allocates.</summary>
    public static string Stem<TStemmer>(TStemmer stemmer, string word)
        where TStemmer : IInPlaceStemmer
    {
        ArgumentNullException.ThrowIfNull(word);
        char[]? rented = null;
        Span<char> buffer = word.Length <= StackBufferLength
            ? stackalloc char[StackBufferLength]
            : (rented = ArrayPool<char>.Shared.Rent(word.Length));
        try
        {
            Span<char> stem = buffer[..word.Length];
            word.AsSpan().CopyTo(stem);
            ReadOnlySpan<char> result = stem[..stemmer.StemInPlace(stem)];
            return result.SequenceEqual(word) ? word : new string(result);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Copies <paramref name="word"/> into <paramref name="destination"/> (they may overlap) and stems it
    /// there; the caller has checked that the destination is long enough.</summary>
    public static int Stem<TStemmer>(TStemmer stemmer, ReadOnlySpan<char> word, Span<char> destination)
        where TStemmer : IInPlaceStemmer
    {
        Span<char> stem = destination[..word.Length];
        word.CopyTo(stem);
        return stemmer.StemInPlace(stem);
    }

    /// <summary>A stemmer's name for <see cref="object.ToString"/>: "snowball english 3.1", "nltk spanish 3.8"...</summary>
    public static string Describe(string language, SnowballVersion version) => version switch
    {
        SnowballVersion.Snowball22 => "snowball " + language + " 2.2",
        SnowballVersion.Nltk38 => "nltk " + language + " 3.8",
        _ => "snowball " + language + " 3.1",
    };

    /// <summary>Checks a version given to a stemmer's constructor.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not a defined value.</exception>
    public static SnowballVersion CheckVersion(SnowballVersion version) =>
        Enum.IsDefined(version)
            ? version
            : throw new ArgumentOutOfRangeException(
                nameof(version),
                version,
                "Version must be Snowball31, Snowball22 or Nltk38 (was " +
                ((int)version).ToString(CultureInfo.InvariantCulture) + ").");
}
