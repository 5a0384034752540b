namespace Embeddings.Text.Sources;

/// <summary>One record read from a <see cref="LineSource"/>: its 1-based number and its text.</summary>
/// <param name="Number">
/// The 1-based record number: the line number for text files, the data-row number for CSV (the header row
/// is not counted, so a field with embedded newlines still counts as one record). Use it in messages and to
/// keep output aligned with input.
/// </param>
/// <param name="Text">The text, without its line break. Whitespace is kept as found.</param>
public readonly record struct TextLine(long Number, string Text);
