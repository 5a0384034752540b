using Embeddings.Core.Compute;
using Embeddings.Core.Corpus;
using Embeddings.Core.Training;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Training;

/// <summary>Epoch hooks, early stopping, devices, model files and continued training.</summary>
[Trait("Category", "Conformance")]
public class Word2VecServicesTests
{
    private static Word2VecBuilder Small() => Word2Vec.CreateBuilder()
        .Dimensions(16).WindowSize(3).MinCount(1).SubsamplingThreshold(0).Epochs(4).Threads(1).Seed(7);

    private static double Cosine(Word2VecModel model, string a, string b) =>
        System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(model.Vectors[a], model.Vectors[b]);

    [Fact]
    public void OnEpochEnd_IsCalledAfterEveryEpochWithItsLossAndTheCurrentVectors()
    {
        var seen = new List<(int Epoch, int Epochs, double Loss, float FirstValue)>();

        Word2VecModel model = Small()
            .OnEpochEnd(e => seen.Add((e.Epoch, e.Epochs, e.Loss, e.Vectors.Matrix[0])))
            .Build().Train(TopicCorpus.Of(1_000, 1, TopicCorpus.Animals, TopicCorpus.Numbers));

        seen.Select(s => s.Epoch).Should().Equal(1, 2, 3, 4);
        seen.Should().OnlyContain(s => s.Epochs == 4);
        seen.Select(s => s.Loss).Should().Equal(model.Report.EpochLosses);
        seen.Select(s => s.FirstValue).Distinct().Should().HaveCount(4, "the vectors change between epochs");
        seen[^1].FirstValue.Should().Be(model.Vectors.Matrix[0]);
        model.Report.StoppedEarly.Should().BeFalse();
    }

    [Fact]
    public void Report_OfALoadedModel_HasNoProgressHistory()
    {
        using var temp = new TempDirectory();
        Word2VecModel model = Small().Epochs(1).Build().Train(TopicCorpus.Of(200, 1, TopicCorpus.Animals));
        model.Save(temp.File("m.w2v"));

        model.Report.ProgressHistory.Should().NotBeEmpty();
        Word2VecModel.Load(temp.File("m.w2v")).Report.ProgressHistory.Should().BeEmpty();
    }

    [Fact]
    public void EarlyStopping_StopsWhenTheScoreStopsImproving()
    {
        double[] scores = [0.1, 0.3, 0.2, 0.4, 0.5, 0.6];
        int calls = 0;

        Word2VecModel model = Small().Epochs(6).EarlyStopping(_ => scores[calls++], patience: 1).Build().Train(TopicCorpus.Of(500, 2, TopicCorpus.Animals, TopicCorpus.Numbers));

        calls.Should().Be(3, "epoch 3 scored below epoch 2");
        model.Report.EpochLosses.Should().HaveCount(3);
        model.Report.Epochs.Should().Be(3);
        model.Report.StoppedEarly.Should().BeTrue();
    }

    [Fact]
    public void EarlyStopping_WithPatience_WaitsThatManyEpochs()
    {
        double[] scores = [0.5, 0.4, 0.6, 0.5, 0.5, 0.7];
        int calls = 0;

        Word2VecModel model = Small().Epochs(6).EarlyStopping(_ => scores[calls++], patience: 2).Build().Train(TopicCorpus.Of(300, 3, TopicCorpus.Animals, TopicCorpus.Numbers));

        calls.Should().Be(5, "epochs 4 and 5 did not beat epoch 3");
        model.Report.StoppedEarly.Should().BeTrue();
    }

    [Fact]
    public void OnDevice_CpuWithThreads_SetsTheThreadCount()
    {
        Word2VecTrainer trainer = Small().OnDevice(ComputeDevice.Cpu(2)).Build();

        trainer.Options.Threads.Should().Be(2);
        trainer.Device.Name.Should().Be("cpu (2 threads)");
        FluentActions.Invoking(() => ComputeDevice.Cpu(0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void SaveThenLoad_RoundTripsEverything()
    {
        Word2VecModel model = Small().Build().Train(TopicCorpus.Of(600, 4, TopicCorpus.Animals, TopicCorpus.Numbers));
        using var temp = new TempDirectory();
        string path = Path.Combine(temp.Path, "model.w2v");

        model.Save(path);
        Word2VecModel loaded = Word2VecModel.Load(path);

        loaded.Vectors.Vocabulary.Words.Should().Equal(model.Vectors.Vocabulary.Words);
        Enumerable.Range(0, loaded.Vectors.Count).Select(loaded.Vectors.Vocabulary.GetCount)
            .Should().Equal(Enumerable.Range(0, model.Vectors.Count).Select(model.Vectors.Vocabulary.GetCount));
        loaded.Vectors.Matrix.ToArray().Should().Equal(model.Vectors.Matrix.ToArray());
        loaded.OutputVectors.ToArray().Should().Equal(model.OutputVectors.ToArray());
        loaded.Options.Should().Be(model.Options);
        loaded.Report.EpochLosses.Should().Equal(model.Report.EpochLosses);
        loaded.Report.TrainingTime.Should().Be(model.Report.TrainingTime);
        loaded.Report.WordsPerSecond.Should().Be(model.Report.WordsPerSecond);
        loaded.Report.Device.Should().Be("cpu");
        Directory.GetFiles(temp.Path).Should().Equal(path);
    }

    [Fact]
    public void Load_CorruptedModel_SaysSoAndNamesTheFile()
    {
        Word2VecModel model = Small().Epochs(1).Build().Train(TopicCorpus.Of(200, 5, TopicCorpus.Animals));
        using var temp = new TempDirectory();
        string path = Path.Combine(temp.Path, "model.w2v");
        model.Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        FluentActions.Invoking(() => Word2VecModel.Load(path)).Should().Throw<InvalidDataException>().WithMessage($"*{path}*corrupt*");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        FluentActions.Invoking(() => Word2VecModel.Load(path)).Should().Throw<InvalidDataException>().WithMessage($"*{path}*truncated*");
    }

    [Fact]
    public void ContinueTraining_GrowsTheVocabularyAndLearnsTheNewWords()
    {
        Word2VecModel first = Small().Build().Train(TopicCorpus.Of(2_000, 6, TopicCorpus.Animals, TopicCorpus.Numbers));
        float[] before = first.Vectors.Matrix.ToArray();
        List<IReadOnlyList<string>> more = TopicCorpus.Of(2_000, 7, TopicCorpus.Colours, TopicCorpus.Numbers);
        more.Add(["rareword"]);

        Word2VecModel second = Small().MinCount(2).Build().ContinueTraining(first, more);

        Vocabulary grown = second.Vectors.Vocabulary;
        grown.Words.Take(first.Vectors.Count).Should().Equal(first.Vectors.Vocabulary.Words, "known words keep their ids");
        grown.Words.Skip(first.Vectors.Count).Should().BeEquivalentTo(TopicCorpus.Colours);
        grown.Contains("rareword").Should().BeFalse("it is below MinCount");
        grown.GetCount(grown.Words.ToList().IndexOf("one")).Should().Be(
            first.Vectors.Vocabulary.GetCount(first.Vectors.Vocabulary.Words.ToList().IndexOf("one")) + more.Sum(s => s.Count(w => w == "one")));
        grown.GetCount(grown.Words.ToList().IndexOf("cat")).Should().Be(first.Vectors.Vocabulary.GetCount(first.Vectors.Vocabulary.Words.ToList().IndexOf("cat")));
        first.Vectors.Matrix.ToArray().Should().Equal(before, "the model passed in is left unchanged");
        second.OutputVectors.Length.Should().Be(grown.Count * 16);

        double colours = Cosine(second, "red", "blue") + Cosine(second, "green", "yellow");
        double across = Cosine(second, "red", "one") + Cosine(second, "green", "two");
        colours.Should().BeGreaterThan(across + 0.5, $"within colours {colours / 2:F3}, colour–number {across / 2:F3}");
        Cosine(second, "cat", "dog").Should().BeGreaterThan(Cosine(second, "cat", "one"), "the old topics survive");
    }

    [Fact]
    public void ContinueTraining_WithAnotherShape_SaysWhatDiffers()
    {
        Word2VecModel model = Small().Epochs(1).Build().Train(TopicCorpus.Of(200, 8, TopicCorpus.Animals));

        FluentActions.Invoking(() => Small().Dimensions(8).Build().ContinueTraining(model, TopicCorpus.Of(10, 9, TopicCorpus.Animals)))
            .Should().Throw<ArgumentException>().WithMessage("*16 dimensions*8*");
    }
}
