using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Embeddings.Text.Stemming;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Text.Tests.Stemming;

public sealed class EnglishStemmerTests
{
    private const int ReferenceVocabularySize = 42_649;

    // Generated with NLTK 3.8 (Debian python3-nltk 3.8-1) from the distinct tokens of tweets/train.csv.gz and
    // corpus/en.txt.gz: every word where NLTK differs from snowballstemmer 2.2.0, probes for NLTK's quirks and a
    // seeded sample of 2,000 other words.
    private static readonly string NltkFixturePath =
        Path.Combine(AppContext.BaseDirectory, "Stemming", "Fixtures", "english-nltk-3.8.tsv");

    public static TheoryData<SnowballVersion, string> ReferenceFiles => new()
    {
        { SnowballVersion.Snowball31, "stemmer/english.tsv" },
        { SnowballVersion.Snowball22, "stemmer/english-snowball-2.2.0.tsv" },
        { SnowballVersion.Nltk38, "stemmer/english-snowball-2.2.0.tsv" }, // NLTK 3.8 gives the same stems here
    };

    public static TheoryData<SnowballVersion> Versions => new()
    {
        SnowballVersion.Snowball31,
        SnowballVersion.Snowball22,
        SnowballVersion.Nltk38,
    };

    // word, Snowball 3.1 stem, Snowball 2.2 (and NLTK 3.8) stem: the changes of Snowball 3.0.0 and 3.1.0.
    public static TheoryData<string, string, string> VersionSpecificWords => new()
    {
        { "added", "add", "ad" },
        { "adding", "add", "ad" },
        { "ebbing", "ebb", "eb" },
        { "erred", "err", "er" },
        { "offing", "off", "of" },
        { "hying", "hie", "hy" },
        { "vying", "vie", "vy" },
        { "evening", "evening", "even" },
        { "evenings", "evening", "even" },
        { "geologist", "geolog", "geologist" },
        { "psychologist", "psycholog", "psychologist" },
        { "emergency", "emergenc", "emerg" },
        { "organization", "organiz", "organ" },
        { "organic", "organic", "organ" },
        { "university", "universiti", "univers" },
        { "universal", "universal", "univers" },
        { "paste", "paste", "past" },
        { "pasted", "paste", "past" },
        { "pasting", "paste", "past" },
        { "lateral", "lateral", "later" },
        { "international", "internat", "intern" },
        { "internal", "internal", "intern" },
        { "internment", "internment", "intern" },
        { "interval", "interval", "interv" },
        { "interfered", "interfer", "interf" },
    };

    // word, Snowball 3.1 stem, NLTK 3.8 stem: words outside the reference vocabulary where NLTK has its own
    // answer (Snowball 2.2.0 agrees with Snowball 3.1 on every one of these but dyings).
    public static TheoryData<string, string, string> NltkQuirkWords => new()
    {
        // NLTK empties R2 when ization -> ize shortens it, so the final e is no longer in R2.
        { "stylization", "styliz", "stylize" },
        { "realization", "realiz", "realize" },
        // NLTK's exceptions are looked up on the whole input only, before 's is removed.
        { "inning's", "inning", "in" },
        // NLTK puts the e added after -at into R2 on words longer than five letters.
        { "#skating", "#skate", "#skat" },
        { "sprated", "sprate", "sprat" },
        // Snowball 3 handles dying -> die inside step 1b, so plurals follow.
        { "dyings", "die", "dy" },
        // NLTK maps typographic apostrophes to '.
        { "don\u2019t", "don\u2019t", "don't" },
        { "it\u2019s", "it\u2019", "it" },
    };

    // word, stem: the same in both versions.
    public static TheoryData<string, string> CommonWords => new()
    {
        { "consign", "consign" },
        { "consigned", "consign" },
        { "consigning", "consign" },
        { "consignment", "consign" },
        { "knack", "knack" },
        { "knackeries", "knackeri" },
        { "caresses", "caress" },
        { "ponies", "poni" },
        { "ties", "tie" },
        { "cries", "cri" },
        { "gaps", "gap" },
        { "gas", "gas" },
        { "this", "this" },
        { "kiwis", "kiwi" },
        { "running", "run" },
        { "hopping", "hop" },
        { "hoped", "hope" },
        { "luxuriated", "luxuri" },
        { "agreed", "agre" },
        { "bleed", "bleed" },
        { "happily", "happili" },
        { "generously", "generous" },
        { "generalities", "general" },
        { "communism", "communism" },
        { "conditional", "condit" },
        { "vietnamization", "vietnam" },
        { "hopefulness", "hope" },
        { "sensibiliti", "sensibl" },
        { "electrical", "electr" },
        { "adoption", "adopt" },
        { "controll", "control" },
        { "roll", "roll" },
        { "fluently", "fluentli" },
        { "cease", "ceas" },
        { "rate", "rate" },
    };

    // word, stem: apostrophes (step 0 and the leading one), the same in both versions.
    public static TheoryData<string, string> ApostropheWords => new()
    {
        { "dogs'", "dog" },
        { "there's", "there" },
        { "there's'", "there" },
        { "'tis", "tis" },
        { "'aa'", "aa" },
        { "a''", "a'" },
        { "'''", "'" },
        { "'s'", "s" },
        { "''s", "" },
        { "'yelling", "yell" },
    };

    // word, stem: the exceptional forms, the same in both versions.
    public static TheoryData<string, string> ExceptionWords => new()
    {
        { "skis", "ski" },
        { "skies", "sky" },
        { "sky", "sky" },
        { "dying", "die" },
        { "lying", "lie" },
        { "tying", "tie" },
        { "idly", "idl" },
        { "gently", "gentl" },
        { "ugly", "ugli" },
        { "early", "earli" },
        { "only", "onli" },
        { "singly", "singl" },
        { "news", "news" },
        { "howe", "howe" },
        { "atlas", "atlas" },
        { "cosmos", "cosmos" },
        { "bias", "bias" },
        { "andes", "andes" },
        { "inning", "inning" },
        { "innings", "inning" },
        { "outings", "outing" },
        { "canning", "canning" },
        { "herrings", "herring" },
        { "earring", "earring" },
        { "proceed", "proceed" },
        { "proceeds", "proceed" },
        { "exceeded", "exceed" },
        { "succeeding", "succeed" },
    };

    [Theory]
    [MemberData(nameof(ReferenceFiles))]
    public void Stem_ReferenceVocabulary_MatchesEveryLine(SnowballVersion version, string relativePath)
    {
        List<(string Word, string Stem)> pairs = ReadPairs(SharedData.RequireFile(relativePath));

        pairs.Should().HaveCount(ReferenceVocabularySize);
        AssertAllMatch(new EnglishStemmer(version), pairs, relativePath);
    }

    [Fact]
    public void Stem_Nltk38OnNltkFixture_MatchesNltk38()
    {
        List<(string Word, string Stem)> pairs = ReadPairs(NltkFixturePath);

        pairs.Should().HaveCountGreaterThan(2_000);
        AssertAllMatch(EnglishStemmer.Nltk38, pairs, "english-nltk-3.8.tsv");
    }

    [Theory]
    [MemberData(nameof(VersionSpecificWords))]
    public void Stem_VersionSpecificWord_FollowsEachRelease(string word, string snowball31, string snowball22)
    {
        EnglishStemmer.Snowball31.Stem(word).Should().Be(snowball31);
        EnglishStemmer.Snowball22.Stem(word).Should().Be(snowball22);
        EnglishStemmer.Nltk38.Stem(word).Should().Be(snowball22);
    }

    [Theory]
    [MemberData(nameof(NltkQuirkWords))]
    public void Stem_NltkQuirk_Nltk38ReproducesNltk(string word, string snowball31, string nltk)
    {
        EnglishStemmer.Snowball31.Stem(word).Should().Be(snowball31);
        EnglishStemmer.Nltk38.Stem(word).Should().Be(nltk);
    }

    [Theory]
    [MemberData(nameof(CommonWords))]
    public void Stem_CommonWord_GivesPorter2Stem(string word, string expected)
    {
        EnglishStemmer.Snowball31.Stem(word).Should().Be(expected);
        EnglishStemmer.Snowball22.Stem(word).Should().Be(expected);
        EnglishStemmer.Nltk38.Stem(word).Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(ApostropheWords))]
    public void Stem_Apostrophes_RemovesLeadingAndPossessive(string word, string expected)
    {
        EnglishStemmer.Snowball31.Stem(word).Should().Be(expected);
        EnglishStemmer.Snowball22.Stem(word).Should().Be(expected);
        EnglishStemmer.Nltk38.Stem(word).Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(ExceptionWords))]
    public void Stem_ExceptionalForm_GivesListedStem(string word, string expected)
    {
        EnglishStemmer.Snowball31.Stem(word).Should().Be(expected);
        EnglishStemmer.Snowball22.Stem(word).Should().Be(expected);
        EnglishStemmer.Nltk38.Stem(word).Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("is")]
    [InlineData("as")]
    [InlineData("'s")]
    [InlineData("ed")]
    public void Stem_TwoLettersOrFewer_ReturnsSameInstance(string word)
    {
        EnglishStemmer.Snowball31.Stem(word).Should().BeSameAs(word);
        EnglishStemmer.Snowball22.Stem(word).Should().BeSameAs(word);
        EnglishStemmer.Nltk38.Stem(word).Should().BeSameAs(word);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("knack")]
    [InlineData("news")]
    [InlineData("sky")]
    [InlineData("communism")]
    public void Stem_UnchangedWord_ReturnsSameInstance(string word)
    {
        // A fresh instance, so the check cannot pass through string interning.
        string fresh = new(word.AsSpan());

        EnglishStemmer.Snowball31.Stem(fresh).Should().BeSameAs(fresh);
        EnglishStemmer.Snowball22.Stem(fresh).Should().BeSameAs(fresh);
        EnglishStemmer.Nltk38.Stem(fresh).Should().BeSameAs(fresh);
    }

    [Fact]
    public void Stem_Null_ThrowsArgumentNullException()
    {
        Action act = () => EnglishStemmer.Snowball31.Stem(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("word");
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Stem_LongWord_UsesPooledBufferAndGivesSameStem(SnowballVersion version)
    {
        // Longer than the stack buffer.
        string word = "a" + new string('b', 300) + "ations";
        var stemmer = new EnglishStemmer(version);
        char[] destination = new char[word.Length];

        string stem = stemmer.Stem(word);
        int written = stemmer.Stem(word, destination);

        stem.Should().Be("a" + new string('b', 300) + "at");
        new string(destination, 0, written).Should().Be(stem);
    }

    [Theory]
    [MemberData(nameof(ReferenceFiles))]
    public void Stem_SpanOverload_MatchesStringOverload(SnowballVersion version, string relativePath)
    {
        var stemmer = new EnglishStemmer(version);
        char[] destination = new char[256];
        int mismatches = 0;
        string? first = null;

        foreach ((string word, _) in ReadPairs(SharedData.RequireFile(relativePath)))
        {
            Span<char> exact = destination.AsSpan(0, word.Length);
            int written = stemmer.Stem(word, exact);
            if (!exact[..written].SequenceEqual(stemmer.Stem(word)))
            {
                mismatches++;
                first ??= word;
            }
        }

        mismatches.Should().Be(0, "the span overload should agree with the string overload (first: {0})", first);
    }

    [Fact]
    public void Stem_SpanInPlace_GivesSameStem()
    {
        char[] buffer = "generalizations".ToCharArray();

        int written = EnglishStemmer.Snowball31.Stem(buffer, buffer);

        new string(buffer, 0, written).Should().Be("general");
    }

    [Fact]
    public void Stem_SpanDestinationTooShort_ThrowsArgumentException()
    {
        char[] destination = new char[6];

        Action act = () => EnglishStemmer.Snowball31.Stem("running", destination);

        act.Should().Throw<ArgumentException>()
            .WithParameterName("destination")
            .WithMessage("Destination is too short*(7), was 6.*");
    }

    [Fact]
    public void Stem_SpanShortWord_CopiesWord()
    {
        char[] destination = new char[2];

        int written = EnglishStemmer.Snowball22.Stem("is", destination);

        new string(destination, 0, written).Should().Be("is");
    }

    [Fact]
    public void Constructor_Default_IsSnowball31()
    {
        new EnglishStemmer().Version.Should().Be(SnowballVersion.Snowball31);
        EnglishStemmer.Snowball31.Version.Should().Be(SnowballVersion.Snowball31);
        EnglishStemmer.Snowball22.Version.Should().Be(SnowballVersion.Snowball22);
        EnglishStemmer.Nltk38.Version.Should().Be(SnowballVersion.Nltk38);
    }

    [Fact]
    public void Constructor_UndefinedVersion_ThrowsArgumentOutOfRange()
    {
        Action act = () => _ = new EnglishStemmer((SnowballVersion)7);

        act.Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("version")
            .WithMessage("Version must be Snowball31, Snowball22 or Nltk38 (was 7).*");
    }

    [Fact]
    public void Stem_ManyThreads_GiveSameStemsAsOneThread()
    {
        string[] words = ReadPairs(NltkFixturePath).Select(p => p.Word).ToArray();
        EnglishStemmer[] stemmers = [EnglishStemmer.Snowball31, EnglishStemmer.Snowball22, EnglishStemmer.Nltk38];
        string[][] expected = stemmers.Select(s => words.Select(s.Stem).ToArray()).ToArray();
        var failures = new ConcurrentBag<string>();

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 16 }, run =>
        {
            int s = run % stemmers.Length;
            for (int i = 0; i < words.Length; i++)
            {
                int k = (i + (run * 131)) % words.Length; // each run walks the words from a different start
                if (stemmers[s].Stem(words[k]) != expected[s][k])
                {
                    failures.Add(words[k]);
                }
            }
        });

        failures.Should().BeEmpty();
    }

    private static List<(string Word, string Stem)> ReadPairs(string path)
    {
        var pairs = new List<(string Word, string Stem)>();
        foreach (string line in File.ReadLines(path, Encoding.UTF8))
        {
            if (line.Length == 0)
            {
                continue;
            }

            int tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0)
            {
                Assert.Fail($"Every line of {path} should read word<TAB>stem; found \"{line}\".");
            }

            pairs.Add((line[..tab], line[(tab + 1)..]));
        }

        return pairs;
    }

    private static void AssertAllMatch(EnglishStemmer stemmer, List<(string Word, string Stem)> pairs, string source)
    {
        const int Listed = 20;
        var report = new StringBuilder();
        int mismatches = 0;
        foreach ((string word, string expected) in pairs)
        {
            string actual = stemmer.Stem(word);
            if (!string.Equals(actual, expected, StringComparison.Ordinal))
            {
                if (++mismatches <= Listed)
                {
                    report.Append(CultureInfo.InvariantCulture, $"  {word}: expected '{expected}', got '{actual}'\n");
                }
            }
        }

        if (mismatches > 0)
        {
            Assert.Fail(string.Create(
                CultureInfo.InvariantCulture,
                $"{stemmer.Version} disagrees with {source} on {mismatches} of {pairs.Count} words " +
                $"({100.0 * (pairs.Count - mismatches) / pairs.Count:F2}% match); first {Math.Min(Listed, mismatches)}:\n{report}"));
        }
    }
}
