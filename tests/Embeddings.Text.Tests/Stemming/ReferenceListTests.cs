using System.Globalization;
using System.IO.Compression;
using System.Text;
using Embeddings.Text.Stemming;

namespace Embeddings.Text.Tests.Stemming;

/// <summary>
/// The Python stemmers' own answers on large word lists: every word of Debian's wamerican-large and wspanish (with
/// the Spanish words also without accents, and -acion/-ucion nouns, imperfects and attached pronouns made by rule),
/// stemmed by snowballstemmer 2.2.0 and NLTK 3.8. Written by benchmarks/stemmer/make_reference_lists.py.
/// </summary>
public sealed class ReferenceListTests(ITestOutputHelper output)
{
    private const int Listed = 10;

    // language, version, column of the list that holds its stems.
    public static TheoryData<string, SnowballVersion, int> Lists => new()
    {
        { "english", SnowballVersion.Snowball22, 1 },
        { "english", SnowballVersion.Nltk38, 2 },
        { "spanish", SnowballVersion.Snowball22, 1 },
        { "spanish", SnowballVersion.Nltk38, 2 },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public void Stem_ReferenceList_EqualsThePythonStemmerOnEveryWord(string language, SnowballVersion version, int column)
    {
        List<string[]> rows = Read(language);
        IStemmer stemmer = Stemmers.ForLanguage(language, version);
        var report = new StringBuilder();
        int mismatches = 0;
        foreach (string[] row in rows)
        {
            string actual = stemmer.Stem(row[0]);
            if (!string.Equals(actual, row[column], StringComparison.Ordinal) && ++mismatches <= Listed)
            {
                report.Append(CultureInfo.InvariantCulture, $"  {row[0]}: expected '{row[column]}', got '{actual}'\n");
            }
        }

        string summary = string.Create(
            CultureInfo.InvariantCulture,
            $"{language} {version}: {mismatches} mismatches of {rows.Count} words ({100.0 * (rows.Count - mismatches) / rows.Count:F2}% equal)");
        output.WriteLine(summary);
        rows.Should().HaveCountGreaterThanOrEqualTo(50_000);
        mismatches.Should().Be(0, "{0}; first {1}:\n{2}", summary, Math.Min(Listed, mismatches), report);
    }

    [Fact]
    public void SpanishList_HoldsManyUnaccentedAcionAndUcionWords()
    {
        // The words where Snowball 2.2, NLTK 3.8 and Snowball 3 part ways.
        Read("spanish").Count(row => row[0].EndsWith("acion", StringComparison.Ordinal) || row[0].EndsWith("ucion", StringComparison.Ordinal))
            .Should().BeGreaterThanOrEqualTo(3_000);
    }

    [Fact]
    public void EnglishList_HoldsApostrophes()
    {
        List<string[]> rows = Read("english");

        rows.Count(row => row[0].Contains('\'', StringComparison.Ordinal)).Should().BeGreaterThan(10_000);
        rows.Count(row => row[0].Contains('\u2019', StringComparison.Ordinal)).Should().BeGreaterThan(1_000);
    }

    private static List<string[]> Read(string language)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Stemming", "Fixtures", language + "-reference.tsv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress), Encoding.UTF8);
        string header = reader.ReadLine() ?? string.Empty;
        header.Should().Be("word\tsnowballstemmer-2.2.0\tnltk-3.8");

        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            string[] row = line.Split('\t');
            row.Should().HaveCount(3, "every line of {0} reads word<TAB>stem<TAB>stem", path);
            rows.Add(row);
        }

        return rows;
    }
}
