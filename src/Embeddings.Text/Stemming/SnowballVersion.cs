namespace Embeddings.Text.Stemming;

/// <summary>Which release of the Snowball algorithms a stemmer reproduces.</summary>
public enum SnowballVersion
{
    /// <summary>
    /// Snowball 3.1, the current definitions (the official <c>snowball-data</c> expected output).
    /// </summary>
    Snowball31 = 0,

    /// <summary>
    /// Snowball 2.2, what NLTK 3.8 and Debian 12's <c>snowballstemmer</c> give: use it to reproduce
    /// existing Python notebooks token for token.
    /// </summary>
    Snowball22 = 1,
}
