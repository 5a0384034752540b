using System.Numerics.Tensors;
using Embeddings.Core.CountBased;
using Embeddings.Core.Numerics;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Projection;

/// <summary>A word placed on the plane of a <see cref="PcaProjection"/>.</summary>
/// <param name="Word">The word.</param>
/// <param name="X">Its coordinate along the first principal component.</param>
/// <param name="Y">Its coordinate along the second principal component.</param>
public readonly record struct ProjectedWord(string Word, double X, double Y);

/// <summary>
/// Principal component analysis of word vectors down to two dimensions, for plotting (scikit-learn's
/// <c>PCA(n_components=2).fit_transform(vectors)</c>, as the gensim notebooks do). The vectors are centred on their
/// mean; the two components are the leading eigenvectors of their covariance (MathNet, through the dense helpers of
/// <see cref="PpmiSvd"/>). Immutable.
/// </summary>
/// <remarks>
/// Sign convention: each component is flipped so that its entry of largest magnitude is positive (the lowest index
/// on ties), so the same vectors always give the same picture.
/// </remarks>
public sealed class PcaProjection
{
    private readonly double[] _mean;
    private readonly double[] _components;
    private readonly bool _normalize;

    private PcaProjection(double[] mean, double[] components, bool normalize)
    {
        _mean = mean;
        _components = components;
        _normalize = normalize;
    }

    /// <summary>The projected words, in the order they were given (or by id).</summary>
    public IReadOnlyList<ProjectedWord> Points { get; private init; } = [];

    /// <summary>Requested words that are not in the vocabulary (skipped).</summary>
    public IReadOnlyList<string> MissingWords { get; private init; } = [];

    /// <summary>
    /// The share of the total variance along each of the two components (scikit-learn's
    /// <c>explained_variance_ratio_</c>); 0 when the vectors do not vary.
    /// </summary>
    public IReadOnlyList<double> ExplainedVarianceRatio { get; private init; } = [];

    /// <summary>The dimensions of the projected vectors.</summary>
    public int Dimensions => _mean.Length;

    /// <summary>Projects the <paramref name="count"/> most frequent words (ids 0 … count − 1).</summary>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="count">How many words; at most the vocabulary size is used. Default 1,000.</param>
    /// <param name="normalize">Project unit-length vectors (cosine geometry) instead of the raw vectors.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> &lt; 1.</exception>
    public static PcaProjection Fit(WordVectors vectors, int count = 1000, bool normalize = false)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var ids = new int[Math.Min(count, vectors.Count)];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = i;
        }

        return Fit(vectors, ids, [], normalize);
    }

    /// <summary>Projects the given words; words outside the vocabulary are skipped and listed in <see cref="MissingWords"/>.</summary>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="words">The words, e.g. a few dozen to label on a plot; duplicates are projected once each time they appear.</param>
    /// <param name="normalize">Project unit-length vectors (cosine geometry) instead of the raw vectors.</param>
    /// <exception cref="ArgumentException">None of the words is in the vocabulary.</exception>
    public static PcaProjection Fit(WordVectors vectors, IEnumerable<string> words, bool normalize = false)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(words);
        var ids = new List<int>();
        var missing = new List<string>();
        foreach (string word in words)
        {
            ArgumentNullException.ThrowIfNull(word, nameof(words));
            if (vectors.Vocabulary.TryGetId(word, out int id))
            {
                ids.Add(id);
            }
            else
            {
                missing.Add(word);
            }
        }

        if (ids.Count == 0)
        {
            throw new ArgumentException(
                $"None of the {missing.Count} word(s) is in the vocabulary of {vectors.Count:N0} words; nothing to project.", nameof(words));
        }

        return Fit(vectors, [.. ids], [.. missing], normalize);
    }

    /// <summary>Places any vector of the same dimensions on the fitted plane.</summary>
    /// <param name="vector">A vector of <see cref="Dimensions"/> values (normalised first if the projection was fitted with <c>normalize</c>).</param>
    /// <returns>Its coordinates along the two components.</returns>
    /// <exception cref="ArgumentException">The vector has the wrong length.</exception>
    public (double X, double Y) Project(ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"The vector has {vector.Length} values; the projection was fitted on {Dimensions}.", nameof(vector));
        }

        double scale = 1;
        if (_normalize)
        {
            double norm = TensorPrimitives.Norm(vector);
            scale = norm > 0 ? 1 / norm : 0;
        }

        double x = 0;
        double y = 0;
        int dimensions = Dimensions;
        for (int j = 0; j < dimensions; j++)
        {
            double centred = (vector[j] * scale) - _mean[j];
            x += centred * _components[j * 2];
            y += centred * _components[(j * 2) + 1];
        }

        return (x, y);
    }

    private static PcaProjection Fit(WordVectors vectors, int[] ids, string[] missing, bool normalize)
    {
        int dimensions = vectors.Dimensions;
        int rows = ids.Length;
        var data = new double[rows * dimensions];
        var mean = new double[dimensions];
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> vector = normalize ? vectors.GetUnitVector(ids[i]) : vectors.GetVector(ids[i]);
            for (int j = 0; j < dimensions; j++)
            {
                data[(i * dimensions) + j] = vector[j];
                mean[j] += vector[j];
            }
        }

        for (int j = 0; j < dimensions; j++)
        {
            mean[j] /= rows;
        }

        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < dimensions; j++)
            {
                data[(i * dimensions) + j] -= mean[j];
            }
        }

        // Covariance of the centred data (dimensions × dimensions), then its leading eigenvectors, with the dense
        // helpers of the count-based SVD on one worker (a few thousand rows at most).
        using var gang = new WorkerGang(1);
        double[] covariance = DenseBlock.Gram(data, rows, dimensions, gang, CancellationToken.None);
        double divisor = Math.Max(1, rows - 1);
        TensorPrimitives.Divide(covariance, divisor, covariance);
        double trace = 0;
        for (int a = 0; a < dimensions; a++)
        {
            trace += covariance[(a * dimensions) + a];
        }

        // The two components as the columns of a row-major dimensions × 2 matrix.
        var components = new double[dimensions * 2];
        var explained = new double[2];
        if (trace > 0)
        {
            (double[] eigenvalues, double[] eigenvectors) = DenseBlock.SymmetricEigen(covariance, dimensions);
            for (int c = 0; c < Math.Min(2, dimensions); c++)
            {
                double eigenvalue = Math.Max(0, eigenvalues[c]);
                if (eigenvalue <= trace * 1e-12)
                {
                    continue; // no variance left: leave this component zero
                }

                explained[c] = eigenvalue / trace;
                for (int j = 0; j < dimensions; j++)
                {
                    components[(j * 2) + c] = eigenvectors[(j * dimensions) + c];
                }
            }

            DenseBlock.FixSigns(components, dimensions, 2);
        }

        var coordinates = new double[rows * 2];
        DenseBlock.MultiplySmall(data, rows, dimensions, components, 2, coordinates, gang, CancellationToken.None);
        var points = new ProjectedWord[rows];
        for (int i = 0; i < rows; i++)
        {
            points[i] = new ProjectedWord(vectors.Vocabulary[ids[i]], coordinates[i * 2], coordinates[(i * 2) + 1]);
        }

        return new PcaProjection(mean, components, normalize)
        {
            Points = points,
            MissingWords = missing,
            ExplainedVarianceRatio = explained,
        };
    }
}
