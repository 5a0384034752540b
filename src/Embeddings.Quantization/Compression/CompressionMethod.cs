namespace Embeddings.Quantization;

/// <summary>How <see cref="Compression"/> codes word vectors into a budget of bits a word.</summary>
public enum CompressionMethod
{
    /// <summary>Spherical k-means: each word becomes the index of one of k ≤ 2^bits centroids (k capped by <see cref="CompressionOptions.MaxClusters"/> and the word count).</summary>
    KMeans,

    /// <summary>Product quantization: bits / 8 subspaces with one-byte codes (256 centroids each); below 8 bits, one subspace of 2^bits centroids.</summary>
    ProductQuantization,

    /// <summary>An <see cref="EmbeddingAutoencoder"/> with bits / 8 code dimensions, each stored as an 8-bit value.</summary>
    Autoencoder,

    /// <summary>A binary autoencoder: bits code bits a word, packed in 64-bit words and searched by Hamming distance.</summary>
    Binary,

    /// <summary>8-bit scalar quantization of each dimension (its own minimum and step); needs at least 8 bits per dimension.</summary>
    Scalar8,
}
