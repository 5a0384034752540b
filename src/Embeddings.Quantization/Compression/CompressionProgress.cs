namespace Embeddings.Quantization;

/// <summary>A report of <see cref="CompressionTrainer.Train"/>: a stage of the method ended.</summary>
/// <param name="Stage">What was done: <c>"trained"</c> (an autoencoder's epoch, a k-means fit, a PQ subspace), <c>"encoded"</c>, <c>"measured"</c>.</param>
/// <param name="Step">The step of the stage, from 1.</param>
/// <param name="Steps">The steps the stage has at most.</param>
/// <param name="Elapsed">Time since compression started.</param>
public readonly record struct CompressionProgress(string Stage, int Step, int Steps, TimeSpan Elapsed);
