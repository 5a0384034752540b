namespace Embeddings.Text.Sources;

/// <summary>One labelled record of a <see cref="LabelledLineSource"/>: the label and the text of a CSV or TSV row.</summary>
/// <param name="Number">The 1-based data row (the header row is not counted).</param>
/// <param name="LineNumber">The 1-based physical line on which the row starts (a quoted field may span lines).</param>
/// <param name="Label">The label column's value, as found (not empty).</param>
/// <param name="Text">The text column's value, as found.</param>
public readonly record struct LabelledLine(long Number, long LineNumber, string Label, string Text);
