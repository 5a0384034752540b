using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Embeddings.Core.Formats;

/// <summary>
/// Builds the <see cref="InvalidDataException"/>s of the loaders. Every message names the file (when a path was given),
/// the line or byte offset, and the problem: <c>'vec.txt' line 7: expected 100 values after 'king', found 99.</c>
/// </summary>
internal readonly struct FormatErrors
{
    private const int MaxQuotedLength = 60;

    private readonly string? _path;

    public FormatErrors(string? path) => _path = path;

    /// <summary>How messages name the input: <c>'path'</c> or <c>Stream</c>.</summary>
    public string Source => _path is null ? "Stream" : $"'{_path}'";

    /// <summary>Throws for a problem on a line of a text file (1-based, the header being line 1).</summary>
    [DoesNotReturn]
    public void AtLine(long line, FormattableString problem) =>
        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{Source} line {line}: {Invariant(problem)}"));

    /// <summary>Throws for a problem at a byte offset of a binary file (0-based, from where reading began).</summary>
    [DoesNotReturn]
    public void AtByte(long offset, FormattableString problem) =>
        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{Source} byte {offset:N0}: {Invariant(problem)}"));

    /// <summary>Throws for a problem with the file as a whole.</summary>
    [DoesNotReturn]
    public void General(FormattableString problem) => throw new InvalidDataException($"{Source}: {Invariant(problem)}");

    /// <summary>Throws for a file that is something else than word vectors: <c>'model.lm' is a language-model file (EMLM), …</c>.</summary>
    [DoesNotReturn]
    public void OtherKind(FormattableString whatItIs) => throw new InvalidDataException($"{Source} is {Invariant(whatItIs)}");

    /// <summary>The input's name for a reader that quotes it itself: the path, or <c>the stream</c>.</summary>
    public string Name => _path ?? "the stream";

    /// <summary>An exception for a problem found by a lower layer (e.g. damaged gzip data).</summary>
    public InvalidDataException Wrap(Exception inner, FormattableString problem) => new($"{Source}: {Invariant(problem)}", inner);

    /// <summary>A size for messages: <c>64 MiB</c> when it is a whole number of MiB, <c>1,024 bytes</c> otherwise.</summary>
    public static string Bytes(long bytes) => bytes % (1024 * 1024) == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Quotes a word for a message, shortened and with control characters escaped.</summary>
    public static string Quote(string word)
    {
        var builder = new StringBuilder(Math.Min(word.Length, MaxQuotedLength) + 4);
        builder.Append('\'');
        AppendEscaped(builder, word.Length > MaxQuotedLength ? word.AsSpan(0, MaxQuotedLength) : word);
        if (word.Length > MaxQuotedLength)
        {
            builder.Append('…');
        }

        return builder.Append('\'').ToString();
    }

    /// <summary>Quotes raw bytes for a message (decoded as UTF-8 with replacement), shortened and escaped.</summary>
    public static string Quote(ReadOnlySpan<byte> bytes)
    {
        bool shortened = bytes.Length > MaxQuotedLength * 4;
        string text = Encoding.UTF8.GetString(shortened ? bytes[..(MaxQuotedLength * 4)] : bytes);
        string quoted = Quote(text);
        return shortened && !quoted.EndsWith("…'", StringComparison.Ordinal) ? quoted[..^1] + "…'" : quoted;
    }

    private static void AppendEscaped(StringBuilder builder, ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            }
            else
            {
                builder.Append(c);
            }
        }
    }
}
