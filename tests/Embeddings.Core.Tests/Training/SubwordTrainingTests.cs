using System.Numerics.Tensors;
using Embeddings.Core.Corpus;
using Embeddings.Core.Options;
using Embeddings.Core.Subwords;
using Embeddings.Core.Training;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Training;

/// <summary>fastText's subword model on the word2vec trainer: settings, determinism, resume, files and unseen words.</summary>
public class SubwordTrainingTests
{
    private static readonly string[] Mountains = ["mountains", "mountainous", "mountaineer", "mountainside", "hill", "valley", "rock", "peak"];
    private static readonly string[] Oceans = ["oceans", "oceanic", "oceanside", "oceanfront", "wave", "tide", "beach", "shore"];

    private static Word2VecBuilder Builder(Word2VecArchitecture architecture) => Word2Vec.CreateBuilder()
        .WithOptions(new Word2VecOptions { Architecture = architecture })
        .Subwords(3, 6, 5_000)
        .Dimensions(24).WindowSize(4).MinCount(1).SubsamplingThreshold(1e-2).Epochs(3).Threads(1).Seed(3);

    private static (Vocabulary Vocabulary, EncodedCorpus Corpus) Encode(List<IReadOnlyList<string>> sentences)
    {
        Vocabulary vocabulary = Vocabulary.Build(sentences, minCount: 1);
        return (vocabulary, EncodedCorpus.Encode(sentences, vocabulary));
    }

    [Theory]
    [InlineData(4, 3, 100, "*MinN*")]
    [InlineData(0, 3, 100, "*MinN*")]
    [InlineData(3, 21, 100, "*MinN*20*")]
    [InlineData(3, 6, 0, "*Buckets*")]
    public void Build_BadSubwordSettings_Throws(int minN, int maxN, int buckets, string message)
    {
        Action build = () => Word2Vec.CreateBuilder().Subwords(minN, maxN, buckets).Build();

        build.Should().Throw<InvalidOptionsException>().WithMessage(message);
    }

    [Fact]
    public void Build_SubwordsWithFullSoftmax_ThrowsOneClearMessage()
    {
        Action build = () => Word2Vec.CreateBuilder().Subwords().FullSoftmax().Build();

        build.Should().Throw<InvalidOptionsException>().WithMessage("*NegativeSampling with subwords*");
    }

    [Fact]
    public void Build_DefaultsAndZero_ArePlainWord2Vec()
    {
        Word2VecOptions defaults = Word2Vec.CreateBuilder().Build().Options;
        Word2VecOptions on = Word2Vec.CreateBuilder().Subwords().Build().Options;
        Word2VecOptions off = Word2Vec.CreateBuilder().Subwords().Subwords(0, 0).Build().Options;

        (defaults.MinN, defaults.MaxN, defaults.Buckets).Should().Be((0, 0, 2_000_000));
        (on.MinN, on.MaxN, on.Buckets).Should().Be((3, 6, 2_000_000));
        off.Should().Be(defaults);
    }

    [Fact]
    public void Train_NoSubwords_ModelHasNone()
    {
        (Vocabulary vocabulary, EncodedCorpus corpus) = Encode(TopicCorpus.TwoTopics(300));

        Word2VecModel model = Builder(Word2VecArchitecture.SkipGram).Subwords(0, 0).Build().Train(vocabulary, corpus);

        model.Subwords.Should().BeNull();
    }

    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram)]
    [InlineData(Word2VecArchitecture.Cbow)]
    public void Train_OneThreadAndSeed_IsBitIdentical(Word2VecArchitecture architecture)
    {
        (Vocabulary vocabulary, EncodedCorpus corpus) = Encode(TopicCorpus.Of(600, 7, Mountains, Oceans));

        Word2VecModel first = Builder(architecture).Build().Train(vocabulary, corpus);
        Word2VecModel second = Builder(architecture).Build().Train(vocabulary, corpus);
        Word2VecModel otherSeed = Builder(architecture).Seed(4).Build().Train(vocabulary, corpus);

        SubwordVectors subwords = first.Subwords!;
        subwords.Buckets.Should().Be(5_000);
        (subwords.MinN, subwords.MaxN).Should().Be((3, 6));
        ShouldHaveTheSameWeights(first, second);
        subwords.NgramRows.ToArray().Should().NotEqual(otherSeed.Subwords!.NgramRows.ToArray());

        // Vectors are the vocabulary's composed vectors: the mean of each word's own row and its n-gram rows.
        first.Vectors["mountains"].ToArray().Should().Equal(subwords.GetVector("mountains"));
    }

    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram)]
    [InlineData(Word2VecArchitecture.Cbow)]
    public void Resume_AfterCancellation_IsBitIdenticalToTheUninterruptedRun(Word2VecArchitecture architecture)
    {
        (Vocabulary vocabulary, EncodedCorpus corpus) = Encode(TopicCorpus.Of(20_000, 7, Mountains, Oceans));
        Word2VecModel uninterrupted = Builder(architecture).Build().Train(vocabulary, corpus);

        using var temp = new TempDirectory();
        Word2VecCheckpoint checkpoint = Word2VecCheckpointTests.TrainUntilCancelled(Builder(architecture), vocabulary, corpus, temp.Path);
        (checkpoint.Options.MinN, checkpoint.Options.MaxN, checkpoint.Options.Buckets).Should().Be((3, 6, 5_000));
        Word2VecModel resumed = Builder(architecture).Build().Resume(checkpoint, corpus);

        ShouldHaveTheSameWeights(resumed, uninterrupted);
    }

    [Fact]
    public void SaveLoad_RoundTripsTheSubwordModel()
    {
        (Vocabulary vocabulary, EncodedCorpus corpus) = Encode(TopicCorpus.Of(600, 7, Mountains, Oceans));
        Word2VecModel model = Builder(Word2VecArchitecture.SkipGram).Build().Train(vocabulary, corpus);
        using var stream = new MemoryStream();

        model.Save(stream);
        stream.Position = 0;
        Word2VecModel loaded = Word2VecModel.Load(stream);

        loaded.Options.Should().Be(model.Options);
        ShouldHaveTheSameWeights(loaded, model);
        loaded.Vectors.Matrix.ToArray().Should().Equal(model.Vectors.Matrix.ToArray());
        loaded.Subwords!.GetVector("mountainy").Should().Equal(model.Subwords!.GetVector("mountainy"));
    }

    [Fact]
    public void Load_TruncatedSubwordBlock_ThrowsInvalidData()
    {
        (Vocabulary vocabulary, EncodedCorpus corpus) = Encode(TopicCorpus.Of(300, 7, Mountains, Oceans));
        using var temp = new TempDirectory();
        string path = Path.Combine(temp.Path, "model.w2v");
        Builder(Word2VecArchitecture.Cbow).Build().Train(vocabulary, corpus).Save(path);
        byte[] bytes = File.ReadAllBytes(path);

        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);

        FluentActions.Invoking(() => Word2VecModel.Load(path)).Should().Throw<InvalidDataException>();
    }

    [Fact]
    public void ContinueTraining_SubwordModel_ThrowsArgumentException()
    {
        List<IReadOnlyList<string>> sentences = TopicCorpus.Of(300, 7, Mountains, Oceans);
        Word2VecModel model = Builder(Word2VecArchitecture.SkipGram).Build().Train(sentences);

        Action grow = () => Builder(Word2VecArchitecture.SkipGram).Build().ContinueTraining(model, sentences);

        grow.Should().Throw<ArgumentException>().WithMessage("*subword*");
    }

    /// <summary>
    /// The gradient reaches the n-gram rows: a word never seen, made of n-grams of one topic's words, lands beside that
    /// topic's other words, with which it shares no n-gram (were only the words' own rows trained, its vector would be
    /// random rows, as unrelated to one topic as to the other).
    /// </summary>
    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram)]
    [InlineData(Word2VecArchitecture.Cbow)]
    public void Train_UnseenWordSharingNgrams_LandsNearItsTopic(Word2VecArchitecture architecture)
    {
        (Vocabulary vocabulary, EncodedCorpus corpus) = Encode(TopicCorpus.Of(4_000, 7, Mountains, Oceans));
        SubwordVectors subwords = Builder(architecture).Epochs(5).Build().Train(vocabulary, corpus).Subwords!;
        string[] mountainWords = ["hill", "valley", "rock", "peak"];
        string[] oceanWords = ["wave", "tide", "beach", "shore"];

        subwords.Contains("mountainy").Should().BeFalse();
        double mountainyToMountains = MeanCosine(subwords, "mountainy", mountainWords);
        double mountainyToOceans = MeanCosine(subwords, "mountainy", oceanWords);
        double oceanishToOceans = MeanCosine(subwords, "oceanish", oceanWords);
        double oceanishToMountains = MeanCosine(subwords, "oceanish", mountainWords);

        mountainyToMountains.Should().BeGreaterThan(mountainyToOceans + 0.3);
        oceanishToOceans.Should().BeGreaterThan(oceanishToMountains + 0.3);
    }

    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram)]
    [InlineData(Word2VecArchitecture.Cbow)]
    public void Train_GradientReachesExactlyTheVocabularysNgramRows(Word2VecArchitecture architecture)
    {
        (Vocabulary vocabulary, EncodedCorpus corpus) = Encode(TopicCorpus.Of(300, 7, Mountains, Oceans));
        Word2VecModel model = Builder(architecture).Build().Train(vocabulary, corpus);
        SubwordVectors subwords = model.Subwords!;
        int d = subwords.Dimensions;
        float[] initial = Word2VecEngine.InitialSubwordInput(model.Options.Seed, vocabulary.Count + subwords.Buckets, d);
        var used = new List<int>();
        foreach (string word in vocabulary.Words)
        {
            FastTextSubwords.AddNgramBuckets(word, 3, 6, subwords.Buckets, used);
        }

        var usedSet = used.ToHashSet();
        usedSet.Count.Should().BeGreaterThan(50);
        for (int bucket = 0; bucket < subwords.Buckets; bucket++)
        {
            bool moved = !subwords.NgramRows.Slice(bucket * d, d).SequenceEqual(initial.AsSpan((vocabulary.Count + bucket) * d, d));
            moved.Should().Be(usedSet.Contains(bucket), $"bucket {bucket} is {(usedSet.Contains(bucket) ? "" : "not ")}an n-gram of a vocabulary word");
        }

        initial.AsSpan(0, vocabulary.Count * d).SequenceEqual(subwords.WordRows).Should().BeFalse("the words' own rows train too");
        initial.Should().OnlyContain(x => Math.Abs(x) <= 1f / d, "fastText starts every row uniform in ±1/dimensions");
    }

    private static void ShouldHaveTheSameWeights(Word2VecModel actual, Word2VecModel expected)
    {
        actual.Subwords!.WordRows.ToArray().Should().Equal(expected.Subwords!.WordRows.ToArray());
        actual.Subwords!.NgramRows.ToArray().Should().Equal(expected.Subwords!.NgramRows.ToArray());
        actual.OutputVectors.ToArray().Should().Equal(expected.OutputVectors.ToArray());
        actual.Report.EpochLosses.Should().Equal(expected.Report.EpochLosses);
    }

    private static double MeanCosine(SubwordVectors vectors, string word, string[] others)
    {
        float[] vector = vectors.GetVector(word);
        return others.Average(other => TensorPrimitives.CosineSimilarity(vector, vectors.GetVector(other)));
    }
}
