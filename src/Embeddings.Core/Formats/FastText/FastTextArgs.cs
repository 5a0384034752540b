namespace Embeddings.Core.Formats.FastText;

/// <summary>fastText's <c>model_name</c>: the kind of model a file holds, as stored in its arguments.</summary>
internal enum FastTextModelName
{
    /// <summary>Continuous bag of words (<c>fasttext cbow</c>).</summary>
    Cbow = 1,

    /// <summary>Skip-gram (<c>fasttext skipgram</c>).</summary>
    SkipGram = 2,

    /// <summary>A text classifier (<c>fasttext supervised</c>).</summary>
    Supervised = 3,
}

/// <summary>fastText's <c>loss_name</c>, as stored in a file's arguments.</summary>
internal enum FastTextLossName
{
    /// <summary>Hierarchical softmax (<c>-loss hs</c>).</summary>
    HierarchicalSoftmax = 1,

    /// <summary>Negative sampling (<c>-loss ns</c>).</summary>
    NegativeSampling = 2,

    /// <summary>Softmax (<c>-loss softmax</c>).</summary>
    Softmax = 3,

    /// <summary>One binary classifier per label (<c>-loss ova</c>).</summary>
    OneVsAll = 4,
}

/// <summary>
/// The training arguments stored at the start of a fastText model file, in the order fastText writes them: twelve
/// int32 values, then the sampling threshold as a float64. Options fastText does not save (learning rate, threads…) are
/// not here.
/// </summary>
/// <param name="Dimensions">The vector length (<c>-dim</c>).</param>
/// <param name="WindowSize">The context window (<c>-ws</c>).</param>
/// <param name="Epochs">The passes over the data (<c>-epoch</c>).</param>
/// <param name="MinCount">The fewest occurrences of a word kept (<c>-minCount</c>).</param>
/// <param name="NegativeSamples">Negatives per positive (<c>-neg</c>).</param>
/// <param name="WordNgrams">The longest word n-gram of a classifier (<c>-wordNgrams</c>).</param>
/// <param name="Loss">The loss (<c>-loss</c>).</param>
/// <param name="Model">The kind of model.</param>
/// <param name="Buckets">The hash buckets of character and word n-grams (<c>-bucket</c>).</param>
/// <param name="MinN">The shortest character n-gram (<c>-minn</c>).</param>
/// <param name="MaxN">The longest character n-gram (<c>-maxn</c>); 0 for none.</param>
/// <param name="LearningRateUpdateRate">How often the learning rate is updated (<c>-lrUpdateRate</c>).</param>
/// <param name="SamplingThreshold">The subsampling threshold (<c>-t</c>).</param>
internal sealed record FastTextArgs(
    int Dimensions,
    int WindowSize,
    int Epochs,
    int MinCount,
    int NegativeSamples,
    int WordNgrams,
    FastTextLossName Loss,
    FastTextModelName Model,
    int Buckets,
    int MinN,
    int MaxN,
    int LearningRateUpdateRate,
    double SamplingThreshold);
