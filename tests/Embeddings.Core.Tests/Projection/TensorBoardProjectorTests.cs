using System.Text;
using Embeddings.Core.Corpus;
using Embeddings.Core.Projection;
using Embeddings.Tests.Infrastructure;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Tests.Projection;

public class TensorBoardProjectorTests
{
    private static readonly WordVectors Sample = new(
        Vocabulary.FromWordsInOrder(["the", "king", "queen"], [30L, 20L, 10L]),
        [1f, -0.5f, 0.1f, 2f, 0f, -3.25e-7f],
        dimensions: 2);

    [Fact]
    public void Export_WritesVectorsAndOneColumnMetadataWithoutHeader()
    {
        using var folder = new TempDirectory();

        (string vectorsPath, string metadataPath) = TensorBoardProjector.Export(Sample, folder.Path);

        vectorsPath.Should().Be(folder.File("vectors.tsv"));
        File.ReadAllText(vectorsPath).Should().Be("1\t-0.5\n0.1\t2\n0\t-3.25E-07\n");
        File.ReadAllText(metadataPath).Should().Be("the\nking\nqueen\n");
        Directory.GetFiles(folder.Path).Select(Path.GetFileName).Should().BeEquivalentTo(["vectors.tsv", "metadata.tsv"], "no temporary file is left behind");
    }

    [Fact]
    public void Export_WithCounts_AddsTheHeaderTheProjectorNeedsForTwoColumns()
    {
        using var folder = new TempDirectory();

        TensorBoardProjector.Export(Sample, folder.Path, maxWords: 2, includeCounts: true);

        File.ReadAllText(folder.File("metadata.tsv")).Should().Be("word\tcount\nthe\t30\nking\t20\n");
        File.ReadAllText(folder.File("vectors.tsv")).Should().Be("1\t-0.5\n0.1\t2\n");
    }

    [Fact]
    public void Export_ExistingFiles_AreReplaced()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("vectors.tsv"), "old content that is longer than the new one\n");

        TensorBoardProjector.Export(Sample, folder.Path, maxWords: 1);

        File.ReadAllText(folder.File("vectors.tsv")).Should().Be("1\t-0.5\n");
    }

    [Fact]
    public void Export_MissingFolder_IsCreated()
    {
        using var folder = new TempDirectory();
        string nested = Path.Combine(folder.Path, "projector", "run1");

        TensorBoardProjector.Export(Sample, nested);

        File.Exists(Path.Combine(nested, "metadata.tsv")).Should().BeTrue();
    }

    [Fact]
    public void WriteMetadata_WordWithTab_WritesASpace()
    {
        var vectors = new WordVectors(Vocabulary.FromWordsInOrder(["new\tyork"]), [1f], 1);
        using var stream = new MemoryStream();

        TensorBoardProjector.WriteMetadata(vectors, stream);

        Encoding.UTF8.GetString(stream.ToArray()).Should().Be("new york\n");
        stream.CanWrite.Should().BeTrue("the caller's stream stays open");
    }

    [Fact]
    public void WriteVectors_ZeroMaxWords_ThrowsArgumentOutOfRange()
    {
        Action write = () => TensorBoardProjector.WriteVectors(Sample, Stream.Null, maxWords: 0);

        write.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxWords");
    }
}
