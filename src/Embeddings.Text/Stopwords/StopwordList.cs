using System.Collections.Frozen;
using System.Reflection;
using Embeddings.Text.Sources;

namespace Embeddings.Text.Stopwords;

/// <summary>
/// An immutable set of stopwords with allocation-free lookups by span. The built-in lists are NLTK's:
/// <see cref="English"/> (179 words, the list NLTK data shipped from 2017 to 2025) and <see cref="Spanish"/> (313).
/// </summary>
public sealed class StopwordList
{
    private static readonly Lazy<StopwordList> EnglishList = new(() => FromResource("english"));
    private static readonly Lazy<StopwordList> SpanishList = new(() => FromResource("spanish"));

    private readonly FrozenSet<string> _words;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private StopwordList(string name, IReadOnlyList<string> wordsInOrder)
    {
        Name = name;
        Words = wordsInOrder;
        _words = wordsInOrder.ToFrozenSet(StringComparer.Ordinal);
        _lookup = _words.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>NLTK's English stopwords (<c>stopwords.words("english")</c>, 179 words).</summary>
    public static StopwordList English => EnglishList.Value;

    /// <summary>NLTK's Spanish stopwords (<c>stopwords.words("spanish")</c>, 313 words).</summary>
    public static StopwordList Spanish => SpanishList.Value;

    /// <summary>Where the list came from: <c>english</c>, <c>spanish</c>, a file path, or <c>custom</c>.</summary>
    public string Name { get; }

    /// <summary>The words in their original order, without duplicates.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The number of distinct words.</summary>
    public int Count => _words.Count;

    /// <summary>The built-in list for a language name (<c>english</c>/<c>en</c>, <c>spanish</c>/<c>es</c>).</summary>
    /// <param name="language">The language, case-insensitive.</param>
    /// <exception cref="ArgumentException">No built-in list for that language.</exception>
    public static StopwordList ForLanguage(string language)
    {
        ArgumentNullException.ThrowIfNull(language);
        return language.ToUpperInvariant() switch
        {
            "ENGLISH" or "EN" => English,
            "SPANISH" or "ES" or "ESPAÑOL" => Spanish,
            _ => throw new ArgumentException(
                $"No built-in stopword list for '{language}'; use 'english' or 'spanish', or load one with StopwordList.FromFile.",
                nameof(language)),
        };
    }

    /// <summary>A list from your own words (duplicates and empty entries ignored).</summary>
    /// <param name="words">The stopwords, compared ordinally (lowercase them if your pipeline lowercases).</param>
    public static StopwordList FromWords(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return new StopwordList("custom", Distinct(words));
    }

    /// <summary>
    /// Reads a list from a UTF-8 file, plain or gzip: one word a line; blank lines ignored; <c>|</c> starts a comment
    /// (the Snowball lists' format) and <c>#</c> at the start of a line is a comment line.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist, or the path is a folder.</exception>
    /// <exception cref="InvalidDataException">The file is binary, or not valid UTF-8 (the message names the line).</exception>
    public static StopwordList FromFile(string path) => FromFile(path, LineSourceOptions.Default);

    /// <summary>
    /// Reads a list from a file, plain or gzip, in the encoding <paramref name="options"/> give (see
    /// <see cref="FromFile(string)"/> for the format).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read it, such as its <see cref="LineSourceOptions.Encoding"/>.</param>
    /// <exception cref="FileNotFoundException">The file does not exist, or the path is a folder.</exception>
    /// <exception cref="InvalidDataException">The file is binary, not text in the chosen encoding, or has a line longer than <see cref="LineSourceOptions.MaxRecordLength"/> (the message names the line).</exception>
    public static StopwordList FromFile(string path, LineSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(path))
        {
            // A folder would otherwise read as a missing file.
            throw new FileNotFoundException(
                Directory.Exists(path) ? $"'{path}' is a folder; a file is expected here" : $"Stopword file '{path}' not found.", path);
        }

        // One word a line: a longer line is not a list of stopwords, so it is an error rather than split.
        return new StopwordList(path, Distinct(Parse(LineSource.FromFile(path, options with { SplitLongRecords = false }))));
    }

    /// <summary>Whether <paramref name="word"/> is a stopword.</summary>
    public bool Contains(string word) => _words.Contains(word);

    /// <summary>Whether <paramref name="word"/> is a stopword, without allocating.</summary>
    public bool Contains(ReadOnlySpan<char> word) => _lookup.Contains(word);

    /// <summary>A list holding the words of both.</summary>
    /// <param name="other">The list to add.</param>
    public StopwordList Union(StopwordList other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new StopwordList($"{Name}+{other.Name}", Distinct(Words.Concat(other.Words)));
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Count} words)";

    private static StopwordList FromResource(string language)
    {
        string resource = $"Embeddings.Text.Stopwords.{language}.txt";
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource '{resource}' is missing from the assembly.");
        return new StopwordList(language, Distinct(Parse(LineSource.FromStream(stream, resource, leaveOpen: true))));
    }

    private static IEnumerable<string> Parse(LineSource source)
    {
        foreach (TextLine line in source.ReadLines())
        {
            ReadOnlySpan<char> text = line.Text;
            if (text.StartsWith("#"))
            {
                continue;
            }

            int comment = text.IndexOf('|');
            if (comment >= 0)
            {
                text = text[..comment];
            }

            text = text.Trim();
            if (!text.IsEmpty)
            {
                yield return text.ToString();
            }
        }
    }

    private static List<string> Distinct(IEnumerable<string> words)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<string>();
        foreach (string word in words)
        {
            if (!string.IsNullOrEmpty(word) && seen.Add(word))
            {
                ordered.Add(word);
            }
        }

        return ordered;
    }
}
