namespace Embeddings.Text.Stemming;

/// <summary>Which implementation of the Snowball algorithms a stemmer reproduces, word for word.</summary>
/// <remarks>
/// To reproduce a Python notebook, pick the library it calls: <c>nltk.stem.snowball.SnowballStemmer</c> →
/// <see cref="Nltk38"/>; the <c>snowballstemmer</c> package or PyStemmer 2.2 → <see cref="Snowball22"/>. For new
/// work, <see cref="Snowball31"/>.
/// </remarks>
public enum SnowballVersion
{
    /// <summary>
    /// Snowball 3.1, the current definitions (the official <c>snowball-data</c> expected output).
    /// </summary>
    Snowball31 = 0,

    /// <summary>
    /// Snowball 2.2.0 as the Python package <c>snowballstemmer</c> 2.2.0 gives it (Debian 12's
    /// <c>python3-snowballstemmer</c>, PyStemmer 2.2).
    /// </summary>
    Snowball22 = 1,

    /// <summary>
    /// NLTK 3.8's <c>nltk.stem.snowball.SnowballStemmer(language)</c>, quirks included: NLTK's own port of
    /// Snowball 2.x, which differs from <see cref="Snowball22"/> on rarer words (English <c>stylization</c>,
    /// <c>inning's</c>; Spanish <c>educacion</c>, <c>poseíamos</c>).
    /// </summary>
    Nltk38 = 2,
}
