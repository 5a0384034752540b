using System.Buffers;
using Embeddings.Core.Formats.FastText;
using Embeddings.Core.IO;
using Embeddings.Core.Subwords;
using Embeddings.Core.Training;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Formats;

/// <summary>
/// Loads and saves <see cref="WordVectors"/> in word2vec text and binary, fastText <c>.vec</c>, GloVe text and the
/// native format, the counterpart of gensim's <c>KeyedVectors.load_word2vec_format</c> / <c>save_word2vec_format</c>.
/// </summary>
/// <remarks>
/// <para><b>Detection.</b> With no format given, the format is detected from the content (not the file name): the native
/// magic; a <c>count dimensions</c> header followed by text or binary records; otherwise GloVe. Content starting with
/// the gzip magic is decompressed first, whatever the file is called. A word2vec model or checkpoint
/// (<see cref="Training.Word2VecModel.Save(string)"/>, magic <c>EMCK</c>) is detected too and gives its input vectors,
/// the ones gensim's <c>model.wv</c> holds, and so are subword vectors (<see cref="Subwords.SubwordVectors.Save(string)"/>,
/// magic <c>EMSW</c>), which give their vocabulary words' composed vectors. Any other file is refused with a message that says what it is: the
/// project's other native files by their magic (a language model, an encoded corpus; for quantized vectors, the message
/// names the <c>Embeddings.Quantization</c> method that decodes them), binary data, or text whose first line is not a
/// word followed by numbers. A fastText model (<c>.bin</c>/<c>.ftz</c>, by its magic) gives its vocabulary words'
/// vectors as fastText composes them; <see cref="Subwords.SubwordVectors.LoadFastText(string)"/> also answers for
/// unseen words.</para>
/// <para><b>Compatibility with gensim 4.</b> Files written here load in gensim (binary values exactly; text values
/// exactly too, written as the shortest text that round-trips each float32) and files gensim or word2vec.c write load
/// here. Where gensim fails, loading here is more lenient in harmless ways: a UTF-8 byte order mark, CRLF line ends,
/// trailing spaces, runs of spaces or tabs between values, and blank lines are accepted. Words are decoded from UTF-8
/// with invalid bytes replaced by U+FFFD (gensim's default, <c>unicode_errors='strict'</c>, raises instead; word2vec.c
/// truncates words at 100 bytes, which can split a character). A word that appears again keeps its first vector and the
/// repeat is skipped, which is what gensim's loader intends ("ignoring all but first"; gensim 4.2 leaves an empty slot
/// behind). Words must be non-empty; values must be finite (NaN or infinity is an error naming the word).</para>
/// <para><b>Untrusted input.</b> Every malformed input raises <see cref="InvalidDataException"/> whose message names the
/// file (when loaded from a path), the line or byte offset, and the problem. A header's counts are checked against the
/// bytes left before anything is allocated; on streams that cannot tell their length, buffers grow only as data
/// arrives, so a lying header costs no more memory than the input itself.</para>
/// <para><b>Native format.</b> Version 1: a 64-byte little-endian header (magic <c>EMBV</c>, version, sizes), the
/// vocabulary with its counts, the float32 matrix aligned to 64 bytes, and an XXH64 checksum of everything before it.
/// Loading from a path memory-maps the matrix instead of copying it: dispose the vectors to unmap the file, and do not
/// truncate or overwrite the file in place while it is open (saving replaces the file by a rename, which is safe on
/// Linux and macOS; on Windows the open file cannot be replaced). Newer versions are rejected with a message naming
/// both versions.</para>
/// <para><b>Writing.</b> Writes to a path are atomic: a temporary file in the same folder is written, flushed to disk
/// and renamed over the target; on failure the old file stays and the temporary file is deleted. Words with ASCII
/// whitespace cannot be stored in word2vec or GloVe files and are rejected before anything is written; the native
/// format stores any word.</para>
/// </remarks>
public static class WordVectorsFile
{
    private static readonly SearchValues<char> AsciiWhitespace = SearchValues.Create(" \t\n\v\f\r");

    /// <summary>Loads vectors from a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">The format, or <see langword="null"/> to detect it from the content.</param>
    /// <param name="limit">Read only the first <paramref name="limit"/> vectors (gensim's <c>limit</c>), or
    /// <see langword="null"/> for all.</param>
    /// <returns>The vectors; memory-mapped for native files, so dispose them when done.</returns>
    /// <exception cref="InvalidDataException">The file is not valid in the format, with the line or byte offset.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static WordVectors Load(string path, VectorFileFormat? format = null, int? limit = null) =>
        Load(path, Options(format, limit));

    /// <summary>Loads vectors from a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Format, limit and checksum verification.</param>
    /// <returns>The vectors; memory-mapped for native files, so dispose them when done.</returns>
    /// <exception cref="InvalidDataException">The file is not valid in the format, with the line or byte offset.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static WordVectors Load(string path, VectorFileLoadOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        FilePaths.ThrowIfFolder(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        return LoadCore(file, file, new FormatErrors(path), options);
    }

    /// <summary>Loads vectors from a stream, from its current position. The stream is not disposed.</summary>
    /// <param name="stream">A readable stream; it may be read past the end of the vectors.</param>
    /// <param name="format">The format, or <see langword="null"/> to detect it from the content.</param>
    /// <param name="limit">Read only the first <paramref name="limit"/> vectors, or <see langword="null"/> for all.</param>
    /// <returns>The vectors, in memory (native files are memory-mapped only when loaded from a path).</returns>
    /// <exception cref="InvalidDataException">The content is not valid in the format, with the line or byte offset.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    public static WordVectors Load(Stream stream, VectorFileFormat? format = null, int? limit = null) =>
        Load(stream, Options(format, limit));

    /// <summary>Loads vectors from a stream, from its current position. The stream is not disposed.</summary>
    /// <param name="stream">A readable stream; it may be read past the end of the vectors.</param>
    /// <param name="options">Format, limit and checksum verification.</param>
    /// <returns>The vectors, in memory.</returns>
    /// <exception cref="InvalidDataException">The content is not valid in the format, with the line or byte offset.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static WordVectors Load(Stream stream, VectorFileLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(stream));
        }

        return LoadCore(stream, mappable: null, new FormatErrors(null), options);
    }

    /// <summary>Detects the format of a file from its content (see the remarks of <see cref="WordVectorsFile"/>).</summary>
    /// <param name="path">The file; gzip-compressed content is looked into.</param>
    /// <returns>The format the content has, or would have if it is valid.</returns>
    /// <exception cref="InvalidDataException">The file is empty, or holds something else (another native kind, a word2vec
    /// model among them, which <see cref="Load(string, VectorFileFormat?, int?)"/> reads; binary data; text that is not
    /// vectors); the message says what. A fastText <c>.bin</c>/<c>.ftz</c> model is <see cref="VectorFileFormat.FastTextBinary"/>.</exception>
    public static VectorFileFormat DetectFormat(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var errors = new FormatErrors(path);
        FilePaths.ThrowIfFolder(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        using var input = new InputBuffer(file);
        if (DecompressingInput.IsGzip(input))
        {
            using Stream decompressed = DecompressingInput.Open(input, errors);
            using var inflated = new InputBuffer(decompressed);
            return FormatDetector.Detect(inflated, errors);
        }

        return FormatDetector.Detect(input, errors);
    }

    /// <summary>Saves vectors to a file atomically (temporary file in the same folder, flushed, then renamed).</summary>
    /// <param name="vectors">The vectors.</param>
    /// <param name="path">The file; replaced if it exists. Its folder must exist.</param>
    /// <param name="format">The format to write.</param>
    /// <exception cref="ArgumentException">A word contains ASCII whitespace, which <paramref name="format"/> cannot store.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined value.</exception>
    /// <exception cref="IOException">The file cannot be written; the old file, if any, is unchanged.</exception>
    public static void Save(WordVectors vectors, string path, VectorFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentException.ThrowIfNullOrEmpty(path);
        Validate(vectors, format);
        AtomicFile.Write(path, (vectors, format), static (stream, state) => SaveCore(state.vectors, stream, state.format));
    }

    /// <summary>Saves vectors to a stream at its current position. The stream is flushed, not disposed.</summary>
    /// <param name="vectors">The vectors.</param>
    /// <param name="stream">A writable stream.</param>
    /// <param name="format">The format to write.</param>
    /// <exception cref="ArgumentException">A word contains ASCII whitespace, which <paramref name="format"/> cannot
    /// store, or the stream is not writable. Nothing has been written then.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined value.</exception>
    public static void Save(WordVectors vectors, Stream stream, VectorFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream cannot be written.", nameof(stream));
        }

        Validate(vectors, format);
        SaveCore(vectors, stream, format);
        stream.Flush();
    }

    private static VectorFileLoadOptions Options(VectorFileFormat? format, int? limit)
    {
        if (limit is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be at least 1 (was {limit}); pass null to read every vector.");
        }

        if (format is { } value && !Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(nameof(format), value, $"format must be one of {string.Join(", ", Enum.GetNames<VectorFileFormat>())} or null (was {(int)value}).");
        }

        return format is null && limit is null ? VectorFileLoadOptions.Default : new VectorFileLoadOptions { Format = format, Limit = limit };
    }

    /// <summary>Decompresses gzip content, detects the format, and memory-maps native files that are plain files.</summary>
    private static WordVectors LoadCore(Stream source, FileStream? mappable, FormatErrors errors, VectorFileLoadOptions options)
    {
        using var input = new InputBuffer(source);
        if (DecompressingInput.IsGzip(input))
        {
            using Stream decompressed = DecompressingInput.Open(input, errors);
            using var inflated = new InputBuffer(decompressed);
            return Read(inflated, mappable: null, errors, options);
        }

        return Read(input, mappable, errors, options);
    }

    private static WordVectors Read(InputBuffer input, FileStream? mappable, FormatErrors errors, VectorFileLoadOptions options)
    {
        if (options.Format is null && IsWord2VecModel(input))
        {
            return ReadWord2VecModel(input, errors, options.Limit);
        }

        if (options.Format is null && NativeFileKind.Identify(input.Available) == NativeFileKind.SubwordVectors)
        {
            return ReadSubwordVectors(input, mappable, errors, options.Limit);
        }

        VectorFileFormat format = options.Format ?? FormatDetector.Detect(input, errors);
        return format switch
        {
            VectorFileFormat.Word2VecText or VectorFileFormat.FastTextVec => TextVectorReader.Read(input, errors, hasHeader: true, options.Limit, options.MaxLineLength, options.Encoding),
            VectorFileFormat.GloVeText => TextVectorReader.Read(input, errors, hasHeader: false, options.Limit, options.MaxLineLength, options.Encoding),
            VectorFileFormat.Word2VecBinary => BinaryVectorReader.Read(input, errors, options.Limit, options.Encoding),
            VectorFileFormat.FastTextBinary => ReadFastTextModel(input, errors, options.Limit),
            _ when mappable is not null => NativeVectorFormat.ReadMapped(mappable, errors, options),
            _ => NativeVectorFormat.Read(input, errors, options),
        };
    }

    private static bool IsWord2VecModel(InputBuffer input)
    {
        input.Fill(NativeFile.HeaderSize);
        return NativeFileKind.Identify(input.Available) == NativeFileKind.Word2VecModel;
    }

    /// <summary>A word2vec model or checkpoint (<c>EMCK</c>): its input vectors, the first <paramref name="limit"/> of them.</summary>
    private static WordVectors ReadWord2VecModel(InputBuffer input, FormatErrors errors, int? limit)
    {
        long? bytesLeft = input.BytesLeft;
        using Stream stream = input.Remainder();
        Word2VecCheckpoint checkpoint = Word2VecCheckpoint.Load(stream, errors.Name, bytesLeft);
        WordVectors vectors;
        try
        {
            vectors = checkpoint.ToModel().Vectors;
        }
        catch (ArgumentException e)
        {
            throw errors.Wrap(e, $"{e.Message}"); // a run that diverged saved NaN weights
        }

        return limit < vectors.Count ? vectors.Take(limit.Value) : vectors;
    }

    /// <summary>A fastText model: its vocabulary words' composed vectors, the first <paramref name="limit"/> of them.</summary>
    private static WordVectors ReadFastTextModel(InputBuffer input, FormatErrors errors, int? limit)
    {
        using SubwordVectors subwords = FastTextVectors.Load(input, errors);
        WordVectors vectors = subwords.ComposeWords(owner: null);
        return limit < vectors.Count ? vectors.Take(limit.Value) : vectors;
    }

    /// <summary>Subword vectors (<c>EMSW</c>): the composed vectors of their vocabulary words, the first <paramref name="limit"/> of them.</summary>
    private static WordVectors ReadSubwordVectors(InputBuffer input, FileStream? mappable, FormatErrors errors, int? limit)
    {
        using SubwordVectors subwords = mappable is not null
            ? SubwordVectorsFile.ReadMapped(mappable.Name)
            : SubwordVectorsFile.Read(input.Remainder(), errors.Name);
        WordVectors vectors = subwords.ComposeWords(owner: null);
        return limit < vectors.Count ? vectors.Take(limit.Value) : vectors;
    }

    private static void SaveCore(WordVectors vectors, Stream stream, VectorFileFormat format)
    {
        switch (format)
        {
            case VectorFileFormat.FastTextBinary:
                FastTextVectors.Write(stream, vectors);
                break;
            case VectorFileFormat.Word2VecBinary:
                BinaryVectorWriter.Write(vectors, stream);
                break;
            case VectorFileFormat.Native:
                NativeVectorFormat.Write(vectors, stream);
                break;
            default:
                TextVectorWriter.Write(vectors, stream, format);
                break;
        }
    }

    private static void Validate(WordVectors vectors, VectorFileFormat format)
    {
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, $"Format must be one of {string.Join(", ", Enum.GetNames<VectorFileFormat>())} (was {(int)format}).");
        }

        if (format == VectorFileFormat.Native)
        {
            return;
        }

        IReadOnlyList<string> words = vectors.Vocabulary.Words;
        for (int id = 0; id < words.Count; id++)
        {
            if (format == VectorFileFormat.FastTextBinary && words[id].Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Word {id} ({FormatErrors.Quote(words[id])}) contains a zero character, which fastText files cannot store; save it in the native format or remove the character.",
                    nameof(vectors));
            }

            if (words[id].AsSpan().ContainsAny(AsciiWhitespace))
            {
                throw new ArgumentException(
                    $"Word {id} ({FormatErrors.Quote(words[id])}) contains whitespace, which {format} files cannot store (the word would end there); save it in the native format or replace the whitespace.",
                    nameof(vectors));
            }
        }
    }
}
