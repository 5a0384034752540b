using System.Globalization;

// Compiled into Embeddings.Core and, as a linked source file, into Embeddings.Text (the packages ship separately and
// share no internals), so every text reader of both bounds its lines the same way.
namespace Embeddings.Core.IO;

/// <summary>What a <see cref="BoundedLineReader"/> does with a line longer than its limit.</summary>
internal enum LongLineHandling
{
    /// <summary>Structured input (a word pair, a stopword, a vocabulary entry): the line is an error naming the file and line.</summary>
    Error,

    /// <summary>
    /// Token input (a corpus): the line is handed out in pieces of at most the limit, each ending at a whitespace
    /// character (which is dropped); a piece with no whitespace at all is cut at the limit.
    /// </summary>
    Split,
}

/// <summary>
/// Reads the lines of a <see cref="TextReader"/> (ending at LF, CRLF or CR, as <see cref="TextReader.ReadLine"/> does)
/// with a bound on their length, so a file without line ends (a gigabyte of zeros, a 200 MB one-line dump) costs the
/// limit, not the file: memory is one buffer of at most <c>limit + 1</c> characters plus the line handed out.
/// Cancellation is checked at every refill, so it is seen inside a long line too.
/// </summary>
internal sealed class BoundedLineReader
{
    /// <summary>The default limit: 64 Mi characters (64 MiB of ASCII text), far beyond any real line.</summary>
    public const int DefaultMaxLineLength = 64 * 1024 * 1024;

    private const int InitialBufferLength = 16 * 1024;

    private readonly TextReader _reader;
    private readonly string _name;
    private readonly int _maxLength;
    private readonly LongLineHandling _handling;
    private readonly CancellationToken _cancellationToken;
    private char[] _buffer;
    private int _start;
    private int _end;
    private bool _endOfInput;
    private bool _insideLine;

    /// <param name="reader">The text, read from its current position.</param>
    /// <param name="name">The file path or description, for messages.</param>
    /// <param name="maxLength">The longest line, in characters (at least 1).</param>
    /// <param name="handling">What to do with a longer line.</param>
    /// <param name="cancellationToken">Checked at every refill of the buffer.</param>
    public BoundedLineReader(TextReader reader, string name, int maxLength, LongLineHandling handling, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLength, Array.MaxLength - 1);
        _reader = reader;
        _name = name;
        _maxLength = maxLength;
        _handling = handling;
        _cancellationToken = cancellationToken;
        _buffer = new char[Math.Min(InitialBufferLength, maxLength + 1)];
    }

    /// <summary>The 1-based physical line of the last line (or piece of a line) returned; 0 before the first.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Whether the last piece returned was cut inside a word (no whitespace within the limit).</summary>
    public bool LastPieceWasCut { get; private set; }

    /// <summary>Whether the last piece returned was not the end of its physical line (more pieces of it follow).</summary>
    public bool LastPieceContinues => _insideLine;

    /// <summary>Describes a limit for messages: <c>64 Mi characters</c>, <c>1,024 characters</c>.</summary>
    public static string Describe(int maxLength) => maxLength % (1024 * 1024) == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{maxLength / (1024 * 1024)} Mi characters")
        : string.Create(CultureInfo.InvariantCulture, $"{maxLength:N0} characters");

    /// <summary>Reads the next line (without its line end), or the next piece of a long one.</summary>
    /// <returns>The line, or <see langword="null"/> at the end of the input.</returns>
    /// <exception cref="InvalidDataException">A line is longer than the limit and the handling is <see cref="LongLineHandling.Error"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public string? ReadLine()
    {
        LastPieceWasCut = false;
        if (!_insideLine)
        {
            LineNumber++;
        }

        int searched = 0;
        while (true)
        {
            int lineEnd = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOfAny('\n', '\r');
            if (lineEnd >= 0 && searched + lineEnd <= _maxLength)
            {
                return TakeLine(searched + lineEnd);
            }

            searched = _end - _start;
            if (searched > _maxLength)
            {
                return TakeLongLine();
            }

            if (!Fill())
            {
                if (_end == _start)
                {
                    if (!_insideLine)
                    {
                        LineNumber--;
                    }

                    _insideLine = false;
                    return null;
                }

                _insideLine = false;
                string last = new(_buffer, _start, _end - _start);
                _start = _end;
                return last;
            }
        }
    }

    private string TakeLine(int length)
    {
        string line = new(_buffer, _start, length);
        char terminator = _buffer[_start + length];
        _start += length + 1;
        _insideLine = false;
        if (terminator == '\r' && (_start < _end || Fill()) && _buffer[_start] == '\n')
        {
            _start++;
        }

        return line;
    }

    private string TakeLongLine()
    {
        if (_handling == LongLineHandling.Error)
        {
            throw new InvalidDataException(string.Create(
                CultureInfo.InvariantCulture,
                $"'{_name}' line {LineNumber:N0} is longer than {Describe(_maxLength)}; is it the right file?"));
        }

        ReadOnlySpan<char> window = _buffer.AsSpan(_start, _maxLength + 1);
        int space = window.Length - 1;
        while (space >= 0 && !char.IsWhiteSpace(window[space]))
        {
            space--;
        }

        int length = space >= 0 ? space : _maxLength;
        string piece = new(_buffer, _start, length);
        _start += space >= 0 ? length + 1 : length;
        LastPieceWasCut = space < 0;
        _insideLine = true;
        return piece;
    }

    /// <summary>Reads more characters after the unconsumed ones, growing the buffer up to the limit + 1.</summary>
    /// <returns>Whether any characters were added.</returns>
    private bool Fill()
    {
        if (_endOfInput)
        {
            return false;
        }

        _cancellationToken.ThrowIfCancellationRequested();
        int unconsumed = _end - _start;
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, unconsumed);
            _start = 0;
            _end = unconsumed;
        }

        if (_end == _buffer.Length)
        {
            // Only a line still being searched fills the buffer; the search gives up past the limit, so limit + 1 suffices.
            char[] grown = new char[(int)Math.Min((long)_buffer.Length * 2, (long)_maxLength + 1)];
            _buffer.AsSpan(0, _end).CopyTo(grown);
            _buffer = grown;
        }

        int read = _reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read <= 0)
        {
            _endOfInput = true;
            return false;
        }

        _end += read;
        return true;
    }
}
