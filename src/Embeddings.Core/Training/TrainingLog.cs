using Microsoft.Extensions.Logging;

namespace Embeddings.Core.Training;

/// <summary>Log messages of the trainers (event ids 21xx).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "word2vec {Architecture} ({Objective}) on {Device}: {Words} words, {Tokens} corpus tokens, {Epochs} epochs, {Threads} thread(s)")]
    public static partial void TrainingStarted(ILogger logger, Word2VecArchitecture architecture, Word2VecObjective objective, string device, int words, long tokens, int epochs, int threads);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Epoch {Epoch}/{Epochs}: loss {Loss:F4}, learning rate {LearningRate:G4}, {WordsPerSecond:F0} words/s")]
    public static partial void EpochFinished(ILogger logger, int epoch, int epochs, double loss, double learningRate, double wordsPerSecond);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "word2vec finished: {WordsPerSecond:F0} words/s over {Seconds:F1} s, final loss {Loss:F4}")]
    public static partial void TrainingFinished(ILogger logger, double wordsPerSecond, double seconds, double loss);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Vocabulary update: {OldWords} words known, {NewWords} added; {Tokens} new corpus tokens")]
    public static partial void VocabularyUpdated(ILogger logger, int oldWords, int newWords, long tokens);
}
