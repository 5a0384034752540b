using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Embeddings.Core.IO;
using Embeddings.Core.Vectors;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace Embeddings.Core.Evaluation;

/// <summary>
/// The standard intrinsic evaluations of word vectors, with the semantics of gensim 4's
/// <c>KeyedVectors.evaluate_word_pairs</c> and <c>evaluate_word_analogies</c>, so that figures compare one to one.
/// </summary>
/// <remarks>
/// Both evaluations consider only the first <c>restrictVocab</c> words (the most frequent, in a frequency-sorted
/// vocabulary). Case-insensitive evaluation compares Python upper-case forms (<c>str.upper()</c>), and where several
/// case variants of a word fall in the restricted vocabulary the first one's vector is used, as in gensim.
/// Unlike gensim, which logs and skips malformed lines, a malformed line is an error here: blank lines are skipped,
/// everything else must parse. Gzip files (told by their magic bytes, whatever their name) are decompressed; files must be UTF-8.
/// </remarks>
public static class WordVectorsEvaluation
{
    /// <summary>gensim's default <c>restrict_vocab</c> for both evaluations.</summary>
    public const int DefaultRestrictVocab = 300_000;

    /// <summary>gensim asks <c>most_similar</c> for this many candidates per analogy question.</summary>
    private const int AnalogyCandidates = 5;

    /// <summary>Analogy questions searched per batch (bounds the scratch memory).</summary>
    private const int AnalogyChunk = 4096;

    /// <summary>
    /// Correlates the cosine similarities of word pairs with human judgements: gensim's
    /// <c>evaluate_word_pairs(pairs, delimiter, restrict_vocab, case_insensitive, dummy4unknown)</c>.
    /// </summary>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="path">A file of <c>word1 DELIM word2 DELIM score</c> lines; lines starting with <c>#</c> are comments.</param>
    /// <param name="delimiter">The field separator (default tab).</param>
    /// <param name="restrictVocab">Only the first this many words count as known (default 300,000).</param>
    /// <param name="caseInsensitive">Compare words by their upper-case form (default <see langword="true"/>).</param>
    /// <param name="dummy4Unknown">Score pairs with an unknown word as similarity 0 instead of skipping them (gensim's <c>dummy4unknown</c>).</param>
    /// <returns>Pearson and Spearman correlations, their p-values, and the out-of-vocabulary ratio.</returns>
    /// <exception cref="InvalidDataException">A line is malformed, or no pair could be scored; the message names the file and line.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="restrictVocab"/> is less than 1.</exception>
    public static WordPairEvaluation EvaluateWordPairs(
        this WordVectors vectors, string path, char delimiter = '\t', int restrictVocab = DefaultRestrictVocab,
        bool caseInsensitive = true, bool dummy4Unknown = false)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using TextReader reader = OpenText(path);
        return EvaluateWordPairs(vectors, reader, delimiter, restrictVocab, caseInsensitive, dummy4Unknown, path);
    }

    /// <summary>
    /// Correlates the cosine similarities of word pairs with human judgements read from <paramref name="reader"/>
    /// (see <see cref="EvaluateWordPairs(WordVectors, string, char, int, bool, bool)"/>).
    /// </summary>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="reader">Lines of <c>word1 DELIM word2 DELIM score</c>; not closed.</param>
    /// <param name="delimiter">The field separator (default tab).</param>
    /// <param name="restrictVocab">Only the first this many words count as known (default 300,000).</param>
    /// <param name="caseInsensitive">Compare words by their upper-case form (default <see langword="true"/>).</param>
    /// <param name="dummy4Unknown">Score pairs with an unknown word as similarity 0 instead of skipping them.</param>
    /// <param name="sourceName">The name used in error messages (e.g. the file name).</param>
    /// <returns>Pearson and Spearman correlations, their p-values, and the out-of-vocabulary ratio.</returns>
    /// <exception cref="InvalidDataException">A line is malformed, or no pair could be scored.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="restrictVocab"/> is less than 1.</exception>
    public static WordPairEvaluation EvaluateWordPairs(
        this WordVectors vectors, TextReader reader, char delimiter = '\t', int restrictVocab = DefaultRestrictVocab,
        bool caseInsensitive = true, bool dummy4Unknown = false, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(restrictVocab, 1);
        string source = sourceName ?? "(reader)";
        var vocabulary = new RestrictedVocabulary(vectors, restrictVocab, caseInsensitive);
        var gold = new List<double>();
        var model = new List<double>();
        int oov = 0;
        int lineNumber = 0;
        var lines = new BoundedLineReader(reader, source, BoundedLineReader.DefaultMaxLineLength, LongLineHandling.Error);
        while (ReadLine(lines, source, ref lineNumber) is { } line)
        {
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string[] fields = line.Split(delimiter);
            if (fields.Length != 3)
            {
                throw new InvalidDataException(
                    $"{source}, line {lineNumber}: expected 3 fields (word, word, score) separated by {Describe(delimiter)}, found {fields.Length}.");
            }

            if (!double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double score))
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: the score '{fields[2]}' is not a number.");
            }

            int a = vocabulary.Find(fields[0]);
            int b = vocabulary.Find(fields[1]);
            if (a < 0 || b < 0)
            {
                oov++;
                if (dummy4Unknown)
                {
                    gold.Add(score);
                    model.Add(0.0);
                }

                continue;
            }

            gold.Add(score);
            model.Add(vectors.SimilarityOfIds(a, b));
        }

        if (gold.Count == 0)
        {
            throw new InvalidDataException(
                $"{source}: no similarity judgement could be scored ({oov} pairs had a word outside the first {vocabulary.Limit:N0} words).");
        }

        double pearson = Correlation.Pearson(gold, model);
        double spearman = Correlation.Spearman(gold, model);
        return new WordPairEvaluation
        {
            Pearson = pearson,
            PearsonPValue = CorrelationPValue(pearson, gold.Count),
            Spearman = spearman,
            SpearmanPValue = CorrelationPValue(spearman, gold.Count),
            OovRatio = 100.0 * oov / (dummy4Unknown ? gold.Count : gold.Count + oov),
            PairCount = gold.Count,
            OovPairCount = oov,
        };
    }

    /// <summary>
    /// Answers the analogy questions of a test set such as Google's <c>questions-words.txt</c> with 3CosAdd:
    /// gensim's <c>evaluate_word_analogies(analogies, restrict_vocab, case_insensitive, dummy4unknown)</c>.
    /// </summary>
    /// <remarks>
    /// For a question "a b c expected", the answer is the first of the five words nearest to b + c − a (as
    /// <see cref="WordVectors.MostSimilar(IEnumerable{string}, IEnumerable{string}, int, int?, int)"/> with
    /// <c>restrictVocab</c>) that is none of a, b, c (case-insensitively, if so asked). Questions with a word outside the
    /// restricted vocabulary are skipped. The questions run through the batched search.
    /// </remarks>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="path">A file of <c>: section</c> lines, each followed by questions of four words.</param>
    /// <param name="restrictVocab">Only the first this many words are known and searched (default 300,000).</param>
    /// <param name="caseInsensitive">Compare words by their upper-case form (default <see langword="true"/>).</param>
    /// <param name="dummy4Unknown">Count questions with an unknown word as incorrect instead of skipping them.</param>
    /// <param name="threads">Worker threads for the search (default 1).</param>
    /// <param name="cancellationToken">Checked once per block of rows.</param>
    /// <returns>Per-section and total accuracy, with the questions answered right and wrong.</returns>
    /// <exception cref="InvalidDataException">A line is malformed, or a question comes before the first section; the message names the file and line.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="restrictVocab"/> or <paramref name="threads"/> is less than 1.</exception>
    public static AnalogyEvaluation EvaluateAnalogies(
        this WordVectors vectors, string path, int restrictVocab = DefaultRestrictVocab, bool caseInsensitive = true,
        bool dummy4Unknown = false, int threads = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using TextReader reader = OpenText(path);
        return EvaluateAnalogies(vectors, reader, restrictVocab, caseInsensitive, dummy4Unknown, threads, path, cancellationToken);
    }

    /// <summary>
    /// Answers the analogy questions read from <paramref name="reader"/>
    /// (see <see cref="EvaluateAnalogies(WordVectors, string, int, bool, bool, int, CancellationToken)"/>).
    /// </summary>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="reader">Lines of <c>: section</c> headers and four-word questions; not closed.</param>
    /// <param name="restrictVocab">Only the first this many words are known and searched (default 300,000).</param>
    /// <param name="caseInsensitive">Compare words by their upper-case form (default <see langword="true"/>).</param>
    /// <param name="dummy4Unknown">Count questions with an unknown word as incorrect instead of skipping them.</param>
    /// <param name="threads">Worker threads for the search (default 1).</param>
    /// <param name="sourceName">The name used in error messages (e.g. the file name).</param>
    /// <param name="cancellationToken">Checked once per block of rows.</param>
    /// <returns>Per-section and total accuracy, with the questions answered right and wrong.</returns>
    /// <exception cref="InvalidDataException">A line is malformed, or a question comes before the first section.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="restrictVocab"/> or <paramref name="threads"/> is less than 1.</exception>
    public static AnalogyEvaluation EvaluateAnalogies(
        this WordVectors vectors, TextReader reader, int restrictVocab = DefaultRestrictVocab, bool caseInsensitive = true,
        bool dummy4Unknown = false, int threads = 1, string? sourceName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(restrictVocab, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        string source = sourceName ?? "(reader)";
        var vocabulary = new RestrictedVocabulary(vectors, restrictVocab, caseInsensitive);

        // 1. Read the sections and questions; note the canonical ids of questions inside the vocabulary.
        var sectionNames = new List<string>();
        var questions = new List<ParsedQuestion>();
        int questionCount = 0;
        int oov = 0;
        int lineNumber = 0;
        var lines = new BoundedLineReader(reader, source, BoundedLineReader.DefaultMaxLineLength, LongLineHandling.Error, cancellationToken);
        while (ReadLine(lines, source, ref lineNumber) is { } line)
        {
            if (line.StartsWith(": ", StringComparison.Ordinal))
            {
                sectionNames.Add(line.TrimStart(':', ' ').Trim());
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (sectionNames.Count == 0)
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: a question comes before the first ': section' line.");
            }

            string[] words = SplitWhitespace(line);
            if (words.Length != 4)
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: expected 4 words (a b c expected), found {words.Length}.");
            }

            questionCount++;
            int a = vocabulary.Find(words[0]), b = vocabulary.Find(words[1]), c = vocabulary.Find(words[2]), expected = vocabulary.Find(words[3]);
            bool known = a >= 0 && b >= 0 && c >= 0 && expected >= 0;
            if (!known)
            {
                oov++;
                if (!dummy4Unknown)
                {
                    continue;
                }
            }

            questions.Add(new ParsedQuestion(sectionNames.Count - 1, words, a, b, c, expected, known));
        }

        // 2. Answer the known questions in batches: nearest to b + c − a, excluding a, b and c.
        int[] predictions = AnswerAnalogies(vectors, vocabulary, questions, threads, cancellationToken);

        // 3. Sort the questions into sections.
        var correct = new List<AnalogyQuestion>[sectionNames.Count];
        var incorrect = new List<AnalogyQuestion>[sectionNames.Count];
        for (int s = 0; s < sectionNames.Count; s++)
        {
            correct[s] = [];
            incorrect[s] = [];
        }

        for (int i = 0; i < questions.Count; i++)
        {
            ParsedQuestion question = questions[i];
            int predicted = predictions[i];
            var outcome = new AnalogyQuestion(
                question.Words[0], question.Words[1], question.Words[2], question.Words[3], predicted < 0 ? null : vectors.Vocabulary[predicted]);
            bool right = predicted >= 0 && vocabulary.Canonical(predicted) == question.Expected;
            (right ? correct : incorrect)[question.Section].Add(outcome);
        }

        var sections = new AnalogySection[sectionNames.Count];
        var allCorrect = new List<AnalogyQuestion>();
        var allIncorrect = new List<AnalogyQuestion>();
        for (int s = 0; s < sections.Length; s++)
        {
            sections[s] = new AnalogySection { Name = sectionNames[s], Correct = correct[s], Incorrect = incorrect[s] };
            allCorrect.AddRange(correct[s]);
            allIncorrect.AddRange(incorrect[s]);
        }

        return new AnalogyEvaluation
        {
            Sections = sections,
            Total = new AnalogySection { Name = "Total accuracy", Correct = allCorrect, Incorrect = allIncorrect },
            QuestionCount = questionCount,
            OovQuestionCount = oov,
        };
    }

    /// <summary>
    /// gensim's answer to each known question: among the five best of <c>most_similar([b, c], [a], topn=5)</c>, the first
    /// whose canonical id is none of a, b, c; failing that, the last of the five; −1 if none (or the question is unknown).
    /// </summary>
    private static int[] AnswerAnalogies(
        WordVectors vectors, RestrictedVocabulary vocabulary, List<ParsedQuestion> questions, int threads, CancellationToken cancellationToken)
    {
        int[] predictions = new int[questions.Count];
        predictions.AsSpan().Fill(-1);
        int d = vectors.Dimensions;
        int chunk = Math.Min(AnalogyChunk, Math.Max(1, questions.Count));
        float[] queries = ArrayPool<float>.Shared.Rent(chunk * d);
        int[] excluded = ArrayPool<int>.Shared.Rent(chunk * 3);
        int[] resultIds = ArrayPool<int>.Shared.Rent(chunk * AnalogyCandidates);
        float[] resultScores = ArrayPool<float>.Shared.Rent(chunk * AnalogyCandidates);
        int[] index = new int[chunk];
        ReadOnlySpan<float> weights = [1f, 1f, -1f];
        Span<int> terms = stackalloc int[3];
        try
        {
            int next = 0;
            while (next < questions.Count)
            {
                // Gather up to one chunk of known questions.
                int count = 0;
                for (; next < questions.Count && count < chunk; next++)
                {
                    ParsedQuestion question = questions[next];
                    if (!question.Known)
                    {
                        continue;
                    }

                    terms[0] = question.B;
                    terms[1] = question.C;
                    terms[2] = question.A;
                    vectors.BuildMeanQuery(terms, weights, preNormalize: true, queries.AsSpan(count * d, d));
                    terms.CopyTo(excluded.AsSpan(count * 3, 3));
                    index[count++] = next;
                }

                if (count == 0)
                {
                    break;
                }

                vectors.SearchNearest(queries, count, excluded, 3, AnalogyCandidates, vocabulary.Limit, resultIds, resultScores, threads, cancellationToken);
                for (int q = 0; q < count; q++)
                {
                    ParsedQuestion question = questions[index[q]];
                    int predicted = -1;
                    for (int j = 0; j < AnalogyCandidates; j++)
                    {
                        int id = resultIds[(q * AnalogyCandidates) + j];
                        if (id < 0)
                        {
                            break;
                        }

                        predicted = id;
                        int canonical = vocabulary.Canonical(id);
                        if (canonical != question.A && canonical != question.B && canonical != question.C)
                        {
                            break;
                        }
                    }

                    predictions[index[q]] = predicted;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(queries);
            ArrayPool<int>.Shared.Return(excluded);
            ArrayPool<int>.Shared.Return(resultIds);
            ArrayPool<float>.Shared.Return(resultScores);
        }

        return predictions;
    }

    /// <summary>The two-sided p-value of a correlation coefficient of <paramref name="n"/> pairs, by Student's t
    /// with n − 2 degrees of freedom (what SciPy's <c>pearsonr</c> and <c>spearmanr</c> compute).</summary>
    private static double CorrelationPValue(double r, int n)
    {
        if (n < 3 || double.IsNaN(r))
        {
            return double.NaN;
        }

        double dof = n - 2;
        double denominator = (1.0 - r) * (1.0 + r);
        if (denominator <= 0)
        {
            return 0.0;
        }

        double t = Math.Abs(r) * Math.Sqrt(dof / denominator);
        return Math.Min(1.0, 2.0 * StudentT.CDF(0.0, 1.0, dof, -t));
    }

    private static StreamReader OpenText(string path)
    {
        FilePaths.ThrowIfFolder(path);
        Stream stream = File.OpenRead(path);
        try
        {
            // Gzip is told by its magic bytes, not the file's name, as for every other text input.
            Span<byte> head = stackalloc byte[2];
            int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            stream.Position = 0;
            if (InputFormat.IsGzip(head[..read]))
            {
                stream = new GZipStream(stream, CompressionMode.Decompress);
            }

            return new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads a line of at most 64 Mi characters (a longer one is an error naming the file and line).</summary>
    private static string? ReadLine(BoundedLineReader reader, string source, ref int lineNumber)
    {
        try
        {
            string? line = reader.ReadLine();
            if (line is not null)
            {
                lineNumber++;
            }

            return line;
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"{source}, near line {lineNumber + 1}: the text is not valid UTF-8.", ex);
        }
    }

    /// <summary>Python's <c>str.split()</c>: runs of whitespace separate words; none are empty.</summary>
    private static string[] SplitWhitespace(string line)
    {
        var words = new List<string>(4);
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && IsPythonWhitespace(line[i]))
            {
                i++;
            }

            int start = i;
            while (i < line.Length && !IsPythonWhitespace(line[i]))
            {
                i++;
            }

            if (i > start)
            {
                words.Add(line[start..i]);
            }
        }

        return [.. words];
    }

    private static bool IsPythonWhitespace(char c) => char.IsWhiteSpace(c) || (c >= '\u001C' && c <= '\u001F');

    private static string Describe(char delimiter) => delimiter switch
    {
        '\t' => "tabs",
        ' ' => "spaces",
        _ => $"'{delimiter}'",
    };

    /// <summary>A question as read: its section, its words as written, and their canonical ids (−1 when unknown).</summary>
    private sealed record ParsedQuestion(int Section, string[] Words, int A, int B, int C, int Expected, bool Known);
}
