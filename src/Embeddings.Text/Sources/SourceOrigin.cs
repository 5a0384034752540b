namespace Embeddings.Text.Sources;

/// <summary>Where the bytes of a source come from: a file, opened afresh for every read, or a caller's stream, read once.</summary>
internal sealed class SourceOrigin
{
    private readonly string? _path;
    private readonly Stream? _stream;
    private readonly bool _leaveOpen;
    private readonly long? _streamLength;
    private int _streamTaken;

    private SourceOrigin(string name, string? path, Stream? stream, bool leaveOpen, long? streamLength, LineSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Name = name;
        Options = options;
        _path = path;
        _stream = stream;
        _leaveOpen = leaveOpen;
        _streamLength = streamLength;
    }

    public string Name { get; }

    /// <summary>Whether this is a file (named by its path, quoted in messages) rather than a caller's stream.</summary>
    public bool IsFile => _path is not null;

    /// <summary>How the bytes are read as text.</summary>
    public LineSourceOptions Options { get; }

    /// <summary>The file's current size, or the bytes left in a seekable stream when it was given.</summary>
    public long? Length
    {
        get
        {
            if (_path is null)
            {
                return _streamLength;
            }

            var info = new FileInfo(_path);
            return info.Exists ? info.Length : null;
        }
    }

    public static SourceOrigin ForFile(string path, LineSourceOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);

        // Checked here, not at the first read, so a CLI fails before it starts any work.
        if (!File.Exists(path))
        {
            string full = Path.GetFullPath(path);
            string where = string.Equals(full, path, StringComparison.Ordinal) ? string.Empty : $" (full path '{full}')";
            string message = Directory.Exists(path)
                ? $"'{path}' is a folder{where}; expected a text, gzip or CSV file."
                : $"'{path}' does not exist{where}.";
            throw new FileNotFoundException(message, path);
        }

        return new SourceOrigin(path, path, stream: null, leaveOpen: false, streamLength: null, options);
    }

    public static SourceOrigin ForStream(Stream stream, string name, bool leaveOpen, LineSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!stream.CanRead)
        {
            throw new ArgumentException($"The stream for '{name}' cannot be read.", nameof(stream));
        }

        long? length = stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : null;
        return new SourceOrigin(name, path: null, stream, leaveOpen, length, options);
    }

    /// <summary>Opens the bytes for one read; the caller disposes the stream unless <c>leaveOpen</c> is set.</summary>
    public Stream Open(out bool leaveOpen, out long? length)
    {
        if (_path is not null)
        {
            // A 64 KB buffer serves the 8 KB reads of GZipStream; larger reads bypass it.
            var file = new FileStream(_path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                BufferSize = 64 * 1024,
                Options = FileOptions.SequentialScan,
            });
            leaveOpen = false;
            length = file.Length;
            return file;
        }

        if (Interlocked.Exchange(ref _streamTaken, 1) != 0)
        {
            throw new InvalidOperationException(
                $"'{Name}' comes from a stream and has already been read; a stream can be read once. " +
                "Use LineSource.FromFile or FromCsvColumn with a path to read a file several times.");
        }

        leaveOpen = _leaveOpen;
        length = _streamLength;
        return _stream!;
    }
}
