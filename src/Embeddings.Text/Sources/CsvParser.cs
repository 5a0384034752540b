using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Embeddings.Core.IO;

namespace Embeddings.Text.Sources;

/// <summary>
/// An RFC 4180 record reader over a <see cref="TextReader"/>. It scans its 64 KB buffer with vectorised
/// <c>IndexOf</c>/<c>IndexOfAny</c> and copies only the fields asked for, so skipped columns cost a scan and
/// nothing else. Lenient where Python's <c>csv</c> module is: a quote inside an unquoted field is kept, and
/// text after a closing quote is appended to the field. The delimiter is a comma, or a tab for TSV (quoted the same
/// way, as Python's <c>csv</c> and pandas read it).
/// </summary>
internal sealed class CsvParser
{
    private static readonly SearchValues<char> LineBreak = SearchValues.Create("\r\n");

    private readonly TextReader _reader;
    private readonly string _name;
    private readonly char _delimiter;
    private readonly SearchValues<char> _fieldEnd;
    private readonly int[] _oneColumn = new int[1];
    private readonly string?[] _oneValue = new string?[1];
    private readonly char[] _buffer = new char[TextInput.BufferSize];
    private int _position;
    private int _end;
    private bool _eof;
    private char[] _field = new char[256];
    private int _fieldLength;
    private long _line = 1;
    private bool _lastWasCr;

    public CsvParser(TextReader reader, string name, char delimiter = ',')
    {
        _reader = reader;
        _name = name;
        _delimiter = delimiter;
        _fieldEnd = SearchValues.Create([delimiter, '\r', '\n']);
    }

    private enum Terminator
    {
        Delimiter,
        EndOfRecord,
        EndOfInput,
    }

    /// <summary>Records started so far, the header row included.</summary>
    public long RecordsStarted { get; private set; }

    /// <summary>The 1-based data row of the current record (the header row is 0).</summary>
    public long DataRecord => RecordsStarted - 1;

    /// <summary>The physical line on which the current record starts.</summary>
    public long RecordStartLine { get; private set; }

    /// <summary>Physical lines fully read.</summary>
    public long LinesRead => _line - 1;

    /// <summary>
    /// Reads one record. Every field is added to <paramref name="allFields"/> when it is given; otherwise only
    /// field <paramref name="column"/> is copied, into <paramref name="value"/>.
    /// </summary>
    /// <returns><see langword="false"/> at the end of the input.</returns>
    public bool TryReadRecord(int column, List<string>? allFields, out string? value, out int fieldCount)
    {
        _oneColumn[0] = column;
        bool read = TryReadRecord(_oneColumn, allFields, _oneValue, out fieldCount);
        value = _oneValue[0];
        return read;
    }

    /// <summary>
    /// Reads one record, copying field <c>columns[i]</c> into <c>values[i]</c> (<see langword="null"/> when the record
    /// is shorter), and every field into <paramref name="allFields"/> when it is given.
    /// </summary>
    /// <returns><see langword="false"/> at the end of the input.</returns>
    public bool TryReadRecord(int[] columns, List<string>? allFields, string?[] values, out int fieldCount)
    {
        Array.Clear(values);
        fieldCount = 0;
        if (!SkipBlankLines())
        {
            return false;
        }

        RecordsStarted++;
        RecordStartLine = _line;
        while (true)
        {
            int wanted = Array.IndexOf(columns, fieldCount);
            bool capture = allFields is not null || wanted >= 0;
            Terminator terminator = ReadField(capture);
            if (capture)
            {
                string text = new(_field, 0, _fieldLength);
                allFields?.Add(text);
                for (int i = wanted; i >= 0 && i < columns.Length; i++)
                {
                    if (columns[i] == fieldCount)
                    {
                        values[i] = text;
                    }
                }
            }

            fieldCount++;
            if (terminator != Terminator.Delimiter)
            {
                return true;
            }
        }
    }

    /// <summary>Skips empty lines before a record; <see langword="false"/> at the end of the input.</summary>
    private bool SkipBlankLines()
    {
        while (true)
        {
            if (_position == _end && !Fill())
            {
                return false;
            }

            char c = _buffer[_position];
            if (c == '\n')
            {
                _position++;
            }
            else if (c == '\r')
            {
                _position++;
                SkipLf();
            }
            else
            {
                return true;
            }

            _line++;
        }
    }

    private Terminator ReadField(bool capture)
    {
        _fieldLength = 0;
        if (_position == _end && !Fill())
        {
            return Terminator.EndOfInput; // "a,b," at the end: an empty last field
        }

        if (_buffer[_position] == '"')
        {
            _position++;
            long openedOn = _line;
            _lastWasCr = false;
            while (true)
            {
                if (_position == _end && !Fill())
                {
                    throw Unterminated(openedOn);
                }

                ReadOnlySpan<char> rest = _buffer.AsSpan(_position, _end - _position);
                int quote = rest.IndexOf('"');
                ReadOnlySpan<char> content = quote < 0 ? rest : rest[..quote];
                CountLineBreaks(content);
                if (capture)
                {
                    Append(content);
                }

                if (quote < 0)
                {
                    _position = _end;
                    continue;
                }

                _position += quote + 1;
                if (_position == _end && !Fill())
                {
                    return Terminator.EndOfInput;
                }

                if (_buffer[_position] != '"')
                {
                    break; // the closing quote
                }

                // A doubled quote stands for one quote.
                if (capture)
                {
                    Append("\"");
                }

                _position++;
                _lastWasCr = false;
            }
        }

        // An unquoted field, or whatever follows a closing quote up to the next comma or line break.
        while (true)
        {
            if (_position == _end && !Fill())
            {
                return Terminator.EndOfInput;
            }

            ReadOnlySpan<char> rest = _buffer.AsSpan(_position, _end - _position);
            int stop = rest.IndexOfAny(_fieldEnd);
            if (capture)
            {
                Append(stop < 0 ? rest : rest[..stop]);
            }

            if (stop < 0)
            {
                _position = _end;
                continue;
            }

            char c = rest[stop];
            _position += stop + 1;
            if (c == _delimiter)
            {
                return Terminator.Delimiter;
            }

            if (c == '\r')
            {
                SkipLf();
            }

            _line++;
            return Terminator.EndOfRecord;
        }
    }

    /// <summary>Consumes an LF right after a CR, reading more input if the CR ended the buffer.</summary>
    private void SkipLf()
    {
        if ((_position < _end || Fill()) && _buffer[_position] == '\n')
        {
            _position++;
        }
    }

    /// <summary>Counts LF, CRLF and CR inside a quoted field, so messages give physical line numbers.</summary>
    private void CountLineBreaks(ReadOnlySpan<char> content)
    {
        if (content.IsEmpty)
        {
            return;
        }

        for (int i = content.IndexOfAny(LineBreak); i >= 0;)
        {
            // An LF right after a CR (possibly at the end of the previous buffer) is part of a CRLF.
            bool afterCr = i == 0 ? _lastWasCr : content[i - 1] == '\r';
            if (content[i] == '\r' || !afterCr)
            {
                _line++;
            }

            int next = content[(i + 1)..].IndexOfAny(LineBreak);
            i = next < 0 ? -1 : i + 1 + next;
        }

        _lastWasCr = content[^1] == '\r';
    }

    private bool Fill()
    {
        Debug.Assert(_position == _end, "Only an exhausted buffer is refilled: its text has been consumed or copied.");
        if (_eof)
        {
            return false;
        }

        _position = 0;
        _end = _reader.Read(_buffer);
        _eof = _end == 0;
        return !_eof;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        // Fields are bounded as lines are: a file without line ends (or with a quote never closed) must not be read whole.
        if ((long)_fieldLength + text.Length > BoundedLineReader.DefaultMaxLineLength)
        {
            throw SourceErrors.Create(
                string.Create(CultureInfo.InvariantCulture, $"'{_name}': a field of {(DataRecord == 0 ? "the header row" : $"record {DataRecord}")} (from line {RecordStartLine}) is longer than {BoundedLineReader.Describe(BoundedLineReader.DefaultMaxLineLength)}; is it the right file?"),
                _name,
                RecordStartLine,
                DataRecord == 0 ? null : DataRecord);
        }

        if (_fieldLength + text.Length > _field.Length)
        {
            Array.Resize(ref _field, Math.Max(_field.Length * 2, _fieldLength + text.Length));
        }

        text.CopyTo(_field.AsSpan(_fieldLength));
        _fieldLength += text.Length;
    }

    private InvalidDataException Unterminated(long openedOn)
    {
        string record = DataRecord == 0
            ? "the header row"
            : string.Create(CultureInfo.InvariantCulture, $"record {DataRecord}");
        return SourceErrors.Create(
            string.Create(CultureInfo.InvariantCulture, $"'{_name}': the quoted field that opens on line {openedOn} ({record}) is never closed; the file ends inside it. Look for a stray '\"' there."),
            _name,
            openedOn,
            DataRecord == 0 ? null : DataRecord);
    }
}
