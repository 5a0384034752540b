using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.IO.MemoryMappedFiles;
using Embeddings.Core.Formats;

namespace Embeddings.Core.IO;

/// <summary>
/// The one frame of every native file (vectors, word2vec models and checkpoints, encoded corpora, quantized and
/// product-quantized vectors, language models, text classifiers). All integers little-endian:
/// <code>
/// offset size  field
///      0    4  magic, four ASCII characters per kind ("EMBV", "EMCK", …)
///      4    2  version (uint16) of the kind's payload layout
///      6    2  flags (uint16), the kind's to define
///      8    8  payload length P in bytes (uint64)
///     16    8  XXH64 (seed 0) of the payload (uint64)
///     24    P  payload
/// </code>
/// Readers check the magic, the version and the length against the file before reading the payload, then hash the
/// payload as they parse it; every problem is an <see cref="InvalidDataException"/> that names the file.
/// Writes to a path are atomic (a temporary file, then a rename).
/// </summary>
public static class NativeFile
{
    /// <summary>The size of the frame's header; the payload starts there.</summary>
    public const int HeaderSize = 24;

    private const int LegacyHeaderSize = 8;

    /// <summary>Writes a native file atomically: the content goes to a temporary file that then replaces <paramref name="path"/>.</summary>
    /// <typeparam name="TState">State passed to <paramref name="writePayload"/>, so that callers need no capturing lambda.</typeparam>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="kind">The file's kind (magic and version).</param>
    /// <param name="flags">The header's flags.</param>
    /// <param name="state">Passed to <paramref name="writePayload"/>.</param>
    /// <param name="writePayload">Writes the payload.</param>
    public static void Write<TState>(string path, NativeFileKind kind, ushort flags, TState state, Action<NativePayloadWriter, TState> writePayload)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, (kind, flags, state, writePayload), static (stream, s) => Write(stream, s.kind, s.flags, s.state, s.writePayload));
    }

    /// <summary>Writes a native file to a stream. A stream that cannot seek gets the file from a memory buffer, since the header comes before the payload it describes.</summary>
    /// <typeparam name="TState">State passed to <paramref name="writePayload"/>.</typeparam>
    /// <param name="destination">Where to write, from its current position; not closed.</param>
    /// <param name="kind">The file's kind (magic and version).</param>
    /// <param name="flags">The header's flags.</param>
    /// <param name="state">Passed to <paramref name="writePayload"/>.</param>
    /// <param name="writePayload">Writes the payload.</param>
    public static void Write<TState>(Stream destination, NativeFileKind kind, ushort flags, TState state, Action<NativePayloadWriter, TState> writePayload)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(writePayload);
        if (!destination.CanSeek)
        {
            using var buffer = new MemoryStream();
            Write(buffer, kind, flags, state, writePayload);
            buffer.Position = 0;
            buffer.CopyTo(destination);
            return;
        }

        long start = destination.Position;
        Span<byte> header = stackalloc byte[HeaderSize];
        header.Clear();
        destination.Write(header);
        var hashing = new HashingStream(destination);
        using (var writer = new NativePayloadWriter(hashing))
        {
            writePayload(writer, state);
            writer.Flush();
        }

        long end = destination.Position;
        WriteHeader(header, kind, flags, hashing.Count, hashing.Hash);
        destination.Position = start;
        destination.Write(header);
        destination.Position = end;
    }

    /// <summary>Reads a native file of <paramref name="kind"/> (or of its earlier frame, see <see cref="NativeFileKind.ReadsTrailerFrame"/>).</summary>
    /// <typeparam name="T">What the payload becomes.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="kind">The kind expected.</param>
    /// <param name="readPayload">Parses the payload.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a file of the kind, a newer version, truncated, or a checksum that does not match (the message names the file).</exception>
    public static T Read<T>(string path, NativeFileKind kind, Func<NativePayloadReader, T> readPayload)
    {
        CheckExists(path, kind);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Read(stream, path, kind, readPayload, exactLength: true);
    }

    /// <summary>
    /// Reads a native file as <see cref="Read{T}(string, NativeFileKind, Func{NativePayloadReader, T})"/> does, checksum
    /// included, but from a memory mapping of it: values that <paramref name="readPayload"/> takes with
    /// <see cref="NativePayloadReader.ReadFloatsInPlace"/> stay in the file instead of being copied into new arrays,
    /// which saves the copy and the page faults of fresh memory (the 814 MB tweets classifier: 0.2–0.5 s to map and hash
    /// against 0.8–0.9 s to read into a new array and hash, on a loaded machine). What
    /// the payload becomes then owns the mapping (<see cref="NativePayloadReader.MappingInUse"/>); when nothing took a
    /// region, or the read fails, the mapping is released before this returns.
    /// </summary>
    internal static T ReadMapped<T>(string path, NativeFileKind kind, Func<NativePayloadReader, T> readPayload)
    {
        ArgumentNullException.ThrowIfNull(readPayload);
        CheckExists(path, kind);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (file.Length < HeaderSize)
        {
            // Too short to map (an empty file cannot be): the stream reader says what is wrong with it.
            return Read(file, path, kind, readPayload, exactLength: true);
        }

        MemoryMappedFile map = MemoryMappedFile.CreateFromFile(file, mapName: null, capacity: 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        MappedVectorMemory mapping;
        try
        {
            mapping = new MappedVectorMemory(map, file.Length);
        }
        catch
        {
            map.Dispose();
            throw;
        }

        try
        {
            using UnmanagedMemoryStream stream = mapping.OpenStream();
            T result = Read(stream, path, kind, readPayload, exactLength: true, mapping: mapping);
            if (!mapping.HasValues)
            {
                ((IDisposable)mapping).Dispose();
            }

            return result;
        }
        catch
        {
            ((IDisposable)mapping).Dispose();
            throw;
        }
    }

    private static void CheckExists(string path, NativeFileKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(kind);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                Directory.Exists(path) ? $"'{path}' is a folder; expected a {kind.Name} file." : $"'{path}' does not exist (expected a {kind.Name} file).", path);
        }
    }

    /// <summary>Reads a native file of <paramref name="kind"/> from a stream, from its current position.</summary>
    /// <typeparam name="T">What the payload becomes.</typeparam>
    /// <param name="source">The stream; it may go on after the file.</param>
    /// <param name="name">Names the stream in messages.</param>
    /// <param name="kind">The kind expected.</param>
    /// <param name="readPayload">Parses the payload.</param>
    /// <exception cref="InvalidDataException">Not a file of the kind, a newer version, truncated, or a checksum that does not match.</exception>
    public static T Read<T>(Stream source, string name, NativeFileKind kind, Func<NativePayloadReader, T> readPayload) =>
        Read(source, name, kind, readPayload, exactLength: false);

    /// <summary>Reads a native file of <paramref name="kind"/> from a stream, named in messages by its path when it is a file stream.</summary>
    /// <typeparam name="T">What the payload becomes.</typeparam>
    /// <param name="source">The stream; it may go on after the file.</param>
    /// <param name="kind">The kind expected.</param>
    /// <param name="readPayload">Parses the payload.</param>
    /// <exception cref="InvalidDataException">Not a file of the kind, a newer version, truncated, or a checksum that does not match.</exception>
    public static T Read<T>(Stream source, NativeFileKind kind, Func<NativePayloadReader, T> readPayload) =>
        Read(source, source is FileStream file ? file.Name : "the stream", kind, readPayload, exactLength: false);

    /// <param name="source">The stream, at the start of the file.</param>
    /// <param name="name">Names the file in messages.</param>
    /// <param name="kind">The kind expected.</param>
    /// <param name="readPayload">Parses the payload.</param>
    /// <param name="exactLength">Whether the input must end with the payload (a file) or may go on (a stream).</param>
    /// <param name="length">The bytes from the start of the file to the end of the input when <paramref name="source"/>
    /// cannot seek but the caller knows them, so that a lying header is caught before the payload is read.</param>
    /// <param name="mapping">The mapped file that <paramref name="source"/> reads from its start, for
    /// <see cref="NativePayloadReader.ReadFloatsInPlace"/>.</param>
    internal static T Read<T>(Stream source, string name, NativeFileKind kind, Func<NativePayloadReader, T> readPayload, bool exactLength, long? length = null, MappedVectorMemory? mapping = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(readPayload);
        Span<byte> bytes = stackalloc byte[HeaderSize];
        int got = source.ReadAtLeast(bytes, HeaderSize, throwOnEndOfStream: false);
        ushort version = CheckKind(bytes[..got], name, kind);
        if (version < kind.Version)
        {
            return kind.ReadsTrailerFrame
                ? ReadTrailerFrame(bytes[..got], source, name, kind, version, readPayload)
                : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{name}' is {kind.WithArticle} file of version {version}, which this library does not read."));
        }

        Header header = ParseHeader(bytes[..got], name, length ?? (source.CanSeek ? source.Length - source.Position + got : (long?)null), exactLength);
        var payload = new HashingStream(source, header.PayloadLength);
        using var reader = new NativePayloadReader(payload, name, version, header.Flags) { Mapping = mapping };
        T result;
        try
        {
            result = Parse(reader, readPayload);
        }
        catch (InvalidDataException e)
        {
            // A flipped bit often shows first as a strange count; the checksum names the real cause (a stream that
            // ends early is truncated instead, as the parser said).
            payload.CopyTo(Stream.Null);
            if (payload.Remaining == 0 && payload.Hash != header.Checksum)
            {
                throw new InvalidDataException($"'{name}' is corrupt: its content does not match its checksum ({e.Message})", e);
            }

            throw;
        }

        if (payload.Remaining != 0)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{name}' is damaged: {payload.Remaining} bytes of its {header.PayloadLength}-byte payload were not read."));
        }

        VerifyChecksum(name, header.Checksum, payload.Hash);
        return result;
    }

    /// <summary>Checks the magic and that the version is one this library reads; returns the version.</summary>
    internal static ushort CheckKind(ReadOnlySpan<byte> bytes, string name, NativeFileKind kind)
    {
        if (bytes.Length < LegacyHeaderSize || !bytes.StartsWith(kind.MagicBytes))
        {
            // Another of the project's files given for this one is the likely mistake: say which file it is.
            throw new InvalidDataException(NativeFileKind.Identify(bytes) is { } other && other.Magic != kind.Magic
                ? $"'{name}' is {other.Description}, not {kind.WithArticle} file."
                : $"'{name}' is not {kind.WithArticle} file (it does not start with the magic \"{kind.Magic}\").");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (version > kind.Version)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{name}' is {kind.WithArticle} file of version {version}; this library reads versions up to {kind.Version}. Update Embeddings for .NET to open it."));
        }

        if (version == 0)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{name}' is {kind.WithArticle} file of version {version}, which this library does not read."));
        }

        return version;
    }

    /// <summary>Parses the frame's header and checks the payload length against the bytes the file has left.</summary>
    /// <param name="bytes">The file's first bytes (at most <see cref="HeaderSize"/> are read).</param>
    /// <param name="name">Names the file in messages.</param>
    /// <param name="bytesLeft">The bytes from the header's start to the end of the input, when known.</param>
    /// <param name="exactLength">Whether the input must end with the payload (a file) or may go on (a stream).</param>
    internal static Header ParseHeader(ReadOnlySpan<byte> bytes, string name, long? bytesLeft, bool exactLength)
    {
        if (bytes.Length < HeaderSize)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{name}' is truncated: it ends inside the {HeaderSize}-byte header."));
        }

        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        long available = bytesLeft ?? long.MaxValue;
        if (length > long.MaxValue - HeaderSize || (long)length + HeaderSize > available || (exactLength && (long)length + HeaderSize != available))
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{name}' is truncated or damaged: its header announces a payload of {length} bytes, the file has {available - HeaderSize} after the header."));
        }

        return new Header(BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]), (long)length, BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]));
    }

    internal static void WriteHeader(Span<byte> header, NativeFileKind kind, ushort flags, long payloadLength, ulong checksum)
    {
        kind.MagicBytes.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], kind.Version);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], flags);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], payloadLength);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], checksum);
    }

    internal static void VerifyChecksum(string name, ulong stored, ulong actual)
    {
        if (stored != actual)
        {
            throw new InvalidDataException($"'{name}' is corrupt: it stores the checksum XXH64 {stored:x16} but its content hashes to {actual:x16}.");
        }
    }

    private static T Parse<T>(NativePayloadReader reader, Func<NativePayloadReader, T> readPayload)
    {
        try
        {
            return readPayload(reader);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"'{reader.Name}' is truncated: its payload ends before its content does.", e);
        }
    }

    /// <summary>The earlier frame: the header's first 8 bytes, the payload, the XXH64 of all before it; read whole (old files are small enough).</summary>
    private static T ReadTrailerFrame<T>(ReadOnlySpan<byte> head, Stream source, string name, NativeFileKind kind, ushort version, Func<NativePayloadReader, T> readPayload)
    {
        // The whole file goes into one array: say so for a file too large for one, instead of failing inside the copy.
        if (source.CanSeek && source.Length - source.Position + head.Length > Array.MaxLength)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{name}' is {kind.WithArticle} file of version {version} of {source.Length - source.Position + head.Length:N0} bytes; files of that version are read whole and must be under 2 GB. Save it again with this version of the library."));
        }

        var whole = new MemoryStream();
        whole.Write(head);
        source.CopyTo(whole);
        byte[] bytes = whole.GetBuffer();
        int length = (int)whole.Length;
        if (length < LegacyHeaderSize + sizeof(ulong))
        {
            throw new InvalidDataException($"'{name}' is truncated: it is too short to be a {kind.Name} file.");
        }

        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(length - sizeof(ulong)));
        VerifyChecksum(name, stored, XxHash64.HashToUInt64(bytes.AsSpan(0, length - sizeof(ulong))));
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6));
        using var payload = new MemoryStream(bytes, LegacyHeaderSize, length - LegacyHeaderSize - sizeof(ulong), writable: false);
        using var reader = new NativePayloadReader(payload, name, version, flags);
        return Parse(reader, readPayload);
    }

    /// <summary>The frame's header past the magic and the version.</summary>
    internal readonly record struct Header(ushort Flags, long PayloadLength, ulong Checksum);
}
