using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Embeddings.Core.IO;

namespace Embeddings.Core.Corpus;

/// <summary>
/// An encoded corpus on disk, streamed in chunks: for corpora larger than memory. The file is written once
/// (<c>Write</c>) and read any number of times, one chunk in memory at a time.
/// </summary>
/// <remarks>
/// Layout, little-endian: magic <c>EMBC</c>, version (u32 = 1), vocabulary size (u32), reserved (u32), token count (u64),
/// sentence count (u64); then each sentence as its length (u32) followed by that many ids (u32).
/// </remarks>
public sealed class EncodedCorpusFile : EncodedCorpus
{
    private const uint Magic = 0x43424D45; // "EMBC" read as a little-endian u32
    private const uint Version = 1;
    private const int HeaderSize = 32;

    private readonly string _path;

    private EncodedCorpusFile(string path, int vocabularySize, long tokenCount, long sentenceCount)
    {
        _path = path;
        VocabularySize = vocabularySize;
        TokenCount = tokenCount;
        SentenceCount = sentenceCount;
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
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSentenceLength, 1);
        return WritePieces(path, EncodeSentences(sentences, vocabulary, maxSentenceLength, cancellationToken), vocabulary.Count);
    }

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
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSentenceLength, 1);
        return WritePieces(path, EncodeLines(lines, vocabulary, maxSentenceLength, cancellationToken), vocabulary.Count);
    }

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

    private static EncodedCorpusFile WritePieces(string path, IEnumerable<ReadOnlyMemory<int>> pieces, int vocabularySize)
    {
        string fullPath = System.IO.Path.GetFullPath(path);
        long tokens = 0, sentenceCount = 0;
        AtomicFile.Write(fullPath, stream =>
        {
            stream.Write(new byte[HeaderSize]); // patched once the counts are known
            Span<byte> length = stackalloc byte[4];
            foreach (ReadOnlyMemory<int> piece in pieces)
            {
                BinaryPrimitives.WriteInt32LittleEndian(length, piece.Length);
                stream.Write(length);
                WriteIds(stream, piece.Span);
                tokens += piece.Length;
                sentenceCount++;
            }

            stream.Position = 0;
            stream.Write(Header(vocabularySize, tokens, sentenceCount));
        });

        return new EncodedCorpusFile(fullPath, vocabularySize, tokens, sentenceCount);
    }

    /// <summary>Opens a file written by <c>Write</c>, checking its header.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not an encoded corpus, a newer version, or a header that does not fit the file.</exception>
    public static EncodedCorpusFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string fullPath = System.IO.Path.GetFullPath(path);
        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> header = stackalloc byte[HeaderSize];
        if (stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize)
        {
            throw new InvalidDataException($"'{path}' is too short to be an encoded corpus ({stream.Length} bytes).");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
        {
            throw new InvalidDataException($"'{path}' is not an encoded corpus (it does not start with 'EMBC').");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (version > Version)
        {
            throw new InvalidDataException($"'{path}' is an encoded corpus of version {version}; this library reads version {Version}. Update the library.");
        }

        uint vocabularySize = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        long tokens = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        long sentences = BinaryPrimitives.ReadInt64LittleEndian(header[24..]);
        if (vocabularySize > int.MaxValue || tokens < 0 || sentences < 0 || HeaderSize + 4 * (tokens + sentences) != stream.Length)
        {
            throw new InvalidDataException(
                $"'{path}' has a corrupt header: {tokens} ids in {sentences} sentences need {HeaderSize + 4 * (tokens + sentences)} bytes, the file has {stream.Length}.");
        }

        return new EncodedCorpusFile(fullPath, (int)vocabularySize, tokens, sentences);
    }

    /// <inheritdoc />
    public override IEnumerable<CorpusChunk> ReadChunks(int targetTokens = 1 << 16, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetTokens, 1);
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        stream.Position = HeaderSize;
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
                yield return new CorpusChunk(tokens.ToArray(), ends.ToArray(), position);
                position += tokens.Count;
                tokens.Clear();
                ends.Clear();
            }
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

    private static void WriteIds(Stream stream, ReadOnlySpan<int> ids)
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

    private static byte[] Header(int vocabularySize, long tokens, long sentences)
    {
        var header = new byte[HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)vocabularySize);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), tokens);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(24), sentences);
        return header;
    }
}
