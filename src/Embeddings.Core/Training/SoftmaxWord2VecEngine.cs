using Embeddings.Core.Corpus;

namespace Embeddings.Core.Training;

/// <summary>Full softmax + AdamW engine (being written).</summary>
internal sealed class SoftmaxWord2VecEngine : Word2VecEngine
{
    public SoftmaxWord2VecEngine(Word2VecOptions options, Vocabulary vocabulary, TrainedWeights? start = null)
        : base(options, vocabulary, start)
    {
    }

    public override TrainingState InitialState() => new();

    protected override void RestoreRandomStates(Word2VecRandom[] states)
    {
    }

    protected override Word2VecRandom[] SaveRandomStates() => [];

    protected override (double Loss, long Predictions) TrainSegment(
        ChunkFeed feed, TrainingState state, ProgressReporter reporter, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
