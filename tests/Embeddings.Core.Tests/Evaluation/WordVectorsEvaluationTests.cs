using System.Text;
using Embeddings.Core.Corpus;
using Embeddings.Core.Evaluation;
using Embeddings.Tests.Infrastructure;
using Embeddings.Core.Tests.Vectors;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Tests.Evaluation;

public class WordVectorsEvaluationTests
{
    /// <summary>Words on the unit circle; "Paris" is a later case variant of "paris" and points elsewhere.</summary>
    private static WordVectors Pairs() => TestVectors.FromRows(
        ("cat", [1, 0]),
        ("dog", [0.9f, 0.3f]),
        ("car", [0, 1]),
        ("paris", [-1, 0.2f]),
        ("france", [-0.9f, 0.4f]),
        ("Paris", [1, 0.01f]));

    [Fact]
    public void EvaluateWordPairs_PerfectRanking_GivesSpearmanOne()
    {
        // cos: cat-dog 0.95, cat-car 0, cat-paris −0.98 → human scores in the same order.
        const string File = "# comment\ncat\tdog\t9\ncat\tcar\t5\n\ncat\tparis\t1\n";

        WordPairEvaluation result = Pairs().EvaluateWordPairs(new StringReader(File));

        result.Spearman.Should().BeApproximately(1.0, 1e-12);
        result.PairCount.Should().Be(3);
        result.OovPairCount.Should().Be(0);
        result.OovRatio.Should().Be(0);
        result.Pearson.Should().BeGreaterThan(0.9);
    }

    [Fact]
    public void EvaluateWordPairs_MatchesScipyOnTiesAndPValues()
    {
        // scipy 1.10: spearmanr([9, 7, 7, 2, 1], model) and pearsonr(...), model = the cosines below.
        WordVectors vectors = TestVectors.FromRows(
            ("a", [1, 0]), ("b", [0.8f, 0.6f]), ("c", [0.6f, 0.8f]), ("d", [0, 1]), ("e", [-0.6f, 0.8f]), ("f", [-1, 0]));
        const string File = "a\tb\t9\na\tc\t7\nb\tc\t7\na\td\t2\na\tf\t1\n";

        WordPairEvaluation result = vectors.EvaluateWordPairs(new StringReader(File));

        // Reference figures computed with scipy.stats on gold [9, 7, 7, 2, 1], model [0.8, 0.6, 0.96, 0, -1].
        result.Spearman.Should().BeApproximately(0.8207826816681234, 1e-6);
        result.SpearmanPValue.Should().BeApproximately(0.08858700531354378, 1e-6);
        result.Pearson.Should().BeApproximately(0.900443801518599, 1e-6);
        result.PearsonPValue.Should().BeApproximately(0.03714002618402253, 1e-6);
    }

    [Fact]
    public void EvaluateWordPairs_CaseInsensitive_UsesTheFirstVariantAndCountsOov()
    {
        // "PARIS" → "paris" (id 3), not the later "Paris"; "berlin" is unknown.
        const string File = "Paris\tFRANCE\t9\ncat\tDog\t8\nberlin\tfrance\t7\ncar\tParis\t1\n";
        WordVectors vectors = Pairs();

        WordPairEvaluation insensitive = vectors.EvaluateWordPairs(new StringReader(File));
        WordPairEvaluation sensitive = vectors.EvaluateWordPairs(new StringReader(File), caseInsensitive: false);
        WordPairEvaluation dummy = vectors.EvaluateWordPairs(new StringReader(File), dummy4Unknown: true);

        insensitive.PairCount.Should().Be(3);
        insensitive.OovPairCount.Should().Be(1);
        insensitive.OovRatio.Should().BeApproximately(25.0, 1e-12);
        insensitive.Spearman.Should().BeApproximately(1.0, 1e-12); // paris·france 0.98 > cat·dog 0.95 > car·paris 0.2
        sensitive.PairCount.Should().Be(1); // only "car Paris"; FRANCE, Dog and berlin are unknown
        sensitive.OovPairCount.Should().Be(3);
        dummy.PairCount.Should().Be(4);
        dummy.OovRatio.Should().BeApproximately(25.0, 1e-12); // gensim: oov / pairs used, when dummy4unknown
    }

    [Fact]
    public void EvaluateWordPairs_RestrictVocab_TreatsLaterWordsAsUnknown()
    {
        const string File = "cat\tdog\t9\ncat\tcar\t5\ncat\tparis\t1\n";

        WordPairEvaluation result = Pairs().EvaluateWordPairs(new StringReader(File), restrictVocab: 3);

        result.PairCount.Should().Be(2);
        result.OovPairCount.Should().Be(1);
    }

    [Theory]
    [InlineData("cat\tdog\n", 1, "expected 3 fields")]
    [InlineData("cat\tdog\t9\ncat\tcar\tlots\n", 2, "'lots' is not a number")]
    [InlineData("# c\n\ncat dog 9\n", 3, "expected 3 fields")]
    public void EvaluateWordPairs_MalformedLine_ThrowsInvalidDataNamingSourceAndLine(string text, int line, string problem)
    {
        Action act = () => Pairs().EvaluateWordPairs(new StringReader(text), sourceName: "pairs.tsv");

        act.Should().Throw<InvalidDataException>().WithMessage($"pairs.tsv, line {line}: *{problem}*");
    }

    [Fact]
    public void EvaluateWordPairs_NothingScorable_ThrowsInvalidData()
    {
        Action act = () => Pairs().EvaluateWordPairs(new StringReader("x\ty\t1\n"), sourceName: "pairs.tsv");

        act.Should().Throw<InvalidDataException>().WithMessage("pairs.tsv: no similarity judgement*");
    }

    [Fact]
    public void EvaluateWordPairs_PathWithInvalidUtf8_ThrowsInvalidDataNamingTheFile()
    {
        using var temp = new TempDirectory();
        string path = temp.File("bad.tsv");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes("cat\tdog\t9\n"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\tx\t1\n")]);

        Action act = () => Pairs().EvaluateWordPairs(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"{path}*not valid UTF-8*");
    }

    /// <summary>Gzip is told by its magic bytes, as for every other text input: not by the name, either way.</summary>
    [Theory]
    [InlineData("pairs.tsv", true)]
    [InlineData("pairs.tsv.gz", false)]
    [InlineData("pairs.tsv.gz", true)]
    public void EvaluateWordPairs_Path_IsDecompressedWhenItsBytesAreGzip_WhateverItsName(string name, bool compressed)
    {
        using var temp = new TempDirectory();
        string path = temp.File(name);
        byte[] text = Encoding.UTF8.GetBytes("cat\tdog\t9\ncat\tcar\t5\ncat\tparis\t1\n");
        File.WriteAllBytes(path, compressed ? GzipBytes.Of(text) : text);

        WordPairEvaluation result = Pairs().EvaluateWordPairs(path);

        result.PairCount.Should().Be(3);
        result.Spearman.Should().BeApproximately(1.0, 1e-12);
    }

    [Fact]
    public void EvaluateAnalogies_GzipPathWithoutGzName_IsDecompressed()
    {
        using var temp = new TempDirectory();
        string path = temp.File("questions.txt");
        File.WriteAllBytes(path, GzipBytes.Of(Encoding.UTF8.GetBytes(": royals\nman woman king queen\n")));

        AnalogyEvaluation result = Royals().EvaluateAnalogies(path);

        result.QuestionCount.Should().Be(1);
        result.Sections[0].Correct.Should().ContainSingle();
    }

    [Fact]
    public void EvaluateAnalogies_SolvesAndScoresPerSection()
    {
        // man:woman :: king:queen is solvable; "king woman man girl" is not (expects girl, gets ...).
        const string File = """
            : royals
            man woman king queen
            MAN WOMAN KING QUEEN
            man woman king girl
            : unknown
            man woman emperor empress
            """;
        WordVectors vectors = Royals();

        AnalogyEvaluation result = vectors.EvaluateAnalogies(new StringReader(File));

        result.Sections.Select(s => s.Name).Should().Equal("royals", "unknown");
        result.Sections[0].Correct.Should().HaveCount(2);
        result.Sections[0].Incorrect.Should().ContainSingle().Which.Should().Be(new AnalogyQuestion("man", "woman", "king", "girl", "queen"));
        result.Sections[1].Correct.Should().BeEmpty();
        result.Sections[1].Incorrect.Should().BeEmpty();
        result.Sections[1].Accuracy.Should().Be(0);
        result.Total.Name.Should().Be("Total accuracy");
        result.Accuracy.Should().BeApproximately(2.0 / 3, 1e-12);
        result.QuestionCount.Should().Be(4);
        result.OovQuestionCount.Should().Be(1);
        result.OovRatio.Should().Be(25);
    }

    [Fact]
    public void EvaluateAnalogies_Dummy4Unknown_CountsUnknownQuestionsAsIncorrect()
    {
        const string File = ": s\nman woman king queen\nman woman emperor empress\n";

        AnalogyEvaluation result = Royals().EvaluateAnalogies(new StringReader(File), dummy4Unknown: true);

        result.Total.Correct.Should().HaveCount(1);
        result.Total.Incorrect.Should().ContainSingle().Which.Predicted.Should().BeNull();
    }

    [Fact]
    public void EvaluateAnalogies_CaseVariantOfAnInputWord_IsSkippedAsGensimDoes()
    {
        // The nearest word to b + c − a is "Queen", a case variant of the input "queen": gensim's `ignore` set holds the
        // upper-cased inputs, so "QUEEN" is passed over and the next candidate answers.
        WordVectors vectors = TestVectors.FromRows(
            ("a", [1, 0, 0]), ("b", [0, 1, 0]), ("queen", [0.5f, 0, 1]), ("answer", [-0.3f, 1, 1]), ("Queen", [-0.5f, 1, 1]));
        const string File = ": s\na b queen answer\n";

        AnalogyEvaluation insensitive = vectors.EvaluateAnalogies(new StringReader(File));
        AnalogyEvaluation sensitive = vectors.EvaluateAnalogies(new StringReader(File), caseInsensitive: false);

        vectors.MostSimilar(["b", "queen"], ["a"], 1)[0].Word.Should().Be("Queen");
        insensitive.Total.Correct.Should().ContainSingle().Which.Predicted.Should().Be("answer");
        sensitive.Total.Incorrect.Should().ContainSingle().Which.Predicted.Should().Be("Queen");
    }

    [Theory]
    [InlineData("man woman king queen\n", 1, "before the first ': section'")]
    [InlineData(": s\nman woman king\n", 2, "expected 4 words")]
    [InlineData(": s\n\nman woman king queen girl\n", 3, "found 5")]
    public void EvaluateAnalogies_MalformedLine_ThrowsInvalidDataNamingSourceAndLine(string text, int line, string problem)
    {
        Action act = () => Royals().EvaluateAnalogies(new StringReader(text), sourceName: "q.txt");

        act.Should().Throw<InvalidDataException>().WithMessage($"q.txt, line {line}: *{problem}*");
    }

    [Fact]
    public void EvaluateAnalogies_Threads_GiveTheSameResult()
    {
        WordVectors vectors = TestVectors.Random(2_000, 16, seed: 11);
        var random = new Random(1);
        var text = new StringBuilder(": random\n");
        for (int i = 0; i < 300; i++)
        {
            text.Append('w').Append(random.Next(2_000)).Append(" w").Append(random.Next(2_000))
                .Append(" w").Append(random.Next(2_000)).Append(" w").Append(random.Next(2_000)).Append('\n');
        }

        AnalogyEvaluation one = vectors.EvaluateAnalogies(new StringReader(text.ToString()), restrictVocab: 1_500);
        AnalogyEvaluation four = vectors.EvaluateAnalogies(new StringReader(text.ToString()), restrictVocab: 1_500, threads: 4);

        four.Total.Correct.Should().Equal(one.Total.Correct);
        four.Total.Incorrect.Should().Equal(one.Total.Incorrect);
    }

    [Fact]
    public void EvaluateAnalogies_BadArguments_Throw()
    {
        WordVectors vectors = Royals();

        vectors.Invoking(v => v.EvaluateAnalogies(new StringReader(": s\n"), restrictVocab: 0))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("restrictVocab");
        vectors.Invoking(v => v.EvaluateAnalogies(new StringReader(": s\n"), threads: 0))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("threads");
        vectors.Invoking(v => v.EvaluateWordPairs(new StringReader(""), restrictVocab: 0))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("restrictVocab");
    }

    [Theory]
    [InlineData("straße", "STRASSE")]
    [InlineData("ﬁne", "FINE")]
    [InlineData("ᾳ", "ΑΙ")]
    [InlineData("ǆungla", "ǄUNGLA")]
    [InlineData("𐐨", "𐐀")]
    [InlineData("kıyı", "KIYI")]
    [InlineData("plain", "PLAIN")]
    public void PythonCase_ToUpper_MatchesPythonStrUpper(string text, string expected)
    {
        PythonCase.ToUpper(text).Should().Be(expected);
    }

    // Golden figures from Fixtures/make_evaluation_golden.py (gensim 4.2.0, numpy 1.24.2, scipy 1.10.1), on synthetic
    // vectors over the words of the real evaluation files.
    [Fact]
    public void EvaluateAnalogies_RealQuestionsFile_MatchesGensim()
    {
        string path = SharedData.RequireFile("eval/questions-words.txt");
        WordVectors vectors = SyntheticVectors();

        AnalogyEvaluation restricted = vectors.EvaluateAnalogies(path, restrictVocab: 1500);
        AnalogyEvaluation all = vectors.EvaluateAnalogies(path, threads: 2);

        vectors.Count.Should().Be(2216);
        restricted.Sections.Should().HaveCount(14);
        restricted.QuestionCount.Should().Be(19544);
        restricted.Total.Correct.Should().HaveCount(9);
        restricted.Total.Incorrect.Should().HaveCount(9422);
        restricted.Accuracy.Should().BeApproximately(0.0009542996500901282, 1e-15);
        string[] perSection = [.. restricted.Sections.Select(s => $"{s.Name}={s.Correct.Count}/{s.Correct.Count + s.Incorrect.Count}")];
        perSection.Should().Equal(
            "capital-common-countries=0/272", "capital-world=0/2305", "currency=0/502", "city-in-state=1/752", "family=0/240",
            "gram1-adjective-to-adverb=0/506", "gram2-opposite=0/342", "gram3-comparative=2/702", "gram4-superlative=0/600",
            "gram5-present-participle=2/506", "gram6-nationality-adjective=1/848", "gram7-past-tense=1/812", "gram8-plural=2/702",
            "gram9-plural-verbs=0/342");
        all.Total.Correct.Should().HaveCount(5);
        all.Total.Incorrect.Should().HaveCount(9426);
    }

    [Theory]
    [InlineData("wordsim353.tsv", false, 0.10476398662456349, 0.09637254006149848, 0.10160389074644093, 0.10690083010588064, 28.328611898016998)]
    [InlineData("wordsim353.tsv", true, 0.0886530078764853, 0.09631106490132034, 0.0894925840716093, 0.0931872597811795, 28.328611898016998)]
    [InlineData("simlex999.txt", false, -0.029875041859002832, 0.42737259346341844, -0.013273801590471625, 0.7244000795687612, 29.129129129129126)]
    [InlineData("simlex999.txt", true, -0.02424416534086162, 0.4440110498973812, -0.005582476554112866, 0.8601167183400791, 29.129129129129126)]
    public void EvaluateWordPairs_RealFiles_MatchGensim(
        string file, bool dummy4Unknown, double pearson, double pearsonP, double spearman, double spearmanP, double oov)
    {
        string path = SharedData.RequireFile("eval/" + file);

        WordPairEvaluation result = SyntheticVectors().EvaluateWordPairs(path, dummy4Unknown: dummy4Unknown);

        result.Pearson.Should().BeApproximately(pearson, 1e-6);
        result.PearsonPValue.Should().BeApproximately(pearsonP, 1e-6);
        result.Spearman.Should().BeApproximately(spearman, 1e-6);
        result.SpearmanPValue.Should().BeApproximately(spearmanP, 1e-6);
        result.OovRatio.Should().BeApproximately(oov, 1e-9);
    }

    private static WordVectors Royals() => TestVectors.FromRows(
        ("man", [1, 0, 0, 0]),
        ("woman", [0, 1, 0, 0]),
        ("king", [1, 0, 1, 0.1f]),
        ("queen", [0, 1, 1, 0.1f]),
        ("apple", [0, 0, -1, 1]),
        ("prince", [1, 0, 0.8f, -0.2f]),
        ("girl", [0.1f, 1, 0, 0.3f]));

    /// <summary>The vectors of <c>make_evaluation_golden.py</c>: see its docstring for the vocabulary.</summary>
    private static WordVectors SyntheticVectors()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<string>();
        void Add(string word)
        {
            string lower = word.ToLowerInvariant();
            if (seen.Add(lower))
            {
                order.Add(lower);
            }
        }

        foreach (string line in File.ReadLines(SharedData.RequireFile("eval/questions-words.txt")))
        {
            if (!line.StartsWith(':'))
            {
                foreach (string word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    Add(word);
                }
            }
        }

        foreach (string file in new[] { "wordsim353.tsv", "simlex999.txt" })
        {
            foreach (string line in File.ReadLines(SharedData.RequireFile("eval/" + file)))
            {
                if (!line.StartsWith('#'))
                {
                    string[] fields = line.Split('\t');
                    Add(fields[0]);
                    Add(fields[1]);
                }
            }
        }

        List<string> kept = [.. order.Where((_, n) => n % 7 != 6)];
        string Capitalize(string w) => char.ToUpperInvariant(w[0]) + w[1..];
        List<string> words = [.. kept, .. kept.Where((w, n) => n % 5 == 0 && Capitalize(w) != w).Select(Capitalize)];

        const int Dimensions = 20;
        var matrix = new float[words.Count * Dimensions];
        for (int i = 0; i < words.Count; i++)
        {
            for (int k = 0; k < Dimensions; k++)
            {
                matrix[(i * Dimensions) + k] = TestVectors.Hash(i, k);
            }
        }

        return new WordVectors(Vocabulary.FromWordsInOrder(words), matrix, Dimensions);
    }
}
