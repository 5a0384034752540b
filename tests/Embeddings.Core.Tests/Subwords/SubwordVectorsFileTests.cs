using System.Buffers.Binary;
using Embeddings.Core.Corpus;
using Embeddings.Core.Formats;
using Embeddings.Core.IO;
using Embeddings.Core.Subwords;
using Embeddings.Core.Vectors;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Subwords;

public class SubwordVectorsFileTests
{
    [Fact]
    public void SaveAndLoad_FromAPath_GiveTheSameRowsBitForBit_AndTheSameAnswers()
    {
        using var folder = new TempDirectory();
        string path = folder.File("kittens.emsw");
        using SubwordVectors saved = SubwordVectorsQueryTests.Kittens();

        saved.Save(path);
        using SubwordVectors loaded = SubwordVectors.Load(path);

        (loaded.Dimensions, loaded.MinN, loaded.MaxN, loaded.Buckets).Should().Be((4, 3, 3, 4096));
        loaded.Vocabulary.Words.Should().Equal(saved.Vocabulary.Words);
        Enumerable.Range(0, 4).Select(loaded.Vocabulary.GetCount).Should().Equal(40, 30, 20, 10);
        FloatBits.Of(loaded.WordRows).Should().Equal(FloatBits.Of(saved.WordRows));
        FloatBits.Of(loaded.NgramRows).Should().Equal(FloatBits.Of(saved.NgramRows));
        loaded.MostSimilar("gatito").Should().Equal(saved.MostSimilar("gatito"));
        File.ReadAllBytes(path).AsSpan(0, 4).ToArray().Should().Equal("EMSW"u8.ToArray());
    }

    [Fact]
    public void SaveAndLoad_ThroughStreams_GiveTheSameRows()
    {
        using SubwordVectors saved = SubwordVectorsQueryTests.Kittens();
        using var stream = new MemoryStream();

        saved.Save(stream);
        stream.Position = 0;
        using SubwordVectors loaded = SubwordVectors.Load(stream);

        FloatBits.Of(loaded.WordRows).Should().Equal(FloatBits.Of(saved.WordRows));
        FloatBits.Of(loaded.NgramRows).Should().Equal(FloatBits.Of(saved.NgramRows));
        loaded.Vocabulary.Words.Should().Equal(saved.Vocabulary.Words);
    }

    [Fact]
    public void Load_FromAPath_MapsTheRows_WithoutCopyingThem()
    {
        using var folder = new TempDirectory();
        string path = folder.File("large.emsw");
        var ngrams = new float[200_000 * 4];
        ngrams.AsSpan().Fill(0.5f);
        using (var large = new SubwordVectors(Vocabulary.FromWordsInOrder(["a", "b"]), [1, 0, 0, 0, 0, 1, 0, 0], ngrams, 4, 3, 6))
        {
            large.Save(path);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        using SubwordVectors loaded = SubwordVectors.Load(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        loaded.NgramRows.Length.Should().Be(ngrams.Length);
        loaded.NgramRows[^1].Should().Be(0.5f);
        allocated.Should().BeLessThan(ngrams.Length * sizeof(float) / 8, "the 3.2 MB of rows stay in the mapped file");
        ((new FileInfo(path).Length - ((2 + 200_000) * 4 * sizeof(float))) % 64).Should().Be(0, "the rows start on a 64-byte boundary and fill the rest of the file");
    }

    [Fact]
    public void WordVectorsFileLoad_OfASubwordFile_GivesTheVocabularyWordsComposedVectors()
    {
        using var folder = new TempDirectory();
        string path = folder.File("kittens.emsw");
        using SubwordVectors saved = SubwordVectorsQueryTests.Kittens();
        saved.Save(path);

        using WordVectors words = WordVectorsFile.Load(path);
        using WordVectors first = WordVectorsFile.Load(path, limit: 2);

        FloatBits.Of(words.Matrix).Should().Equal(FloatBits.Of(saved.Words.Matrix));
        first.Vocabulary.Words.Should().Equal("gato", "perro");
    }

    [Fact]
    public void Load_ANewerVersion_SaysWhichVersionsAreRead()
    {
        using var folder = new TempDirectory();
        string path = SaveKittens(folder, "future.emsw", (kittens, target) => kittens.Save(target));
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), 2);
        File.WriteAllBytes(path, bytes);

        Action load = () => SubwordVectors.Load(path);

        load.Should().Throw<InvalidDataException>().WithMessage($"'{path}' is a subword vectors file of version 2; this library reads versions up to 1.*");
    }

    [Fact]
    public void Load_AnotherNativeFile_SaysWhatItIs()
    {
        using var folder = new TempDirectory();
        string path = SaveKittens(folder, "vectors.embv", (kittens, target) => kittens.Words.Save(target, VectorFileFormat.Native));

        Action load = () => SubwordVectors.Load(path);

        load.Should().Throw<InvalidDataException>().WithMessage($"'{path}' is a native vectors file (EMBV), not a subword vectors file.");
    }

    /// <summary>Every truncation and a flipped bit in every byte of a small file, loaded from a path and from a stream:
    /// each is refused with an <see cref="InvalidDataException"/> that names the file, never another exception.</summary>
    [Fact]
    public void Load_DamagedOrTruncatedFiles_ThrowOnlyInvalidDataNamingTheFile()
    {
        using var folder = new TempDirectory();
        string path = folder.File("small.emsw");
        Vocabulary vocabulary = Vocabulary.FromWordsInOrder(["uno", "dos", "tres"], [3, 2, 1]);
        float[] ngrams = [.. Enumerable.Range(0, 5 * 3).Select(i => (float)Math.Sin(i))];
        using (var small = new SubwordVectors(vocabulary, [.. Enumerable.Range(0, 9).Select(i => i / 9f)], ngrams, 3, 2, 4))
        {
            small.Save(path);
        }

        byte[] valid = File.ReadAllBytes(path);
        var damaged = new List<byte[]>();
        for (int length = 0; length < valid.Length; length++)
        {
            damaged.Add(valid[..length]);
        }

        for (int i = 0; i < valid.Length; i++)
        {
            byte[] flipped = [.. valid];
            flipped[i] ^= (byte)(1 << (i % 8));
            damaged.Add(flipped);
        }

        damaged.Add([.. valid, 0]); // a file goes nowhere after its payload (a stream may: that one is not loaded from a stream)
        var failures = new List<string>();
        string target = folder.File("damaged.emsw");
        foreach (byte[] bytes in damaged)
        {
            File.WriteAllBytes(target, bytes);
            foreach ((string how, Func<SubwordVectors> load) in new (string, Func<SubwordVectors>)[]
            {
                ("path", () => SubwordVectors.Load(target)),
                ("stream", () => SubwordVectors.Load(new MemoryStream(bytes))),
            })
            {
                if (how == "stream" && bytes.Length > valid.Length)
                {
                    continue;
                }

                try
                {
                    load().Dispose();
                    failures.Add($"{how}, {bytes.Length} bytes: loaded");
                }
                catch (InvalidDataException e) when (e.Message.Contains(how == "path" ? $"'{target}'" : "'the stream'", StringComparison.Ordinal))
                {
                }
                catch (Exception e)
                {
                    failures.Add($"{how}, {bytes.Length} bytes: {e.GetType().Name}: {e.Message}");
                }
            }
        }

        failures.Should().BeEmpty();
    }

    /// <summary>Saves the hand-built vectors of the query tests with <paramref name="save"/>; returns the file's path.</summary>
    private static string SaveKittens(TempDirectory folder, string name, Action<SubwordVectors, string> save)
    {
        string path = folder.File(name);
        using SubwordVectors kittens = SubwordVectorsQueryTests.Kittens();
        save(kittens, path);
        return path;
    }
}
