using Embeddings.Text;
using Embeddings.Text.Stemming;
using Embeddings.Text.Stopwords;

namespace Embeddings.Samples;

/// <summary>The tweets lab's preprocessing, shared by the TweetsLab and TweetsClassifier samples.</summary>
internal static class LabPreprocessing
{
    /// <summary>
    /// The lab notebook's steps, token for token: <c>lower()</c> → keep <c>[a-z@# ]</c> → split on spaces → NLTK's English
    /// stopwords → NLTK 3.8's Snowball stemmer (its quirks included).
    /// </summary>
    public static TextPipeline Create() => TextPipeline.CreateBuilder()
        .Lowercase()
        .KeepOnly("a-z@# ")
        .TokenizeOnWhitespace()
        .RemoveStopwords(StopwordList.English)
        .Stem(new EnglishStemmer(SnowballVersion.Nltk38))
        .Build();
}
