using Embeddings.Core.Sequences;
using Microsoft.Extensions.Logging;

namespace Embeddings.Quantization;

/// <summary>
/// Configures the training of a <see cref="QuantizedLanguageModel"/>: the clusters (whose centroids become the frozen
/// embedding) and the recurrent model's settings, given as options or through the language-model builder's setters.
/// </summary>
/// <example>
/// <code>
/// QuantizedLanguageModel model = QuantizedLanguageModel.CreateBuilder()
///     .Clusters(quantized)
///     .Configure(m => m.Cell(RecurrentCell.Rnn).HiddenSize(128).SequenceLength(5).Adam(1e-3).Epochs(20))
///     .Build()
///     .Train(words);
/// </code>
/// </example>
public sealed class QuantizedLanguageModelBuilder
{
    private readonly LanguageModelBuilder _model = LanguageModel.CreateBuilder();
    private QuantizedVectors? _quantization;

    internal QuantizedLanguageModelBuilder()
    {
    }

    /// <summary>The clusters: every word's cluster, and the centroids that are the model's frozen input.</summary>
    /// <param name="quantization">Quantized vectors, e.g. from <see cref="QuantizedVectors.Load(string)"/>.</param>
    public QuantizedLanguageModelBuilder Clusters(QuantizedVectors quantization)
    {
        ArgumentNullException.ThrowIfNull(quantization);
        _quantization = quantization;
        return this;
    }

    /// <summary>Starts from existing language-model options, e.g. those a saved model records.</summary>
    /// <param name="options">The options; validated by <see cref="Build"/>.</param>
    public QuantizedLanguageModelBuilder WithOptions(LanguageModelOptions options)
    {
        _model.WithOptions(options);
        return this;
    }

    /// <summary>
    /// Sets the recurrent model and its training through the language-model builder's setters (cell, sizes,
    /// optimiser, epochs, checkpoints, epoch hook…). Its embedding is always the clusters' centroids, frozen.
    /// </summary>
    /// <param name="configure">Applies the settings.</param>
    public QuantizedLanguageModelBuilder Configure(Action<LanguageModelBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_model);
        return this;
    }

    /// <summary>Logs through <paramref name="loggerFactory"/>.</summary>
    /// <param name="loggerFactory">The factory; the default logs nothing.</param>
    public QuantizedLanguageModelBuilder WithLoggerFactory(ILoggerFactory loggerFactory)
    {
        _model.WithLoggerFactory(loggerFactory);
        return this;
    }

    /// <summary>Validates the settings and returns the trainer.</summary>
    /// <exception cref="InvalidOperationException">No clusters were given.</exception>
    /// <exception cref="Core.Options.InvalidOptionsException">A setting is out of range; the message lists every problem.</exception>
    public QuantizedLanguageModelTrainer Build()
    {
        if (_quantization is null)
        {
            throw new InvalidOperationException("Give the clusters first: Clusters(quantizedVectors).");
        }

        LanguageModelTrainer trainer = _model
            .PretrainedEmbedding(QuantizedLanguageModel.ClusterTokens(_quantization), _quantization.Centroids, _quantization.Dimensions)
            .FreezeEmbedding(true)
            .Build();
        return new QuantizedLanguageModelTrainer(_quantization, trainer);
    }
}
