namespace Embeddings.Core.Classification;

/// <summary>
/// One example of a classification task: its labels (one for single-label tasks, several allowed, as fastText's
/// <c>__label__A __label__B text…</c> lines allow) and its tokens. Labels are kept as the strings the data gives,
/// without fastText's <c>__label__</c> prefix.
/// </summary>
/// <param name="Labels">The example's labels, at least one for training data (none for text to predict).</param>
/// <param name="Tokens">The example's tokens, in order.</param>
public sealed record LabelledExample(IReadOnlyList<string> Labels, IReadOnlyList<string> Tokens);
