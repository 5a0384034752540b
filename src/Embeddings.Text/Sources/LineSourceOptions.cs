using Embeddings.Core.IO;
using Embeddings.Text.Options;

namespace Embeddings.Text.Sources;

/// <summary>
/// How a <see cref="LineSource"/> reads its records: how bytes become text, the longest record it holds in memory and
/// what it does with a longer one. The defaults (<see cref="Default"/>) read strict UTF-8 in records of up to 64 Mi
/// characters; a file without line ends (a gigabyte of zeros, a one-line dump) then costs at most about four bytes per
/// character of the limit, instead of the whole file.
/// </summary>
public sealed record LineSourceOptions
{
    /// <summary>The defaults: strict UTF-8, records of up to 64 Mi characters, longer ones split at whitespace.</summary>
    /// <value>A shared instance.</value>
    public static LineSourceOptions Default { get; } = new();

    /// <summary>How bytes become text (default <see cref="TextEncoding.Utf8"/>: invalid UTF-8 throws).</summary>
    public TextEncoding Encoding { get; init; } = TextEncoding.Utf8;

    /// <summary>The longest record, in characters (UTF-16 code units; bytes, for ASCII text).</summary>
    /// <value>1 to 2,147,483,590; default 67,108,864 (64 Mi).</value>
    public int MaxRecordLength { get; init; } = BoundedLineReader.DefaultMaxLineLength;

    /// <summary>
    /// What happens to a longer line. <see langword="true"/> (the default, for token input such as a corpus): it is
    /// read as several records of at most <see cref="MaxRecordLength"/> characters, each ending at a whitespace
    /// character (which is dropped) and all numbered with the line's number; a stretch with no whitespace within the
    /// limit is cut inside the word, and <see cref="Warning"/> is told once per read. <see langword="false"/> (for
    /// structured input: one word or entry a line): reading stops with an <see cref="InvalidDataException"/> naming the
    /// source and the line.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool SplitLongRecords { get; init; } = true;

    /// <summary>
    /// Whether gzip data is refused instead of decompressed. Set it for a stream a user pipes in, such as standard input,
    /// where compressed bytes mean the wrong thing was piped: a stream named <c>standard input</c> then fails with
    /// <c>standard input is gzip-compressed: decompress it first (gunzip -c FILE | …)</c>, and a NUL byte in its first
    /// 8 KB with <c>standard input holds binary data (a NUL byte at byte 5); expected UTF-8 text</c>. Binary data is
    /// refused either way; files keep their messages.
    /// </summary>
    /// <value>Default <see langword="false"/>: gzip is decompressed, from files and streams alike.</value>
    public bool RefuseGzip { get; init; }

    /// <summary>
    /// Receives a one-line message, at most once per read, when a record is cut inside a word (see
    /// <see cref="SplitLongRecords"/>); <see langword="null"/> (the default) to ignore it.
    /// </summary>
    /// <value>A callback run on the reading thread, or <see langword="null"/>.</value>
    public Action<string>? Warning { get; init; }

    /// <summary>Checks every option and throws one exception listing every problem; the factories of <see cref="LineSource"/> call it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (an <c>InvalidOptionsException</c>); the message names it and the allowed values.</exception>
    public void Validate() => new OptionsValidator("line source")
        .Defined(nameof(Encoding), Encoding, "LineSourceOptions.Encoding")
        .InRange(nameof(MaxRecordLength), MaxRecordLength, 1, Array.MaxLength - 1, "LineSourceOptions.MaxRecordLength")
        .ThrowIfInvalid();
}
