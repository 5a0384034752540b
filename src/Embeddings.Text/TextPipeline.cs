using System.Collections.Concurrent;
using System.Diagnostics;
using Embeddings.Text.Normalization;
using Embeddings.Text.Sources;
using Embeddings.Text.Stemming;
using Embeddings.Text.Stopwords;
using Embeddings.Text.Tokenization;
using Microsoft.Extensions.Logging;

namespace Embeddings.Text;

/// <summary>
/// Turns lines of text into tokens: normalise → tokenize → drop short tokens and stopwords → stem.
/// Built by <see cref="TextPipelineBuilder"/>; immutable and safe to use from many threads at once.
/// </summary>
/// <example>
/// The tweets lab's preprocessing, as its NLTK notebook did it:
/// <code>
/// TextPipeline lab = TextPipeline.CreateBuilder()
///     .Lowercase()
///     .KeepOnly("a-z@# ")
///     .TokenizeOnWhitespace()
///     .RemoveStopwords(StopwordList.English)
///     .Stem(new EnglishStemmer(SnowballVersion.Nltk38))
///     .Build();
/// IReadOnlyList&lt;string&gt; tokens = lab.Tokenize("@user when a father is dysfunctional #run");
/// // ["@user", "father", "dysfunct", "#run"]
/// </code>
/// </example>
public sealed class TextPipeline
{
    private const int BatchSize = 256;

    /// <summary>
    /// A batch also ends once it holds this many characters, so that long records (up to
    /// <see cref="LineSourceOptions.MaxRecordLength"/> each) are not held by the hundred while batches are in flight.
    /// </summary>
    private const int BatchCharacters = 1 << 20;

    // Scratch buffers and token caches, one per concurrent caller; the pipeline itself stays immutable.
    private readonly ConcurrentBag<PipelineWorker> _workers = [];
    private readonly ILogger _logger;

    internal TextPipeline(TextPipelineOptions options, ILogger logger)
    {
        Options = options;
        _logger = logger;
    }

    /// <summary>Starts a new builder.</summary>
    public static TextPipelineBuilder CreateBuilder() => new();

    /// <summary>The steps of this pipeline, in order.</summary>
    public TextPipelineOptions Options { get; }

    /// <summary>Applies only the normalisation steps to <paramref name="text"/>.</summary>
    /// <param name="text">Raw text.</param>
    /// <returns>The normalised text.</returns>
    public string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        PipelineWorker worker = RentWorker();
        try
        {
            return worker.Normalize(text).ToString();
        }
        finally
        {
            _workers.Add(worker);
        }
    }

    /// <summary>Turns one line of text into tokens.</summary>
    /// <param name="text">A line, a tweet, a sentence.</param>
    /// <returns>The tokens in order.</returns>
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Tokenize(text.AsSpan());
    }

    /// <summary>Turns one line of text into tokens.</summary>
    /// <param name="text">A line, a tweet, a sentence.</param>
    /// <returns>The tokens in order.</returns>
    public IReadOnlyList<string> Tokenize(ReadOnlySpan<char> text)
    {
        var tokens = new List<string>();
        Tokenize(text, tokens);
        return tokens;
    }

    /// <summary>Appends the tokens of <paramref name="text"/> to <paramref name="destination"/>.</summary>
    /// <param name="text">A line, a tweet, a sentence.</param>
    /// <param name="destination">Receives the tokens in order.</param>
    /// <returns>The number of tokens appended.</returns>
    public int Tokenize(ReadOnlySpan<char> text, ICollection<string> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        PipelineWorker worker = RentWorker();
        try
        {
            return worker.Tokenize(text, destination);
        }
        finally
        {
            _workers.Add(worker);
        }
    }

    /// <summary>
    /// Tokenizes a stream of lines on <paramref name="degreeOfParallelism"/> threads, streaming (a bounded number
    /// of lines in flight) and in input order: the n-th result belongs to the n-th line, empty lines included.
    /// </summary>
    /// <param name="lines">The lines, read on the calling thread as results are consumed.</param>
    /// <param name="degreeOfParallelism">Worker threads (1 = on the calling thread).</param>
    /// <param name="cancellationToken">Stops between batches of lines.</param>
    /// <returns>One token list per line.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public IEnumerable<IReadOnlyList<string>> Process(
        IEnumerable<string> lines, int degreeOfParallelism = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        return ProcessIterator(lines, degreeOfParallelism, cancellationToken);
    }

    /// <summary>Tokenizes every record of <paramref name="source"/>, streaming and in order; see <see cref="Process(IEnumerable{string}, int, CancellationToken)"/>.</summary>
    /// <param name="source">A file, CSV column, stream or strings.</param>
    /// <param name="degreeOfParallelism">Worker threads (1 = on the calling thread).</param>
    /// <param name="progress">Receives bytes read, a few times a second.</param>
    /// <param name="cancellationToken">Stops between batches of lines.</param>
    /// <returns>One token list per record.</returns>
    public IEnumerable<IReadOnlyList<string>> Process(
        LineSource source, int degreeOfParallelism = 1, IProgress<ReadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Process(source.ReadLines(progress, cancellationToken).Select(static line => line.Text), degreeOfParallelism, cancellationToken);
    }

    /// <inheritdoc />
    public override string ToString() => Options.ToString();

    private IEnumerable<IReadOnlyList<string>> ProcessIterator(
        IEnumerable<string> lines, int degreeOfParallelism, CancellationToken cancellationToken)
    {
        Log.ProcessingStarted(_logger, Options, degreeOfParallelism);
        long lineCount = 0, tokenCount = 0;
        var clock = Stopwatch.StartNew();
        IEnumerable<string[][]> batches = degreeOfParallelism == 1
            ? ProcessSequentially(lines, cancellationToken)
            : ProcessInParallel(lines, degreeOfParallelism, cancellationToken);
        foreach (string[][] batch in batches)
        {
            foreach (string[] tokens in batch)
            {
                lineCount++;
                tokenCount += tokens.Length;
                yield return tokens;
            }
        }

        Log.ProcessingFinished(_logger, lineCount, tokenCount, clock.Elapsed.TotalSeconds);
    }

    private IEnumerable<string[][]> ProcessSequentially(IEnumerable<string> lines, CancellationToken cancellationToken)
    {
        using IEnumerator<string> reader = lines.GetEnumerator();
        while (ReadBatch(reader, cancellationToken) is { } batch)
        {
            yield return TokenizeBatch(batch);
        }
    }

    private IEnumerable<string[][]> ProcessInParallel(
        IEnumerable<string> lines, int degreeOfParallelism, CancellationToken cancellationToken)
    {
        // Batches run on the thread pool; results are handed back in the order the batches were read,
        // and at most 2 × degreeOfParallelism batches are in flight, so memory stays bounded.
        var inFlight = new Queue<Task<string[][]>>();
        using IEnumerator<string> reader = lines.GetEnumerator();
        try
        {
            bool more = true;
            while (true)
            {
                while (more && inFlight.Count < 2 * degreeOfParallelism)
                {
                    string[]? batch = ReadBatch(reader, cancellationToken);
                    if (batch is null)
                    {
                        more = false;
                        break;
                    }

                    inFlight.Enqueue(Task.Run(() => TokenizeBatch(batch), cancellationToken));
                }

                if (inFlight.Count == 0)
                {
                    yield break;
                }

                yield return inFlight.Dequeue().GetAwaiter().GetResult();
            }
        }
        finally
        {
            // Abandoned or failed: let the remaining batches finish so none runs on after we return.
            foreach (Task<string[][]> task in inFlight)
            {
                try
                {
                    task.Wait(CancellationToken.None);
                }
                catch (AggregateException)
                {
                    // already reported through the batch that failed first, or cancelled
                }
            }
        }
    }

    private PipelineWorker RentWorker() => _workers.TryTake(out PipelineWorker? worker) ? worker : new PipelineWorker(Options);

    private static string[]? ReadBatch(IEnumerator<string> reader, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<string>? batch = null;
        long characters = 0;
        while (reader.MoveNext())
        {
            string line = reader.Current ?? string.Empty;
            (batch ??= new List<string>(BatchSize)).Add(line);
            characters += line.Length;
            if (batch.Count == BatchSize || characters >= BatchCharacters)
            {
                break;
            }
        }

        return batch?.ToArray();
    }

    private string[][] TokenizeBatch(string[] lines)
    {
        PipelineWorker worker = RentWorker();
        try
        {
            var results = new string[lines.Length][];
            var tokens = new List<string>();
            for (int i = 0; i < lines.Length; i++)
            {
                tokens.Clear();
                worker.Tokenize(lines[i], tokens);
                results[i] = [.. tokens];
            }

            return results;
        }
        finally
        {
            _workers.Add(worker);
        }
    }
}
