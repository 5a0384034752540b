using Embeddings.Core.Corpus;
using Embeddings.Core.Training;
using Embeddings.Core.Vectors;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Training;

public class SoftmaxWord2VecEngineTests
{
    private const int Words = 5, Dimensions = 3;

    // A tiny batch: three skip-gram examples (one input word) and one CBOW-like example (two inputs, averaged).
    private static readonly int[] Offsets = [0, 1, 2, 3, 5];
    private static readonly int[] Inputs = [0, 2, 0, 3, 1];
    private static readonly int[] Targets = [1, 4, 2, 0];

    private static float[] Values(int length, int seed, double scale)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale))];
    }

    private static SoftmaxModel TinyModel() =>
        new(Words, Dimensions, maxBatch: 4, threads: 1, cbowMean: true, weightDecay: 0.1f,
            Values(Words * Dimensions, 1, 1.0), Values(Words * Dimensions, 2, 0.5), Values(Words, 3, 0.5));

    [Fact]
    public void TrainBatch_TwoAdamWSteps_MatchAnIndependentDoublePrecisionReference()
    {
        using SoftmaxModel model = TinyModel();
        var reference = new ReferenceModel(model.Input, model.Output, model.Bias);

        for (int step = 0; step < 2; step++)
        {
            double loss = model.TrainBatch(Offsets, Inputs, Targets, learningRate: 0.05f);
            double expected = reference.Step(0.05, 0.1);
            loss.Should().BeApproximately(expected, 1e-5);
        }

        model.Steps.Should().Be(2);
        model.Input.Should().Equal(reference.E.Select(x => (float)x), (a, b) => Math.Abs(a - b) < 2e-6f, "E, every row (row 4 is in no batch but decays)");
        model.Output.Should().Equal(reference.W.Select(x => (float)x), (a, b) => Math.Abs(a - b) < 2e-6f);
        model.Bias.Should().Equal(reference.B.Select(x => (float)x), (a, b) => Math.Abs(a - b) < 2e-6f);
        model.Moments[1].Should().Equal(reference.VE.Select(x => (float)x), (a, b) => Math.Abs(a - b) < 1e-6f * (1 + Math.Abs(b)));
    }

    [Fact]
    public void ComputeGradients_MatchFiniteDifferencesOfTheLoss()
    {
        using SoftmaxModel model = TinyModel();
        double Loss()
        {
            double sum = model.ComputeGradients(Offsets, Inputs, Targets);
            model.ClearInputGradient();
            return sum / Targets.Length;
        }

        model.ComputeGradients(Offsets, Inputs, Targets);
        float[] inputGradient = [.. model.InputGradient], outputGradient = [.. model.OutputGradient], biasGradient = [.. model.BiasGradient];
        model.ClearInputGradient();

        void Check(float[] parameters, float[] analytic, string name)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                const float H = 1e-2f;
                float saved = parameters[i];
                parameters[i] = saved + H;
                double plus = Loss();
                parameters[i] = saved - H;
                double minus = Loss();
                parameters[i] = saved;
                double numeric = (plus - minus) / (2 * H);
                numeric.Should().BeApproximately(analytic[i], 1e-3 + 1e-2 * Math.Abs(analytic[i]), $"∂loss/∂{name}[{i}]");
            }
        }

        Check(model.Input, inputGradient, "E");
        Check(model.Output, outputGradient, "W");
        Check(model.Bias, biasGradient, "b");
        inputGradient.AsSpan(4 * Dimensions, Dimensions).ToArray().Should().AllBeEquivalentTo(0f, "word 4 is no input");
    }

    private static Word2VecBuilder Lab() => Word2Vec.CreateBuilder()
        .FullSoftmax(batchSize: 32, weightDecay: 0.01).LearningRate(0.01).MinLearningRate(0.01)
        .Dimensions(16).WindowSize(3).ShrinkWindows(false).SubsamplingThreshold(0).MinCount(1).Epochs(3).Threads(1).Seed(7);

    private static double MeanCosine(WordVectors vectors, string[] a, string[] b) =>
        a.SelectMany(x => b.Where(y => y != x).Select(y => (double)System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(vectors[x], vectors[y]))).Average();

    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram)]
    [InlineData(Word2VecArchitecture.Cbow)]
    public void Train_TwoTopics_LossFallsAndTopicsSeparate(Word2VecArchitecture architecture)
    {
        Word2VecBuilder builder = architecture == Word2VecArchitecture.Cbow ? Lab().Cbow() : Lab().SkipGram();

        Word2VecModel model = builder.Build().Train(TopicCorpus.TwoTopics(2_000));

        IReadOnlyList<double> losses = model.Report.EpochLosses;
        losses.Should().HaveCount(3);
        losses[0].Should().BeLessThan(Math.Log(16), "better than uniform over the 16 words");
        losses[2].Should().BeLessThan(losses[0]);
        losses[2].Should().BeLessThan(Math.Log(8) + 0.1, "the best possible is about ln 8: a uniform guess within the topic");
        string[] animals = ["cat", "dog", "horse", "cow"], numbers = ["one", "two", "three", "four"];
        double within = MeanCosine(model.Vectors, animals, animals), across = MeanCosine(model.Vectors, animals, numbers);
        within.Should().BeGreaterThan(across + 0.3, $"{architecture}: within-topic {within:F3}, across {across:F3}");
    }

    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram)]
    [InlineData(Word2VecArchitecture.Cbow)]
    public void Train_OneOrTwoThreadsSameSeed_IsBitIdentical(Word2VecArchitecture architecture)
    {
        // Subsampling and shrinking on, so that the random stream matters too.
        Word2VecBuilder builder = Lab().WithOptions(Lab().Build().Options with { Architecture = architecture, SubsamplingThreshold = 1e-2, ShrinkWindows = true });
        List<IReadOnlyList<string>> corpus = TopicCorpus.TwoTopics(600);

        Word2VecModel one = builder.Threads(1).Build().Train(corpus);
        Word2VecModel two = builder.Threads(2).Build().Train(corpus);
        Word2VecModel otherSeed = builder.Seed(8).Build().Train(corpus);

        two.Vectors.Matrix.ToArray().Should().Equal(one.Vectors.Matrix.ToArray());
        two.OutputVectors.ToArray().Should().Equal(one.OutputVectors.ToArray());
        two.Report.EpochLosses.Should().Equal(one.Report.EpochLosses);
        otherSeed.Vectors.Matrix.ToArray().Should().NotEqual(one.Vectors.Matrix.ToArray());
    }

    [Trait("Category", "Conformance")]
    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram)]
    [InlineData(Word2VecArchitecture.Cbow)]
    public void Resume_AfterCancellationAt40Percent_IsBitIdenticalToTheUninterruptedRun(Word2VecArchitecture architecture)
    {
        var random = new Random(11);
        string[] words = [.. Enumerable.Range(0, 300).Select(i => $"w{i}")];
        List<IReadOnlyList<string>> sentences = [.. Enumerable.Range(0, 10_000).Select(_ => (IReadOnlyList<string>)[.. Enumerable.Range(0, 10).Select(_ => words[(int)Math.Sqrt(random.Next(90_000))])])];
        Vocabulary vocabulary = Vocabulary.Build(sentences, minCount: 1);
        EncodedCorpus corpus = EncodedCorpus.Encode(sentences, vocabulary);
        Word2VecBuilder builder = Lab().WithOptions(Lab().Build().Options with { Architecture = architecture, SubsamplingThreshold = 1e-2, ShrinkWindows = true })
            .Dimensions(32).FullSoftmax(batchSize: 32, weightDecay: 0.01).LearningRate(0.01).MinLearningRate(1e-3).Epochs(2);
        Word2VecModel uninterrupted = builder.Build().Train(vocabulary, corpus);

        using var temp = new TempDirectory();
        using var cancellation = new CancellationTokenSource();
        var stopEarly = new CallbackProgress(p =>
        {
            if (p.Fraction >= 0.4)
            {
                cancellation.Cancel();
            }
        });
        Action interrupted = () => builder.Checkpoints(temp.Path).Build().Train(vocabulary, corpus, stopEarly, cancellation.Token);
        interrupted.Should().Throw<OperationCanceledException>();

        Word2VecCheckpoint checkpoint = Word2VecCheckpoint.Load(temp.Path);
        // Where exactly it stops depends on when the progress report arrives: usually between two batches of a chunk
        // (whose untrained rest the checkpoint carries), sometimes at a chunk boundary. Both must resume exactly.
        checkpoint.Fraction.Should().BeGreaterThanOrEqualTo(0.4).And.BeLessThan(1.0, "the run was stopped part-way");
        Word2VecModel resumed = builder.Threads(2).Build().Resume(checkpoint, corpus);

        resumed.Vectors.Matrix.ToArray().Should().Equal(uninterrupted.Vectors.Matrix.ToArray());
        resumed.OutputVectors.ToArray().Should().Equal(uninterrupted.OutputVectors.ToArray());
        resumed.Report.EpochLosses.Should().Equal(uninterrupted.Report.EpochLosses);
    }

    [Fact]
    public void Train_VocabularyAboveTheSoftmaxLimit_ThrowsArgumentException()
    {
        int count = Word2VecOptions.MaxSoftmaxVocabulary + 1;
        List<IReadOnlyList<string>> sentences = [.. Enumerable.Range(0, count / 100 + 1).Select(s => (IReadOnlyList<string>)[.. Enumerable.Range(s * 100, 100).Select(i => $"w{i}")])];

        Action train = () => Lab().Build().Train(sentences);

        train.Should().Throw<ArgumentException>().WithMessage("*limited to 100,000*");
    }

    [Fact]
    public void Model_SaveAndLoad_KeepsTheOptimiserStateForContinuedTraining()
    {
        using var temp = new TempDirectory();
        Word2VecModel model = Lab().Epochs(1).Build().Train(TopicCorpus.TwoTopics(300));
        string path = Path.Combine(temp.Path, "softmax.model");

        model.Save(path);
        Word2VecModel loaded = Word2VecModel.Load(path);

        loaded.ExtraState.Should().HaveCount(model.ExtraState.Count);
        for (int i = 0; i < model.ExtraState.Count; i++)
        {
            loaded.ExtraState[i].Should().Equal(model.ExtraState[i]);
        }

        Word2VecModel continued = Lab().Epochs(1).Build().ContinueTraining(loaded, TopicCorpus.TwoTopics(300, seed: 9));
        continued.Report.EpochLosses[0].Should().BeLessThan(model.Report.EpochLosses[0], "it goes on from the trained state");
    }

    private sealed class CallbackProgress(Action<Word2VecProgress> report) : IProgress<Word2VecProgress>
    {
        public void Report(Word2VecProgress value) => report(value);
    }

    /// <summary>Embedding → Linear → mean cross-entropy and PyTorch's AdamW, written plainly in double.</summary>
    private sealed class ReferenceModel(float[] e, float[] w, float[] b)
    {
        public double[] E { get; } = [.. e.Select(x => (double)x)];
        public double[] W { get; } = [.. w.Select(x => (double)x)];
        public double[] B { get; } = [.. b.Select(x => (double)x)];
        public double[] VE => _vE;

        private readonly double[] _mE = new double[e.Length], _vE = new double[e.Length], _mW = new double[w.Length], _vW = new double[w.Length];
        private readonly double[] _mB = new double[b.Length], _vB = new double[b.Length];
        private int _t;

        public double Step(double lr, double wd)
        {
            int n = Targets.Length;
            var gE = new double[E.Length];
            var gW = new double[W.Length];
            var gB = new double[B.Length];
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                int[] inputs = Inputs[Offsets[i]..Offsets[i + 1]];
                var h = new double[Dimensions];
                foreach (int x in inputs)
                {
                    for (int k = 0; k < Dimensions; k++)
                    {
                        h[k] += E[x * Dimensions + k] / inputs.Length;
                    }
                }

                var z = new double[Words];
                for (int j = 0; j < Words; j++)
                {
                    z[j] = B[j] + Enumerable.Range(0, Dimensions).Sum(k => h[k] * W[j * Dimensions + k]);
                }

                double logSum = Math.Log(z.Sum(Math.Exp));
                loss += logSum - z[Targets[i]];
                var dh = new double[Dimensions];
                for (int j = 0; j < Words; j++)
                {
                    double g = (Math.Exp(z[j] - logSum) - (j == Targets[i] ? 1 : 0)) / n;
                    gB[j] += g;
                    for (int k = 0; k < Dimensions; k++)
                    {
                        gW[j * Dimensions + k] += g * h[k];
                        dh[k] += g * W[j * Dimensions + k];
                    }
                }

                foreach (int x in inputs)
                {
                    for (int k = 0; k < Dimensions; k++)
                    {
                        gE[x * Dimensions + k] += dh[k] / inputs.Length;
                    }
                }
            }

            _t++;
            Adam(E, _mE, _vE, gE, lr, wd);
            Adam(W, _mW, _vW, gW, lr, wd);
            Adam(B, _mB, _vB, gB, lr, wd);
            return loss;
        }

        private void Adam(double[] p, double[] m, double[] v, double[] g, double lr, double wd)
        {
            for (int i = 0; i < p.Length; i++)
            {
                p[i] *= 1 - lr * wd;
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                double mHat = m[i] / (1 - Math.Pow(0.9, _t));
                double vHat = v[i] / (1 - Math.Pow(0.999, _t));
                p[i] -= lr * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
        }
    }
}
