using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Embeddings.Core.Formats.FastText;

/// <summary>
/// Writes fastText model files in format version 12, the layout <see cref="FastTextModelFile"/> reads, piece by piece so
/// that a caller can write matrices it holds in parts (a word block and an n-gram block) without joining them.
/// </summary>
internal sealed class FastTextModelWriter : IDisposable
{
    private readonly BufferedStream _stream;

    public FastTextModelWriter(Stream stream) => _stream = new BufferedStream(stream, 1 << 16);

    /// <summary>Writes a whole model: what <see cref="FastTextModelFile.Read(string)"/> read gives the same bytes back.</summary>
    public static void Write(Stream stream, FastTextModelFile model)
    {
        using var writer = new FastTextModelWriter(stream);
        writer.WriteHeader(model.Args);
        writer.WriteDictionary(model.Dictionary);
        writer.WriteMatrix(model.Input);
        writer.WriteMatrix(model.Output);
    }

    /// <summary>The magic, the version and the arguments.</summary>
    public void WriteHeader(FastTextArgs args)
    {
        WriteInt32(FastTextModelFile.Magic);
        WriteInt32(FastTextModelFile.CurrentVersion);
        WriteInt32(args.Dimensions);
        WriteInt32(args.WindowSize);
        WriteInt32(args.Epochs);
        WriteInt32(args.MinCount);
        WriteInt32(args.NegativeSamples);
        WriteInt32(args.WordNgrams);
        WriteInt32((int)args.Loss);
        WriteInt32((int)args.Model);
        WriteInt32(args.Buckets);
        WriteInt32(args.MinN);
        WriteInt32(args.MaxN);
        WriteInt32(args.LearningRateUpdateRate);
        WriteInt64(BitConverter.DoubleToInt64Bits(args.SamplingThreshold));
    }

    /// <summary>The dictionary: its sizes, each word then each label (bytes, a zero byte, count, type), the pruning index.</summary>
    /// <exception cref="ArgumentException">An entry is empty or holds a zero character, which the format cannot store.</exception>
    public void WriteDictionary(FastTextDictionaryData dictionary)
    {
        WriteInt32(dictionary.Words.Count + dictionary.Labels.Count);
        WriteInt32(dictionary.Words.Count);
        WriteInt32(dictionary.Labels.Count);
        WriteInt64(dictionary.Tokens);
        WriteInt64(dictionary.PruneIndex?.Count ?? -1);
        WriteEntries(dictionary.Words, dictionary.WordCounts, type: 0);
        WriteEntries(dictionary.Labels, dictionary.LabelCounts, type: 1);
        foreach ((int bucket, int row) in dictionary.PruneIndex ?? new Dictionary<int, int>())
        {
            WriteInt32(bucket);
            WriteInt32(row);
        }
    }

    /// <summary>A matrix as fastText stores it, preceded by its quantization flag.</summary>
    public void WriteMatrix(FastTextMatrix matrix)
    {
        switch (matrix)
        {
            case DenseFastTextMatrix dense:
                WriteDenseMatrix(dense.Rows, dense.Columns, dense.Values, []);
                break;
            case QuantizedFastTextMatrix quantized:
                WriteQuantizedMatrix(quantized);
                break;
            default:
                throw new ArgumentException($"Unknown matrix type {matrix.GetType().Name}.", nameof(matrix));
        }
    }

    /// <summary>A dense matrix whose values are <paramref name="first"/> then <paramref name="second"/>, row-major.</summary>
    public void WriteDenseMatrix(int rows, int columns, ReadOnlySpan<float> first, ReadOnlySpan<float> second)
    {
        if ((long)rows * columns != (long)first.Length + second.Length)
        {
            throw new ArgumentException($"{rows} × {columns} values expected, {(long)first.Length + second.Length} given.", nameof(rows));
        }

        WriteDenseHeader(rows, columns);
        _stream.Write(MemoryMarshal.AsBytes(first));
        _stream.Write(MemoryMarshal.AsBytes(second));
    }

    /// <summary>A dense matrix of zeros, written without allocating it.</summary>
    public void WriteZeroMatrix(int rows, int columns)
    {
        WriteDenseHeader(rows, columns);
        Span<byte> zeros = stackalloc byte[4096];
        zeros.Clear();
        for (long left = (long)rows * columns * sizeof(float); left > 0; left -= zeros.Length)
        {
            _stream.Write(zeros[..(int)Math.Min(left, zeros.Length)]);
        }
    }

    public void Dispose() => _stream.Flush();

    private void WriteDenseHeader(int rows, int columns)
    {
        _stream.WriteByte(0);
        WriteInt64(rows);
        WriteInt64(columns);
    }

    private void WriteQuantizedMatrix(QuantizedFastTextMatrix matrix)
    {
        _stream.WriteByte(1);
        _stream.WriteByte(matrix.NormCodes is null ? (byte)0 : (byte)1);
        WriteInt64(matrix.Rows);
        WriteInt64(matrix.Columns);
        WriteInt32(matrix.Codes.Length);
        _stream.Write(matrix.Codes);
        WriteQuantizer(matrix.Quantizer);
        if (matrix.NormCodes is not null)
        {
            _stream.Write(matrix.NormCodes);
            WriteQuantizer(matrix.NormQuantizer!);
        }
    }

    private void WriteQuantizer(FastTextProductQuantizer quantizer)
    {
        WriteInt32(quantizer.Dimensions);
        WriteInt32(quantizer.Subquantizers);
        WriteInt32(quantizer.SubDimensions);
        WriteInt32(quantizer.LastSubDimensions);
        _stream.Write(MemoryMarshal.AsBytes(quantizer.CentroidValues.AsSpan()));
    }

    private void WriteEntries(IReadOnlyList<string> entries, IReadOnlyList<long> counts, byte type)
    {
        byte[] bytes = [];
        for (int i = 0; i < entries.Count; i++)
        {
            string entry = entries[i];
            if (entry.Length == 0 || entry.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Entry {i} ({FormatErrors.Quote(entry)}) is empty or holds a zero character, which fastText files cannot store.", nameof(entries));
            }

            int length = Encoding.UTF8.GetByteCount(entry);
            if (bytes.Length < length + 1)
            {
                bytes = new byte[Math.Max(length + 1, 2 * bytes.Length)];
            }

            Encoding.UTF8.GetBytes(entry, bytes);
            bytes[length] = 0;
            _stream.Write(bytes, 0, length + 1);
            WriteInt64(counts[i]);
            _stream.WriteByte(type);
        }
    }

    private void WriteInt32(int value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        _stream.Write(bytes);
    }

    private void WriteInt64(long value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        _stream.Write(bytes);
    }
}
