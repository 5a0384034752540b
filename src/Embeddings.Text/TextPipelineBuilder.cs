using System.Text;
using Embeddings.Text.Normalization;
using Embeddings.Text.Options;
using Embeddings.Text.Stemming;
using Embeddings.Text.Stopwords;
using Embeddings.Text.Tokenization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.Text;

/// <summary>
/// Composes a <see cref="TextPipeline"/>. Normalisation steps run in the order they are added; then the
/// tokenizer, the length and stopword filters, and the stemmer. <see cref="Build"/> validates everything at once.
/// </summary>
public sealed class TextPipelineBuilder
{
    private readonly List<NormalizationStep> _steps = [];
    private readonly OptionsValidator _problems = new("text pipeline");
    private Tokenizer? _tokenizer;
    private int _minTokenLength = 1;
    private StopwordList? _stopwords;
    private IStemmer? _stemmer;
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;

    /// <summary>Lowercases with the invariant culture.</summary>
    public TextPipelineBuilder Lowercase() => Add(LowercaseStep.Instance);

    /// <summary>Applies Unicode normalisation (NFC composes <c>e</c> + <c>◌́</c> into <c>é</c>; NFKD also splits ligatures and width variants).</summary>
    /// <param name="form">The normal form; default NFC.</param>
    public TextPipelineBuilder NormalizeUnicode(NormalizationForm form = NormalizationForm.FormC) =>
        Add(new UnicodeNormalizationStep(form));

    /// <summary>Removes accents and other combining marks: <c>canción</c> → <c>cancion</c>. Opt-in: it merges words Spanish keeps apart (<c>sí</c>/<c>si</c>).</summary>
    /// <param name="except">Characters to keep whole, e.g. <c>"ñÑ"</c> so that <c>año</c> does not become <c>ano</c>.</param>
    public TextPipelineBuilder StripDiacritics(string? except = null) => Add(new StripDiacriticsStep(except));

    /// <summary>Drops every non-ASCII character (combine with <see cref="StripDiacritics"/> first to keep accented letters as their base letter).</summary>
    public TextPipelineBuilder AsciiOnly() => Add(AsciiOnlyStep.Instance);

    /// <summary>Keeps only the characters of a class written like a regex class body, and deletes the rest, as
    /// <c>re.sub(r"[^a-z@# ]", "", text)</c> does for <c>"a-z@# "</c>.</summary>
    /// <param name="characterClass">For example <c>"a-z@# "</c> or <c>"a-zñáéíóúü "</c>.</param>
    public TextPipelineBuilder KeepOnly(string characterClass)
    {
        ArgumentNullException.ThrowIfNull(characterClass);
        try
        {
            return Add(new KeepCharactersStep(CharacterClass.Parse(characterClass)));
        }
        catch (ArgumentException e)
        {
            // The message alone, without .NET's "(Parameter 'pattern')".
            _problems.Add("KeepOnly", $"KeepOnly: {OptionsValidator.PlainMessage(e)}");
            return this;
        }
    }

    /// <summary>Replaces web addresses with <paramref name="replacement"/>.</summary>
    /// <param name="replacement">The placeholder, default <c>"&lt;url&gt;"</c>; surround it with spaces to make it a separate token.</param>
    public TextPipelineBuilder ReplaceUrls(string replacement = "<url>")
    {
        ArgumentNullException.ThrowIfNull(replacement);
        return Add(new ReplaceUrlsStep(replacement));
    }

    /// <summary>Replaces numbers (<c>42</c>, <c>3,14</c>, <c>1.500</c>) with <paramref name="replacement"/>.</summary>
    /// <param name="replacement">The placeholder, default <c>"&lt;num&gt;"</c>.</param>
    public TextPipelineBuilder ReplaceNumbers(string replacement = "<num>")
    {
        ArgumentNullException.ThrowIfNull(replacement);
        return Add(new ReplaceNumbersStep(replacement));
    }

    /// <summary>Adds your own normalisation step.</summary>
    /// <param name="normalize">Maps a line to its normalised form; must be thread-safe.</param>
    /// <param name="description">A name for logs.</param>
    public TextPipelineBuilder Normalize(Func<string, string> normalize, string description = "custom")
    {
        ArgumentNullException.ThrowIfNull(normalize);
        return Add(new CustomStep(normalize, description));
    }

    /// <summary>Splits on runs of whitespace (the default tokenizer).</summary>
    public TextPipelineBuilder TokenizeOnWhitespace() => TokenizeWith(Tokenizer.Whitespace);

    /// <summary>Splits into words of letters and digits; see <see cref="WordTokenizer"/>.</summary>
    /// <param name="keepMentionsAndHashtags">Keep <c>@user</c> and <c>#tag</c> whole.</param>
    /// <param name="keepPunctuation">Emit punctuation runs as tokens.</param>
    public TextPipelineBuilder TokenizeWords(bool keepMentionsAndHashtags = false, bool keepPunctuation = false) =>
        TokenizeWith(new WordTokenizer(keepMentionsAndHashtags, keepPunctuation));

    /// <summary>Uses <paramref name="tokenizer"/>.</summary>
    /// <param name="tokenizer">Any tokenizer, yours included.</param>
    public TextPipelineBuilder TokenizeWith(Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (_tokenizer is not null)
        {
            _problems.Add("Tokenizer", $"A tokenizer is already set ({_tokenizer}); call one Tokenize… method.");
        }

        _tokenizer = tokenizer;
        return this;
    }

    /// <summary>Drops tokens shorter than <paramref name="length"/> characters (checked before stemming).</summary>
    /// <param name="length">At least 1.</param>
    public TextPipelineBuilder MinTokenLength(int length)
    {
        _problems.InRange(nameof(MinTokenLength), length, 1, int.MaxValue, "MinTokenLength(int)");
        _minTokenLength = length;
        return this;
    }

    /// <summary>Drops the tokens found in <paramref name="stopwords"/> (before stemming, as NLTK notebooks do). Calling it again adds to the list.</summary>
    /// <param name="stopwords">For example <see cref="StopwordList.English"/>.</param>
    public TextPipelineBuilder RemoveStopwords(StopwordList stopwords)
    {
        ArgumentNullException.ThrowIfNull(stopwords);
        _stopwords = _stopwords is null ? stopwords : _stopwords.Union(stopwords);
        return this;
    }

    /// <summary>Stems every token that survives the filters.</summary>
    /// <param name="stemmer">For example <c>new EnglishStemmer(SnowballVersion.Nltk38)</c>.</param>
    public TextPipelineBuilder Stem(IStemmer stemmer)
    {
        ArgumentNullException.ThrowIfNull(stemmer);
        if (_stemmer is not null)
        {
            _problems.Add("Stemmer", $"A stemmer is already set ({_stemmer}); call Stem once.");
        }

        _stemmer = stemmer;
        return this;
    }

    /// <summary>Logs start and end of <c>TextPipeline.Process</c> through <paramref name="loggerFactory"/>.</summary>
    /// <param name="loggerFactory">The factory; the default logs nothing.</param>
    public TextPipelineBuilder WithLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Validates the configuration and creates the pipeline.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Something is misconfigured; the message lists every problem, and
    /// <see cref="ArgumentException.ParamName"/> names the first (e.g. <c>MinTokenLength</c>).</exception>
    public TextPipeline Build()
    {
        _problems.ThrowIfInvalid();

        var options = new TextPipelineOptions([.. _steps], _tokenizer ?? Tokenizer.Whitespace, _minTokenLength, _stopwords, _stemmer);
        return new TextPipeline(options, _loggerFactory.CreateLogger<TextPipeline>());
    }

    private TextPipelineBuilder Add(NormalizationStep step)
    {
        _steps.Add(step);
        return this;
    }
}
