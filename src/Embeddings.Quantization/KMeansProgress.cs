namespace Embeddings.Quantization;

/// <summary>The stages of a k-means fit, in order.</summary>
public enum KMeansStage
{
    /// <summary>Choosing the first centroids.</summary>
    Initializing = 0,

    /// <summary>Lloyd iterations (or mini-batch passes).</summary>
    Iterating = 1,

    /// <summary>The fit is done.</summary>
    Finished = 2,
}

/// <summary>A progress report of a k-means fit, sent from the calling thread after the initialisation and after each iteration.</summary>
public readonly record struct KMeansProgress
{
    /// <summary>The current stage.</summary>
    /// <value>The stage.</value>
    public KMeansStage Stage { get; init; }

    /// <summary>Iterations done so far.</summary>
    /// <value>0 while initialising.</value>
    public int Iteration { get; init; }

    /// <summary>The iteration limit.</summary>
    /// <value><see cref="KMeansOptions.MaxIterations"/>.</value>
    public int MaxIterations { get; init; }

    /// <summary>The inertia of the latest assignment.</summary>
    /// <value>NaN while initialising.</value>
    public double Inertia { get; init; }

    /// <summary>Time since the fit started.</summary>
    /// <value>The duration.</value>
    public TimeSpan Elapsed { get; init; }
}
