#region package:text
using Embeddings.Text;
using Embeddings.Text.Sources;
using Embeddings.Text.Stemming;
using Embeddings.Text.Stopwords;
#endregion

namespace ReadmeSnippets;

/// <summary>src/Embeddings.Text/README.md, the package's readme.</summary>
internal static class TextPackage
{
    public static void Run()
    {
        #region package:text
        TextPipeline pipeline = TextPipeline.CreateBuilder()
            .Lowercase()
            .KeepOnly("a-z@# ")                                   // like re.sub(r"[^a-z@# ]", "", text)
            .TokenizeOnWhitespace()
            .RemoveStopwords(StopwordList.English)                // NLTK's list
            .Stem(new EnglishStemmer(SnowballVersion.Nltk38))     // the stems NLTK 3.8 gives
            .Build();

        IReadOnlyList<string> tokens = pipeline.Tokenize("@user when a father is dysfunctional and is so selfish #run");
        // ["@user", "father", "dysfunct", "selfish", "#run"]

        // A CSV column of a gzip file, on two threads, one token list per record in input order.
        foreach (IReadOnlyList<string> record in pipeline.Process(LineSource.FromCsvColumn("train.csv.gz", "tweet"), 2))
        {
            Console.WriteLine(string.Join(' ', record));
        }
        #endregion
        Console.WriteLine($"tokens: {string.Join(' ', tokens)}");
    }
}
