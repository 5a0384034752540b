using System.Globalization;
using Embeddings.Core.Options;

namespace Embeddings.Quantization;

/// <summary>
/// The settings of <see cref="EmbeddingAutoencoder"/>: the layers of the encoder (the decoder mirrors them), the code,
/// the loss and the optimiser (Adam, as PyTorch's). Build them with <see cref="EmbeddingAutoencoder.CreateBuilder"/>.
/// </summary>
/// <remarks>A record made with <c>with</c> skips the builder's checks; <see cref="EmbeddingAutoencoder"/> validates it again.</remarks>
public sealed record EmbeddingAutoencoderOptions
{
    /// <summary>The largest accepted <see cref="Threads"/>.</summary>
    public const int MaxThreads = 1024;

    /// <summary>The largest code: 65,536 values or bits.</summary>
    public const int MaxCodeDimensions = 65_536;

    /// <summary>
    /// The widths of the encoder's hidden layers, input side first; the decoder has the same widths in reverse. Default
    /// none: one dense layer each way (with a linear code, a PCA-like linear autoencoder).
    /// </summary>
    /// <value>Each width at least 1.</value>
    public IReadOnlyList<int> HiddenLayers { get; init; } = [];

    /// <summary>The code's length k: float values, or bits when <see cref="BinaryCode"/>. Default 32.</summary>
    /// <value>1–65,536. A float code below the input's dimensions makes the autoencoder undercomplete.</value>
    public int CodeDimensions { get; init; } = 32;

    /// <summary>The nonlinearity of the hidden layers. Default <see cref="AutoencoderActivation.Tanh"/>.</summary>
    /// <value>The activation.</value>
    public AutoencoderActivation Activation { get; init; } = AutoencoderActivation.Tanh;

    /// <summary>
    /// The nonlinearity of the code layer (ignored for a binary code, which is the sign). Default
    /// <see cref="AutoencoderActivation.Tanh"/>: bounded, so that 8-bit storage of the code loses little.
    /// </summary>
    /// <value>The activation.</value>
    public AutoencoderActivation CodeActivation { get; init; } = AutoencoderActivation.Tanh;

    /// <summary>Whether each decoder layer uses the transpose of its mirror encoder layer's weights (biases stay separate). Default <see langword="false"/>.</summary>
    /// <value><see langword="true"/> for tied weights.</value>
    public bool TiedWeights { get; init; }

    /// <summary>The reconstruction loss. Default <see cref="AutoencoderLoss.Cosine"/>.</summary>
    /// <value>The loss.</value>
    public AutoencoderLoss Loss { get; init; } = AutoencoderLoss.Cosine;

    /// <summary>
    /// Whether the code is binary: the code layer's output is the sign (±1) of its input, trained through a
    /// straight-through estimator (gradient passed where |z| ≤ 1), with <see cref="BalanceWeight"/> and
    /// <see cref="DecorrelationWeight"/> keeping bits balanced and decorrelated. Default <see langword="false"/>.
    /// </summary>
    /// <value><see langword="true"/> for binary codes.</value>
    public bool BinaryCode { get; init; }

    /// <summary>Weight of the balance penalty of a binary code: the mean over bits of (batch mean of tanh z)². Default 0.01.</summary>
    /// <value>At least 0.</value>
    public double BalanceWeight { get; init; } = 0.01;

    /// <summary>Weight of the decorrelation penalty of a binary code: the mean squared off-diagonal entry of the bits' correlation (of tanh z) over a batch. Default 0.01.</summary>
    /// <value>At least 0.</value>
    public double DecorrelationWeight { get; init; } = 0.01;

    /// <summary>Whether each input vector is scaled to unit length first (and reconstructed as such). Default <see langword="true"/>.</summary>
    /// <value><see langword="true"/> to normalise.</value>
    public bool NormalizeInputs { get; init; } = true;

    /// <summary>The most passes over the training vectors. Default 30.</summary>
    /// <value>At least 1.</value>
    public int Epochs { get; init; } = 30;

    /// <summary>Vectors per mini-batch (one Adam step each). Default 256.</summary>
    /// <value>At least 1.</value>
    public int BatchSize { get; init; } = 256;

    /// <summary>Adam's learning rate. Default 0.003.</summary>
    /// <value>Greater than 0.</value>
    public double LearningRate { get; init; } = 0.003;

    /// <summary>The share of the vectors held out (a seeded draw) to decide early stopping; 0 trains on all for <see cref="Epochs"/>. Default 0.05.</summary>
    /// <value>0 ≤ share &lt; 1.</value>
    public double ValidationShare { get; init; } = 0.05;

    /// <summary>Epochs without a better held-out loss before training stops (the best weights are kept). Default 4.</summary>
    /// <value>At least 1.</value>
    public int Patience { get; init; } = 4;

    /// <summary>Seed of the initial weights, the held-out draw and the batch order. Default 0.</summary>
    /// <value>Any value.</value>
    public int Seed { get; init; }

    /// <summary>
    /// Worker threads for the dense products; default <see cref="Environment.ProcessorCount"/>, 1–1024. Each product's
    /// rows are split over threads without changing any element's arithmetic, so the result is the same for any count;
    /// with a seed, training is bit-for-bit reproducible.
    /// </summary>
    /// <value>The number of threads.</value>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws if any setting is out of range, listing every problem.</summary>
    /// <exception cref="InvalidOptionsException">A setting is out of range; <see cref="ArgumentException.ParamName"/> names the first.</exception>
    public void Validate()
    {
        var validator = new OptionsValidator("autoencoder")
            .Require(HiddenLayers is not null && HiddenLayers.All(width => width is >= 1 and <= MaxCodeDimensions), nameof(HiddenLayers),
                HiddenLayers is null ? null : string.Join(", ", HiddenLayers), "widths of 1–65,536", "HiddenLayers(params int[])")
            .InRange(nameof(CodeDimensions), CodeDimensions, 1, MaxCodeDimensions, "CodeDimensions(int)")
            .Defined(nameof(Activation), Activation, "Activation(AutoencoderActivation)")
            .Defined(nameof(CodeActivation), CodeActivation, "CodeActivation(AutoencoderActivation)")
            .Defined(nameof(Loss), Loss, "Loss(AutoencoderLoss)")
            .InRange(nameof(BalanceWeight), BalanceWeight, 0, double.MaxValue, "BalanceWeight(double)")
            .InRange(nameof(DecorrelationWeight), DecorrelationWeight, 0, double.MaxValue, "DecorrelationWeight(double)")
            .InRange(nameof(Epochs), Epochs, 1, int.MaxValue, "Epochs(int)")
            .InRange(nameof(BatchSize), BatchSize, 1, 1 << 20, "BatchSize(int)")
            .Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "greater than 0", "LearningRate(double)")
            .Require(ValidationShare is >= 0 and < 1, nameof(ValidationShare), ValidationShare, "0 ≤ share < 1", "ValidationShare(double)")
            .InRange(nameof(Patience), Patience, 1, int.MaxValue, "Patience(int)")
            .InRange(nameof(Threads), Threads, 1, MaxThreads, "Threads(int)");
        validator.ThrowIfInvalid();
    }

    /// <summary>Checks the settings against the vectors' length.</summary>
    internal void Validate(int dimensions)
    {
        Validate();
        if (!BinaryCode && CodeDimensions > dimensions)
        {
            throw new InvalidOptionsException(
                nameof(CodeDimensions),
                string.Create(CultureInfo.InvariantCulture, $"CodeDimensions must be at most the vectors' {dimensions} dimensions for a float code (was {CodeDimensions}); call CodeDimensions(int)."),
                [string.Create(CultureInfo.InvariantCulture, $"CodeDimensions must be at most {dimensions} (was {CodeDimensions})")]);
        }
    }
}
