using Embeddings.Core.Corpus;
using Embeddings.Tests.Infrastructure;
using Embeddings.Core.Training;

namespace Embeddings.Core.Tests.Training;

[Trait("Category", "Conformance")]
public class Word2VecCheckpointTests
{
    private static List<IReadOnlyList<string>> Corpus(int sentences)
    {
        var random = new Random(11);
        string[] words = [.. Enumerable.Range(0, 200).Select(i => $"w{i}")];
        return [.. Enumerable.Range(0, sentences).Select(_ => (IReadOnlyList<string>)[.. Enumerable.Range(0, 10).Select(_ => words[(int)Math.Sqrt(random.Next(40_000))])])];
    }

    private static Word2VecBuilder Builder(Word2VecArchitecture architecture) => Word2Vec.CreateBuilder()
        .WithOptions(new Word2VecOptions { Architecture = architecture })
        .Dimensions(24).WindowSize(4).MinCount(1).SubsamplingThreshold(1e-2).Epochs(3).Threads(1).Seed(3);

    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram)]
    [InlineData(Word2VecArchitecture.Cbow)]
    public void Resume_AfterCancellation_IsBitIdenticalToTheUninterruptedRun(Word2VecArchitecture architecture)
    {
        List<IReadOnlyList<string>> sentences = Corpus(60_000);
        Vocabulary vocabulary = Vocabulary.Build(sentences, minCount: 1);
        EncodedCorpus corpus = EncodedCorpus.Encode(sentences, vocabulary);
        Word2VecModel uninterrupted = Builder(architecture).Build().Train(vocabulary, corpus);

        using var temp = new TempDirectory();
        Word2VecCheckpoint checkpoint = TrainUntilCancelled(Builder(architecture), vocabulary, corpus, temp.Path);
        long doneAtCheckpoint = checkpoint.WordsDone;
        float[] inputAtCheckpoint = [.. checkpoint.Input];
        Word2VecModel resumed = Builder(architecture).Build().Resume(checkpoint, corpus);

        // Resuming trains copies: the loaded checkpoint is unchanged and resumes again to the same model.
        checkpoint.WordsDone.Should().Be(doneAtCheckpoint);
        checkpoint.Input.Should().Equal(inputAtCheckpoint);
        Builder(architecture).Build().Resume(checkpoint, corpus).Vectors.Matrix.ToArray().Should().Equal(resumed.Vectors.Matrix.ToArray());

        resumed.Vectors.Matrix.ToArray().Should().Equal(uninterrupted.Vectors.Matrix.ToArray());
        resumed.OutputVectors.ToArray().Should().Equal(uninterrupted.OutputVectors.ToArray());
        resumed.Report.EpochLosses.Should().Equal(uninterrupted.Report.EpochLosses);

        // The resumed call reports its own words only: those after the checkpoint, not the whole run's.
        long planned = corpus.TokenCount * 3;
        uninterrupted.Report.WordsTrained.Should().Be(planned);
        resumed.Report.WordsTrained.Should().Be(planned - doneAtCheckpoint);
        resumed.Report.WordsPerSecond.Should().BeApproximately(resumed.Report.WordsTrained / resumed.Report.TrainingTime.TotalSeconds, resumed.Report.WordsPerSecond * 1e-9);
    }

    [Fact]
    public void Checkpoints_EveryFewWords_DoNotChangeTheResult()
    {
        List<IReadOnlyList<string>> sentences = Corpus(5_000);
        Vocabulary vocabulary = Vocabulary.Build(sentences, minCount: 1);
        EncodedCorpus corpus = EncodedCorpus.Encode(sentences, vocabulary);
        using var temp = new TempDirectory();

        Word2VecModel plain = Builder(Word2VecArchitecture.SkipGram).Build().Train(vocabulary, corpus);
        Word2VecModel checkpointed = Builder(Word2VecArchitecture.SkipGram).Checkpoints(temp.Path, everyWords: 7_000).Build().Train(vocabulary, corpus);

        checkpointed.Vectors.Matrix.ToArray().Should().Equal(plain.Vectors.Matrix.ToArray());
        checkpointed.Report.EpochLosses.Should().Equal(plain.Report.EpochLosses);
        Word2VecCheckpoint last = Word2VecCheckpoint.Load(Path.Combine(temp.Path, Word2VecCheckpoint.FileName));
        last.Epoch.Should().Be(3, "the last checkpoint is the start of the final epoch");
        last.Vocabulary.Words.Should().Equal(vocabulary.Words);
    }

    [Fact]
    public void Checkpoints_FolderMissing_BuildLeavesItAloneAndTrainCreatesIt()
    {
        using var temp = new TempDirectory();
        string folder = Path.Combine(temp.Path, "runs", "checkpoints");
        List<IReadOnlyList<string>> sentences = Corpus(1_000);

        Word2VecTrainer trainer = Builder(Word2VecArchitecture.SkipGram).Epochs(2).Checkpoints(folder).Build();
        Directory.Exists(folder).Should().BeFalse("Build() has no side effects");
        trainer.Train(sentences);

        File.Exists(Path.Combine(folder, Word2VecCheckpoint.FileName)).Should().BeTrue("the folder was created when training started");
        Word2VecCheckpoint.Load(folder).Epoch.Should().Be(2, "the last checkpoint is the start of the final epoch");
    }

    [Fact]
    public void Load_CorruptOrForeignFile_ThrowsInvalidData()
    {
        using var temp = new TempDirectory();
        List<IReadOnlyList<string>> sentences = Corpus(2_000);
        Vocabulary vocabulary = Vocabulary.Build(sentences, minCount: 1);
        Builder(Word2VecArchitecture.SkipGram).Epochs(2).Checkpoints(temp.Path).Build().Train(vocabulary, EncodedCorpus.Encode(sentences, vocabulary));
        string path = Path.Combine(temp.Path, Word2VecCheckpoint.FileName);
        byte[] bytes = File.ReadAllBytes(path);

        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        FluentActions.Invoking(() => Word2VecCheckpoint.Load(path)).Should().Throw<InvalidDataException>().WithMessage("*checksum*");

        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        FluentActions.Invoking(() => Word2VecCheckpoint.Load(path)).Should().Throw<InvalidDataException>().WithMessage("*truncated*");

        File.WriteAllText(path, "hello");
        FluentActions.Invoking(() => Word2VecCheckpoint.Load(path)).Should().Throw<InvalidDataException>().WithMessage("*not a word2vec checkpoint*");
    }

    [Fact]
    public void Resume_OtherCorpus_ThrowsArgumentException()
    {
        using var temp = new TempDirectory();
        List<IReadOnlyList<string>> sentences = Corpus(2_000);
        Vocabulary vocabulary = Vocabulary.Build(sentences, minCount: 1);
        Builder(Word2VecArchitecture.SkipGram).Epochs(2).Checkpoints(temp.Path).Build().Train(vocabulary, EncodedCorpus.Encode(sentences, vocabulary));
        Word2VecCheckpoint checkpoint = Word2VecCheckpoint.Load(temp.Path);

        Action resume = () => Builder(Word2VecArchitecture.SkipGram).Build().Resume(checkpoint, EncodedCorpus.Encode(sentences.Take(100), vocabulary));

        resume.Should().Throw<ArgumentException>().WithMessage("*checkpoint was training on*");
    }

    /// <summary>
    /// Trains with checkpoints into <paramref name="folder"/>, cancels the run once 30 % is done and returns the
    /// checkpoint it wrote.
    /// </summary>
    internal static Word2VecCheckpoint TrainUntilCancelled(Word2VecBuilder builder, Vocabulary vocabulary, EncodedCorpus corpus, string folder)
    {
        using var cancellation = new CancellationTokenSource();
        var stopEarly = new CallbackProgress(p =>
        {
            if (p.Fraction >= 0.3)
            {
                cancellation.Cancel();
            }
        });
        Action interrupted = () => builder.Checkpoints(folder).Build().Train(vocabulary, corpus, stopEarly, cancellation.Token);
        interrupted.Should().Throw<OperationCanceledException>();

        Word2VecCheckpoint checkpoint = Word2VecCheckpoint.Load(folder);
        checkpoint.Fraction.Should().BeInRange(0.3, 0.99, "the run was stopped part-way");
        return checkpoint;
    }

    /// <summary>Passes each report on at once, on the reporting thread (Progress&lt;T&gt; would post it later).</summary>
    internal sealed class CallbackProgress(Action<Word2VecProgress> report) : IProgress<Word2VecProgress>
    {
        public void Report(Word2VecProgress value) => report(value);
    }
}
