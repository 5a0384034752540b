using System.Globalization;

// One source file, two assemblies: Embeddings.Core compiles it as public API (Embeddings.Quantization uses it), and
// Embeddings.Text, which references no other library of ours, compiles the same file as internal types of its own
// namespace, so that every options type in the house reports problems in the same words.
#if EMBEDDINGS_TEXT
namespace Embeddings.Text.Options;
#else
namespace Embeddings.Core.Options;
#endif

/// <summary>
/// Collects every problem of one options object, then throws them all at once in one
/// <see cref="InvalidOptionsException"/>. Each
/// problem names the option, the allowed range, the value it had and the setter to call, in the invariant culture:
/// <c>Dimensions must be 1–4096 (was 0); call Dimensions(int).</c>
/// </summary>
/// <example>
/// <code>
/// new OptionsValidator("k-means")
///     .InRange(nameof(Clusters), Clusters, 1, int.MaxValue, "Clusters(int)")
///     .ThrowIfInvalid();
/// </code>
/// </example>
#if EMBEDDINGS_TEXT
internal
#else
public
#endif
sealed class OptionsValidator
{
    private readonly string _subject;
    private readonly List<(string Option, string Problem)> _problems = [];

    /// <summary>Starts an empty list of problems.</summary>
    /// <param name="subject">What the options configure, for the heading of several problems, e.g. <c>word2vec</c>.</param>
    public OptionsValidator(string subject)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        _subject = subject;
    }

    /// <summary>The problems found so far, each one sentence.</summary>
    public IReadOnlyList<string> Problems => [.. _problems.Select(p => p.Problem)];

    /// <summary>
    /// Records a problem unless <paramref name="valid"/>: "<c>{option} must be {allowed} (was {value}); call {setter}.</c>",
    /// or "<c>…; set {setter}.</c>" when the setter is a property rather than a method.
    /// </summary>
    /// <param name="valid">Whether the option's value is acceptable.</param>
    /// <param name="option">The option's property name, e.g. <c>Dimensions</c>; becomes the exception's parameter name.</param>
    /// <param name="value">The value it had (formatted in the invariant culture; <see langword="null"/> prints as <c>null</c>).</param>
    /// <param name="allowed">The allowed values, completing "must be …", e.g. <c>1–4096</c> or <c>at least 1</c>.</param>
    /// <param name="setter">The builder method that sets it, e.g. <c>Dimensions(int)</c>; for options without a builder, the
    /// init property, e.g. <c>GenerationOptions.Length</c>.</param>
    /// <returns>This validator, to chain the next check.</returns>
    public OptionsValidator Require(bool valid, string option, object? value, string allowed, string setter)
    {
        if (!valid)
        {
            _problems.Add((option, string.Create(
                CultureInfo.InvariantCulture, $"{option} must be {allowed} (was {Format(value)}); {(setter.Contains('(', StringComparison.Ordinal) ? "call" : "set")} {setter}.")));
        }

        return this;
    }

    /// <summary>Records a problem stated in its own words: a rule between settings, or a setter called twice.</summary>
    /// <param name="option">The option's name; becomes the exception's parameter name if it is the first problem.</param>
    /// <param name="problem">One sentence that says what is wrong and what to call instead.</param>
    /// <returns>This validator.</returns>
    public OptionsValidator Add(string option, string problem)
    {
        _problems.Add((option, problem));
        return this;
    }

    /// <summary>Records a problem unless <paramref name="min"/> ≤ <paramref name="value"/> ≤ <paramref name="max"/>.</summary>
    /// <param name="option">The option's property name.</param>
    /// <param name="value">Its value.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value; <see cref="int.MaxValue"/> reads "at least <paramref name="min"/>".</param>
    /// <param name="setter">The builder method that sets it.</param>
    /// <returns>This validator.</returns>
    public OptionsValidator InRange(string option, int value, int min, int max, string setter) =>
        Require(value >= min && value <= max, option, value, RangeText(min, max), setter);

    /// <summary>Records a problem unless <paramref name="value"/> is finite with <paramref name="min"/> ≤ value ≤ <paramref name="max"/>.</summary>
    /// <param name="option">The option's property name.</param>
    /// <param name="value">Its value; NaN and infinities are always a problem.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value; <see cref="double.PositiveInfinity"/> reads "finite and at least <paramref name="min"/>".</param>
    /// <param name="setter">The builder method that sets it.</param>
    /// <returns>This validator.</returns>
    public OptionsValidator InRange(string option, double value, double min, double max, string setter) =>
        Require(
            double.IsFinite(value) && value >= min && value <= max,
            option,
            value,
            double.IsPositiveInfinity(max)
                ? string.Create(CultureInfo.InvariantCulture, $"finite and at least {min}")
                : string.Create(CultureInfo.InvariantCulture, $"{min}–{max}"),
            setter);

    /// <summary>Records a problem unless <paramref name="value"/> is defined in its enum.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="option">The option's property name.</param>
    /// <param name="value">Its value.</param>
    /// <param name="setter">The builder method(s) that set it.</param>
    /// <returns>This validator.</returns>
    public OptionsValidator Defined<TEnum>(string option, TEnum value, string setter)
        where TEnum : struct, Enum =>
        Require(Enum.IsDefined(value), option, Convert.ToInt64(value, CultureInfo.InvariantCulture), "one of " + string.Join(", ", Enum.GetNames<TEnum>()), setter);

    /// <summary>Throws when a problem was recorded, and does nothing otherwise.</summary>
    /// <exception cref="InvalidOptionsException">At least one problem (an <see cref="ArgumentOutOfRangeException"/>, so
    /// also an <see cref="ArgumentException"/>): the message is the problem itself, or with several a heading and every
    /// problem one a line; the parameter name is the (first) option's.</exception>
    public void ThrowIfInvalid()
    {
        if (_problems.Count == 0)
        {
            return;
        }

        string message = _problems.Count == 1
            ? _problems[0].Problem
            : string.Create(CultureInfo.InvariantCulture, $"{_problems.Count} {_subject} settings are invalid:")
                + string.Concat(_problems.Select(p => Environment.NewLine + "- " + p.Problem));
        throw new InvalidOptionsException(_problems[0].Option, message, Problems);
    }

    private static string RangeText(int min, int max) =>
        max == int.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"at least {min}")
            : string.Create(CultureInfo.InvariantCulture, $"{min}–{max}");

    /// <summary>
    /// The message of <paramref name="exception"/> without the " (Parameter '…')" .NET appends, for a message that quotes
    /// it inside another: the parameter is the library's, not something a user typed.
    /// </summary>
    internal static string PlainMessage(ArgumentException exception) => exception.ParamName is { } name
        ? exception.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal)
        : exception.Message;

    private static string Format(object? value) =>
        value switch
        {
            null => "null",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "null",
        };
}

/// <summary>
/// One or more options are out of range. <see cref="Exception.Message"/> states every problem (one alone, or a heading
/// and one a line) without .NET's "(Parameter '…')" and "Actual value was …" suffixes, so that it can be shown to a
/// user as it is; <see cref="ArgumentException.ParamName"/> names the (first) invalid option.
/// </summary>
#if EMBEDDINGS_TEXT
internal
#else
public
#endif
sealed class InvalidOptionsException : ArgumentOutOfRangeException
{
    private readonly string _message;

    /// <summary>Creates the exception.</summary>
    /// <param name="firstOption">The (first) invalid option's property name.</param>
    /// <param name="message">The problem, or a heading and every problem.</param>
    /// <param name="problems">Every problem, one sentence each.</param>
    public InvalidOptionsException(string firstOption, string message, IReadOnlyList<string> problems)
        : base(firstOption, message)
    {
        _message = message;
        Problems = problems;
    }

    /// <summary>Every problem, one sentence each, in the order they were found.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <inheritdoc/>
    public override string Message => _message;
}
