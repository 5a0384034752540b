using System.Globalization;
using System.Text;
using Embeddings.Core.Formats;
using Embeddings.Core.IO;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Classification;

/// <summary>
/// Labelled examples for text classification: reading fastText's format, a stratified train/validation split, label
/// counts, and the check that a data set can train a classifier.
/// </summary>
public static class LabelledData
{
    /// <summary>fastText's label prefix (its <c>-label</c> option): a token starting with it is a label.</summary>
    public const string DefaultLabelPrefix = "__label__";

    /// <summary>The longest line read by default: 64 Mi characters (a longer one is an error naming file and line).</summary>
    public const int DefaultMaxLineLength = BoundedLineReader.DefaultMaxLineLength;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads a file in fastText's supervised format: one example a line, its labels as tokens with the label prefix
    /// (<c>__label__spam __label__ads buy now</c>), the other tokens its text. Tokens are separated by whitespace as
    /// fastText separates them (space, tab, vertical tab, form feed, carriage return, NUL); like fastText, a prefixed
    /// token is a label wherever it stands on the line (they usually lead). Blank lines are skipped. The text is strict
    /// UTF-8 (a byte order mark is skipped); gzip-compressed content is recognised by its magic bytes, whatever the name.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="labelPrefix">The label prefix, fastText's <c>-label</c> (default <c>__label__</c>); not empty.</param>
    /// <param name="maxLineLength">The longest line accepted, in characters (default 64 Mi).</param>
    /// <param name="cancellationToken">Checked as the file is read.</param>
    /// <returns>The examples in file order, labels without the prefix.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">
    /// The file has no example, a line has no label or an empty one, a line is too long, or the text is not UTF-8; the
    /// message names the file and the line.
    /// </exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static IReadOnlyList<LabelledExample> ReadFastText(
        string path, string labelPrefix = DefaultLabelPrefix, int maxLineLength = DefaultMaxLineLength, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckArguments(labelPrefix, maxLineLength);
        FilePaths.ThrowIfFolder(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        return Read(file, new FormatErrors(path), labelPrefix, maxLineLength, cancellationToken);
    }

    /// <summary>
    /// Reads examples in fastText's supervised format from a stream (see <see cref="ReadFastText(string, string, int, CancellationToken)"/>).
    /// </summary>
    /// <param name="stream">The data, read from its current position to its end; not closed.</param>
    /// <param name="labelPrefix">The label prefix, fastText's <c>-label</c> (default <c>__label__</c>); not empty.</param>
    /// <param name="maxLineLength">The longest line accepted, in characters (default 64 Mi).</param>
    /// <param name="cancellationToken">Checked as the stream is read.</param>
    /// <returns>The examples in stream order, labels without the prefix.</returns>
    /// <exception cref="InvalidDataException">
    /// The stream has no example, a line has no label or an empty one, a line is too long, or the text is not UTF-8;
    /// the message names the line.
    /// </exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static IReadOnlyList<LabelledExample> ReadFastText(
        Stream stream, string labelPrefix = DefaultLabelPrefix, int maxLineLength = DefaultMaxLineLength, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckArguments(labelPrefix, maxLineLength);
        return Read(stream, new FormatErrors(null), labelPrefix, maxLineLength, cancellationToken);
    }

    /// <summary>
    /// Splits examples into training and validation sets with the same share of each label: the examples of each
    /// first label are shuffled with a seeded <see cref="SplitMix64Random"/> and <paramref name="validationShare"/> of
    /// them (rounded, at most all but one) go to validation. Both sets keep the input's order. The same input and seed
    /// give the same split.
    /// </summary>
    /// <param name="examples">The examples, each with at least one label.</param>
    /// <param name="validationShare">The share for validation, 0 (none) to under 1.</param>
    /// <param name="seed">The shuffle's seed.</param>
    /// <returns>The training and validation examples.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> or an example is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationShare"/> is outside [0, 1).</exception>
    /// <exception cref="ArgumentException">An example has no label.</exception>
    public static (IReadOnlyList<LabelledExample> Training, IReadOnlyList<LabelledExample> Validation) StratifiedSplit(
        IReadOnlyList<LabelledExample> examples, double validationShare, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (!(validationShare >= 0 && validationShare < 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(validationShare),
                validationShare,
                string.Create(CultureInfo.InvariantCulture, $"The validation share must be at least 0 and under 1 (was {validationShare})."));
        }

        // Group example indices by first label, labels in ordinal order so that the split does not depend on input order of labels.
        var groups = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < examples.Count; i++)
        {
            string label = FirstLabel(examples, i, nameof(examples));
            if (!groups.TryGetValue(label, out List<int>? members))
            {
                groups[label] = members = [];
            }

            members.Add(i);
        }

        bool[] toValidation = new bool[examples.Count];
        var random = new SplitMix64Random(seed);
        foreach (List<int> members in groups.Values)
        {
            int[] shuffled = [.. members];
            for (int i = shuffled.Length - 1; i > 0; i--)
            {
                int j = random.NextInt(i + 1);
                (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
            }

            int take = Math.Min((int)Math.Round(validationShare * shuffled.Length, MidpointRounding.AwayFromZero), shuffled.Length - 1);
            for (int i = 0; i < take; i++)
            {
                toValidation[shuffled[i]] = true;
            }
        }

        var training = new List<LabelledExample>(examples.Count);
        var validation = new List<LabelledExample>();
        for (int i = 0; i < examples.Count; i++)
        {
            (toValidation[i] ? validation : training).Add(examples[i]);
        }

        return (training, validation);
    }

    /// <summary>How many examples have each label (an example with several labels counts for each), in ordinal order of the labels.</summary>
    /// <param name="examples">The examples.</param>
    /// <returns>Each label's count; enumerated in ordinal order of the labels.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> or an example is <see langword="null"/>.</exception>
    public static IReadOnlyDictionary<string, int> CountLabels(IReadOnlyList<LabelledExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < examples.Count; i++)
        {
            LabelledExample example = examples[i] ?? throw new ArgumentNullException(nameof(examples), ExampleIsNull(i));
            foreach (string label in example.Labels.Distinct(StringComparer.Ordinal))
            {
                counts[label] = counts.GetValueOrDefault(label) + 1;
            }
        }

        return counts;
    }

    /// <summary>
    /// Checks that examples can train a classifier: at least one example, every example labelled, at least two labels.
    /// Trainers and the CLI call it before training, so that every caller refuses such data with the same message.
    /// </summary>
    /// <param name="examples">The training examples.</param>
    /// <param name="sourceName">The file they came from, for the message; <see langword="null"/> when there is none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> or an example is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">There is no example, an example has no label, or every example has the same single label.</exception>
    public static void EnsureTrainable(IReadOnlyList<LabelledExample> examples, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        string source = sourceName is null ? "The training data" : $"'{sourceName}'";
        if (examples.Count == 0)
        {
            throw new InvalidDataException($"{source} has no examples.");
        }

        var labels = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < examples.Count; i++)
        {
            LabelledExample example = examples[i] ?? throw new ArgumentNullException(nameof(examples), ExampleIsNull(i));
            if (example.Labels.Count == 0)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{source}: example {i + 1:N0} has no label."));
            }

            labels.UnionWith(example.Labels);
        }

        if (labels.Count < 2)
        {
            throw new InvalidDataException($"{source} has only one label ('{labels.First()}'); a classifier needs examples of at least two.");
        }
    }

    private static void CheckArguments(string labelPrefix, int maxLineLength)
    {
        ArgumentException.ThrowIfNullOrEmpty(labelPrefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 1);
    }

    private static string ExampleIsNull(int i) => string.Create(CultureInfo.InvariantCulture, $"Example {i} is null.");

    private static string FirstLabel(IReadOnlyList<LabelledExample> examples, int i, string parameter)
    {
        LabelledExample example = examples[i] ?? throw new ArgumentNullException(parameter, ExampleIsNull(i));
        return example.Labels.Count > 0
            ? example.Labels[0]
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Example {i} has no label."), parameter);
    }

    private static List<LabelledExample> Read(Stream stream, FormatErrors errors, string labelPrefix, int maxLineLength, CancellationToken cancellationToken)
    {
        using var input = new InputBuffer(stream);
        using Stream content = DecompressingInput.IsGzip(input) ? DecompressingInput.Open(input, errors) : input.Remainder();
        using var reader = new StreamReader(content, StrictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true);
        var lines = new BoundedLineReader(reader, errors.Name, maxLineLength, LongLineHandling.Error, cancellationToken);
        var strings = new StringPool();
        var examples = new List<LabelledExample>();
        var labels = new List<string>();
        var tokens = new List<string>();
        while (ReadLine(lines, errors) is { } line)
        {
            ReadOnlySpan<char> rest = lines.LineNumber == 1 && line.StartsWith('\uFEFF') ? line.AsSpan(1) : line;
            labels.Clear();
            tokens.Clear();
            while (NextToken(ref rest) is { IsEmpty: false } token)
            {
                if (!token.StartsWith(labelPrefix, StringComparison.Ordinal))
                {
                    tokens.Add(strings.Get(token));
                }
                else if (token.Length == labelPrefix.Length)
                {
                    errors.AtLine(lines.LineNumber, $"a label '{labelPrefix}' has no name.");
                }
                else
                {
                    labels.Add(strings.Get(token[labelPrefix.Length..]));
                }
            }

            if (labels.Count == 0 && tokens.Count == 0)
            {
                continue;
            }

            if (labels.Count == 0)
            {
                errors.AtLine(lines.LineNumber, $"the example has no label (labels are tokens starting with '{labelPrefix}', as in '{labelPrefix}positive great film').");
            }

            examples.Add(new LabelledExample([.. labels], [.. tokens]));
        }

        if (examples.Count == 0)
        {
            errors.General($"has no examples (it is empty or blank); expected lines like '{labelPrefix}positive great film'.");
        }

        return examples;
    }

    private static string? ReadLine(BoundedLineReader lines, FormatErrors errors)
    {
        try
        {
            return lines.ReadLine();
        }
        catch (DecoderFallbackException)
        {
            // The reader decodes a block ahead, so the bad bytes are on this line or a little after it.
            errors.AtLine(lines.LineNumber, $"the text is not valid UTF-8 (at or after this line).");
            return null;
        }
    }

    /// <summary>The next token of <paramref name="rest"/>, split on the whitespace fastText splits on; empty at the end.</summary>
    private static ReadOnlySpan<char> NextToken(ref ReadOnlySpan<char> rest)
    {
        int start = 0;
        while (start < rest.Length && IsFastTextSpace(rest[start]))
        {
            start++;
        }

        int end = start;
        while (end < rest.Length && !IsFastTextSpace(rest[end]))
        {
            end++;
        }

        ReadOnlySpan<char> token = rest[start..end];
        rest = rest[end..];
        return token;
    }

    private static bool IsFastTextSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r' or '\0';

    /// <summary>One string per distinct label or token, so that a large file holds each word once.</summary>
    private sealed class StringPool
    {
        private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

        public string Get(ReadOnlySpan<char> text)
        {
            Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(text, out string? known))
            {
                return known;
            }

            string added = text.ToString();
            _strings.Add(added, added);
            return added;
        }
    }
}
