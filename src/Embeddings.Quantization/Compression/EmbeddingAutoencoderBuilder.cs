using Embeddings.Core.Options;

namespace Embeddings.Quantization;

/// <summary>
/// Configures an <see cref="EmbeddingAutoencoder"/>:
/// <c>EmbeddingAutoencoder.CreateBuilder().CodeDimensions(25).Loss(AutoencoderLoss.Cosine).Seed(0).Build()</c>.
/// Every method records a value; <see cref="Build"/> checks them all at once.
/// </summary>
public sealed class EmbeddingAutoencoderBuilder : TrainerBuilder<EmbeddingAutoencoderBuilder, EmbeddingAutoencoderOptions>
{
    internal EmbeddingAutoencoderBuilder()
        : base(new EmbeddingAutoencoderOptions())
    {
    }

    /// <summary>Sets <see cref="EmbeddingAutoencoderOptions.HiddenLayers"/> (default none).</summary>
    /// <param name="widths">The encoder's hidden widths, input side first.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder HiddenLayers(params int[] widths) => Set(Options with { HiddenLayers = [.. widths] });

    /// <summary>Sets <see cref="EmbeddingAutoencoderOptions.CodeDimensions"/> (default 32).</summary>
    /// <param name="codeDimensions">k, the code's values or bits.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder CodeDimensions(int codeDimensions) => Set(Options with { CodeDimensions = codeDimensions });

    /// <summary>Sets <see cref="EmbeddingAutoencoderOptions.Activation"/> (default tanh).</summary>
    /// <param name="activation">The hidden layers' nonlinearity.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder Activation(AutoencoderActivation activation) => Set(Options with { Activation = activation });

    /// <summary>Sets <see cref="EmbeddingAutoencoderOptions.CodeActivation"/> (default tanh).</summary>
    /// <param name="activation">The code layer's nonlinearity.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder CodeActivation(AutoencoderActivation activation) => Set(Options with { CodeActivation = activation });

    /// <summary>Sets <see cref="EmbeddingAutoencoderOptions.TiedWeights"/>.</summary>
    /// <param name="tied"><see langword="true"/> (the default of this method) for tied weights.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder TiedWeights(bool tied = true) => Set(Options with { TiedWeights = tied });

    /// <summary>Sets <see cref="EmbeddingAutoencoderOptions.Loss"/> (default cosine).</summary>
    /// <param name="loss">The reconstruction loss.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder Loss(AutoencoderLoss loss) => Set(Options with { Loss = loss });

    /// <summary>Makes the code binary: sets <see cref="EmbeddingAutoencoderOptions.BinaryCode"/>.</summary>
    /// <param name="binary"><see langword="true"/> (the default of this method) for a code of bits.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder BinaryCode(bool binary = true) => Set(Options with { BinaryCode = binary });

    /// <summary>Sets <see cref="EmbeddingAutoencoderOptions.BalanceWeight"/> (default 0.01).</summary>
    /// <param name="weight">At least 0.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder BalanceWeight(double weight) => Set(Options with { BalanceWeight = weight });

    /// <summary>Sets <see cref="EmbeddingAutoencoderOptions.DecorrelationWeight"/> (default 0.01).</summary>
    /// <param name="weight">At least 0.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder DecorrelationWeight(double weight) => Set(Options with { DecorrelationWeight = weight });

    /// <summary>Sets <see cref="EmbeddingAutoencoderOptions.NormalizeInputs"/> (default <see langword="true"/>).</summary>
    /// <param name="normalize">Whether inputs are scaled to unit length.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder NormalizeInputs(bool normalize) => Set(Options with { NormalizeInputs = normalize });

    /// <summary>Sets <see cref="EmbeddingAutoencoderOptions.Epochs"/> (default 30).</summary>
    /// <param name="epochs">At least 1.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder Epochs(int epochs) => Set(Options with { Epochs = epochs });

    /// <summary>Sets <see cref="EmbeddingAutoencoderOptions.BatchSize"/> (default 256).</summary>
    /// <param name="batchSize">At least 1.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder BatchSize(int batchSize) => Set(Options with { BatchSize = batchSize });

    /// <summary>Sets <see cref="EmbeddingAutoencoderOptions.LearningRate"/> (default 0.003).</summary>
    /// <param name="learningRate">Greater than 0.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder LearningRate(double learningRate) => Set(Options with { LearningRate = learningRate });

    /// <summary>Sets <see cref="EmbeddingAutoencoderOptions.ValidationShare"/> (default 0.05).</summary>
    /// <param name="share">0 ≤ share &lt; 1.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder ValidationShare(double share) => Set(Options with { ValidationShare = share });

    /// <summary>Sets <see cref="EmbeddingAutoencoderOptions.Patience"/> (default 4).</summary>
    /// <param name="patience">At least 1.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder Patience(int patience) => Set(Options with { Patience = patience });

    /// <summary>Sets <see cref="EmbeddingAutoencoderOptions.Seed"/> (default 0).</summary>
    /// <param name="seed">Any value.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder Seed(int seed) => Set(Options with { Seed = seed });

    /// <summary>Sets <see cref="EmbeddingAutoencoderOptions.Threads"/> (default <see cref="Environment.ProcessorCount"/>).</summary>
    /// <param name="threads">1–1024; the result does not depend on it.</param>
    /// <returns>This builder.</returns>
    public EmbeddingAutoencoderBuilder Threads(int threads) => Set(Options with { Threads = threads });

    /// <summary>Checks every setting and creates the trainer. Has no side effects; may be called again.</summary>
    /// <returns>The trainer.</returns>
    /// <exception cref="InvalidOptionsException">A setting is out of range; the message lists every problem.</exception>
    public EmbeddingAutoencoder Build()
    {
        Options.Validate();
        return new EmbeddingAutoencoder(Options, LoggerFactory);
    }
}
