using Embeddings.Core.Corpus;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Training;

/// <summary>
/// Where a training run stands, at a chunk boundary: together with the weights and the options, everything a
/// checkpoint needs for a resumed single-threaded run to continue bit for bit.
/// </summary>
internal sealed class TrainingState
{
    /// <summary>The epoch in progress, from 1 (Epochs + 1 once training is over).</summary>
    public int Epoch { get; set; } = 1;

    /// <summary>Chunks of the current epoch already trained (in <see cref="EncodedCorpus.ReadChunks"/> order).</summary>
    public int ChunksDone { get; set; }

    /// <summary>Corpus words processed over all epochs; drives the learning-rate decay.</summary>
    public long WordsDone { get; set; }

    /// <summary>Sum of the current epoch's losses so far.</summary>
    public double EpochLoss { get; set; }

    /// <summary>Predictions behind <see cref="EpochLoss"/>.</summary>
    public long EpochPredictions { get; set; }

    /// <summary>The mean loss of each finished epoch.</summary>
    public List<double> EpochLosses { get; init; } = [];

    /// <summary>An epoch hook stopped training before the last epoch.</summary>
    public bool StoppedEarly { get; set; }

    /// <summary>Each worker's random stream.</summary>
    public Word2VecRandom[] RandomStates { get; set; } = [];

    /// <summary>An independent copy, for a run that must leave this state as it is (a resumed checkpoint).</summary>
    public TrainingState Copy() => new()
    {
        Epoch = Epoch,
        ChunksDone = ChunksDone,
        WordsDone = WordsDone,
        EpochLoss = EpochLoss,
        EpochPredictions = EpochPredictions,
        EpochLosses = [.. EpochLosses],
        StoppedEarly = StoppedEarly,
        RandomStates = [.. RandomStates],
    };
}
