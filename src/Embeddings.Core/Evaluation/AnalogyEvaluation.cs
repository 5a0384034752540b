namespace Embeddings.Core.Evaluation;

/// <summary>
/// The result of <see cref="WordVectorsEvaluation.EvaluateAnalogies(Vectors.WordVectors, string, int, bool, bool, int, CancellationToken)"/>:
/// gensim's <c>evaluate_word_analogies</c> score and sections.
/// </summary>
public sealed record AnalogyEvaluation
{
    /// <summary>The sections of the file (<c>: name</c> lines), in file order, without the total.</summary>
    public required IReadOnlyList<AnalogySection> Sections { get; init; }

    /// <summary>gensim's last section, <c>"Total accuracy"</c>: every section's questions together.</summary>
    public required AnalogySection Total { get; init; }

    /// <summary>The overall accuracy, 0–1 (gensim's returned <c>score</c>); 0 if no question was answered.</summary>
    public double Accuracy => Total.Accuracy;

    /// <summary>The questions read (well-formed lines outside section headers).</summary>
    public required int QuestionCount { get; init; }

    /// <summary>The questions with a word outside the restricted vocabulary: skipped, or counted incorrect with <c>dummy4Unknown</c>.</summary>
    public required int OovQuestionCount { get; init; }

    /// <summary>The percentage (0–100) of questions with a word outside the restricted vocabulary (gensim logs it).</summary>
    public double OovRatio => QuestionCount == 0 ? 0 : 100.0 * OovQuestionCount / QuestionCount;
}

/// <summary>One section of an analogy test set, e.g. <c>capital-common-countries</c>.</summary>
public sealed record AnalogySection
{
    /// <summary>The section name, from its <c>: name</c> line.</summary>
    public required string Name { get; init; }

    /// <summary>The questions answered correctly.</summary>
    public required IReadOnlyList<AnalogyQuestion> Correct { get; init; }

    /// <summary>The questions answered wrongly (and, with <c>dummy4Unknown</c>, the out-of-vocabulary ones).</summary>
    public required IReadOnlyList<AnalogyQuestion> Incorrect { get; init; }

    /// <summary>The share of correct answers, 0–1; 0 if the section has no answered question (as gensim).</summary>
    public double Accuracy => Correct.Count + Incorrect.Count == 0 ? 0 : (double)Correct.Count / (Correct.Count + Incorrect.Count);
}

/// <summary>An analogy question "<see cref="A"/> is to <see cref="B"/> as <see cref="C"/> is to <see cref="Expected"/>",
/// with the words as written in the file.</summary>
/// <param name="A">The first word.</param>
/// <param name="B">The word related to <paramref name="A"/>.</param>
/// <param name="C">The third word.</param>
/// <param name="Expected">The answer the test set expects.</param>
/// <param name="Predicted">The vocabulary word the vectors gave, or <see langword="null"/> if the question was not
/// answered (out of vocabulary, or no candidate left).</param>
public sealed record AnalogyQuestion(string A, string B, string C, string Expected, string? Predicted);
