using System.Globalization;
using System.Text;
using Embeddings.Text.Stemming;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Text.Tests.Stemming;

public sealed class SpanishStemmerTests
{
    // Words from Don Quijote with Debian python3-snowballstemmer 2.2.0's stems; see the file's header.
    private static readonly string QuijoteFixture =
        Path.Combine(AppContext.BaseDirectory, "Stemming", "Fixtures", "spanish-quijote-2.2.0.tsv");

    private static readonly SpanishStemmer Current = new();
    private static readonly SpanishStemmer Legacy = new(SnowballVersion.Snowball22);

    public static TheoryData<string, string> ShortWords => new()
    {
        { "", "" },
        { "a", "a" },
        { "y", "y" },
        { "á", "a" },
        { "es", "es" },
        { "se", "se" },
        { "la", "la" },
        { "ir", "ir" },
        { "él", "el" },
        { "mí", "mi" },
    };

    public static TheoryData<string, string> AccentedWords => new()
    {
        { "canción", "cancion" },
        { "canciones", "cancion" },
        { "camión", "camion" },
        { "árboles", "arbol" },
        { "rápidamente", "rapid" },
        { "autorización", "autoriz" },
        { "niños", "niñ" },
        { "pingüinos", "pingüin" },
        { "averigüe", "averigü" },
    };

    public static TheoryData<string, string> AttachedPronouns => new()
    {
        { "haciéndola", "hac" },
        { "toreándolo", "tor" },
        { "decírselo", "dec" },
        { "comerlo", "com" },
        { "construyendolo", "constru" },
        // -yendo needs a u before it; here the pronoun stays and only step 3 applies.
        { "oyendolo", "oyendol" },
        // -ándo starts before RV (which starts at the third letter of dán-), so the pronoun stays.
        { "dándoselo", "dandosel" },
    };

    public static TheoryData<string, SnowballVersion, string> AcionUcion => new()
    {
        { "constitución", SnowballVersion.Snowball31, "constitu" },
        { "constitución", SnowballVersion.Snowball22, "constitu" },
        { "constitucion", SnowballVersion.Snowball31, "constitu" },
        { "constitucion", SnowballVersion.Snowball22, "constitucion" },
        { "resoluciones", SnowballVersion.Snowball31, "resolu" },
        { "resoluciones", SnowballVersion.Snowball22, "resolu" },
        { "educación", SnowballVersion.Snowball31, "educ" },
        { "educación", SnowballVersion.Snowball22, "educ" },
        { "educacion", SnowballVersion.Snowball31, "educ" },
        { "educacion", SnowballVersion.Snowball22, "educacion" },
        { "evaluacion", SnowballVersion.Snowball31, "evalu" },
        { "evaluacion", SnowballVersion.Snowball22, "evaluacion" },
        // NLTK 3.8 handles -acion (with the -ic before it) but not -ucion.
        { "educacion", SnowballVersion.Nltk38, "educ" },
        { "comunicacion", SnowballVersion.Nltk38, "comun" },
        { "constitucion", SnowballVersion.Nltk38, "constitucion" },
        { "devolucion", SnowballVersion.Nltk38, "devolucion" },
        { "educación", SnowballVersion.Nltk38, "educ" },
    };

    // word, Snowball 3.1 and 2.2 stem, NLTK 3.8 stem: NLTK's verb suffixes have -éamos in place of -íamos, and
    // its step 0 removes more accents (the stems are what the Python packages give).
    public static TheoryData<string, string, string> NltkVerbQuirks => new()
    {
        { "poseíamos", "pos", "pose" },
        { "contraíamos", "contr", "contra" },
        { "comíamos", "com", "com" },
        // NLTK removes every accent of the word with an attached pronoun, so step 3 no longer sees the í.
        { "confíarlo", "conf", "confi" },
    };

    [Theory]
    [InlineData("stemmer/spanish.tsv", SnowballVersion.Snowball31)]
    [InlineData("stemmer/spanish-snowball-2.2.0.tsv", SnowballVersion.Snowball22)]
    public void Stem_SnowballDataVocabulary_MatchesEveryLine(string relativePath, SnowballVersion version)
    {
        string path = SharedData.RequireFile(relativePath);

        AssertStems(ReadPairs(path), new SpanishStemmer(version), relativePath);
    }

    [Fact]
    public void Stem_QuijoteSample_MatchesPythonSnowball22()
    {
        AssertStems(ReadPairs(QuijoteFixture), Legacy, "spanish-quijote-2.2.0.tsv");
    }

    [Fact]
    public void Stem_QuijoteSample_Snowball31AgreesWithSnowball22()
    {
        // The versions differ only on unaccented -acion/-ucion, which a fully accented text lacks.
        AssertStems(ReadPairs(QuijoteFixture), Current, "spanish-quijote-2.2.0.tsv under Snowball31");
    }

    [Fact]
    public void Constructor_Default_IsSnowball31()
    {
        new SpanishStemmer().Version.Should().Be(SnowballVersion.Snowball31);
    }

    [Fact]
    public void Constructor_Snowball22_KeepsVersion()
    {
        new SpanishStemmer(SnowballVersion.Snowball22).Version.Should().Be(SnowballVersion.Snowball22);
    }

    [Fact]
    public void Constructor_UndefinedVersion_ThrowsArgumentOutOfRange()
    {
        Action act = () => _ = new SpanishStemmer((SnowballVersion)7);

        act.Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("version")
            .WithMessage("Version must be Snowball31, Snowball22 or Nltk38 (was 7).*");
    }

    [Theory]
    [MemberData(nameof(NltkVerbQuirks))]
    public void Stem_NltkVerbQuirk_OnlyNltk38Has(string word, string snowball, string nltk)
    {
        Current.Stem(word).Should().Be(snowball);
        Legacy.Stem(word).Should().Be(snowball);
        new SpanishStemmer(SnowballVersion.Nltk38).Stem(word).Should().Be(nltk);
    }

    [Fact]
    public void Stem_NullWord_ThrowsArgumentNull()
    {
        Action act = () => Current.Stem(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("word");
    }

    [Theory]
    [MemberData(nameof(ShortWords))]
    public void Stem_ShortWord_OnlyLosesAccents(string word, string expected)
    {
        Current.Stem(word).Should().Be(expected);
        Legacy.Stem(word).Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(AccentedWords))]
    public void Stem_AccentedWord_RemovesAcuteButKeepsDiaeresisAndTilde(string word, string expected)
    {
        Current.Stem(word).Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(AttachedPronouns))]
    public void Stem_AttachedPronoun_RemovedOnlyAfterGerundOrInfinitiveInRv(string word, string expected)
    {
        Current.Stem(word).Should().Be(expected);
    }

    [Theory]
    [InlineData("sigue", "sig")]
    [InlineData("siguen", "sig")]
    [InlineData("arguyeron", "argu")]
    [InlineData("creyeron", "creyeron")]
    public void Stem_VerbSuffixAfterU_HandlesGuAndYForms(string word, string expected)
    {
        Current.Stem(word).Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(AcionUcion))]
    public void Stem_AcionOrUcionEnding_DependsOnVersion(string word, SnowballVersion version, string expected)
    {
        new SpanishStemmer(version).Stem(word).Should().Be(expected);
    }

    [Theory]
    [InlineData("chic")]
    [InlineData("es")]
    [InlineData("")]
    public void Stem_UnchangedWord_ReturnsSameInstance(string literal)
    {
        string word = new(literal.AsSpan()); // a fresh instance, not the interned literal

        Current.Stem(word).Should().BeSameAs(word);
    }

    [Fact]
    public void Stem_UnaccentedUcionUnderSnowball22_ReturnsSameInstance()
    {
        string word = new("constitucion".AsSpan());

        Legacy.Stem(word).Should().BeSameAs(word);
    }

    [Fact]
    public void Stem_LongWord_StemsLikeShortOne()
    {
        // Longer than the stack buffer, so the pooled path runs.
        string prefix = string.Concat(Enumerable.Repeat("hiper", 30));
        string accented = prefix + "constitución";
        string unaccented = prefix + "constitucion";

        Current.Stem(accented).Should().Be(prefix + "constitu");
        Current.Stem(unaccented).Should().Be(prefix + "constitu");
        Legacy.Stem(unaccented).Should().BeSameAs(unaccented);
        Current.Stem(prefix + "electroencefalografistas").Should().Be(prefix + "electroencefalograf");
    }

    [Theory]
    [InlineData(SnowballVersion.Snowball31)]
    [InlineData(SnowballVersion.Snowball22)]
    [InlineData(SnowballVersion.Nltk38)]
    public void StemSpan_QuijoteSample_EqualsStringOverload(SnowballVersion version)
    {
        var stemmer = new SpanishStemmer(version);
        var destination = new char[256];
        int mismatches = 0;
        foreach ((string word, _) in ReadPairs(QuijoteFixture))
        {
            int written = stemmer.Stem(word.AsSpan(), destination);
            if (!destination.AsSpan(0, written).SequenceEqual(stemmer.Stem(word)))
            {
                mismatches++;
            }
        }

        mismatches.Should().Be(0);
    }

    [Fact]
    public void StemSpan_DestinationShorterThanWord_ThrowsArgumentException()
    {
        var destination = new char[8];

        Action act = () => Current.Stem("canciones".AsSpan(), destination);

        act.Should().Throw<ArgumentException>()
            .WithParameterName("destination")
            .WithMessage("Destination must hold at least the word's 9 characters (was 8).*");
    }

    [Fact]
    public void StemSpan_DestinationLongerThanWord_LeavesCharactersPastTheWordUntouched()
    {
        var destination = new char[12];
        destination.AsSpan().Fill('#');

        int written = Current.Stem("canciones".AsSpan(), destination);

        // The first word.Length characters are the work area; only the first `written` are the stem.
        written.Should().Be(7);
        new string(destination, 0, written).Should().Be("cancion");
        new string(destination, 9, 3).Should().Be("###");
    }

    [Fact]
    public void StemSpan_DestinationExactlyWordLength_Stems()
    {
        var destination = new char[10];

        int written = Current.Stem("haciéndola".AsSpan(), destination);

        new string(destination, 0, written).Should().Be("hac");
    }

    [Fact]
    public void StemSpan_WordAndDestinationSameBuffer_StemsInPlace()
    {
        char[] buffer = "toreándolo".ToCharArray();

        int written = Current.Stem(buffer, buffer);

        new string(buffer, 0, written).Should().Be("tor");
    }

    [Fact]
    public void StemSpan_EmptyWord_WritesNothing()
    {
        Current.Stem(ReadOnlySpan<char>.Empty, Span<char>.Empty).Should().Be(0);
    }

    [Fact]
    public void Stem_ConcurrentCalls_MatchSequentialResults()
    {
        string[] words = ReadPairs(QuijoteFixture).ConvertAll(pair => pair.Word).ToArray();
        var expected = new string[words.Length];
        for (int i = 0; i < words.Length; i++)
        {
            expected[i] = Current.Stem(words[i]);
        }

        var actual = new string[words.Length];
        Parallel.For(0, words.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            // Each word is stemmed four times, by both overloads, from whichever threads run.
            int i = n % words.Length;
            Span<char> destination = stackalloc char[words[i].Length];
            int written = Current.Stem(words[i].AsSpan(), destination);
            string viaString = Current.Stem(words[i]);
            actual[i] = destination[..written].SequenceEqual(viaString) ? viaString : "<overloads differ>";
        });

        actual.Should().Equal(expected);
    }

    private static List<(string Word, string Stem)> ReadPairs(string path)
    {
        var pairs = new List<(string Word, string Stem)>();
        foreach (string line in File.ReadLines(path, Encoding.UTF8))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int tab = line.IndexOf('\t', StringComparison.Ordinal);
            tab.Should().BeGreaterThan(0, "every line of {0} is word<TAB>stem (found \"{1}\")", path, line);
            pairs.Add((line[..tab], line[(tab + 1)..]));
        }

        pairs.Should().NotBeEmpty("{0} holds the expected stems", path);
        return pairs;
    }

    /// <summary>Stems every word; on failure, reports the count and the first 20 mismatches.</summary>
    private static void AssertStems(List<(string Word, string Stem)> pairs, SpanishStemmer stemmer, string source)
    {
        const int Shown = 20;
        var report = new StringBuilder();
        int mismatches = 0;
        foreach ((string word, string expected) in pairs)
        {
            string actual = stemmer.Stem(word);
            if (!string.Equals(actual, expected, StringComparison.Ordinal) && ++mismatches <= Shown)
            {
                report.Append(CultureInfo.InvariantCulture, $"\n  {word}: expected {expected}, got {actual}");
            }
        }

        mismatches.Should().Be(
            0,
            "every word of {0} must stem as listed, but {1} of {2} did not ({3:P2} match); the first {4}:{5}",
            source,
            mismatches,
            pairs.Count,
            (pairs.Count - mismatches) / (double)pairs.Count,
            Math.Min(mismatches, Shown),
            report);
    }
}
