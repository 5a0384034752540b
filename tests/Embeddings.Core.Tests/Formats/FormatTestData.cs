using Embeddings.Core.Corpus;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Tests.Formats;

/// <summary>Vectors and files shared by the format tests.</summary>
internal static class FormatTestData
{
    private static readonly Lazy<string> DataFolder = new(FindDataFolder);

    /// <summary>Awkward but finite values: signed zeros, subnormals, extremes, decimals that do not terminate in binary.</summary>
    private static readonly float[] AwkwardValues =
    [
        -0f, 0f, 1e-40f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1.17549435e-38f, 0.1f, 1f / 3,
        1e-5f, -1e-5f, 123456789f, 16777217f, 0.30000001f,
    ];

    /// <summary>The path of a committed fixture under <c>Formats/Data</c> (written by <c>benchmarks/formats/gensim_interop.py fixtures</c>).</summary>
    public static string File(string name) => Path.Combine(DataFolder.Value, name);

    /// <summary>Seeded random vectors with non-ASCII words, awkward values and given counts.</summary>
    public static WordVectors Random(int count, int dimensions, int seed, bool awkward = true)
    {
        var random = new Random(seed);
        string[] alphabet = ["a", "b", "é", "ß", "日", "本", "😀", "x", "-", "'", "1", "z"];
        var words = new List<string>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (words.Count < count)
        {
            string word = string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => alphabet[random.Next(alphabet.Length)]));
            if (seen.Add(word))
            {
                words.Add(word);
            }
        }

        var values = new float[count * dimensions];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = awkward && random.Next(4) == 0
                ? AwkwardValues[random.Next(AwkwardValues.Length)]
                : (float)((random.NextDouble() * 2) - 1);
        }

        long[] counts = Enumerable.Range(0, count).Select(i => (long)(1000 - i) * 7).ToArray();
        return new WordVectors(Vocabulary.FromWordsInOrder(words, counts), values, dimensions);
    }

    /// <summary>Vectors from words and rows.</summary>
    public static WordVectors Of(string[] words, float[][] rows) =>
        new(Vocabulary.FromWordsInOrder(words), rows.SelectMany(r => r).ToArray(), rows.Length == 0 ? 3 : rows[0].Length);

    /// <summary>The bytes of <paramref name="vectors"/> saved in <paramref name="format"/>.</summary>
    public static byte[] Bytes(WordVectors vectors, Embeddings.Core.Formats.VectorFileFormat format)
    {
        using var stream = new MemoryStream();
        Embeddings.Core.Formats.WordVectorsFile.Save(vectors, stream, format);
        return stream.ToArray();
    }

    /// <summary>Loads from a copy of <paramref name="bytes"/> in a seekable or non-seekable stream.</summary>
    public static WordVectors Load(byte[] bytes, Embeddings.Core.Formats.VectorFileFormat? format = null, int? limit = null, bool seekable = true)
    {
        using Stream stream = seekable ? new MemoryStream(bytes, writable: false) : new NonSeekableStream(bytes);
        return Embeddings.Core.Formats.WordVectorsFile.Load(stream, format, limit);
    }

    /// <summary>Loads from a copy of <paramref name="bytes"/> with <paramref name="options"/>.</summary>
    public static WordVectors Load(byte[] bytes, Embeddings.Core.Formats.VectorFileLoadOptions options)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return Embeddings.Core.Formats.WordVectorsFile.Load(stream, options);
    }

    /// <summary>The ground truth of a fixture: its words and row-major float32 values.</summary>
    public static (string[] Words, float[] Values) Truth(string prefix)
    {
        string[] words = System.IO.File.ReadAllText(File(prefix + ".words"), System.Text.Encoding.UTF8).Split('\n')[..^1];
        byte[] bytes = System.IO.File.ReadAllBytes(File(prefix + ".f32"));
        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }

        return (words, values);
    }

    private static string FindDataFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Embeddings.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "Embeddings.Core.Tests", "Formats", "Data");
            }
        }

        throw new InvalidOperationException("Embeddings.sln not found above the test binaries; cannot locate Formats/Data.");
    }
}

/// <summary>A read-only stream that hides its length, like a network or pipe stream.</summary>
internal sealed class NonSeekableStream(byte[] data) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Returns at most 777 bytes a call, to exercise refills at odd boundaries.</summary>
    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = Math.Min(Math.Min(count, 777), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A writable stream that throws after <c>failAfter</c> bytes, to test that failed writes leave nothing behind.</summary>
internal sealed class FailingStream(long failAfter) : MemoryStream
{
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Length + buffer.Length > failAfter)
        {
            throw new IOException("disk full (simulated)");
        }

        base.Write(buffer);
    }
}
