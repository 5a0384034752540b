namespace Embeddings.Quantization;

/// <summary>The nonlinearity after a dense layer of an <see cref="EmbeddingAutoencoder"/>.</summary>
public enum AutoencoderActivation
{
    /// <summary>None: y = z (a linear layer; a linear autoencoder spans the principal subspace, as PCA does).</summary>
    Linear,

    /// <summary>y = tanh(z), bounded in (−1, 1).</summary>
    Tanh,

    /// <summary>y = max(0, z).</summary>
    Relu,
}

/// <summary>What an <see cref="EmbeddingAutoencoder"/> minimises between a vector and its reconstruction.</summary>
public enum AutoencoderLoss
{
    /// <summary>The mean squared error per value (PyTorch's <c>MSELoss</c>).</summary>
    MeanSquaredError,

    /// <summary>1 − cosine similarity, averaged over vectors (<c>CosineEmbeddingLoss</c> with target 1): only directions count, as in word-vector queries.</summary>
    Cosine,
}
