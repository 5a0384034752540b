using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Embeddings.Core.IO;

namespace Embeddings.Core.Formats.FastText;

/// <summary>
/// A fastText model file (<c>.bin</c>, or <c>.ftz</c> when quantized) as fastText 0.9.2 stores it, all little-endian:
/// the magic 793712314 and the format version (int32 each); the arguments (<see cref="FastTextArgs"/>); the dictionary
/// (entry count, word count, label count as int32, token count and pruning-index size as int64, then per entry its
/// UTF-8 bytes ended by a zero byte, its count as int64 and its type as one byte, then the pruning index as int32
/// pairs); a byte telling whether the input matrix is quantized; the input matrix; a byte telling whether the output is
/// quantized; the output matrix. A dense matrix is its rows and columns (int64 each) and the float32 values; a quantized
/// one is described at <c>Reader.ReadQuantized</c>.
/// </summary>
internal sealed class FastTextModelFile
{
    /// <summary>The magic number that starts every fastText model file.</summary>
    public const int Magic = 793_712_314;

    /// <summary>The format version written (fastText 0.9.2's).</summary>
    public const int CurrentVersion = 12;

    /// <summary>The oldest format version read: fastText's version 11, whose supervised models have no character n-grams.</summary>
    public const int OldestVersion = 11;

    /// <summary>The longest dictionary entry read, in bytes: far beyond any real word, short enough for a message.</summary>
    private const int MaxEntryBytes = 1 << 16;

    private const int EntryType = 0;
    private const int LabelType = 1;

    private readonly FastTextMatrix? _output;

    /// <param name="version">The format version.</param>
    /// <param name="args">The arguments.</param>
    /// <param name="dictionary">The words and labels.</param>
    /// <param name="input">The input matrix.</param>
    /// <param name="output">The output matrix, or <see langword="null"/> when it was not read (<see cref="ReadInput"/>).</param>
    public FastTextModelFile(
        int version, FastTextArgs args, FastTextDictionaryData dictionary, FastTextMatrix input, FastTextMatrix? output)
    {
        Version = version;
        Args = args;
        Dictionary = dictionary;
        Input = input;
        _output = output;
    }

    /// <summary>The format version of the file read (11 or 12).</summary>
    public int Version { get; }

    /// <summary>The training arguments (for a version-11 supervised model, with <c>MaxN</c> 0 as fastText reads it).</summary>
    public FastTextArgs Args { get; }

    /// <summary>The words and labels.</summary>
    public FastTextDictionaryData Dictionary { get; }

    /// <summary>The input matrix: the words' rows, then the n-gram buckets' rows.</summary>
    public FastTextMatrix Input { get; }

    /// <summary>The output matrix: one row per word (unsupervised) or per label (supervised).</summary>
    /// <exception cref="InvalidOperationException">The file was read without it (<see cref="ReadInput"/>).</exception>
    public FastTextMatrix Output => _output ?? throw new InvalidOperationException("The model was read without its output matrix.");

    /// <summary>Whether the output matrix was read.</summary>
    public bool HasOutput => _output is not null;

    /// <summary>Whether the input matrix is product-quantized (a <c>.ftz</c> file).</summary>
    public bool QuantizedInput => Input is QuantizedFastTextMatrix;

    /// <summary>Whether the output matrix is product-quantized (<c>fasttext quantize -qout</c>).</summary>
    public bool QuantizedOutput => _output is QuantizedFastTextMatrix;

    /// <summary>Whether <paramref name="head"/>, the first bytes of a file, start with the fastText magic.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> head) => head.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(head) == Magic;

    /// <summary>Writes the model in format version 12, atomically (a temporary file beside it, then a rename).</summary>
    /// <exception cref="InvalidOperationException">The model was read without its output matrix.</exception>
    public void Write(string path)
    {
        _ = Output;
        AtomicFile.Write(path, this, static (stream, model) => FastTextModelWriter.Write(stream, model));
    }

    /// <summary>Writes the model in format version 12 to <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidOperationException">The model was read without its output matrix.</exception>
    public void Write(Stream stream) => FastTextModelWriter.Write(stream, this);

    /// <summary>Reads a fastText model file.</summary>
    /// <exception cref="InvalidDataException">The file is not a fastText model, or is damaged or truncated.</exception>
    public static FastTextModelFile Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Read(stream, path);
    }

    /// <summary>Reads a fastText model from <paramref name="stream"/>; <paramref name="name"/> names it in messages.</summary>
    /// <exception cref="InvalidDataException">The data is not a fastText model, or is damaged or truncated.</exception>
    public static FastTextModelFile Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var input = new InputBuffer(stream);
        return Read(input, new FormatErrors(name), withOutput: true);
    }

    /// <summary>
    /// Reads a fastText model without keeping its output matrix (still checked to be whole), for its word vectors: the
    /// memory taken is the input matrix's.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a fastText model, or is damaged or truncated.</exception>
    public static FastTextModelFile ReadInput(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        using var input = new InputBuffer(stream);
        return Read(input, new FormatErrors(path), withOutput: false);
    }

    /// <summary>Reads a model from the buffered input of a loader that has detected the format.</summary>
    internal static FastTextModelFile Read(InputBuffer input, FormatErrors errors, bool withOutput) => new Reader(input, errors).ReadModel(withOutput);

    private readonly struct Reader(InputBuffer input, FormatErrors errors)
    {
        public FastTextModelFile ReadModel(bool withOutput)
        {
            if (!input.Fill(8))
            {
                errors.General($"the file is too short for a fastText model ({input.Available.Length} bytes).");
            }

            if (ReadInt32() != Magic)
            {
                errors.General($"this is not a fastText model (its first 4 bytes are not fastText's magic number {Magic}).");
            }

            int version = ReadInt32();
            if (version is < OldestVersion or > CurrentVersion)
            {
                errors.General($"fastText model format version {version} is not supported (versions {OldestVersion} and {CurrentVersion} are).");
            }

            FastTextArgs args = ReadArgs();
            if (version == OldestVersion && args.Model == FastTextModelName.Supervised)
            {
                // fastText's own rule for version 11: its supervised models were trained without character n-grams.
                args = args with { MaxN = 0 };
            }

            FastTextDictionaryData dictionary = ReadDictionary(args);
            int ngramRows = dictionary.PruneIndex?.Count ?? args.Buckets;
            long inputRows = (long)dictionary.Words.Count + ngramRows;
            FastTextMatrix inputMatrix = ReadMatrix("input", inputRows, args.Dimensions, keep: true)!;
            int outputRows = args.Model == FastTextModelName.Supervised ? dictionary.Labels.Count : dictionary.Words.Count;
            FastTextMatrix? outputMatrix = ReadMatrix("output", outputRows, args.Dimensions, keep: withOutput);
            if (!input.IsAtEnd())
            {
                errors.AtByte(input.Position, $"unexpected data after the output matrix.");
            }

            return new FastTextModelFile(version, args, dictionary, inputMatrix, outputMatrix);
        }

        private FastTextArgs ReadArgs()
        {
            long start = input.Position;
            int dimensions = ReadInt32();
            int window = ReadInt32();
            int epochs = ReadInt32();
            int minCount = ReadInt32();
            int negatives = ReadInt32();
            int wordNgrams = ReadInt32();
            int loss = ReadInt32();
            int model = ReadInt32();
            int buckets = ReadInt32();
            int minN = ReadInt32();
            int maxN = ReadInt32();
            int updateRate = ReadInt32();
            double threshold = BitConverter.Int64BitsToDouble(ReadInt64());
            if (dimensions < 1 || dimensions > 1 << 20)
            {
                errors.AtByte(start, $"the dimension must be 1–{1 << 20} (was {dimensions}).");
            }

            if (!Enum.IsDefined((FastTextLossName)loss))
            {
                errors.AtByte(start + 24, $"unknown loss {loss} (fastText's are 1–4).");
            }

            if (!Enum.IsDefined((FastTextModelName)model))
            {
                errors.AtByte(start + 28, $"unknown model kind {model} (fastText's are 1 cbow, 2 skip-gram, 3 supervised).");
            }

            if (buckets < 0 || minN < 0 || maxN < 0)
            {
                errors.AtByte(start + 32, $"the bucket count and n-gram lengths must not be negative (were {buckets}, {minN}, {maxN}).");
            }

            if (maxN > 0 && buckets == 0 && model != (int)FastTextModelName.Supervised)
            {
                errors.AtByte(start + 32, $"character n-grams up to {maxN} need at least one bucket (the bucket count is 0).");
            }

            return new FastTextArgs(
                dimensions, window, epochs, minCount, negatives, wordNgrams, (FastTextLossName)loss, (FastTextModelName)model,
                buckets, minN, maxN, updateRate, threshold);
        }

        private FastTextDictionaryData ReadDictionary(FastTextArgs args)
        {
            long start = input.Position;
            int size = ReadInt32();
            int wordCount = ReadInt32();
            int labelCount = ReadInt32();
            long tokens = ReadInt64();
            long pruneSize = ReadInt64();
            if (size < 0 || wordCount < 0 || labelCount < 0 || (long)wordCount + labelCount != size)
            {
                errors.AtByte(start, $"the dictionary holds {size} entries, not its {wordCount} words and {labelCount} labels.");
            }

            // Each entry takes at least its zero byte, its count and its type: 10 bytes.
            CheckFits(start, size, 10, "dictionary entries");
            if (pruneSize < -1)
            {
                errors.AtByte(start + 20, $"the pruning index size must be −1 or more (was {pruneSize}).");
            }

            // Capacities are capped: on a stream that cannot tell its length, the counts are not checked yet.
            var words = new List<string>(Math.Min(wordCount, 1 << 10));
            var wordCounts = new List<long>(Math.Min(wordCount, 1 << 10));
            var labels = new List<string>(Math.Min(labelCount, 1 << 10));
            var labelCounts = new List<long>(Math.Min(labelCount, 1 << 10));
            for (int i = 0; i < size; i++)
            {
                long entryStart = input.Position;
                string entry = ReadEntryText(i);
                long count = ReadInt64();
                int type = ReadByte();
                if (type != EntryType && type != LabelType)
                {
                    errors.AtByte(entryStart, $"dictionary entry {i} ({FormatErrors.Quote(entry)}) has type {type}, neither word (0) nor label (1).");
                }

                if ((type == EntryType) != (i < wordCount))
                {
                    errors.AtByte(entryStart, $"dictionary entry {i} ({FormatErrors.Quote(entry)}) is a {(type == EntryType ? "word" : "label")}, but the first {wordCount} entries must be the words and the other {labelCount} the labels.");
                }

                (type == EntryType ? words : labels).Add(entry);
                (type == EntryType ? wordCounts : labelCounts).Add(count);
            }

            Dictionary<int, int>? pruneIndex = null;
            if (pruneSize >= 0)
            {
                long indexStart = input.Position;
                CheckFits(indexStart, pruneSize, 8, "pruning-index pairs");
                pruneIndex = new Dictionary<int, int>((int)Math.Min(pruneSize, 1 << 10));
                for (long i = 0; i < pruneSize; i++)
                {
                    int bucket = ReadInt32();
                    int row = ReadInt32();
                    if (bucket < 0 || (args.Buckets > 0 && bucket >= args.Buckets) || row < 0 || row >= pruneSize || !pruneIndex.TryAdd(bucket, row))
                    {
                        errors.AtByte(indexStart + (i * 8), $"pruning-index pair {i} ({bucket} → {row}) is out of range or repeated ({args.Buckets} buckets, {pruneSize} rows kept).");
                    }
                }
            }

            return new FastTextDictionaryData(words, wordCounts, labels, labelCounts, tokens, pruneIndex);
        }

        /// <summary>Reads a matrix, or with <paramref name="keep"/> false checks that a dense one is whole and skips it.</summary>
        private FastTextMatrix? ReadMatrix(string which, long expectedRows, int expectedColumns, bool keep)
        {
            bool quantized = ReadBool($"the {which} matrix's quantization flag");
            long start = input.Position;
            if (quantized)
            {
                return ReadQuantized(which, expectedRows, expectedColumns);
            }

            (int rows, int columns) = ReadShape(which, expectedRows, expectedColumns);
            if (!keep)
            {
                Skip(start + 16, (long)rows * columns * sizeof(float), $"the {which} matrix");
                return null;
            }

            float[] values = ReadFloats(start + 16, (long)rows * columns, $"the {which} matrix");
            return new DenseFastTextMatrix(values, rows, columns);
        }

        private void Skip(long at, long bytes, string what)
        {
            CheckFits(at, bytes, 1, "bytes of " + what);
            for (long left = bytes; left > 0;)
            {
                if (!input.Fill(1))
                {
                    errors.AtByte(input.Position, $"the file ends inside {what}.");
                }

                int take = (int)Math.Min(input.Available.Length, left);
                input.Advance(take);
                left -= take;
            }
        }

        private (int Rows, int Columns) ReadShape(string which, long expectedRows, int expectedColumns)
        {
            long start = input.Position;
            long rows = ReadInt64();
            long columns = ReadInt64();
            if (rows != expectedRows || columns != expectedColumns)
            {
                errors.AtByte(start, $"the {which} matrix is {rows} × {columns}, but the arguments and dictionary need {expectedRows} × {expectedColumns}.");
            }

            if (rows > int.MaxValue || rows * columns > Array.MaxLength)
            {
                errors.AtByte(start, $"the {which} matrix of {rows} × {columns} values is larger than this reader supports.");
            }

            return ((int)rows, (int)columns);
        }

        /// <summary>
        /// A quantized matrix: a byte telling whether norms are quantized apart, rows and columns (int64), the code count
        /// (int32) and the codes (one byte each, slices per row × rows), the quantizer, then with quantized norms one code
        /// byte per row and the norms' quantizer. A quantizer is its row length, slice count, slice length and last slice
        /// length (int32 each), then row length × 256 float32 centroid values.
        /// </summary>
        private QuantizedFastTextMatrix ReadQuantized(string which, long expectedRows, int expectedColumns)
        {
            bool quantizedNorms = ReadBool($"the {which} matrix's norm-quantization flag");
            (int rows, int columns) = ReadShape(which, expectedRows, expectedColumns);
            long codesStart = input.Position;
            int codeCount = ReadInt32();
            byte[] codes = ReadValues<byte>(codesStart + 4, codeCount, $"the codes of the {which} matrix");
            FastTextProductQuantizer quantizer = ReadQuantizer($"the {which} matrix's quantizer", columns);
            if ((long)quantizer.Subquantizers * rows != codeCount)
            {
                errors.AtByte(codesStart, $"the {which} matrix has {codeCount} codes, but {rows} rows of {quantizer.Subquantizers} slices need {(long)quantizer.Subquantizers * rows}.");
            }

            byte[]? normCodes = null;
            FastTextProductQuantizer? normQuantizer = null;
            if (quantizedNorms)
            {
                normCodes = ReadValues<byte>(input.Position, rows, $"the norm codes of the {which} matrix");
                normQuantizer = ReadQuantizer($"the {which} matrix's norm quantizer", 1);
            }

            return new QuantizedFastTextMatrix(rows, columns, codes, quantizer, normCodes, normQuantizer);
        }

        private FastTextProductQuantizer ReadQuantizer(string what, int expectedDimensions)
        {
            long start = input.Position;
            int dimensions = ReadInt32();
            int subquantizers = ReadInt32();
            int subDimensions = ReadInt32();
            int lastSubDimensions = ReadInt32();
            if (dimensions != expectedDimensions || subDimensions < 1 || subDimensions > dimensions ||
                FastTextProductQuantizer.Shape(dimensions, subDimensions) != (subquantizers, lastSubDimensions))
            {
                errors.AtByte(start, $"{what} has an inconsistent shape ({dimensions} dimensions in {subquantizers} slices of {subDimensions}, the last {lastSubDimensions}; {expectedDimensions} dimensions expected).");
            }

            float[] centroids = ReadFloats(start + 16, (long)dimensions * FastTextProductQuantizer.Centroids, what + "'s centroids");
            return new FastTextProductQuantizer(dimensions, subquantizers, subDimensions, lastSubDimensions, centroids);
        }

        private void CheckFits(long at, long count, int bytesEach, string what)
        {
            long? left = input.BytesLeft;
            if (count < 0 || (left is long bytes && count > bytes / bytesEach))
            {
                errors.AtByte(at, $"{count:N0} {what} do not fit in the {left ?? 0:N0} bytes left: the file is truncated or damaged.");
            }
        }

        /// <summary>Reads <paramref name="count"/> float32 values (see <see cref="ReadValues"/>), all finite.</summary>
        private float[] ReadFloats(long at, long count, string what)
        {
            float[] values = ReadValues<float>(at, count, what);
            int bad = FloatChecks.IndexOfNonFinite(values);
            if (bad >= 0)
            {
                errors.General($"value {bad:N0} of {what} is {values[bad]} (not a finite number): the file is damaged.");
            }

            return values;
        }

        /// <summary>
        /// Reads <paramref name="count"/> values straight into the array that keeps them. When the stream cannot tell its
        /// length the array grows with the data actually read, so that a lying size cannot make it allocate.
        /// </summary>
        private T[] ReadValues<T>(long at, long count, string what)
            where T : unmanaged
        {
            int size = Marshal.SizeOf<T>();
            CheckFits(at, count, size, "values of " + what);
            var values = new T[input.BytesLeft is null ? Math.Min(count, (1 << 16) / size) : count];
            long done = 0;
            while (done < count)
            {
                if (done == values.Length)
                {
                    Array.Resize(ref values, (int)Math.Min(count, 2L * values.Length));
                }

                if (!input.Fill(size))
                {
                    errors.AtByte(input.Position, $"the file ends inside {what} ({done:N0} of {count:N0} values read).");
                }

                // Whole values are copied; one split between two reads waits for the next fill.
                int take = (int)Math.Min(input.Available.Length / size, values.Length - done);
                input.Available[..(take * size)].CopyTo(MemoryMarshal.AsBytes(values.AsSpan((int)done, take)));
                input.Advance(take * size);
                done += take;
            }

            return values;
        }

        private string ReadEntryText(int index)
        {
            long start = input.Position;
            int length;
            int scanned = 0;
            while (true)
            {
                int end = input.Available[scanned..].IndexOf((byte)0);
                if (end >= 0)
                {
                    length = scanned + end;
                    break;
                }

                scanned = input.Available.Length;
                if (scanned > MaxEntryBytes || !input.FillMore())
                {
                    errors.AtByte(start, $"dictionary entry {index} has no end within {Math.Min(scanned, MaxEntryBytes + 1):N0} bytes: the file is truncated or damaged.");
                }
            }

            if (length == 0 || length > MaxEntryBytes)
            {
                errors.AtByte(start, $"dictionary entry {index} is {(length == 0 ? "empty" : "longer than " + MaxEntryBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " bytes")}.");
            }

            // fastText keeps words as bytes; a word that is not UTF-8 keeps its place with replacement characters.
            string text = Encoding.UTF8.GetString(input.Available[..length]);
            input.Advance(length + 1);
            return text;
        }

        private bool ReadBool(string what)
        {
            long at = input.Position;
            int value = ReadByte();
            if (value > 1)
            {
                errors.AtByte(at, $"{what} is {value}, not 0 or 1.");
            }

            return value == 1;
        }

        private int ReadByte()
        {
            Need(1);
            int value = input.Available[0];
            input.Advance(1);
            return value;
        }

        private int ReadInt32()
        {
            Need(4);
            int value = BinaryPrimitives.ReadInt32LittleEndian(input.Available);
            input.Advance(4);
            return value;
        }

        private long ReadInt64()
        {
            Need(8);
            long value = BinaryPrimitives.ReadInt64LittleEndian(input.Available);
            input.Advance(8);
            return value;
        }

        private void Need(int bytes)
        {
            if (!input.Fill(bytes))
            {
                errors.AtByte(input.Position, $"the file ends early (truncated).");
            }
        }
    }
}
