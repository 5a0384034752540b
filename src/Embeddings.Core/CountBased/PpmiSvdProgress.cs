namespace Embeddings.Core.CountBased;

/// <summary>The stages of <see cref="PpmiSvd.Train"/>, in order.</summary>
public enum PpmiSvdStage
{
    /// <summary>Reading the sentences twice: counting words, then keeping the corpus as word ids.</summary>
    Reading = 0,

    /// <summary>Counting co-occurrences word by word and turning them into PPMI values.</summary>
    Counting = 1,

    /// <summary>The randomized truncated SVD of the PPMI matrix.</summary>
    Factorizing = 2,
}

/// <summary>A progress report of <see cref="PpmiSvd.Train"/>, sent a few times a second from the calling thread.</summary>
public readonly record struct PpmiSvdProgress
{
    /// <summary>The current stage.</summary>
    public PpmiSvdStage Stage { get; init; }

    /// <summary>
    /// Work done in this stage: tokens read, over both readings (<see cref="PpmiSvdStage.Reading"/>), center tokens whose windows were
    /// counted (<see cref="PpmiSvdStage.Counting"/>), or sparse matrix products done (<see cref="PpmiSvdStage.Factorizing"/>).
    /// </summary>
    public long Completed { get; init; }

    /// <summary>The work of this stage, in the unit of <see cref="Completed"/>; 0 while unknown (during the first reading).</summary>
    public long Total { get; init; }

    /// <summary>Time since training started.</summary>
    public TimeSpan Elapsed { get; init; }
}
