namespace Embeddings.Text.Stemming;

/// <summary>Creates the built-in stemmers by language name.</summary>
public static class Stemmers
{
    /// <summary>The Snowball stemmer for <paramref name="language"/> (<c>english</c>/<c>en</c>, <c>spanish</c>/<c>es</c>).</summary>
    /// <param name="language">The language, case-insensitive.</param>
    /// <param name="version">Which Snowball release to reproduce.</param>
    /// <exception cref="ArgumentException">No stemmer for that language.</exception>
    public static IStemmer ForLanguage(string language, SnowballVersion version = SnowballVersion.Snowball31)
    {
        ArgumentNullException.ThrowIfNull(language);
        return language.ToUpperInvariant() switch
        {
            "ENGLISH" or "EN" => new EnglishStemmer(version),
            "SPANISH" or "ES" or "ESPAÑOL" => new SpanishStemmer(version),
            _ => throw new ArgumentException($"No stemmer for '{language}'; use 'english' or 'spanish'.", nameof(language)),
        };
    }
}
