using System.Globalization;
using Embeddings.Core.Options;

namespace Embeddings.Core.Training;

/// <summary>Which word2vec model to train.</summary>
public enum Word2VecArchitecture
{
    /// <summary>Skip-gram: each context word predicts the centre word (gensim <c>sg=1</c>, fastText <c>skipgram</c>).</summary>
    SkipGram,

    /// <summary>Continuous bag of words: the context's mean (or sum) predicts the centre word (gensim <c>sg=0</c>, fastText <c>cbow</c>).</summary>
    Cbow,
}

/// <summary>What the output layer predicts, and how.</summary>
public enum Word2VecObjective
{
    /// <summary>
    /// Negative sampling (word2vec.c, gensim, fastText <c>-loss ns</c>): one positive and <c>NegativeSamples</c> noise words
    /// per prediction, plain SGD with the learning rate decaying linearly. The default, and the only choice for large
    /// vocabularies.
    /// </summary>
    NegativeSampling,

    /// <summary>
    /// Full softmax over the whole vocabulary with cross-entropy, trained with AdamW on minibatches of pairs: the
    /// Embedding + Linear model of a hand-written PyTorch word2vec. Exact but O(vocabulary) per prediction, so for small
    /// vocabularies (at most <see cref="Word2VecOptions.MaxSoftmaxVocabulary"/> words). Use a learning rate near 1e-3.
    /// </summary>
    FullSoftmax,
}

/// <summary>
/// The settings of a word2vec run, validated by <see cref="Word2VecBuilder"/>. Defaults are gensim's; the fastText name of
/// each setting is given where it has one. The same record is what checkpoints and model files store.
/// </summary>
public sealed record Word2VecOptions
{
    /// <summary>Skip-gram or CBOW. Default skip-gram.</summary>
    public Word2VecArchitecture Architecture { get; init; } = Word2VecArchitecture.SkipGram;

    /// <summary>Negative sampling (default) or full softmax.</summary>
    public Word2VecObjective Objective { get; init; } = Word2VecObjective.NegativeSampling;

    /// <summary>Pairs per AdamW step with <see cref="Word2VecObjective.FullSoftmax"/> (PyTorch <c>DataLoader(batch_size)</c>). Default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Decoupled weight decay of AdamW with <see cref="Word2VecObjective.FullSoftmax"/> (PyTorch <c>AdamW(weight_decay)</c>). Default 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>The largest vocabulary <see cref="Word2VecObjective.FullSoftmax"/> accepts.</summary>
    public const int MaxSoftmaxVocabulary = 100_000;

    /// <summary>Vector length (gensim <c>vector_size</c>, fastText <c>-dim</c>). Default 100; 1–4096.</summary>
    public int Dimensions { get; init; } = 100;

    /// <summary>Largest distance between centre and context (gensim <c>window</c>, fastText <c>-ws</c>). Default 5.</summary>
    public int WindowSize { get; init; } = 5;

    /// <summary>Noise words per positive pair (gensim <c>negative</c>, fastText <c>-neg</c>). Default 5; 1–100.</summary>
    public int NegativeSamples { get; init; } = 5;

    /// <summary>Exponent of the noise distribution count^α (gensim <c>ns_exponent</c>). Default 0.75.</summary>
    public double NoiseExponent { get; init; } = 0.75;

    /// <summary>Words seen fewer times are ignored (gensim <c>min_count</c>, fastText <c>-minCount</c>). Default 5.</summary>
    public int MinCount { get; init; } = 5;

    /// <summary>Keep at most this many words, the rarest dropped first (gensim <c>max_final_vocab</c>). Default no limit.</summary>
    public int? MaxVocabularySize { get; init; }

    /// <summary>Frequent-word subsampling threshold (gensim <c>sample</c>, fastText <c>-t</c>). Default 1e-3; 0 turns it off.</summary>
    public double SubsamplingThreshold { get; init; } = 1e-3;

    /// <summary>Passes over the corpus (gensim <c>epochs</c>, fastText <c>-epoch</c>). Default 5.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Starting learning rate (gensim <c>alpha</c>, fastText <c>-lr</c>). Default 0.025 (word2vec.c uses 0.05 for CBOW).</summary>
    public double LearningRate { get; init; } = 0.025;

    /// <summary>Learning rate reached at the end, decaying linearly over the planned words (gensim <c>min_alpha</c>). Default 1e-4.</summary>
    public double MinLearningRate { get; init; } = 1e-4;

    /// <summary>CBOW averages the context vectors (true, gensim <c>cbow_mean=1</c>) or sums them. Default true.</summary>
    public bool CbowMean { get; init; } = true;

    /// <summary>
    /// Skip-gram draws its noise words once per centre word and shares them across the window (HogBatch, Ji et al. 2016),
    /// instead of once per (centre, context) pair as word2vec.c and gensim do. Several times fewer random memory accesses
    /// for the same quality on the benchmark corpus; turn it off for word2vec.c's exact procedure. Default true.
    /// </summary>
    public bool SharedNegatives { get; init; } = true;

    /// <summary>Draw a reduced window per centre word, as word2vec does (gensim <c>shrink_windows</c>). Default true.</summary>
    public bool ShrinkWindows { get; init; } = true;

    /// <summary>Worker threads (gensim <c>workers</c>, fastText <c>-thread</c>). Default: the processor count. One thread with a seed is bit-exact; more threads train Hogwild and are not reproducible.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed of the initial vectors and of every worker's random stream (gensim <c>seed</c>). Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Sentences longer than this are split (gensim: 10,000).</summary>
    public int MaxSentenceLength { get; init; } = 10_000;

    /// <summary>
    /// The shortest character n-gram, in Unicode code points, of fastText's subword model (fastText <c>-minn</c>, gensim
    /// <c>min_n</c>). Default 0: with <see cref="MaxN"/> 0 the model is plain word2vec. See <see cref="Word2VecBuilder.Subwords"/>.
    /// </summary>
    public int MinN { get; init; }

    /// <summary>The longest character n-gram (fastText <c>-maxn</c>, gensim <c>max_n</c>). Default 0: no subwords.</summary>
    public int MaxN { get; init; }

    /// <summary>
    /// The n-gram hash buckets, each one input row (fastText <c>-bucket</c>, gensim <c>bucket</c>). Default 2,000,000; used
    /// only when <see cref="MaxN"/> is above 0.
    /// </summary>
    public int Buckets { get; init; } = 2_000_000;

    /// <summary>The longest n-gram <see cref="MaxN"/> accepts.</summary>
    public const int MaxNgramLength = 20;

    /// <summary>Whether the run trains fastText's subword model (<see cref="MaxN"/> above 0).</summary>
    internal bool HasSubwords => MaxN > 0;

    /// <summary>Checks every setting and the rules between them; lists every problem in one exception.</summary>
    /// <exception cref="InvalidOptionsException">At least one setting is out of range; <see cref="ArgumentException.ParamName"/> names the first.</exception>
    public void Validate() =>
        new OptionsValidator("word2vec")
            .Defined(nameof(Architecture), Architecture, "SkipGram() or Cbow()")
            .Defined(nameof(Objective), Objective, "NegativeSampling() or FullSoftmax(int, double)")
            .InRange(nameof(Dimensions), Dimensions, 1, 4096, "Dimensions(int)")
            .InRange(nameof(WindowSize), WindowSize, 1, 1000, "WindowSize(int)")
            .InRange(nameof(NegativeSamples), NegativeSamples, 1, 100, "NegativeSamples(int)")
            .Require(double.IsFinite(NoiseExponent), nameof(NoiseExponent), NoiseExponent, "a finite number", "NoiseExponent(double)")
            .InRange(nameof(MinCount), MinCount, 1, int.MaxValue, "MinCount(int)")
            .Require(MaxVocabularySize is null or >= 1, nameof(MaxVocabularySize), MaxVocabularySize, "at least 1 or null", "MaxVocabularySize(int?)")
            .InRange(nameof(SubsamplingThreshold), SubsamplingThreshold, 0, double.PositiveInfinity, "SubsamplingThreshold(double)")
            .InRange(nameof(Epochs), Epochs, 1, 10_000, "Epochs(int)")
            .Require(LearningRate > 0 && LearningRate <= 10, nameof(LearningRate), LearningRate, "in (0, 10]", "LearningRate(double)")
            .Require(
                MinLearningRate >= 0 && MinLearningRate <= LearningRate,
                nameof(MinLearningRate),
                MinLearningRate,
                string.Create(CultureInfo.InvariantCulture, $"between 0 and LearningRate = {LearningRate}"),
                "MinLearningRate(double)")
            .InRange(nameof(Threads), Threads, 1, 1024, "Threads(int)")
            .InRange(nameof(BatchSize), BatchSize, 1, 1_000_000, "FullSoftmax(int, double)")
            .InRange(nameof(WeightDecay), WeightDecay, 0, double.PositiveInfinity, "FullSoftmax(int, double)")
            .InRange(nameof(MaxSentenceLength), MaxSentenceLength, 1, int.MaxValue, "WithOptions(options with { MaxSentenceLength = … })")
            .Require(
                (MinN == 0 && MaxN == 0) || (MinN >= 1 && MinN <= MaxN && MaxN <= MaxNgramLength),
                nameof(MinN),
                MinN,
                string.Create(CultureInfo.InvariantCulture, $"1 ≤ MinN ≤ MaxN ≤ {MaxNgramLength}, or both 0 (MaxN = {MaxN})"),
                "Subwords(int, int, int)")
            .Require(!HasSubwords || Buckets >= 1, nameof(Buckets), Buckets, "at least 1 with subwords", "Subwords(int, int, int)")
            .Require(
                !HasSubwords || Objective == Word2VecObjective.NegativeSampling,
                nameof(Objective),
                Objective,
                "NegativeSampling with subwords (fastText's subword model trains with negative sampling only)",
                "NegativeSampling()")
            .ThrowIfInvalid();
}
