using System.Globalization;
using Embeddings.Core.Corpus;
using Embeddings.Core.Formats;
using Embeddings.Core.IO;

namespace Embeddings.Core.Subwords;

/// <summary>
/// The native subword vectors file, version 1: the <see cref="NativeFile"/> frame of magic "EMSW" around a payload whose
/// rows can be memory-mapped in place. All integers little-endian; offsets from the start of the file.
/// <code>
/// offset size  field
///      0   24  frame: magic "EMSW", version (uint16) = 1, flags (uint16) = 0, payload length (uint64), XXH64 of the payload
///     24    4  dimensions (int32, ≥ 1)
///     28    4  minN (int32)
///     32    4  maxN (int32; 0 with minN 0 for a model without n-grams)
///     36    4  buckets B (int32, ≥ 0)
///     40       vocabulary: word count N (int32), then per word its count (int64) and the word (7-bit-encoded byte length, UTF-8)
///              zero padding up to M, the next multiple of 64
///      M       the words' own rows: N × dimensions float32, row-major
///              the n-gram buckets' rows: B × dimensions float32, to the end of the file
/// </code>
/// The rows are the last bytes of the payload, so a reader finds them from the sizes alone. Loading from a path maps
/// the file and uses the rows where they lie (one block: the words' rows, then the n-grams'), checksum verified.
/// </summary>
internal static class SubwordVectorsFile
{
    private const int RowAlignment = 64;
    private const int MaxDimensions = 1 << 16;

    private static NativeFileKind Kind => NativeFileKind.SubwordVectors;

    public static void Save(SubwordVectors vectors, string path)
    {
        RefusePruned(vectors);
        NativeFile.Write(path, Kind, 0, vectors, static (writer, v) => WritePayload(writer, v));
    }

    public static void Save(SubwordVectors vectors, Stream stream)
    {
        RefusePruned(vectors);
        NativeFile.Write(stream, Kind, 0, vectors, static (writer, v) => WritePayload(writer, v));
    }

    /// <summary>The file has one row per bucket: vectors read from a pruned fastText <c>.ftz</c> have rows for some only.</summary>
    private static void RefusePruned(SubwordVectors vectors)
    {
        if (vectors.KeptBuckets is not null)
        {
            throw new InvalidOperationException(
                "These vectors come from a pruned fastText model (quantize -cutoff), whose n-gram buckets have rows for some buckets only; save their Words (vocabulary vectors) instead, or keep the .ftz file.");
        }
    }

    /// <summary>Reads a file from a stream into arrays.</summary>
    public static SubwordVectors Read(Stream stream, string name) => NativeFile.Read(stream, name, Kind, ReadPayload);

    /// <summary>Opens a file by memory-mapping it (<see cref="NativeFile.ReadMapped{T}"/>): the checksum is verified, the rows are not copied.</summary>
    public static SubwordVectors ReadMapped(string path) => NativeFile.ReadMapped(path, Kind, ReadPayload);

    /// <summary>The payload: the rows are one block, read in place from a mapped file and into an array from a stream.</summary>
    private static SubwordVectors ReadPayload(NativePayloadReader reader)
    {
        Layout layout = ReadLayout(reader);
        int wordValues = layout.Vocabulary.Count * layout.Dimensions;
        Memory<float> rows = reader.ReadFloatsInPlace(wordValues + ((long)layout.Buckets * layout.Dimensions));
        CheckFinite(reader.Name, rows.Span[..wordValues], rows.Span[wordValues..]);
        return layout.Create(reader.Name, rows[..wordValues], rows[wordValues..], reader.MappingInUse);
    }

    private static void WritePayload(NativePayloadWriter writer, SubwordVectors vectors)
    {
        writer.Write(vectors.Dimensions);
        writer.Write(vectors.MinN);
        writer.Write(vectors.MaxN);
        writer.Write(vectors.Buckets);
        writer.WriteVocabulary(vectors.Vocabulary);
        long end = NativeFile.HeaderSize + writer.Written;
        int padding = (int)((RowAlignment - (end % RowAlignment)) % RowAlignment);
        writer.Write(new byte[padding]);
        writer.WriteFloats(vectors.WordRows);
        writer.WriteFloats(vectors.NgramRows);
    }

    /// <summary>Reads everything before the rows and checks that the rows fill the rest of the payload exactly.</summary>
    private static Layout ReadLayout(NativePayloadReader reader)
    {
        if (reader.Flags != 0)
        {
            throw reader.Invalid(string.Create(CultureInfo.InvariantCulture, $"has header flags {reader.Flags:x4}; version 1 defines none"));
        }

        int dimensions = reader.ReadInt32();
        int minN = reader.ReadInt32();
        int maxN = reader.ReadInt32();
        int buckets = reader.ReadInt32();
        if (dimensions < 1 || dimensions > MaxDimensions)
        {
            throw reader.Invalid(string.Create(CultureInfo.InvariantCulture, $"has {dimensions} dimensions; expected 1 to {MaxDimensions}"));
        }

        if (buckets < 0 || (long)buckets * dimensions * sizeof(float) > reader.Remaining)
        {
            throw reader.Invalid(string.Create(CultureInfo.InvariantCulture, $"has {buckets} n-gram buckets of {dimensions} values, more than its {reader.Remaining} bytes left can hold"));
        }

        Vocabulary vocabulary = reader.ReadVocabulary();
        long values = ((long)vocabulary.Count + buckets) * dimensions;
        long padding = reader.Remaining - (values * sizeof(float));
        if (values > Array.MaxLength || padding < 0 || padding >= RowAlignment)
        {
            throw reader.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"has {reader.Remaining} bytes after its vocabulary, where {vocabulary.Count} words and {buckets} n-gram buckets of {dimensions} values need {values * sizeof(float)} (and under {RowAlignment} of padding)"));
        }

        if (reader.ReadBytes((int)padding).AsSpan().ContainsAnyExcept((byte)0))
        {
            throw reader.Invalid("has padding before its rows that is not zero");
        }

        return new Layout(vocabulary, dimensions, minN, maxN, buckets);
    }

    private static void CheckFinite(string name, ReadOnlySpan<float> wordRows, ReadOnlySpan<float> ngramRows)
    {
        int word = FloatChecks.IndexOfNonFinite(wordRows);
        int ngram = FloatChecks.IndexOfNonFinite(ngramRows);
        if (word >= 0 || ngram >= 0)
        {
            string where = word >= 0 ? $"value {word} of the word rows" : $"value {ngram} of the n-gram rows";
            throw new InvalidDataException($"'{name}' holds {(word >= 0 ? wordRows[word] : ngramRows[ngram])} at {where}; vectors must be finite.");
        }
    }

    /// <summary>What precedes the rows.</summary>
    private sealed record Layout(Vocabulary Vocabulary, int Dimensions, int MinN, int MaxN, int Buckets)
    {
        /// <summary>The vectors over the rows; a size or n-gram range the constructor refuses is a damaged file.</summary>
        public SubwordVectors Create(string name, ReadOnlyMemory<float> wordRows, ReadOnlyMemory<float> ngramRows, IDisposable? owner)
        {
            try
            {
                return new SubwordVectors(Vocabulary, wordRows, ngramRows, Dimensions, MinN, MaxN, owner);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"'{name}' is damaged: {Options.OptionsValidator.PlainMessage(e)}", e);
            }
        }
    }
}
