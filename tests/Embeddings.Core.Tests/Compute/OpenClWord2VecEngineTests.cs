using Embeddings.Core.Compute;
using Embeddings.Core.Compute.OpenCl;
using Embeddings.Core.Corpus;
using Embeddings.Core.Tests.Training;
using Embeddings.Core.Training;
using Embeddings.Core.Vectors;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Compute;

public class OpenClWord2VecEngineTests
{
    private const int Words = 12;

    private static Word2VecBuilder Small() => Word2Vec.CreateBuilder()
        .Dimensions(16).WindowSize(3).NegativeSamples(5).MinCount(1).SubsamplingThreshold(0).Epochs(3).Threads(1).Seed(7);

    private static double MeanCosine(WordVectors vectors, string[] a, string[] b) =>
        a.SelectMany(x => b.Where(y => y != x).Select(y => (double)System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(vectors[x], vectors[y]))).Average();

    private static void ShouldSeparateTopics(Word2VecModel model, string because)
    {
        string[] animals = ["cat", "dog", "horse", "cow"], numbers = ["one", "two", "three", "four"];
        double within = MeanCosine(model.Vectors, animals, animals);
        double across = MeanCosine(model.Vectors, animals, numbers);
        within.Should().BeGreaterThan(across + 0.3, $"{because}: within-topic {within:F3}, across {across:F3}");
        model.Vectors.MostSimilar("cat", 3).Select(n => n.Word).Should().BeSubsetOf(["dog", "horse", "cow", "sheep", "goat", "pig", "duck"], because);
    }

    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram, 20, true)]
    [InlineData(Word2VecArchitecture.SkipGram, 70, true)]
    [InlineData(Word2VecArchitecture.SkipGram, 32, true)]
    [InlineData(Word2VecArchitecture.Cbow, 20, true)]
    [InlineData(Word2VecArchitecture.Cbow, 70, false)]
    [InlineData(Word2VecArchitecture.SkipGram, 70, true, true)]
    [InlineData(Word2VecArchitecture.Cbow, 20, true, true)]
    [InlineData(Word2VecArchitecture.Cbow, 70, false, true)]
    public void Kernel_OneWorkGroupFixedNegatives_MatchesTheScalarReference(Word2VecArchitecture architecture, int dimensions, bool cbowMean, bool compareAndSwap = false)
    {
        OpenClGate.Require();
        var options = new Word2VecOptions
        {
            Architecture = architecture, Dimensions = dimensions, WindowSize = 2, NegativeSamples = 4, ShrinkWindows = false,
            SubsamplingThreshold = 0, LearningRate = 0.05, MinLearningRate = 0.05, CbowMean = cbowMean, MinCount = 1, Seed = 3,
        };
        Vocabulary vocabulary = Vocabulary.FromWordsInOrder([.. Enumerable.Range(0, Words).Select(i => $"w{i}")], [.. Enumerable.Range(0, Words).Select(i => (long)(100 - i))]);
        int[] sentence = [0, 1, 2, 3, 1, 4, 5];
        int[] negatives = [7, 9, 1, 11]; // 1 is the positive of two centres: skipped there, as word2vec.c does
        var random = new Random(17);
        float[] input = [.. Enumerable.Range(0, Words * dimensions).Select(_ => (float)(random.NextDouble() - 0.5) / dimensions)];
        float[] output = [.. Enumerable.Range(0, Words * dimensions).Select(_ => (float)(random.NextDouble() - 0.5) / dimensions)];
        float[] expectedInput = [.. input], expectedOutput = [.. output];
        double expectedLoss = architecture == Word2VecArchitecture.SkipGram
            ? ReferenceSkipGram(sentence, negatives, expectedInput, expectedOutput, dimensions, options)
            : ReferenceCbow(sentence, negatives, expectedInput, expectedOutput, dimensions, options);

        var device = (OpenClDevice)ComputeDevice.OpenCl();
        using var engine = new OpenClWord2VecEngine(device.Open(), options, vocabulary, new TrainedWeights(input, output, []), negatives, compareAndSwap ? RowUpdates.CompareAndSwap : RowUpdates.ReadModifyWrite);
        (double loss, long predictions) = engine.TrainChunk(new CorpusChunk(sentence, new[] { sentence.Length }, 0));

        engine.Input.Should().Equal(expectedInput, (a, e) => Math.Abs(a - e) <= 1e-5f);
        engine.Output.Should().Equal(expectedOutput, (a, e) => Math.Abs(a - e) <= 1e-5f);
        engine.Input.Should().NotEqual(input.Select(_ => 0f), "the weights must have been read back");
        loss.Should().BeApproximately(expectedLoss, 1e-3 * expectedLoss);
        predictions.Should().BePositive();
    }

    /// <summary>The CPU's shared-negatives skip-gram step by step, with the scalar kernels and fixed noise words.</summary>
    private static double ReferenceSkipGram(int[] sentence, int[] negatives, float[] input, float[] output, int d, Word2VecOptions options)
    {
        float alpha = (float)options.LearningRate;
        double loss = 0;
        for (int center = 0; center < sentence.Length; center++)
        {
            int first = Math.Max(0, center - options.WindowSize), last = Math.Min(sentence.Length - 1, center + options.WindowSize);
            int[] targets = [sentence[center], .. negatives.Where(n => n != sentence[center])];
            var gradients = new float[targets.Length * d];
            for (int c = first; c <= last; c++)
            {
                if (c == center)
                {
                    continue;
                }

                Span<float> context = input.AsSpan(sentence[c] * d, d);
                var error = new float[d];
                for (int t = 0; t < targets.Length; t++)
                {
                    ReadOnlySpan<float> row = output.AsSpan(targets[t] * d, d);
                    float f = Dot(context, row);
                    float g = ((t == 0 ? 1f : 0f) - NegativeSamplingKernels.Sigmoid(f)) * alpha;
                    loss -= NegativeSamplingKernels.LogSigmoid(t == 0 ? f : -f);
                    NegativeSamplingKernels.AccumulatePairScalar(error, gradients.AsSpan(t * d, d), row, context, g);
                }

                for (int i = 0; i < d; i++)
                {
                    context[i] += error[i];
                }
            }

            for (int t = 0; t < targets.Length; t++)
            {
                for (int i = 0; i < d; i++)
                {
                    output[targets[t] * d + i] += gradients[t * d + i];
                }
            }
        }

        return loss;
    }

    /// <summary>The CPU's CBOW step by step, with the scalar kernels and fixed noise words.</summary>
    private static double ReferenceCbow(int[] sentence, int[] negatives, float[] input, float[] output, int d, Word2VecOptions options)
    {
        float alpha = (float)options.LearningRate;
        double loss = 0;
        for (int center = 0; center < sentence.Length; center++)
        {
            int first = Math.Max(0, center - options.WindowSize), last = Math.Min(sentence.Length - 1, center + options.WindowSize);
            int count = last - first;
            var hidden = new float[d];
            for (int c = first; c <= last; c++)
            {
                for (int i = 0; c != center && i < d; i++)
                {
                    hidden[i] += input[sentence[c] * d + i];
                }
            }

            for (int i = 0; options.CbowMean && i < d; i++)
            {
                hidden[i] *= 1f / count;
            }

            var error = new float[d];
            int[] targets = [sentence[center], .. negatives.Where(n => n != sentence[center])];
            for (int t = 0; t < targets.Length; t++)
            {
                float f = Dot(hidden, output.AsSpan(targets[t] * d, d));
                float g = ((t == 0 ? 1f : 0f) - NegativeSamplingKernels.Sigmoid(f)) * alpha;
                loss -= NegativeSamplingKernels.LogSigmoid(t == 0 ? f : -f);
                NegativeSamplingKernels.UpdatePairScalar(error, output.AsSpan(targets[t] * d, d), hidden, g);
            }

            for (int c = first; c <= last; c++)
            {
                for (int i = 0; c != center && i < d; i++)
                {
                    input[sentence[c] * d + i] += options.CbowMean ? error[i] : error[i] * (1f / count);
                }
            }
        }

        return loss;
    }

    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += (double)x[i] * y[i];
        }

        return (float)sum;
    }

    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram)]
    [InlineData(Word2VecArchitecture.Cbow)]
    public void Train_TwoTopics_SeparatesThemAndLossFalls(Word2VecArchitecture architecture)
    {
        OpenClGate.Require();
        Word2VecBuilder builder = (architecture == Word2VecArchitecture.Cbow ? Small().Cbow().LearningRate(0.05) : Small().SkipGram()).OnDevice(ComputeDevice.OpenCl());
        var reports = new List<Word2VecProgress>();

        Word2VecModel model = builder.Build().Train(TopicCorpus.TwoTopics(), new CallbackProgress(reports.Add));

        ShouldSeparateTopics(model, architecture.ToString());
        model.Report.Device.Should().StartWith("opencl:");
        model.Report.EpochLosses.Should().HaveCount(3);
        model.Report.EpochLosses.Should().OnlyContain(loss => loss > 0 && loss < 10);
        model.Report.EpochLosses[^1].Should().BeLessThan(model.Report.EpochLosses[0]);
        reports[^1].WordsDone.Should().Be(reports[^1].WordsTotal);
        reports[^1].LearningRate.Should().BeApproximately(1e-4, 1e-9);
    }

    [Fact]
    public void Resume_CheckpointTakenOnTheCpu_FinishesOnOpenCl()
    {
        OpenClGate.Require();
        List<IReadOnlyList<string>> sentences = TopicCorpus.TwoTopics(20_000);
        Vocabulary vocabulary = Vocabulary.Build(sentences, minCount: 1);
        EncodedCorpus corpus = EncodedCorpus.Encode(sentences, vocabulary);
        using var temp = new TempDirectory();
        using var cancellation = new CancellationTokenSource();
        var stopEarly = new CallbackProgress(p =>
        {
            if (p.Fraction >= 0.4)
            {
                cancellation.Cancel();
            }
        });
        Action interrupted = () => Small().Checkpoints(temp.Path).Build().Train(vocabulary, corpus, stopEarly, cancellation.Token);
        interrupted.Should().Throw<OperationCanceledException>();
        Word2VecCheckpoint checkpoint = Word2VecCheckpoint.Load(temp.Path);
        checkpoint.Fraction.Should().BeInRange(0.4, 0.99, "the CPU run was stopped part-way");
        float[] atCheckpoint = [.. checkpoint.Input];
        var reports = new List<Word2VecProgress>();

        Word2VecModel resumed = Small().OnDevice(ComputeDevice.OpenCl()).Build().Resume(checkpoint, corpus, new CallbackProgress(reports.Add));

        resumed.Report.Device.Should().StartWith("opencl:");
        resumed.Report.EpochLosses.Should().HaveCount(3);
        reports[0].WordsDone.Should().BeGreaterThanOrEqualTo((long)(0.4 * 3 * corpus.TokenCount), "the run continues where the CPU stopped");
        reports[^1].WordsDone.Should().Be(3 * corpus.TokenCount);
        resumed.Vectors.Matrix.ToArray().Should().NotEqual(atCheckpoint, "OpenCL trained the rest of the run");
        ShouldSeparateTopics(resumed, "resumed on OpenCL");
    }

    [Fact]
    public void Resume_CheckpointTakenOnOpenCl_FinishesOnTheCpu()
    {
        OpenClGate.Require();
        List<IReadOnlyList<string>> sentences = TopicCorpus.TwoTopics(6_000);
        Vocabulary vocabulary = Vocabulary.Build(sentences, minCount: 1);
        EncodedCorpus corpus = EncodedCorpus.Encode(sentences, vocabulary);
        using var temp = new TempDirectory();

        // The last checkpoint of a finished run is the start of its last epoch.
        Small().OnDevice(ComputeDevice.OpenCl()).Checkpoints(temp.Path).Build().Train(vocabulary, corpus);
        Word2VecCheckpoint checkpoint = Word2VecCheckpoint.Load(temp.Path);
        checkpoint.Epoch.Should().Be(3);
        float[] atCheckpoint = [.. checkpoint.Input];
        var reports = new List<Word2VecProgress>();

        Word2VecModel resumed = Small().Build().Resume(checkpoint, corpus, new CallbackProgress(reports.Add));

        resumed.Report.Device.Should().Be("cpu");
        resumed.Report.EpochLosses.Should().HaveCount(3);
        reports[^1].WordsDone.Should().Be(3 * corpus.TokenCount);
        resumed.Vectors.Matrix.ToArray().Should().NotEqual(atCheckpoint, "the CPU trained the last epoch");
        ShouldSeparateTopics(resumed, "resumed on the CPU");
    }

    [Fact]
    public void Train_Cancelled_StopsBetweenBatches()
    {
        OpenClGate.Require();
        using var cancellation = new CancellationTokenSource();
        var progress = new CallbackProgress(p =>
        {
            if (p.WordsDone > 0)
            {
                cancellation.Cancel();
            }
        });

        Action train = () => Small().Epochs(200).OnDevice(ComputeDevice.OpenCl()).Build().Train(TopicCorpus.TwoTopics(20_000), progress, cancellation.Token);

        train.Should().Throw<OperationCanceledException>();
    }

    private sealed class CallbackProgress(Action<Word2VecProgress> report) : IProgress<Word2VecProgress>
    {
        public void Report(Word2VecProgress value) => report(value);
    }
}
