namespace Embeddings.Text.Sources;

/// <summary>How far a <see cref="LineSource"/> has read, reported a few times a second and once at the end.</summary>
/// <param name="BytesRead">
/// Bytes consumed from the file or stream as stored: compressed bytes for gzip input, so that it reaches
/// <paramref name="TotalBytes"/> at the end. Always 0 for in-memory sources.
/// </param>
/// <param name="TotalBytes">The size of the input in bytes, or <see langword="null"/> when unknown (a pipe, strings).</param>
/// <param name="RecordsRead">Records yielded so far (lines, or CSV data rows).</param>
/// <param name="Elapsed">Time since reading started.</param>
public readonly record struct ReadProgress(long BytesRead, long? TotalBytes, long RecordsRead, TimeSpan Elapsed)
{
    /// <summary>The fraction read, from 0 to 1.</summary>
    /// <value><see cref="BytesRead"/> / <see cref="TotalBytes"/>, or <see langword="null"/> when the size is unknown or zero.</value>
    public double? Fraction => TotalBytes is > 0 ? Math.Min(1.0, (double)BytesRead / TotalBytes.Value) : null;
}
