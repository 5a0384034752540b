namespace Embeddings.Text.Sources;

/// <summary>Strings already in memory, one record each.</summary>
internal sealed class StringLineSource : LineSource
{
    /// <summary>Records between cancellation checks and progress polls.</summary>
    private const int BatchSize = 1024;

    private readonly IEnumerable<string> _lines;

    public StringLineSource(IEnumerable<string> lines, string name)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(lines);
        _lines = lines;
    }

    protected override IEnumerable<TextLine> ReadLinesCore(IProgress<ReadProgress>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ProgressReporter? reporter = ProgressReporter.Create(progress, totalBytes: null);
        long number = 0;
        foreach (string? line in _lines)
        {
            number++;
            if (number % BatchSize == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                reporter?.MaybeReport(0, number - 1);
            }

            if (line is null)
            {
                throw SourceErrors.Create($"'{Name}': line {number} is null.", Name, number);
            }

            yield return new TextLine(number, line);
        }

        reporter?.ReportFinal(0, number);
    }
}
