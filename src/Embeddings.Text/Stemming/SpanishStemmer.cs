using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Embeddings.Text.Stemming;

/// <summary>
/// The Snowball stemmer for Spanish (<see href="https://snowballstem.org/algorithms/spanish/stemmer.html"/>):
/// attached pronouns (step 0), standard suffixes (step 1), verb suffixes (steps 2a and 2b) and residual
/// suffixes (step 3) come off in turn, then acute accents are removed (<c>canciones</c> → <c>cancion</c>,
/// <c>haciéndola</c> → <c>hac</c>).
/// </summary>
/// <remarks>
/// <para>
/// Input is expected in lowercase, as Snowball defines it; uppercase letters count as consonants and
/// are never matched by a suffix. The vowels are <c>a e i o u á é í ó ú ü</c>; <c>ñ</c> is a consonant and
/// <c>ü</c> keeps its diaeresis.
/// </para>
/// <para>
/// <see cref="SnowballVersion.Snowball31"/> (the default) includes the change of Snowball 3.0.0: the
/// unaccented <c>-acion</c> and <c>-ucion</c>, common in text typed without accents, are handled like
/// <c>-ación</c> and <c>-ución</c> (<c>educacion</c> → <c>educ</c>, <c>constitucion</c> → <c>constitu</c>).
/// <see cref="SnowballVersion.Snowball22"/> leaves such words alone, as the Python package <c>snowballstemmer</c>
/// 2.2.0 does. <see cref="SnowballVersion.Nltk38"/> gives what NLTK 3.8's <c>SnowballStemmer("spanish")</c> gives:
/// it handles an unaccented <c>-acion</c> like <c>-ación</c> but leaves <c>-ucion</c> (<c>educacion</c> →
/// <c>educ</c>, <c>constitucion</c> unchanged); its verb suffixes have <c>-éamos</c> where Snowball has
/// <c>-íamos</c> (<c>poseíamos</c> → <c>pose</c>, not <c>pos</c>); and it removes every acute accent of the
/// word, not only the verb's, when it removes an attached pronoun.
/// </para>
/// <para>
/// Instances hold no mutable state: one can be shared between threads. Stemming works on a stack (or,
/// for long words, pooled) copy of the word; only the returned string is allocated, and only when the
/// stem differs from the word.
/// </para>
/// </remarks>
public sealed class SpanishStemmer : IStemmer, IInPlaceStemmer
{
    // The suffix lists below are written as the published definition gives them, one group per rule;
    // SuffixTable orders them so that the longest suffix is tried first, as Snowball's `among` does.

    // Step 0: attached pronouns, and the verb forms they must follow.
    private static readonly SuffixTable<Pronoun> Pronouns = new(
        (Pronoun.Attached, "me se sela selo selas selos la le lo las les los nos"));

    private static readonly SuffixTable<PronounHost> PronounHosts = new(
        (PronounHost.Accented, "iéndo ándo ár ér ír"),
        (PronounHost.Plain, "ando iendo ar er ir"),
        (PronounHost.AfterU, "yendo"));

    // Step 1: standard suffixes. Snowball 3.0.0 added the unaccented -acion and -ucion; NLTK 3.8 has -acion only.
    private static readonly (StandardRule Rule, string Suffixes)[] StandardGroups =
    [
        (StandardRule.Delete, "anza anzas ico ica icos icas ismo ismos able ables ible ibles ista istas oso osa osos osas amiento amientos imiento imientos"),
        (StandardRule.DeleteThenIc, "adora ador ación adoras adores aciones ante antes ancia ancias"),
        (StandardRule.ReplaceWithLog, "logía logías"),
        (StandardRule.ReplaceWithU, "ución uciones"),
        (StandardRule.ReplaceWithEnte, "encia encias"),
        (StandardRule.Amente, "amente"),
        (StandardRule.Mente, "mente"),
        (StandardRule.Idad, "idad idades"),
        (StandardRule.Iv, "iva ivo ivas ivos"),
    ];

    private static readonly SuffixTable<StandardRule> StandardSuffixes22 = new(StandardGroups);

    private static readonly SuffixTable<StandardRule> StandardSuffixes31 = new(
        [
            .. StandardGroups,
            (StandardRule.DeleteThenIc, "acion"),
            (StandardRule.ReplaceWithU, "ucion"),
        ]);

    private static readonly SuffixTable<StandardRule> NltkStandardSuffixes = new([.. StandardGroups, (StandardRule.DeleteThenIc, "acion")]);

    // What step 1 may remove after its suffix, each list in the published order.
    private static readonly string[] AfterAmente = ["os", "ic", "ad"];
    private static readonly string[] AfterMente = ["ante", "able", "ible"];
    private static readonly string[] AfterIdad = ["abil", "ic", "iv"];

    // Step 2a: verb suffixes beginning with y.
    private static readonly SuffixTable<YVerbRule> YVerbSuffixes = new(
        (YVerbRule.DeleteAfterU, "ya ye yan yen yeron yendo yo yó yas yes yais yamos"));

    // Step 2b: other verb suffixes.
    private const string VerbEndingsDeleted =
        "arían arías arán arás aríais aría aréis aríamos aremos ará aré " +
        "erían erías erán erás eríais ería eréis eríamos eremos erá eré " +
        "irían irías irán irás iríais iría iréis iríamos iremos irá iré " +
        "aba ada ida ía ara iera ad ed id ase iese aste iste an aban ían aran ieran asen iesen " +
        "aron ieron ado ido ando iendo ió ar er ir as abas adas idas ías aras ieras ases ieses " +
        "ís áis abais íais arais ierais aseis ieseis asteis isteis ados idos amos ábamos " +
        "imos áramos iéramos iésemos ásemos";

    private static readonly SuffixTable<VerbRule> VerbSuffixes = new(
        (VerbRule.DeleteWithGu, "en es éis emos"),
        (VerbRule.Delete, VerbEndingsDeleted),
        (VerbRule.Delete, "íamos"));

    // NLTK 3.8's list has "éamos" where Snowball has "íamos".
    private static readonly SuffixTable<VerbRule> NltkVerbSuffixes = new(
        (VerbRule.DeleteWithGu, "en es éis emos"),
        (VerbRule.Delete, VerbEndingsDeleted),
        (VerbRule.Delete, "éamos"));

    // Step 3: residual suffixes.
    private static readonly SuffixTable<ResidualRule> ResidualSuffixes = new(
        (ResidualRule.Delete, "os a o á í ó"),
        (ResidualRule.DeleteWithGu, "e é"));

    private readonly SuffixTable<StandardRule> _standardSuffixes;
    private readonly SuffixTable<VerbRule> _verbSuffixes;
    private readonly bool _nltk;

    /// <summary>Creates a Spanish stemmer that reproduces one implementation of the algorithm.</summary>
    /// <param name="version">Which one; the default is the current Snowball,
    /// <see cref="SnowballVersion.Snowball31"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not a defined
    /// <see cref="SnowballVersion"/>.</exception>
    public SpanishStemmer(SnowballVersion version = SnowballVersion.Snowball31)
    {
        Version = InPlaceStemming.CheckVersion(version);
        _nltk = version == SnowballVersion.Nltk38;
        _standardSuffixes = version switch
        {
            SnowballVersion.Snowball22 => StandardSuffixes22,
            SnowballVersion.Nltk38 => NltkStandardSuffixes,
            _ => StandardSuffixes31,
        };
        _verbSuffixes = _nltk ? NltkVerbSuffixes : VerbSuffixes;
    }

    /// <summary>Gets the implementation of the algorithm this stemmer reproduces.</summary>
    /// <value>The version given to the constructor.</value>
    public SnowballVersion Version { get; }

    /// <inheritdoc />
    public override string ToString() => InPlaceStemming.Describe("spanish", Version);

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="word"/> is <see langword="null"/>.</exception>
    public string Stem(string word) => InPlaceStemming.Stem(this, word);

    /// <inheritdoc />
    /// <remarks>The first <c>word.Length</c> characters of <paramref name="destination"/> serve as the work
    /// area: those past the returned length are unspecified, and those past <c>word.Length</c> are not
    /// touched. <paramref name="word"/> may overlap <paramref name="destination"/> (stemming in place).</remarks>
    public int Stem(ReadOnlySpan<char> word, Span<char> destination)
    {
        if (destination.Length < word.Length)
        {
            ThrowDestinationTooShort(word.Length, destination.Length, nameof(destination));
        }

        // Every rule shortens the word or rewrites letters in place, so the destination is the work area.
        return InPlaceStemming.Stem(this, word, destination);
    }

    /// <inheritdoc />
    int IInPlaceStemmer.StemInPlace(Span<char> word)
    {
        // Regions are fixed on the whole word before any step, as Snowball's mark_regions does;
        // each step only cuts the end, so the indices stay valid.
        int rv = RvStart(word);
        int r1 = RegionStart(word, 0);
        int r2 = RegionStart(word, r1);
        int length = word.Length;

        length = RemoveAttachedPronoun(word, length, rv);

        if (!RemoveStandardSuffix(word, ref length, r1, r2))
        {
            // Step 2 runs only when step 1 removed nothing, and step 2b only when step 2a removes nothing.
            // (NLTK tries step 2b after 2a too, but a word that 2a shortened ends in u, as no verb suffix does.)
            if (!RemoveYVerbSuffix(word, ref length, rv))
            {
                RemoveVerbSuffix(word, ref length, rv);
            }
        }

        length = RemoveResidualSuffix(word, length, rv);

        RemoveAcutes(word[..length]);
        return length;
    }

    /// <summary>Step 0: a pronoun attached to a gerund or infinitive in RV.</summary>
    private int RemoveAttachedPronoun(Span<char> word, int length, int rv)
    {
        if (!Pronouns.TryMatch(word[..length], 0, out int pronounStart, out _)
            || !PronounHosts.TryMatch(word[..pronounStart], 0, out int hostStart, out PronounHost host)
            || hostStart < rv)
        {
            return length;
        }

        // -yendo only after u (construyendolo); the u itself may lie before RV.
        if (host == PronounHost.AfterU && !(hostStart > 0 && word[hostStart - 1] == 'u'))
        {
            return length;
        }

        // The accent only marked the stress the pronoun moved: haciéndola -> haciendo. NLTK removes every
        // acute accent of the word here.
        if (_nltk || host == PronounHost.Accented)
        {
            RemoveAcutes(word[(_nltk ? 0 : hostStart)..pronounStart]);
        }

        return pronounStart;
    }

    /// <summary>Step 1. Returns whether a suffix was removed, in which case step 2 is skipped.</summary>
    private bool RemoveStandardSuffix(Span<char> word, ref int length, int r1, int r2)
    {
        // Snowball takes the longest suffix and fails if it is outside its region; it never falls
        // back to a shorter one (an -amente outside R1 is not retried as -mente).
        if (!_standardSuffixes.TryMatch(word[..length], 0, out int start, out StandardRule rule)
            || start < (rule == StandardRule.Amente ? r1 : r2))
        {
            return false;
        }

        length = start;
        switch (rule)
        {
            case StandardRule.Delete:
                break;
            case StandardRule.DeleteThenIc:
                length = TrimInRegion(word, length, "ic", r2);
                break;
            case StandardRule.ReplaceWithLog:
                length = Replace(word, length, "log");
                break;
            case StandardRule.ReplaceWithU:
                length = Replace(word, length, "u");
                break;
            case StandardRule.ReplaceWithEnte:
                length = Replace(word, length, "ente");
                break;
            case StandardRule.Amente:
                // -iv (then -at) first; otherwise one of -os, -ic, -ad.
                if (EndsWith(word, length, "iv"))
                {
                    int trimmed = TrimInRegion(word, length, "iv", r2);
                    length = trimmed < length ? TrimInRegion(word, trimmed, "at", r2) : length;
                }
                else
                {
                    length = TrimAnyInRegion(word, length, AfterAmente, r2);
                }

                break;
            case StandardRule.Mente:
                length = TrimAnyInRegion(word, length, AfterMente, r2);
                break;
            case StandardRule.Idad:
                length = TrimAnyInRegion(word, length, AfterIdad, r2);
                break;
            case StandardRule.Iv:
                length = TrimInRegion(word, length, "at", r2);
                break;
            default:
                throw new UnreachableException();
        }

        return true;
    }

    /// <summary>Step 2a: a y-suffix in RV, removed only after u.</summary>
    private static bool RemoveYVerbSuffix(Span<char> word, ref int length, int rv)
    {
        // The suffix must lie in RV; the u before it need not.
        if (YVerbSuffixes.TryMatch(word[..length], rv, out int start, out _)
            && start > 0
            && word[start - 1] == 'u')
        {
            length = start;
            return true;
        }

        return false;
    }

    /// <summary>Step 2b: other verb suffixes in RV.</summary>
    private void RemoveVerbSuffix(Span<char> word, ref int length, int rv)
    {
        if (!_verbSuffixes.TryMatch(word[..length], rv, out int start, out VerbRule rule))
        {
            return;
        }

        length = start;

        // After gu the u is silent spelling for the hard g (sigue -> sig); it goes too, in RV or not.
        if (rule == VerbRule.DeleteWithGu && EndsWith(word, length, "gu"))
        {
            length--;
        }
    }

    /// <summary>Step 3: a residual vowel ending in RV.</summary>
    private static int RemoveResidualSuffix(Span<char> word, int length, int rv)
    {
        if (!ResidualSuffixes.TryMatch(word[..length], 0, out int start, out ResidualRule rule) || start < rv)
        {
            return length;
        }

        length = start;

        // Unlike step 2b, the u of gu must itself be in RV here.
        if (rule == ResidualRule.DeleteWithGu && EndsWith(word, length, "gu") && length - 1 >= rv)
        {
            length--;
        }

        return length;
    }

    /// <summary>RV: after the next vowel if the second letter is a consonant; after the next consonant if
    /// the first two letters are vowels; otherwise (consonant, vowel) after the third letter.</summary>
    private static int RvStart(ReadOnlySpan<char> word)
    {
        if (word.Length < 2)
        {
            return word.Length;
        }

        if (!IsVowel(word[1]))
        {
            return After(word, IndexOfVowel(word, 2));
        }

        if (IsVowel(word[0]))
        {
            return After(word, IndexOfConsonant(word, 2));
        }

        return Math.Min(3, word.Length);
    }

    /// <summary>R1 (from 0) or R2 (from R1): the region after the first consonant that follows a vowel,
    /// searching from <paramref name="from"/>; the end of the word if there is none.</summary>
    private static int RegionStart(ReadOnlySpan<char> word, int from)
    {
        int vowel = IndexOfVowel(word, from);
        return vowel < 0 ? word.Length : After(word, IndexOfConsonant(word, vowel + 1));
    }

    private static int After(ReadOnlySpan<char> word, int index) => index < 0 ? word.Length : index + 1;

    private static int IndexOfVowel(ReadOnlySpan<char> word, int from)
    {
        for (int i = from; i < word.Length; i++)
        {
            if (IsVowel(word[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static int IndexOfConsonant(ReadOnlySpan<char> word, int from)
    {
        for (int i = from; i < word.Length; i++)
        {
            if (!IsVowel(word[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'á' or 'é' or 'í' or 'ó' or 'ú' or 'ü';

    private static void RemoveAcutes(Span<char> letters)
    {
        letters.Replace('á', 'a');
        letters.Replace('é', 'e');
        letters.Replace('í', 'i');
        letters.Replace('ó', 'o');
        letters.Replace('ú', 'u');
    }

    private static bool EndsWith(ReadOnlySpan<char> word, int length, string suffix) =>
        word[..length].EndsWith(suffix);

    /// <summary>Removes <paramref name="suffix"/> if the word ends with it and it starts in the region.</summary>
    private static int TrimInRegion(ReadOnlySpan<char> word, int length, string suffix, int region) =>
        length - suffix.Length >= region && EndsWith(word, length, suffix) ? length - suffix.Length : length;

    /// <summary>Removes whichever of <paramref name="suffixes"/> the word ends with, if it starts in the
    /// region. No suffix in these lists ends another, so at most one matches.</summary>
    private static int TrimAnyInRegion(ReadOnlySpan<char> word, int length, string[] suffixes, int region)
    {
        foreach (string suffix in suffixes)
        {
            if (EndsWith(word, length, suffix))
            {
                return length - suffix.Length >= region ? length - suffix.Length : length;
            }
        }

        return length;
    }

    /// <summary>Appends <paramref name="replacement"/> at <paramref name="length"/>. It is never longer
    /// than the suffix it replaces, so it fits in the word's own buffer.</summary>
    private static int Replace(Span<char> word, int length, string replacement)
    {
        replacement.AsSpan().CopyTo(word[length..]);
        return length + replacement.Length;
    }

    [DoesNotReturn]
    private static void ThrowDestinationTooShort(int wordLength, int destinationLength, string paramName) =>
        throw new ArgumentException(
            $"Destination must hold at least the word's {wordLength} characters (was {destinationLength}).",
            paramName);

    private enum Pronoun : byte
    {
        Attached,
    }

    private enum PronounHost : byte
    {
        /// <summary>iéndo ándo ár ér ír: delete the pronoun and the accent.</summary>
        Accented,

        /// <summary>ando iendo ar er ir: delete the pronoun.</summary>
        Plain,

        /// <summary>yendo: delete the pronoun if u precedes.</summary>
        AfterU,
    }

    private enum StandardRule : byte
    {
        /// <summary>Delete if in R2.</summary>
        Delete,

        /// <summary>Delete if in R2; then an ic before it, if in R2.</summary>
        DeleteThenIc,

        /// <summary>Replace with log if in R2.</summary>
        ReplaceWithLog,

        /// <summary>Replace with u if in R2.</summary>
        ReplaceWithU,

        /// <summary>Replace with ente if in R2.</summary>
        ReplaceWithEnte,

        /// <summary>Delete if in R1; then iv (and at before it), or os, ic, ad, if in R2.</summary>
        Amente,

        /// <summary>Delete if in R2; then ante, able or ible, if in R2.</summary>
        Mente,

        /// <summary>Delete if in R2; then abil, ic or iv, if in R2.</summary>
        Idad,

        /// <summary>Delete if in R2; then at, if in R2.</summary>
        Iv,
    }

    private enum YVerbRule : byte
    {
        DeleteAfterU,
    }

    private enum VerbRule : byte
    {
        /// <summary>Delete; if gu precedes, delete the u too.</summary>
        DeleteWithGu,

        /// <summary>Delete.</summary>
        Delete,
    }

    private enum ResidualRule : byte
    {
        /// <summary>Delete if in RV.</summary>
        Delete,

        /// <summary>Delete if in RV; if gu precedes with the u in RV, delete the u too.</summary>
        DeleteWithGu,
    }
}
