using System.Buffers;
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
/// <see cref="SnowballVersion.Snowball22"/> leaves such words alone, as Debian 12's
/// <c>python3-snowballstemmer</c> 2.2.0 does. NLTK 3.8's <c>SnowballStemmer("spanish")</c> is a third
/// behaviour that neither version reproduces: it strips unaccented <c>-acion</c> but not <c>-ucion</c>.
/// </para>
/// <para>
/// Instances hold no mutable state: one can be shared between threads. Stemming works on a stack (or,
/// for long words, pooled) copy of the word; only the returned string is allocated, and only when the
/// stem differs from the word.
/// </para>
/// </remarks>
public sealed class SpanishStemmer : IStemmer
{
    // Words up to this length are stemmed in a stack buffer; longer ones rent from ArrayPool.
    private const int StackBufferLength = 64;

    // The suffix lists below are written as the published definition gives them, one group per rule;
    // SuffixTable orders them so that the longest suffix is tried first, as Snowball's `among` does.

    // Step 0: attached pronouns, and the verb forms they must follow.
    private static readonly SuffixTable<Pronoun> Pronouns = new(
        (Pronoun.Attached, "me se sela selo selas selos la le lo las les los nos"));

    private static readonly SuffixTable<PronounHost> PronounHosts = new(
        (PronounHost.Accented, "iéndo ándo ár ér ír"),
        (PronounHost.Plain, "ando iendo ar er ir"),
        (PronounHost.AfterU, "yendo"));

    // Step 1: standard suffixes. Snowball 3.0.0 added the unaccented -acion and -ucion.
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

    // What step 1 may remove after its suffix, each list in the published order.
    private static readonly string[] AfterAmente = ["os", "ic", "ad"];
    private static readonly string[] AfterMente = ["ante", "able", "ible"];
    private static readonly string[] AfterIdad = ["abil", "ic", "iv"];

    // Step 2a: verb suffixes beginning with y.
    private static readonly SuffixTable<YVerbRule> YVerbSuffixes = new(
        (YVerbRule.DeleteAfterU, "ya ye yan yen yeron yendo yo yó yas yes yais yamos"));

    // Step 2b: other verb suffixes.
    private static readonly SuffixTable<VerbRule> VerbSuffixes = new(
        (VerbRule.DeleteWithGu, "en es éis emos"),
        (VerbRule.Delete,
            "arían arías arán arás aríais aría aréis aríamos aremos ará aré " +
            "erían erías erán erás eríais ería eréis eríamos eremos erá eré " +
            "irían irías irán irás iríais iría iréis iríamos iremos irá iré " +
            "aba ada ida ía ara iera ad ed id ase iese aste iste an aban ían aran ieran asen iesen " +
            "aron ieron ado ido ando iendo ió ar er ir as abas adas idas ías aras ieras ases ieses " +
            "ís áis abais íais arais ierais aseis ieseis asteis isteis ados idos amos ábamos íamos " +
            "imos áramos iéramos iésemos ásemos"));

    // Step 3: residual suffixes.
    private static readonly SuffixTable<ResidualRule> ResidualSuffixes = new(
        (ResidualRule.Delete, "os a o á í ó"),
        (ResidualRule.DeleteWithGu, "e é"));

    private readonly SuffixTable<StandardRule> _standardSuffixes;

    /// <summary>Creates a Spanish stemmer for one release of the algorithm.</summary>
    /// <param name="version">The Snowball release to reproduce; the default is the current one,
    /// <see cref="SnowballVersion.Snowball31"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not a defined
    /// <see cref="SnowballVersion"/>.</exception>
    public SpanishStemmer(SnowballVersion version = SnowballVersion.Snowball31)
    {
        _standardSuffixes = version switch
        {
            SnowballVersion.Snowball31 => StandardSuffixes31,
            SnowballVersion.Snowball22 => StandardSuffixes22,
            _ => throw new ArgumentOutOfRangeException(
                nameof(version), version, $"Version must be Snowball31 or Snowball22 (was {(int)version})."),
        };
        Version = version;
    }

    /// <summary>Gets the Snowball release this stemmer reproduces.</summary>
    /// <value>The version given to the constructor.</value>
    public SnowballVersion Version { get; }

    /// <inheritdoc />
    public override string ToString() => Version == SnowballVersion.Snowball22 ? "snowball spanish 2.2" : "snowball spanish 3.1";

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="word"/> is <see langword="null"/>.</exception>
    public string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length == 0)
        {
            return word;
        }

        char[]? rented = null;
        Span<char> buffer = word.Length <= StackBufferLength
            ? stackalloc char[StackBufferLength]
            : (rented = ArrayPool<char>.Shared.Rent(word.Length));
        try
        {
            Span<char> stem = buffer[..word.Length];
            word.AsSpan().CopyTo(stem);
            int length = StemInPlace(stem);
            ReadOnlySpan<char> result = stem[..length];

            // Most words change, but stems of short or foreign words often do not: keep the instance.
            return result.SequenceEqual(word) ? word : new string(result);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

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
        Span<char> stem = destination[..word.Length];
        word.CopyTo(stem);
        return StemInPlace(stem);
    }

    /// <summary>Stems <paramref name="word"/> in place.</summary>
    /// <returns>The length of the stem, a prefix of <paramref name="word"/>.</returns>
    private int StemInPlace(Span<char> word)
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
            if (!RemoveYVerbSuffix(word, ref length, rv))
            {
                RemoveVerbSuffix(word, ref length, rv);
            }
        }

        length = RemoveResidualSuffix(word, length, rv);

        for (int i = 0; i < length; i++)
        {
            word[i] = RemoveAcute(word[i]);
        }

        return length;
    }

    /// <summary>Step 0: a pronoun attached to a gerund or infinitive in RV.</summary>
    private static int RemoveAttachedPronoun(Span<char> word, int length, int rv)
    {
        if (!Pronouns.TryMatch(word[..length], 0, out int pronounStart, out _)
            || !PronounHosts.TryMatch(word[..pronounStart], 0, out int hostStart, out PronounHost host)
            || hostStart < rv)
        {
            return length;
        }

        switch (host)
        {
            case PronounHost.Accented:
                // The accent only marked the stress the pronoun moved: haciéndola -> haciendo.
                for (int i = hostStart; i < pronounStart; i++)
                {
                    word[i] = RemoveAcute(word[i]);
                }

                return pronounStart;
            case PronounHost.Plain:
                return pronounStart;
            default:
                // -yendo only after u (construyendolo); the u itself may lie before RV.
                return hostStart > 0 && word[hostStart - 1] == 'u' ? pronounStart : length;
        }
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
    private static void RemoveVerbSuffix(Span<char> word, ref int length, int rv)
    {
        if (!VerbSuffixes.TryMatch(word[..length], rv, out int start, out VerbRule rule))
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

    private static char RemoveAcute(char c) => c switch
    {
        'á' => 'a',
        'é' => 'e',
        'í' => 'i',
        'ó' => 'o',
        'ú' => 'u',
        _ => c,
    };

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

    /// <summary>
    /// A suffix list with Snowball's <c>among</c> semantics: the longest listed suffix that ends the word
    /// (and, when asked, starts at or after a region) wins. Entries are bucketed by their last letter and
    /// sorted longest first, so a lookup reads only the few suffixes that could match.
    /// </summary>
    private sealed class SuffixTable<TRule>
        where TRule : struct, Enum
    {
        // Every suffix ends in a letter below U+0100 (a-z or an acute vowel).
        private readonly Entry[]?[] _byLastChar = new Entry[]?[256];

        public SuffixTable(params ReadOnlySpan<(TRule Rule, string Suffixes)> groups)
        {
            var buckets = new List<Entry>?[_byLastChar.Length];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach ((TRule rule, string suffixes) in groups)
            {
                foreach (string suffix in suffixes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    // A duplicate would make the rule depend on list order: a typo, caught at type load.
                    if (!seen.Add(suffix) || suffix[^1] >= _byLastChar.Length)
                    {
                        throw new InvalidOperationException($"Bad suffix '{suffix}' in a Spanish stemmer table.");
                    }

                    (buckets[suffix[^1]] ??= []).Add(new Entry(suffix, rule));
                }
            }

            for (int c = 0; c < buckets.Length; c++)
            {
                if (buckets[c] is { } bucket)
                {
                    Entry[] entries = bucket.ToArray();
                    Array.Sort(entries, static (a, b) => b.Suffix.Length.CompareTo(a.Suffix.Length));
                    _byLastChar[c] = entries;
                }
            }
        }

        /// <summary>Finds the longest suffix of <paramref name="word"/> in the table that starts at or
        /// after <paramref name="regionStart"/>.</summary>
        public bool TryMatch(ReadOnlySpan<char> word, int regionStart, out int start, out TRule rule)
        {
            if (word.Length > 0 && word[^1] < _byLastChar.Length && _byLastChar[word[^1]] is { } entries)
            {
                int room = word.Length - regionStart;
                char secondLast = word.Length > 1 ? word[^2] : '\0';
                foreach (Entry entry in entries)
                {
                    // Comparing the second-last letter first skips most entries of a bucket cheaply.
                    string suffix = entry.Suffix;
                    if (suffix.Length <= room
                        && (suffix.Length == 1 || suffix[^2] == secondLast)
                        && word.EndsWith(suffix))
                    {
                        start = word.Length - entry.Suffix.Length;
                        rule = entry.Rule;
                        return true;
                    }
                }
            }

            start = -1;
            rule = default;
            return false;
        }

        private readonly record struct Entry(string Suffix, TRule Rule);
    }
}
