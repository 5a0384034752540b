namespace Embeddings.Core.Classification;

/// <summary>The loss a fastText-style classifier trains its output layer with (fastText's <c>-loss</c>).</summary>
public enum TextClassifierLoss
{
    /// <summary>Softmax over every label (<c>-loss softmax</c>, fastText's supervised default).</summary>
    Softmax,

    /// <summary>Negative sampling over the labels, drawn by the square root of their counts (<c>-loss ns</c>).</summary>
    NegativeSampling,

    /// <summary>Hierarchical softmax along a Huffman tree of the label counts (<c>-loss hs</c>).</summary>
    HierarchicalSoftmax,

    /// <summary>One independent sigmoid per label, for multi-label tasks (<c>-loss ova</c>).</summary>
    OneVsAll,
}

/// <summary>The network a <see cref="TextClassifier"/> is made of.</summary>
public enum TextClassifierFamily
{
    /// <summary>fastText's supervised model: the mean of word and word n-gram embeddings, then a linear output.</summary>
    FastText,

    /// <summary>A bag of embeddings (mean, or mean ‖ max) → hidden layers with dropout → softmax, trained with Adam or AdamW (<see cref="TextClassifierBuilder.Mlp"/>).</summary>
    Mlp,

    /// <summary>Embeddings → stacked RNN, GRU or LSTM layers, optionally bidirectional → one vector per sequence → softmax (<see cref="TextClassifierBuilder.Recurrent"/>).</summary>
    Recurrent,
}
