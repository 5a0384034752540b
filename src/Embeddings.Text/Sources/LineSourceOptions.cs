using Embeddings.Text.Options;

namespace Embeddings.Text.Sources;

/// <summary>
/// How a <see cref="LineSource"/> reads a file or stream. The defaults (<see cref="Default"/>) read strict UTF-8.
/// </summary>
public sealed record LineSourceOptions
{
    /// <summary>The default options: strict UTF-8.</summary>
    public static LineSourceOptions Default { get; } = new();

    /// <summary>How bytes become text (default <see cref="TextEncoding.Utf8"/>: invalid UTF-8 throws).</summary>
    public TextEncoding Encoding { get; init; } = TextEncoding.Utf8;

    /// <summary>Checks every option; the factories of <see cref="LineSource"/> call it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and the allowed values.</exception>
    public void Validate() =>
        new OptionsValidator("line source")
            .Defined(nameof(Encoding), Encoding, "LineSourceOptions.Encoding")
            .ThrowIfInvalid();
}
