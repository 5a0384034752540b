using Embeddings.Core.Options;

namespace Embeddings.Core.Sequences;

/// <summary>How a language model samples text.</summary>
public sealed record GenerationOptions
{
    /// <summary>Tokens to generate after the prompt (default 15).</summary>
    public int Length { get; init; } = 15;

    /// <summary>
    /// Softmax temperature: the logits are divided by it before sampling; below 1 the text is more conservative, above
    /// 1 more varied. 0 takes the most probable token every time (greedy; the limit as the temperature goes to 0).
    /// </summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Sample only among the <see cref="TopK"/> most probable tokens; 0 = all.</summary>
    public int TopK { get; init; }

    /// <summary>The sampling seed: the same seed, prompt and model give the same text.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Throws if any setting is out of range, listing every problem.</summary>
    /// <exception cref="InvalidOptionsException">A setting is out of range; <see cref="ArgumentException.ParamName"/> names the first.</exception>
    public void Validate() =>
        new OptionsValidator("generation")
            .InRange(nameof(Length), Length, 0, int.MaxValue, "GenerationOptions.Length")
            .InRange(nameof(Temperature), Temperature, 0, double.PositiveInfinity, "GenerationOptions.Temperature")
            .InRange(nameof(TopK), TopK, 0, int.MaxValue, "GenerationOptions.TopK (0: every token)")
            .ThrowIfInvalid();
}
