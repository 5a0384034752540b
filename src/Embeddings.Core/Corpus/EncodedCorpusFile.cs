using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Embeddings.Core.IO;

namespace Embeddings.Core.Corpus;

/// <summary>
/// An encoded corpus on disk, streamed in chunks: for corpora larger than memory. The file is written once
/// (<c>Write</c>) and read any number of times, one chunk in memory at a time.
/// </summary>
/// <remarks>
/// File: the <see cref="NativeFile"/> frame of magic <c>EMBC</c>, version 2, whose payload (little-endian) is the
/// vocabulary size (u32) and a reserved u32, then each sentence as its length (u32) followed by that many ids (u32), then
/// the token count and the sentence count (u64 each, at the end so that the corpus streams to disk in one pass). Either
/// way the first sentence starts at byte 32. Version 1 files (a 32-byte header with the counts, no checksum) still open.
/// The checksum is verified at the end of every complete pass of <see cref="ReadChunks"/>.
/// </remarks>
public sealed class EncodedCorpusFile : EncodedCorpus
{
    private const int HeaderSize = 32;   // where the first sentence starts, in both versions
    private const int PayloadHead = 8;   // vocabulary size and reserved, before the sentences
    private const int PayloadTail = 16;  // token and sentence counts, after them

    private static readonly NativeFileKind FileKind = NativeFileKind.EncodedCorpus;

    private readonly string _path;
    private readonly ulong? _checksum; // null for a version 1 file, which has none

    private EncodedCorpusFile(string path, int vocabularySize, long tokenCount, long sentenceCount, ulong? checksum)
    {
        _path = path;
        VocabularySize = vocabularySize;
        TokenCount = tokenCount;
        SentenceCount = sentenceCount;
        _checksum = checksum;
    }

    /// <inheritdoc />
    public override long TokenCount { get; }

    /// <inheritdoc />
    public override long SentenceCount { get; }

    /// <inheritdoc />
    public override int VocabularySize { get; }

    /// <summary>The file's path.</summary>
    public string Path => _path;

    /// <summary>
    /// Encodes token sequences straight to a file, in constant memory. The file appears only when complete
    /// (it is written under a temporary name in the same folder, then renamed).
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="sentences">Token sequences.</param>
    /// <param name="vocabulary">Tokens outside it are dropped.</param>
    /// <param name="maxSentenceLength">Longer sentences are split.</param>
    /// <param name="cancellationToken">Checked every few thousand sentences; a cancelled write leaves no file.</param>
    public static EncodedCorpusFile Write(
        string path,
        IEnumerable<IReadOnlyList<string>> sentences,
        Vocabulary vocabulary,
        int maxSentenceLength = DefaultMaxSentenceLength,
        CancellationToken cancellationToken = default) =>
        WritePieces(path, (sentences, nameof(sentences)), vocabulary, maxSentenceLength, EncodeSentences(sentences, vocabulary, maxSentenceLength, cancellationToken));

    /// <summary>
    /// Encodes a token file's lines (tokens separated by whitespace, one sentence a line) straight to a file, in constant
    /// memory and without a string per token.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="lines">Lines of whitespace-separated tokens.</param>
    /// <param name="vocabulary">Tokens outside it are dropped.</param>
    /// <param name="maxSentenceLength">Longer sentences are split.</param>
    /// <param name="cancellationToken">Checked every few thousand lines; a cancelled write leaves no file.</param>
    public static EncodedCorpusFile Write(
        string path,
        IEnumerable<string> lines,
        Vocabulary vocabulary,
        int maxSentenceLength = DefaultMaxSentenceLength,
        CancellationToken cancellationToken = default) =>
        WritePieces(path, (lines, nameof(lines)), vocabulary, maxSentenceLength, EncodeLines(lines, vocabulary, maxSentenceLength, cancellationToken));

    private static IEnumerable<ReadOnlyMemory<int>> EncodeLines(
        IEnumerable<string> lines, Vocabulary vocabulary, int maxSentenceLength, CancellationToken cancellationToken)
    {
        int[] ids = new int[256];
        long seen = 0;
        foreach (string line in lines)
        {
            if ((++seen & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            int length = EncodeLine(line, vocabulary, ref ids);
            for (int start = 0; start < length; start += maxSentenceLength)
            {
                yield return ids.AsMemory(start, Math.Min(maxSentenceLength, length - start));
            }
        }
    }

    private static int EncodeLine(string line, Vocabulary vocabulary, ref int[] ids)
    {
        int length = 0;
        ReadOnlySpan<char> text = line;
        foreach (Range range in text.SplitAny(WhitespaceSplit.Separators))
        {
            if (range.End.Value > range.Start.Value && vocabulary.TryGetId(text[range], out int id))
            {
                if (length == ids.Length)
                {
                    Array.Resize(ref ids, ids.Length * 2);
                }

                ids[length++] = id;
            }
        }

        return length;
    }

    /// <summary>Checks the arguments of <c>Write</c>, then writes the pieces (lazy encoders: nothing ran before the checks).</summary>
    private static EncodedCorpusFile WritePieces(
        string path, (object? Value, string Name) source, Vocabulary vocabulary, int maxSentenceLength, IEnumerable<ReadOnlyMemory<int>> pieces)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(source.Value, source.Name);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSentenceLength, 1);
        int vocabularySize = vocabulary.Count;
        string fullPath = System.IO.Path.GetFullPath(path);
        long tokens = 0, sentenceCount = 0;
        NativeFile.Write(fullPath, FileKind, 0, pieces, (writer, sentences) =>
        {
            writer.Write((uint)vocabularySize);
            writer.Write(0u);
            Span<byte> length = stackalloc byte[4];
            foreach (ReadOnlyMemory<int> piece in sentences)
            {
                BinaryPrimitives.WriteInt32LittleEndian(length, piece.Length);
                writer.Write(length);
                WriteIds(writer, piece.Span);
                tokens += piece.Length;
                sentenceCount++;
            }

            writer.Write(tokens);
            writer.Write(sentenceCount);
        });

        return Open(fullPath);
    }

    /// <summary>Opens a file written by <c>Write</c>, checking its header against the file's length.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not an encoded corpus, a newer version, or a header that does not fit the file.</exception>
    public static EncodedCorpusFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        FilePaths.ThrowIfFolder(path);
        string fullPath = System.IO.Path.GetFullPath(path);
        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> header = stackalloc byte[HeaderSize];
        int got = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        if (NativeFile.CheckKind(header[..got], path, FileKind) == 1)
        {
            return OpenVersion1(path, fullPath, header[..got], stream.Length);
        }

        NativeFile.Header frame = NativeFile.ParseHeader(header[..got], path, stream.Length, exactLength: true);
        Span<byte> tail = stackalloc byte[PayloadTail];
        stream.Position = stream.Length - PayloadTail;
        stream.ReadExactly(tail);
        uint vocabularySize = BinaryPrimitives.ReadUInt32LittleEndian(header[NativeFile.HeaderSize..]);
        long tokens = BinaryPrimitives.ReadInt64LittleEndian(tail);
        long sentences = BinaryPrimitives.ReadInt64LittleEndian(tail[8..]);
        CheckCounts(path, vocabularySize, tokens, sentences, PayloadHead + PayloadTail + NativeFile.HeaderSize, stream.Length);
        return new EncodedCorpusFile(fullPath, (int)vocabularySize, tokens, sentences, frame.Checksum);
    }

    /// <summary>Version 1: magic, version (u32), vocabulary size (u32), reserved (u32), token and sentence counts (u64), no checksum.</summary>
    private static EncodedCorpusFile OpenVersion1(string path, string fullPath, ReadOnlySpan<byte> header, long fileLength)
    {
        if (header.Length < HeaderSize)
        {
            throw new InvalidDataException($"'{path}' is too short to be an encoded corpus ({fileLength} bytes).");
        }

        uint vocabularySize = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        long tokens = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        long sentences = BinaryPrimitives.ReadInt64LittleEndian(header[24..]);
        CheckCounts(path, vocabularySize, tokens, sentences, HeaderSize, fileLength);
        return new EncodedCorpusFile(fullPath, (int)vocabularySize, tokens, sentences, checksum: null);
    }

    private static void CheckCounts(string path, uint vocabularySize, long tokens, long sentences, long framing, long fileLength)
    {
        if (vocabularySize > int.MaxValue || tokens < 0 || sentences < 0 || framing + (4 * (tokens + sentences)) != fileLength)
        {
            throw new InvalidDataException(
                $"'{path}' has a corrupt header: {tokens} ids in {sentences} sentences need {framing + (4 * (tokens + sentences))} bytes, the file has {fileLength}.");
        }
    }

    /// <inheritdoc />
    public override IEnumerable<CorpusChunk> ReadChunks(int targetTokens = 1 << 16, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetTokens, 1);
        using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        file.Position = _checksum is null ? HeaderSize : NativeFile.HeaderSize;
        using var stream = new HashingStream(file);
        if (_checksum is not null)
        {
            stream.ReadExactly(new byte[PayloadHead]); // hashed, already known from Open
        }

        long position = 0;
        var tokens = new List<int>(targetTokens + 16);
        var ends = new List<int>();
        var buffer = new byte[4 * 1024];
        for (long sentence = 0; sentence < SentenceCount; sentence++)
        {
            int length = ReadInt(stream, buffer, sentence);
            if (length < 1 || position + tokens.Count + length > TokenCount)
            {
                throw new InvalidDataException($"'{_path}' is corrupt: sentence {sentence + 1:N0} claims {length} ids.");
            }

            ReadIds(stream, tokens, length, sentence);
            ends.Add(tokens.Count);
            if (tokens.Count >= targetTokens || sentence == SentenceCount - 1)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (sentence == SentenceCount - 1)
                {
                    VerifyChecksum(stream);
                }

                yield return new CorpusChunk(tokens.ToArray(), ends.ToArray(), position);
                position += tokens.Count;
                tokens.Clear();
                ends.Clear();
            }
        }
    }

    /// <summary>At the end of a complete pass: hashes the counts that close the payload and compares.</summary>
    private void VerifyChecksum(HashingStream stream)
    {
        if (_checksum is { } stored)
        {
            stream.ReadExactly(new byte[PayloadTail]);
            NativeFile.VerifyChecksum(_path, stored, stream.Hash);
        }
    }

    private int ReadInt(Stream stream, byte[] buffer, long sentence)
    {
        if (stream.ReadAtLeast(buffer.AsSpan(0, 4), 4, throwOnEndOfStream: false) < 4)
        {
            throw new InvalidDataException($"'{_path}' ends early, in sentence {sentence + 1:N0}.");
        }

        return BinaryPrimitives.ReadInt32LittleEndian(buffer);
    }

    private void ReadIds(Stream stream, List<int> tokens, int count, long sentence)
    {
        int start = tokens.Count;
        CollectionsMarshal.SetCount(tokens, start + count);
        Span<byte> bytes = MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(tokens).Slice(start, count));
        if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
        {
            throw new InvalidDataException($"'{_path}' ends early, in sentence {sentence + 1:N0}.");
        }

        Span<int> ids = CollectionsMarshal.AsSpan(tokens).Slice(start, count);
        for (int i = 0; i < ids.Length; i++)
        {
            if (!BitConverter.IsLittleEndian)
            {
                ids[i] = BinaryPrimitives.ReverseEndianness(ids[i]);
            }

            if ((uint)ids[i] >= (uint)VocabularySize)
            {
                throw new InvalidDataException($"'{_path}' is corrupt: sentence {sentence + 1:N0} holds id {ids[i]}, outside the vocabulary of {VocabularySize}.");
            }
        }
    }

    private static void WriteIds(BinaryWriter stream, ReadOnlySpan<int> ids)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(ids));
            return;
        }

        Span<byte> value = stackalloc byte[4];
        foreach (int id in ids)
        {
            BinaryPrimitives.WriteInt32LittleEndian(value, id);
            stream.Write(value);
        }
    }
}
