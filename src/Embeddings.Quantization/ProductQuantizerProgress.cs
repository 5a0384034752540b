namespace Embeddings.Quantization;

/// <summary>A progress report of product-quantizer training, sent from the calling thread after each subspace's k-means.</summary>
/// <param name="Subspace">Subspaces whose codebook is learnt so far.</param>
/// <param name="Subspaces">All subspaces.</param>
/// <param name="Elapsed">Time since training began.</param>
public readonly record struct ProductQuantizerProgress(int Subspace, int Subspaces, TimeSpan Elapsed)
{
    /// <summary>The fraction done, 0 to 1.</summary>
    public double Fraction => Subspaces == 0 ? 1 : (double)Subspace / Subspaces;
}
