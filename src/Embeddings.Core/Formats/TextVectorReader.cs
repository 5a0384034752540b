using System.Text;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Formats;

/// <summary>
/// Reads word2vec text, fastText <c>.vec</c> and GloVe text, following gensim's <c>_word2vec_read_text</c>: one
/// <c>word v1 … vd</c> record per line, the word ending at the first space. More lenient than gensim where that is
/// harmless: a UTF-8 byte order mark, CRLF line ends, surrounding whitespace, runs of spaces or tabs between values and
/// blank lines are accepted. With a header, exactly <c>count</c> records (or <c>limit</c>) are read and anything after
/// them is ignored, as in gensim and word2vec.c; a file with fewer records is an error.
/// </summary>
internal static class TextVectorReader
{
    public static WordVectors Read(InputBuffer input, FormatErrors errors, bool hasHeader, int? limit, int maxLineLength, Encoding? encoding)
    {
        TextLines.SkipByteOrderMark(input);
        long lineNumber = 0;
        long count = -1;
        int dimensions = 0;
        long rows = limit ?? long.MaxValue;
        VectorTableBuilder? table = null;
        if (hasHeader)
        {
            (count, dimensions) = ReadHeader(input, errors);
            lineNumber = 1;
            rows = Math.Min(count, rows);
            long? left = input.BytesLeft;

            // A record is at least "w 0 … 0" (2·d + 1 bytes) plus a newline; the last newline may be missing.
            TextLines.ValidateHeader(errors, count, dimensions, rows, (2L * dimensions) + 2, left is { } l ? l + 1 : null, "text");
            table = new VectorTableBuilder(dimensions, left is null ? 0 : rows, rows);
        }

        long read = 0;
        while (read < rows)
        {
            if (!TextLines.NextLine(input, maxLineLength, out int length, out int consumed))
            {
                if (hasHeader)
                {
                    errors.AtLine(lineNumber + 1, $"the file ends after {read:N0} of the {count:N0} vectors its header promises.");
                }

                break;
            }

            lineNumber++;
            if (length > maxLineLength)
            {
                errors.AtLine(lineNumber, $"the line is longer than {FormatErrors.Bytes(maxLineLength)} (VectorFileLoadOptions.MaxLineLength); is this a vectors file?");
            }
            ReadOnlySpan<byte> line = TextLines.Trim(input.Available[..length]);
            if (line.IsEmpty)
            {
                input.Advance(consumed);
                continue;
            }

            int space = line.IndexOf((byte)' ');
            if (space < 0)
            {
                errors.AtLine(lineNumber, $"expected a word and {(dimensions > 0 ? (object)dimensions : "its")} values, found only {FormatErrors.Quote(line)}.");
            }

            if (!WordDecoder.TryDecode(line[..space], encoding, out string word, out int invalid))
            {
                input.Available.Overlaps(line, out int lineStart);
                throw WordDecoder.Error(errors.Source, $"line {lineNumber:N0}", input.Position + lineStart + invalid, line[invalid], encoding);
            }

            ReadOnlySpan<byte> values = line[(space + 1)..];
            if (table is null)
            {
                // A row that stops at the end of the file without a line end may be cut short: inferring the dimension
                // from it would load a damaged file as a smaller, valid-looking one. GloVe and gensim end every row
                // with a newline, so the row the dimension comes from must have one.
                if (consumed == length)
                {
                    errors.AtLine(lineNumber, $"the first vector has no line end, so the file may be cut inside it and its dimension cannot be inferred; a complete GloVe file ends every row with a newline.");
                }

                dimensions = InferDimensions(errors, lineNumber, word, values);
                table = new VectorTableBuilder(dimensions, justifiedRows: 0, Math.Min(rows, Array.MaxLength / dimensions));
            }

            if (!table.HasRoomForRow)
            {
                errors.AtLine(lineNumber, $"more than {table.Rows:N0} vectors of {dimensions:N0} dimensions do not fit in one matrix; pass a limit to load the first vectors.");
            }

            if (values.Length < (2L * dimensions) - 1)
            {
                // Too short for the values: report without allocating a row for them.
                errors.AtLine(lineNumber, $"expected {dimensions} values after {FormatErrors.Quote(word)}, found {TextLines.CountTokens(values)}.");
            }

            ParseValues(errors, lineNumber, word, values, table.BeginRow());
            table.CommitRow(word);
            input.Advance(consumed);
            read++;
        }

        if (table is null)
        {
            errors.General($"the file holds no vectors, so the dimension of its vectors is unknown (GloVe text takes it from the first line).");
        }

        return table.Build();
    }

    /// <summary>Reads and parses the <c>count dimensions</c> header line.</summary>
    internal static (long Count, int Dimensions) ReadHeader(InputBuffer input, FormatErrors errors)
    {
        input.Fill(TextLines.MaxHeaderLength + 1);
        ReadOnlySpan<byte> available = input.Available;
        int newline = available[..Math.Min(available.Length, TextLines.MaxHeaderLength + 1)].IndexOf((byte)'\n');
        if (newline < 0 && available.Length > TextLines.MaxHeaderLength)
        {
            errors.AtLine(1, $"expected a 'count dimensions' header line, found {FormatErrors.Quote(available[..64])} without a line end in the first {TextLines.MaxHeaderLength} bytes.");
        }

        int length = newline < 0 ? available.Length : newline;
        if (!TextLines.TryParseHeader(available[..length], out long count, out long dimensions))
        {
            if (length == 0 && newline < 0)
            {
                errors.AtLine(1, $"the file is empty; expected a 'count dimensions' header line.");
            }

            errors.AtLine(1, $"expected a 'count dimensions' header line, found {FormatErrors.Quote(available[..length])}.");
        }

        if (dimensions < 1 || dimensions > Array.MaxLength)
        {
            errors.AtLine(1, $"the header gives {dimensions:N0} dimensions; expected 1 to {Array.MaxLength:N0}.");
        }

        input.Advance(newline < 0 ? length : newline + 1);
        return (count, (int)dimensions);
    }

    private static int InferDimensions(FormatErrors errors, long lineNumber, string word, ReadOnlySpan<byte> values)
    {
        int dimensions = TextLines.CountTokens(values);
        if (dimensions == 0)
        {
            errors.AtLine(lineNumber, $"{FormatErrors.Quote(word)} has no values, so the dimension cannot be inferred.");
        }

        return dimensions;
    }

    private static void ParseValues(FormatErrors errors, long lineNumber, string word, ReadOnlySpan<byte> values, Span<float> row)
    {
        int found = 0;
        while (TextLines.NextToken(ref values, out ReadOnlySpan<byte> token))
        {
            if (found < row.Length)
            {
                if (!TextLines.TryParseValue(token, out float value))
                {
                    errors.AtLine(lineNumber, $"value {found + 1} of {FormatErrors.Quote(word)} is not a number: {FormatErrors.Quote(token)}.");
                }

                if (!float.IsFinite(value))
                {
                    errors.AtLine(lineNumber, $"value {found + 1} of {FormatErrors.Quote(word)} is {FormatErrors.Quote(token)}; vectors must be finite.");
                }

                row[found] = value;
            }

            found++;
        }

        if (found != row.Length)
        {
            errors.AtLine(lineNumber, $"expected {row.Length} values after {FormatErrors.Quote(word)}, found {found}.");
        }
    }
}
