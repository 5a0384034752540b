namespace Embeddings.Core.Training;

/// <summary>A snapshot of a training run, reported a few times a second from one thread.</summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">The planned number of epochs.</param>
/// <param name="WordsDone">Corpus words processed so far over all epochs (before subsampling, as gensim counts).</param>
/// <param name="WordsTotal">Corpus words × epochs.</param>
/// <param name="LearningRate">The current learning rate.</param>
/// <param name="Loss">The mean loss per trained prediction since the epoch began (accumulated in double).</param>
/// <param name="WordsPerSecond">Corpus words per second since training began.</param>
/// <param name="Elapsed">Time since training began.</param>
public readonly record struct Word2VecProgress(
    int Epoch, int Epochs, long WordsDone, long WordsTotal, double LearningRate, double Loss, double WordsPerSecond, TimeSpan Elapsed)
{
    /// <summary>The fraction done, 0 to 1.</summary>
    public double Fraction => WordsTotal == 0 ? 1 : (double)WordsDone / WordsTotal;

    /// <summary>
    /// Epochs done as a fraction (<see cref="Fraction"/> × <see cref="Epochs"/>): epoch ends fall on whole numbers
    /// whatever the corpus size, so this is the x axis of a loss curve.
    /// </summary>
    public double EpochsDone => Fraction * Epochs;
}
