using System.Text;
using Embeddings.Core.Formats;

namespace Embeddings.Core.IO;

/// <summary>One kind of native file: its magic, the format version written today and a name for messages.</summary>
/// <remarks>
/// <para>Each kind's earlier versions used the frame that came before <see cref="NativeFile"/>'s; <see cref="NativeFile.Read{T}(Stream, string, NativeFileKind, Func{NativePayloadReader, T})"/>
/// still reads them when <see cref="ReadsTrailerFrame"/> is set (see docs/file-formats.md).</para>
/// <para>The kinds the project writes, those of <c>Embeddings.Quantization</c> included, are listed here (<see cref="All"/>),
/// so that a reader given a file of another kind can say what the file is (<see cref="Identify"/>):</para>
/// <list type="table">
/// <listheader><term>magic</term><description>kind (holds word vectors?)</description></listheader>
/// <item><term><c>EMBV</c></term><description><see cref="NativeVectors"/> (yes)</description></item>
/// <item><term><c>EMCK</c></term><description><see cref="Word2VecModel"/>, a model or a checkpoint (yes: its input vectors)</description></item>
/// <item><term><c>EMBC</c></term><description><see cref="EncodedCorpus"/> (no)</description></item>
/// <item><term><c>EMBK</c></term><description><see cref="QuantizedVectors"/>, k-means (each word's centroid)</description></item>
/// <item><term><c>EMBP</c></term><description><see cref="ProductQuantizedVectors"/> (decoded from the codes)</description></item>
/// <item><term><c>EMLM</c></term><description><see cref="LanguageModel"/>, a model or a checkpoint (no)</description></item>
/// <item><term><c>EMQL</c></term><description><see cref="QuantizedLanguageModel"/> (no)</description></item>
/// <item><term><c>EMTC</c></term><description><see cref="TextClassifier"/>, a model or a checkpoint (no)</description></item>
/// <item><term><c>EMSW</c></term><description><see cref="SubwordVectors"/> (yes: the vocabulary words' vectors, and any word's from its n-grams)</description></item>
/// <item><term><c>EMCZ</c></term><description><see cref="CompressedVectors"/> (yes: decoded from the codes)</description></item>
/// <item><term><c>EMAE</c></term><description><see cref="Autoencoder"/> (no)</description></item>
/// </list>
/// </remarks>
public sealed record NativeFileKind
{
    /// <summary>Creates a kind.</summary>
    /// <param name="magic">Four ASCII characters that open every file of the kind, e.g. <c>EMBK</c>.</param>
    /// <param name="version">The payload layout's version, written into new files; files of a higher version are refused.</param>
    /// <param name="name">What a file of this kind holds, for messages ("quantized vectors").</param>
    /// <exception cref="ArgumentException"><paramref name="magic"/> is not four ASCII characters, or <paramref name="version"/> is 0.</exception>
    public NativeFileKind(string magic, ushort version, string name)
    {
        ArgumentNullException.ThrowIfNull(magic);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (magic.Length != 4 || !Ascii.IsValid(magic))
        {
            throw new ArgumentException($"A magic is four ASCII characters (was \"{magic}\").", nameof(magic));
        }

        ArgumentOutOfRangeException.ThrowIfZero(version);
        (Magic, Version, Name) = (magic, version, name);
    }

    /// <summary>Native word vectors (<c>WordVectorsFile.Save</c> in <c>VectorFileFormat.Native</c>): magic <c>EMBV</c>.</summary>
    /// <value>Version 2.</value>
    public static NativeFileKind NativeVectors { get; } = new("EMBV", NativeVectorFormat.Version, "native vectors");

    /// <summary>A word2vec model (<c>Word2VecModel.Save</c>) or a checkpoint of a run: magic <c>EMCK</c>.</summary>
    /// <value>Version 3; versions 1 and 2 in the earlier frame.</value>
    public static NativeFileKind Word2VecModel { get; } = new("EMCK", 3, "word2vec checkpoint") { ReadsTrailerFrame = true };

    /// <summary>A corpus encoded as vocabulary ids (<c>EncodedCorpusFile.Write</c>): magic <c>EMBC</c>.</summary>
    /// <value>Version 2.</value>
    public static NativeFileKind EncodedCorpus { get; } = new("EMBC", 2, "encoded corpus");

    /// <summary>Word vectors quantized by k-means (<c>QuantizedVectors.Save</c> in <c>Embeddings.Quantization</c>): magic <c>EMBK</c>.</summary>
    /// <value>Version 2; version 1 in the earlier frame.</value>
    public static NativeFileKind QuantizedVectors { get; } = new("EMBK", 2, "quantized-vectors") { ReadsTrailerFrame = true };

    /// <summary>Product-quantized word vectors (<c>ProductQuantizedVectors.Save</c> in <c>Embeddings.Quantization</c>): magic <c>EMBP</c>.</summary>
    /// <value>Version 2; version 1 in the earlier frame.</value>
    public static NativeFileKind ProductQuantizedVectors { get; } = new("EMBP", 2, "product-quantized vectors") { ReadsTrailerFrame = true };

    /// <summary>A recurrent language model or a checkpoint of its training (<c>LanguageModel.Save</c>): magic <c>EMLM</c>.</summary>
    /// <value>Version 2; version 1 in the earlier frame.</value>
    public static NativeFileKind LanguageModel { get; } = new("EMLM", 2, "language-model") { ReadsTrailerFrame = true };

    /// <summary>A language model over k-means clusters (<c>QuantizedLanguageModel.Save</c> in <c>Embeddings.Quantization</c>): magic <c>EMQL</c>.</summary>
    /// <value>Version 2; version 1 in the earlier frame.</value>
    public static NativeFileKind QuantizedLanguageModel { get; } = new("EMQL", 2, "quantized language model") { ReadsTrailerFrame = true };

    /// <summary>A text classifier or a checkpoint of its training (<c>TextClassifier.Save</c>): magic <c>EMTC</c>.</summary>
    /// <value>Version 1.</value>
    public static NativeFileKind TextClassifier { get; } = new("EMTC", 1, "text classifier");

    /// <summary>Word vectors with character n-gram rows (<c>SubwordVectors.Save</c>): magic <c>EMSW</c>.</summary>
    /// <value>Version 1.</value>
    public static NativeFileKind SubwordVectors { get; } = new("EMSW", 1, "subword vectors");

    /// <summary>Word vectors compressed by any method of <c>Compression</c> in <c>Embeddings.Quantization</c> (k-means, product quantization, autoencoder, binary codes, 8-bit scalar): magic <c>EMCZ</c>.</summary>
    /// <value>Version 1.</value>
    public static NativeFileKind CompressedVectors { get; } = new("EMCZ", 1, "compressed vectors");

    /// <summary>A trained autoencoder of word vectors (<c>AutoencoderModel.Save</c> in <c>Embeddings.Quantization</c>): magic <c>EMAE</c>.</summary>
    /// <value>Version 1.</value>
    public static NativeFileKind Autoencoder { get; } = new("EMAE", 1, "autoencoder");

    /// <summary>Every kind of native file the project writes, in the order of the table above.</summary>
    /// <value>Eleven kinds.</value>
    public static IReadOnlyList<NativeFileKind> All { get; } =
        [NativeVectors, Word2VecModel, EncodedCorpus, QuantizedVectors, ProductQuantizedVectors, LanguageModel, QuantizedLanguageModel, TextClassifier, SubwordVectors, CompressedVectors, Autoencoder];

    /// <summary>The four ASCII characters that open every file of the kind.</summary>
    public string Magic { get; }

    /// <summary>The version new files are written with.</summary>
    public ushort Version { get; }

    /// <summary>What a file of this kind holds, for messages.</summary>
    public string Name { get; }

    /// <summary>
    /// Whether versions below <see cref="Version"/> are in the earlier, trailing-checksum frame (the magic, the version and
    /// flags as two uint16, the payload, then the XXH64 of every byte before it), which <see cref="NativeFile"/> still reads.
    /// </summary>
    public bool ReadsTrailerFrame { get; init; }

    /// <summary>How messages name a file of the kind: <c>a language-model file (EMLM)</c>.</summary>
    /// <value>The name with its article, then the magic.</value>
    public string Description => $"{WithArticle} file ({Magic})";

    internal byte[] MagicBytes => Encoding.ASCII.GetBytes(Magic);

    /// <summary>The kind of the project's native file that starts with <paramref name="start"/>, told by its magic.</summary>
    /// <param name="start">The first bytes of a file (four are enough).</param>
    /// <returns>One of <see cref="All"/>, or <see langword="null"/> when the bytes open no native file of the project.</returns>
    public static NativeFileKind? Identify(ReadOnlySpan<byte> start)
    {
        if (start.Length < 4)
        {
            return null;
        }

        foreach (NativeFileKind kind in All)
        {
            if (Ascii.Equals(start[..4], kind.Magic))
            {
                return kind;
            }
        }

        return null;
    }

    /// <summary>The name after "a" or "an", for messages.</summary>
    internal string WithArticle => ("aeiou".Contains(char.ToLowerInvariant(Name[0]), StringComparison.Ordinal) ? "an " : "a ") + Name;
}
