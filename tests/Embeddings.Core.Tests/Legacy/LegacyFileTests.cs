using Embeddings.Core.Corpus;
using Embeddings.Core.Formats;
using Embeddings.Core.IO;
using Embeddings.Core.Sequences;
using Embeddings.Core.Training;
using Embeddings.Core.Vectors;
using Embeddings.Quantization;
using Embeddings.Tests.Infrastructure;
using static Embeddings.Core.Tests.Legacy.LegacyFixtures;

namespace Embeddings.Core.Tests.Legacy;

/// <summary>
/// Every kind of native file written by the previous main still loads, and saving what it holds again gives a file of
/// the one frame with the same content: for the kinds whose earlier frame was magic, version, flags, body and a trailing
/// checksum, the new payload is byte for byte the old body.
/// </summary>
public class LegacyFileTests
{
    [Theory]
    [InlineData("kmeans.emq", "EMBK", 2)]
    [InlineData("pq.emp", "EMBP", 2)]
    [InlineData("qlm.emlm", "EMQL", 2)]
    [InlineData("lm.emlm", "EMLM", 2)]
    [InlineData("lm.checkpoint", "EMLM", 2)]
    [InlineData("sg.model", "EMCK", 3)]
    [InlineData("sg.checkpoint", "EMCK", 3)]
    public void TrailerFrameFile_LoadsAndSavesAgainWithTheSamePayload(string name, string magic, int version)
    {
        byte[] legacy = File.ReadAllBytes(Path(name));
        Head(legacy).Version.Should().BeLessThan((ushort)version);

        byte[] resaved = Resave(name, legacy);

        Head(resaved).Should().Be((magic, (ushort)version));
        resaved.AsSpan(6, 2).ToArray().Should().Equal(legacy.AsSpan(6, 2).ToArray(), "the flags keep their meaning");
        resaved.AsSpan(NativeFile.HeaderSize).ToArray().Should().Equal(legacy.AsSpan(8, legacy.Length - 16).ToArray());
    }

    [Theory]
    [InlineData("sg.emv")]
    [InlineData("cbow.emv")]
    [InlineData("softmax.emv")]
    [InlineData("ppmi.emv")]
    public void NativeVectors_Version1_LoadsMappedAndStreamed_AndRoundTripsThroughVersion2(string name)
    {
        using WordVectors mapped = WordVectorsFile.Load(Path(name));
        using var file = new MemoryStream(File.ReadAllBytes(Path(name)));
        using WordVectors streamed = WordVectorsFile.Load(file);
        using var saved = new MemoryStream();
        mapped.Save(saved, VectorFileFormat.Native);
        saved.Position = 0;
        using WordVectors reloaded = WordVectorsFile.Load(saved);

        Head(saved.ToArray()).Should().Be(("EMBV", (ushort)2));
        mapped.Count.Should().BeGreaterThan(100);
        foreach (WordVectors other in new[] { streamed, reloaded })
        {
            other.Vocabulary.Words.Should().Equal(mapped.Vocabulary.Words);
            Enumerable.Range(0, other.Count).Select(other.Vocabulary.GetCount).Should().Equal(Enumerable.Range(0, mapped.Count).Select(mapped.Vocabulary.GetCount));
            other.Matrix.ToArray().Should().Equal(mapped.Matrix.ToArray());
        }
    }

    [Fact]
    public void Word2VecModel_Legacy_HoldsTheVectorsOfItsRun()
    {
        Word2VecModel model = Word2VecModel.Load(Path("sg.model"));
        using WordVectors vectors = WordVectorsFile.Load(Path("sg.emv"));
        Word2VecCheckpoint checkpoint = Word2VecCheckpoint.Load(Path("sg.checkpoint"));

        model.Vectors.Matrix.ToArray().Should().Equal(vectors.Matrix.ToArray());
        model.Options.Seed.Should().Be(7);
        model.Report.EpochLosses.Should().HaveCount(2);
        checkpoint.Vocabulary.Words.Should().Equal(vectors.Vocabulary.Words);
    }

    [Fact]
    public void Word2VecModelAndLanguageModel_SaveAndLoadThroughAStream_RoundTrip()
    {
        Word2VecModel word2vec = Word2VecModel.Load(Path("sg.model"));
        LanguageModel language = LanguageModel.Load(Path("lm.emlm"));
        using var w = new MemoryStream();
        using var l = new MemoryStream();
        word2vec.Save(w);
        language.Save(l);
        w.Position = l.Position = 0;

        Word2VecModel word2vecAgain = Word2VecModel.Load(w);
        LanguageModel languageAgain = LanguageModel.Load(l);

        word2vecAgain.Options.Should().Be(word2vec.Options);
        word2vecAgain.Vectors.Matrix.ToArray().Should().Equal(word2vec.Vectors.Matrix.ToArray());
        word2vecAgain.OutputVectors.ToArray().Should().Equal(word2vec.OutputVectors.ToArray());
        languageAgain.Options.Should().Be(language.Options);
        languageAgain.Network.Parameters.SelectMany(p => p.Value).Should().Equal(language.Network.Parameters.SelectMany(p => p.Value));
    }

    [Fact]
    public void EncodedCorpus_Version1_OpensAndReadsTheSameAsANewFile()
    {
        using var folder = new TempDirectory();
        Vocabulary vocabulary = Vocabulary.Load(Path("corpus-vocabulary.txt"));
        List<IReadOnlyList<string>> sentences = [.. File.ReadLines(Path("corpus-tokens.txt")).Select(l => (IReadOnlyList<string>)l.Split(' ', StringSplitOptions.RemoveEmptyEntries))];

        EncodedCorpusFile legacy = EncodedCorpusFile.Open(Path("corpus.emc"));
        EncodedCorpusFile fresh = EncodedCorpusFile.Write(folder.File("c.emc"), sentences, vocabulary, maxSentenceLength: 16);
        EncodedCorpus memory = EncodedCorpus.Encode(sentences, vocabulary, 16);

        Head(File.ReadAllBytes(fresh.Path)).Should().Be(("EMBC", (ushort)2));
        legacy.VocabularySize.Should().Be(vocabulary.Count);
        foreach (EncodedCorpus corpus in new EncodedCorpus[] { legacy, fresh })
        {
            corpus.TokenCount.Should().Be(memory.TokenCount);
            corpus.SentenceCount.Should().Be(memory.SentenceCount);
            Flatten(corpus).Should().Equal(Flatten(memory));
        }
    }

    internal static int[] Flatten(EncodedCorpus corpus) =>
        [.. corpus.ReadChunks(7).SelectMany(c => c.Tokens.ToArray().Concat(c.SentenceEnds.ToArray().Select(e => -e)))];

    private static byte[] Resave(string name, byte[] legacy)
    {
        using var input = new MemoryStream(legacy);
        using var output = new MemoryStream();
        switch (Head(legacy).Magic)
        {
            case "EMBK": QuantizedVectors.Load(input).Save(output); break;
            case "EMBP": ProductQuantizedVectors.Load(input).Save(output); break;
            case "EMQL": QuantizedLanguageModel.Load(input).Save(output); break;
            case "EMLM": ResaveLanguageModel(input, output, withReport: name.EndsWith(".emlm", StringComparison.Ordinal)); break;
            default: Word2VecCheckpoint.Load(input).Save(output); break;
        }

        return output.ToArray();
    }

    /// <summary>A model carries its report; a checkpoint does not.</summary>
    private static void ResaveLanguageModel(Stream input, Stream output, bool withReport)
    {
        LanguageModelFile file = LanguageModelFile.Read(input);
        LanguageModelFile.Write(output, file.Options, file.Tokens, file.ToState(), withReport ? file.ToModel().Report : null);
    }
}
