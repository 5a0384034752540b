using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Embeddings.Core.Formats;
using Embeddings.Tests.Infrastructure;
using Embeddings.Core.Vectors;
using FsCheck;
using FsCheck.Fluent;

namespace Embeddings.Core.Tests.Formats;

/// <summary>
/// The issue's fuzzing bar: each loader is fed 10,000 inputs generated with FsCheck from valid files (random bytes,
/// truncations, bit flips, overwritten bytes, lying headers, splices) and must either load them or throw
/// <see cref="InvalidDataException"/> / <see cref="FormatException"/> with a message: no other exception, no hang, and
/// no allocation beyond a small multiple of the input.
/// </summary>
public class VectorFileFuzzTests
{
    private const int InputsPerLoader = 10_000;

    /// <summary>Allocation bound: fixed buffers (the 64 KiB read buffer of non-seekable input, a first 16 KiB matrix
    /// block, exception text) plus a small multiple of the input.</summary>
    private const long FixedAllowance = 128 * 1024;
    private const long PerInputByte = 8;

    /// <summary>No input of these sizes may take longer than this (a hang shows here, far below the test timeout).</summary>
    private static readonly TimeSpan SlowestAllowed = TimeSpan.FromSeconds(2);

    private static readonly long[] LyingNumbers =
    [
        0, 1, 2, 3, 7, 100, 255, 256, 65535, 1_000_000, int.MaxValue, (long)int.MaxValue + 1, 1_000_000_000_000, long.MaxValue, -1,
    ];

    public static readonly TheoryData<string> Loaders = ["Word2VecText", "Word2VecBinary", "FastTextVec", "GloVeText", "Native", "FastTextBinary", "Detect"];

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Loaders))]
    public async Task Load_FuzzedInputs_ThrowOnlyInvalidDataWithAMessage(string loader)
    {
        await Task.Yield();
        VectorFileFormat? format = loader == "Detect" ? null : Enum.Parse<VectorFileFormat>(loader);
        byte[][] seeds = Seeds(format);
        byte[][] inputs = Mutations(seeds, format).Sample(InputsPerLoader, new Rnd((ulong)loader.Length * 7919), 200);

        FuzzResult result = Run(inputs, (bytes, seekable) => FormatTestData.Load(bytes, format, seekable: seekable));

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{loader}: {inputs.Length} inputs ({inputs.Select(Convert.ToBase64String).Distinct().Count()} distinct, up to {inputs.Max(i => i.Length):N0} bytes), " +
            $"{result.Loaded} loaded, {result.Rejected} rejected; allocated at most {result.MaxAllocated:N0} B, at most {result.WorstRatio:F2} B per input byte for inputs of 16 KiB or more; " +
            $"slowest {result.Slowest.TotalMilliseconds:F1} ms, total {result.Total.TotalSeconds:F2} s");
        result.Failures.Should().BeEmpty();
        result.Rejected.Should().BeGreaterThan(InputsPerLoader / 2, "most mutations break the file");
    }

    [Fact(Timeout = 120_000)]
    public async Task Load_FuzzedNativeFiles_FromPaths_ThrowOnlyInvalidData()
    {
        await Task.Yield();
        using var folder = new TempDirectory();
        byte[][] seeds = Seeds(VectorFileFormat.Native);
        byte[][] inputs = Mutations(seeds, VectorFileFormat.Native).Sample(1_000, new Rnd(4242), 200);
        string path = folder.File("fuzz.embv");

        FuzzResult result = Run(inputs, (bytes, _) =>
        {
            File.WriteAllBytes(path, bytes);
            return WordVectorsFile.Load(path);
        });

        TestContext.Current.TestOutputHelper?.WriteLine($"Native via memory map: {inputs.Length} inputs, {result.Loaded} loaded, {result.Rejected} rejected");
        result.Failures.Should().BeEmpty();
    }

    [Fact(Timeout = 120_000)]
    public async Task Load_FuzzedGzipInputs_ThrowOnlyInvalidData()
    {
        await Task.Yield();
        byte[][] seeds = [.. Seeds(null).Where(s => s.Length < 4096).Select(Gzip)];
        byte[][] inputs = Mutations(seeds, null).Sample(InputsPerLoader, new Rnd(1234), 200);

        // Decompression can expand a small input (that is what it is for), so only exceptions and time are checked here.
        FuzzResult result = Run(inputs, (bytes, seekable) => FormatTestData.Load(bytes, seekable: seekable), checkAllocation: false);

        TestContext.Current.TestOutputHelper?.WriteLine($"Gzip: {inputs.Length} inputs, {result.Loaded} loaded, {result.Rejected} rejected; slowest {result.Slowest.TotalMilliseconds:F1} ms, total {result.Total.TotalSeconds:F2} s");
        result.Failures.Should().BeEmpty();
        result.Rejected.Should().BeGreaterThan(InputsPerLoader / 2);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    internal static FuzzResult Run(byte[][] inputs, Func<byte[], bool, WordVectors> load, bool checkAllocation = true)
    {
        var failures = new List<string>();
        int loaded = 0, rejected = 0;
        long maxAllocated = 0;
        double worstRatio = 0;
        TimeSpan slowest = TimeSpan.Zero;
        var total = Stopwatch.StartNew();
        for (int i = 0; i < inputs.Length && failures.Count < 5; i++)
        {
            byte[] input = inputs[i];
            bool seekable = i % 2 == 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            long started = Stopwatch.GetTimestamp();
            try
            {
                using WordVectors vectors = load(input, seekable);
                _ = vectors.Count;
                loaded++;
            }
            catch (Exception exception) when (exception is InvalidDataException or FormatException)
            {
                rejected++;
                if (string.IsNullOrWhiteSpace(exception.Message) || exception.Message.Length < 20)
                {
                    failures.Add($"input {i}: {exception.GetType().Name} with a poor message '{exception.Message}'; input {Convert.ToBase64String(input)}");
                }
            }
            catch (Exception exception)
            {
                failures.Add($"input {i} ({(seekable ? "seekable" : "non-seekable")}): {exception.GetType().Name}: {exception.Message}; input {Convert.ToBase64String(input)}\n{exception.StackTrace}");
            }

            TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            slowest = elapsed > slowest ? elapsed : slowest;
            maxAllocated = Math.Max(maxAllocated, allocated);
            if (input.Length >= 16 * 1024)
            {
                worstRatio = Math.Max(worstRatio, (double)allocated / input.Length);
            }

            if (checkAllocation && allocated > FixedAllowance + (PerInputByte * input.Length))
            {
                failures.Add($"input {i} ({(seekable ? "seekable" : "non-seekable")}, {input.Length} bytes) allocated {allocated:N0} bytes; input {Convert.ToBase64String(input)}");
            }

            if (elapsed > SlowestAllowed)
            {
                failures.Add($"input {i} took {elapsed.TotalMilliseconds:F0} ms; input {Convert.ToBase64String(input)}");
            }
        }

        return new FuzzResult(failures, loaded, rejected, maxAllocated, worstRatio, slowest, total.Elapsed);
    }

    /// <summary>Valid files to mutate: small random vectors (1 to 12 words, 1 to 9 dimensions), a larger one, gensim's fixtures.</summary>
    private static byte[][] Seeds(VectorFileFormat? format)
    {
        VectorFileFormat[] formats = format is { } f ? [f] : Enum.GetValues<VectorFileFormat>();
        var seeds = new List<byte[]>();
        foreach (VectorFileFormat each in formats)
        {
            for (int seed = 0; seed < 8; seed++)
            {
                WordVectors vectors = FormatTestData.Random(1 + (seed * 3 % 12), 1 + (seed * 5 % 9), seed: 100 + seed);
                seeds.Add(FormatTestData.Bytes(vectors, each));
            }

            // One larger file (tens of KB), so that the allocation ratio is measured where fixed buffers do not dominate.
            seeds.Add(FormatTestData.Bytes(FormatTestData.Random(300, 40, seed: 99), each));
        }

        if (format is null or VectorFileFormat.Word2VecBinary)
        {
            seeds.Add(File.ReadAllBytes(FormatTestData.File("gensim-small.bin")));
            seeds.Add(File.ReadAllBytes(FormatTestData.File("word2vec-c-small.bin")));
        }

        if (format is null or VectorFileFormat.Word2VecText)
        {
            seeds.Add(File.ReadAllBytes(FormatTestData.File("gensim-small.txt")));
        }

        return [.. seeds];
    }

    internal static Gen<byte[]> Mutations(byte[][] seeds, VectorFileFormat? format)
    {
        Gen<byte[]> seed = Gen.Elements(seeds);
        Gen<byte> anyByte = Gen.Choose(0, 255).Select(b => (byte)b);
        Gen<byte[]> random =
            from length in Gen.Choose(0, 300)
            from bytes in Gen.ArrayOf(anyByte, length)
            select bytes;
        Gen<byte[]> truncated =
            from s in seed
            from cut in Gen.Choose(0, s.Length)
            select s[..cut];
        Gen<byte[]> flipped =
            from s in seed
            from count in Gen.Choose(1, 8)
            from bits in Gen.ArrayOf(Gen.Choose(0, (s.Length * 8) - 1), count)
            select Flip(s, bits);
        Gen<byte[]> overwritten =
            from s in seed
            from count in Gen.Choose(1, 4)
            from positions in Gen.ArrayOf(Gen.Choose(0, s.Length - 1), count)
            from values in Gen.ArrayOf(anyByte, count)
            select Overwrite(s, positions, values);
        Gen<byte[]> lyingHeader =
            from s in seed
            from first in Gen.Elements(LyingNumbers)
            from second in Gen.Elements(LyingNumbers)
            from field in Gen.Choose(0, 7)
            select format == VectorFileFormat.Native || s.AsSpan().StartsWith("EMBV"u8) ? LieInNativeHeader(s, field, first) : LieInTextHeader(s, first, second);
        Gen<byte[]> spliced =
            from a in seed
            from b in seed
            from i in Gen.Choose(0, a.Length)
            from j in Gen.Choose(0, b.Length)
            select (byte[])[.. a[..i], .. b[j..]];
        Gen<byte[]> cutOut =
            from s in seed
            from start in Gen.Choose(0, s.Length)
            from length in Gen.Choose(0, 16)
            select (byte[])[.. s[..start], .. s[Math.Min(s.Length, start + length)..]];
        return Gen.Frequency(
            (1, random), (3, truncated), (4, flipped), (2, overwritten), (2, lyingHeader), (1, spliced), (1, cutOut));
    }

    private static byte[] Flip(byte[] source, int[] bits)
    {
        byte[] copy = [.. source];
        foreach (int bit in bits)
        {
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        return copy;
    }

    private static byte[] Overwrite(byte[] source, int[] positions, byte[] values)
    {
        byte[] copy = [.. source];
        for (int i = 0; i < positions.Length; i++)
        {
            copy[positions[i]] = values[i];
        }

        return copy;
    }

    private static byte[] LieInTextHeader(byte[] source, long count, long dimensions)
    {
        int newline = Array.IndexOf(source, (byte)'\n');
        byte[] header = Encoding.ASCII.GetBytes(FormattableString.Invariant($"{count} {dimensions}\n"));
        return [.. header, .. source[(newline + 1)..]];
    }

    private static byte[] LieInNativeHeader(byte[] source, int field, long value)
    {
        byte[] copy = [.. source];
        if (copy.Length >= 64)
        {
            BinaryPrimitives.WriteInt64LittleEndian(copy.AsSpan(field * 8), value);
        }

        return copy;
    }

    internal sealed record FuzzResult(
        List<string> Failures, int Loaded, int Rejected, long MaxAllocated, double WorstRatio, TimeSpan Slowest, TimeSpan Total);
}
