using System.Text;
using Embeddings.Core.IO;
using Embeddings.Core.Options;

namespace Embeddings.Core.Formats;

/// <summary>How <see cref="WordVectorsFile.Load(string, VectorFileLoadOptions)"/> reads a vectors file.</summary>
public sealed record VectorFileLoadOptions
{
    /// <summary>The default options: detect the format, read every vector, verify native checksums.</summary>
    public static VectorFileLoadOptions Default { get; } = new();

    /// <summary>The format of the file, or <see langword="null"/> (the default) to detect it from the content.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public VectorFileFormat? Format { get; init; }

    /// <summary>
    /// Read only the first <c>Limit</c> vectors (gensim's <c>limit</c>), or <see langword="null"/> (the default) for all.
    /// Must be at least 1. Repeated words count towards the limit, as in gensim.
    /// </summary>
    /// <value>Default <see langword="null"/>.</value>
    public int? Limit { get; init; }

    /// <summary>
    /// Whether to verify the XXH64 checksum of a native file before using it (the default). Verifying reads the whole
    /// file once; for files of many gigabytes that you trust, turn it off to open them instantly (pages of the
    /// memory-mapped matrix are then read only when used). Structural checks (magic, version, sizes) always run.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool VerifyChecksum { get; init; } = true;

    /// <summary>
    /// The longest line of a text vectors file, in bytes; a longer line is an error naming the file and line, found
    /// after reading at most this much of it (so a file without line ends is not read into memory whole). The default,
    /// 64 MiB, holds a word and millions of values.
    /// </summary>
    /// <value>1 to 2,147,483,590; default 67,108,864 (64 MiB).</value>
    public int MaxLineLength { get; init; } = BoundedLineReader.DefaultMaxLineLength;

    /// <summary>
    /// How the words of a text or word2vec binary file are decoded. <see langword="null"/> (the default): strict UTF-8,
    /// where the first invalid byte throws an <see cref="InvalidDataException"/> naming the file, the line (or the
    /// vector's number) and the byte offset, so a file in another encoding is never read as garbage; only a long word
    /// (48 bytes or more) ending inside a character, as word2vec.c leaves the words it cuts at its byte limit, is
    /// accepted, without that character. Any <see cref="System.Text.Encoding"/> decodes with its own fallback:
    /// <see cref="Encoding.UTF8"/> reads each invalid byte as U+FFFD (the behaviour of earlier versions, gensim's
    /// <c>unicode_errors='replace'</c>), <see cref="Encoding.Latin1"/> reads ISO-8859-1.
    /// Native files store UTF-8 that was checked when written and ignore this setting.
    /// </summary>
    /// <value>Default <see langword="null"/> (strict UTF-8).</value>
    public Encoding? Encoding { get; init; }

    /// <summary>Throws if any setting is out of range, listing every problem.</summary>
    /// <exception cref="InvalidOptionsException">A setting is out of range; <see cref="ArgumentException.ParamName"/> names the first.</exception>
    public void Validate() =>
        new OptionsValidator("vector-file loading")
            .Require(
                Format is not { } format || Enum.IsDefined(format),
                nameof(Format),
                Format is { } f ? (int)f : null,
                "one of " + string.Join(", ", Enum.GetNames<VectorFileFormat>()) + ", or null to detect it",
                "VectorFileLoadOptions.Format")
            .Require(Limit is null or >= 1, nameof(Limit), Limit, "at least 1, or null to read every vector", "VectorFileLoadOptions.Limit")
            .InRange(nameof(MaxLineLength), MaxLineLength, 1, Array.MaxLength - 1, "VectorFileLoadOptions.MaxLineLength")
            .ThrowIfInvalid();
}
