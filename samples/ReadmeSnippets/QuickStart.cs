#region readme:quick-start
using Embeddings.Text;
using Embeddings.Text.Sources;
using Embeddings.Text.Stemming;
using Embeddings.Text.Stopwords;
#endregion

namespace ReadmeSnippets;

/// <summary>README.md, "Quick start".</summary>
internal static class QuickStart
{
    public static void Run()
    {
        #region readme:quick-start
        // The tweets lab's preprocessing, token for token what its NLTK notebook produced:
        // lower() → re.sub(r"[^a-z@# ]", "", text) → re.split(r" +") → NLTK English stopwords → SnowballStemmer("english")
        TextPipeline lab = TextPipeline.CreateBuilder()
            .Lowercase()
            .KeepOnly("a-z@# ")
            .TokenizeOnWhitespace()
            .RemoveStopwords(StopwordList.English)
            .Stem(new EnglishStemmer(SnowballVersion.Nltk38))       // NLTK 3.8's SnowballStemmer; the default is Snowball 3.1
            .Build();

        Console.WriteLine(string.Join(' ', lab.Tokenize("@user when a father is dysfunctional and is so selfish #run")));
        // @user father dysfunct selfish #run

        // Stream a CSV column from a gzip file, two threads, results in input order:
        LineSource tweets = LineSource.FromCsvColumn("train.csv.gz", "tweet");
        int records = 0;
        foreach (IReadOnlyList<string> tokens in lab.Process(tweets, degreeOfParallelism: 2))
        {
            records++;                                              // one token list per record, empty records included
        }
        Console.WriteLine($"{records} tweets");

        // Spanish prose: accents kept, NLTK's Spanish stopwords, Snowball Spanish stems.
        TextPipeline spanish = TextPipeline.CreateBuilder()
            .Lowercase()
            .TokenizeWords()
            .RemoveStopwords(StopwordList.Spanish)
            .Stem(new SpanishStemmer())
            .Build();
        Console.WriteLine(string.Join(' ', spanish.Tokenize("En un lugar de la Mancha, de cuyo nombre no quiero acordarme")));
        // lug manch cuy nombr quier acord
        #endregion
    }
}
