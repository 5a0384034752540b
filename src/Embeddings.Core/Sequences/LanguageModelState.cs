namespace Embeddings.Core.Sequences;

/// <summary>
/// Everything a language-model run needs to go on exactly where it stopped: the network's weights, the optimiser's
/// state, the position (epoch and step; the epoch's shuffle and dropout streams are keyed by them), the epoch's loss
/// so far, the finished epochs and the early-stopping bookkeeping.
/// </summary>
internal sealed class LanguageModelState
{
    public LanguageModelState(SequenceNetwork network, Optimizer optimizer)
    {
        Network = network;
        Optimizer = optimizer;
    }

    public SequenceNetwork Network { get; }

    public Optimizer Optimizer { get; }

    /// <summary>Epochs finished.</summary>
    public int Epoch { get; set; }

    /// <summary>Steps finished in the epoch in progress.</summary>
    public int Step { get; set; }

    /// <summary>The summed loss of the epoch's predictions so far.</summary>
    public double EpochLoss { get; set; }

    /// <summary>The predictions the epoch has made so far.</summary>
    public long EpochPredictions { get; set; }

    /// <summary>Training seconds the epoch in progress has taken so far (across a resume).</summary>
    public double EpochSeconds { get; set; }

    public List<LanguageModelEpoch> Epochs { get; } = [];

    public double BestValidationLoss { get; set; } = double.PositiveInfinity;

    public int BestEpoch { get; set; }

    public int EpochsSinceBest { get; set; }

    /// <summary>The trainable weights of <see cref="BestEpoch"/> (kept only with early stopping).</summary>
    public float[][]? BestWeights { get; set; }

    public bool StoppedEarly { get; set; }
}
