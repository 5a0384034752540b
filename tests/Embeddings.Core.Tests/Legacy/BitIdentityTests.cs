using Embeddings.Core.Corpus;
using Embeddings.Core.CountBased;
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
/// Retrains every seeded single-thread run of benchmarks/identity/run.sh through the library, as the CLI does it, and
/// compares with the files the previous main wrote: a refactoring that changes one bit of any result fails here.
/// </summary>
public class BitIdentityTests
{
    [Theory]
    [InlineData("sg.emv", false, false)]
    [InlineData("cbow.emv", true, false)]
    [InlineData("softmax.emv", false, true)]
    public void Word2Vec_SeededOneThread_GivesTheLegacyVectorsBitForBit(string fixture, bool cbow, bool softmax)
    {
        // embeddings train --dim 16 --window 3 --min-count 3 --epochs 2 --threads 1 --seed 7 (other options at their defaults).
        Word2VecBuilder builder = Word2Vec.CreateBuilder()
            .Dimensions(16).WindowSize(3).NegativeSamples(5).MinCount(3).SubsamplingThreshold(1e-3).Epochs(2)
            .LearningRate(cbow ? 0.05 : 0.025).MinLearningRate(1e-4).Threads(1).Seed(7);
        builder = cbow ? builder.Cbow() : builder.SkipGram();
        if (softmax)
        {
            builder.FullSoftmax(64);
        }

        Word2VecTrainer trainer = builder.Build();
        IReadOnlyList<string> lines = TokenLines();
        var counter = new VocabularyCounter();
        foreach (string line in lines)
        {
            counter.AddWords(line);
        }

        Vocabulary vocabulary = counter.ToVocabulary(trainer.Options.MinCount, trainer.Options.MaxVocabularySize);
        using var folder = new TempDirectory();
        EncodedCorpusFile corpus = EncodedCorpusFile.Write(folder.File("tokens.embc"), lines, vocabulary, trainer.Options.MaxSentenceLength);

        Word2VecModel model = trainer.Train(vocabulary, corpus);

        AssertSameVectors(model.Vectors, fixture);
    }

    [Fact]
    public void Ppmi_OneThread_GivesTheLegacyVectorsBitForBit()
    {
        PpmiSvd trainer = PpmiSvd.CreateBuilder().Dimensions(16).WindowSize(3).MinCount(3).ContextSmoothing(0.75).Threads(1).Build();

        PpmiSvdResult result = trainer.Train(TokenLines().Select(line => (IReadOnlyList<string>)line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));

        AssertSameVectors(result.Vectors, "ppmi.emv");
    }

    [Fact]
    public void KMeans_SeededOneThread_GivesTheLegacyFileBitForBit()
    {
        using WordVectors vectors = WordVectorsFile.Load(Path("sg.emv"));
        KMeans kmeans = KMeans.CreateBuilder().Clusters(20).Spherical(false).Seed(3).MaxIterations(300).MiniBatch(null).Threads(1).Build();

        QuantizedVectors quantized = QuantizedVectors.Create(vectors, kmeans.Train(vectors));

        AssertSamePayload(quantized.Save, "kmeans.emq");
    }

    [Fact]
    public void ProductQuantization_SeededOneThread_GivesTheLegacyFileBitForBit()
    {
        using WordVectors vectors = WordVectorsFile.Load(Path("sg.emv"));

        ProductQuantizedVectors pq = ProductQuantizer.CreateBuilder()
            .WithOptions(new ProductQuantizerOptions { Subspaces = 4, Seed = 3, Threads = 1 }).Build().Train(vectors);

        AssertSamePayload(pq.Save, "pq.emp");
    }

    [Fact]
    public void GruLanguageModel_SeededOneThread_GivesTheLegacyWeightsBitForBit()
    {
        using WordVectors vectors = WordVectorsFile.Load(Path("sg.emv"));
        int[] ids = [.. Words().Select(w => vectors.Vocabulary.TryGetId(w, out int id) ? id : -1).Where(id => id >= 0)];

        LanguageModel model = LanguageModelCli(RecurrentCell.Gru, LanguageModel.CreateBuilder()).PretrainedEmbedding(vectors).Build().Train(ids);

        AssertSameWeights(model, LanguageModel.Load(Path("lm.emlm")));
    }

    [Fact]
    public void QuantizedLstmLanguageModel_SeededOneThread_GivesTheLegacyWeightsBitForBit()
    {
        QuantizedVectors clusters = QuantizedVectors.Load(Path("kmeans.emq"));

        QuantizedLanguageModel model = QuantizedLanguageModel.CreateBuilder().Clusters(clusters)
            .Configure(builder => LanguageModelCli(RecurrentCell.Lstm, builder)).Build().Train(Words());

        AssertSameWeights(model.ClusterModel, QuantizedLanguageModel.Load(Path("qlm.emlm")).ClusterModel);
    }

    /// <summary>embeddings lm-train --cell C --hidden 8 --seq-len 4 --epochs 2 --batch 64 --seed 5 --threads 1, the rest at the CLI's defaults.</summary>
    private static LanguageModelBuilder LanguageModelCli(RecurrentCell cell, LanguageModelBuilder builder) => builder
        .Cell(cell).HiddenSize(8).Layers(1).Dropout(0).SequenceLength(4).Predict(SequencePrediction.LastStep)
        .Stride(1).Epochs(2).BatchSize(64).Optimizer(OptimizerOptions.Adam(1e-3, 0))
        .ClipGradientNorm(0).ValidationFraction(0).EarlyStopping(0).Seed(5).Threads(1);

    private static void AssertSameVectors(WordVectors actual, string fixture)
    {
        using WordVectors expected = WordVectorsFile.Load(Path(fixture));
        actual.Vocabulary.Words.Should().Equal(expected.Vocabulary.Words);
        FloatBits.Of(actual.Matrix).Should().Equal(FloatBits.Of(expected.Matrix), $"the vectors of {fixture} must not change by one bit");
    }

    private static void AssertSameWeights(LanguageModel actual, LanguageModel expected)
    {
        actual.Tokens.Should().Equal(expected.Tokens);
        actual.Network.Parameters.Select(p => p.Name).Should().Equal(expected.Network.Parameters.Select(p => p.Name));
        for (int i = 0; i < actual.Network.Parameters.Count; i++)
        {
            FloatBits.Of(actual.Network.Parameters[i].Value).Should().Equal(FloatBits.Of(expected.Network.Parameters[i].Value), $"parameter {actual.Network.Parameters[i].Name} must not change by one bit");
        }
    }

    /// <summary>The saved payload against the legacy file's body (its earlier frame held the same body between an 8-byte head and an 8-byte checksum).</summary>
    private static void AssertSamePayload(Action<Stream> save, string fixture)
    {
        using var saved = new MemoryStream();
        save(saved);
        byte[] legacy = File.ReadAllBytes(Path(fixture));
        saved.ToArray().AsSpan(NativeFile.HeaderSize).ToArray().Should().Equal(legacy.AsSpan(8, legacy.Length - 16).ToArray());
    }
}
