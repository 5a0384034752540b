using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Embeddings.Text.Stemming;

/// <summary>
/// The English Snowball stemmer (Porter2, the "english" algorithm of snowballstem.org).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="SnowballVersion.Snowball31"/> follows the current definition: the changes of Snowball 3.0.0
/// (<c>-ogist</c> → <c>-og</c>, no undoubling after exactly <c>a</c>, <c>e</c> or <c>o</c>, and the stems
/// <c>emerg</c>, <c>evening</c>, <c>later</c>, <c>organ</c>, <c>past</c>, <c>univers</c> kept apart) and of
/// 3.1.0 (<c>inter-</c> words, <c>skis</c> → <c>ski</c>).
/// </para>
/// <para>
/// <see cref="SnowballVersion.Snowball22"/> gives what the Python package <c>snowballstemmer</c> 2.2.0 gives.
/// <see cref="SnowballVersion.Nltk38"/> gives what NLTK 3.8's <c>SnowballStemmer("english").stem</c> gives, quirks
/// included. NLTK agrees with Snowball 2.2.0 on the official vocabulary; on rarer words it differs, because it
/// keeps R1 and R2 as strings and shortens them by its own rules (<c>stylization</c> → <c>stylize</c> where
/// Snowball 2.2.0 gives <c>styliz</c>), looks its exception list up on the whole input only (<c>inning's</c> →
/// <c>in</c>, not <c>inning</c>), and reads the typographic apostrophes as <c>'</c>.
/// </para>
/// <para>
/// Input is expected in lower case (NLTK lower-cases first; this class does not). Letters outside
/// <c>a</c>–<c>z</c> count as non-vowels. Words of one or two characters are returned unchanged. Instances
/// are immutable and safe to share between threads.
/// </para>
/// </remarks>
public sealed class EnglishStemmer : IStemmer, IInPlaceStemmer
{
    private static readonly SearchValues<char> _vowels = SearchValues.Create("aeiouy");

    // Steps 2 to 4 act on the longest suffix listed (and on nothing else, if its region or check fails). Each edit
    // keeps the first characters of the suffix and appends the rest: "tional" keeps 4 ("tion"), "ational" keeps 0
    // and appends "ate". NLTK shortens its regions differently for the two kinds, so the split is kept as NLTK has it.
    private static readonly SuffixTable<Edit> Step2Suffixes = new(
        (new Edit(0, "ate", R2KeepsE: true), "ational ation ator"),
        (new Edit(4, ""), "tional"),
        (new Edit(0, "ize"), "ization izer"),
        (new Edit(3, ""), "fulness"),
        (new Edit(0, "ous"), "ousness ousli"),
        (new Edit(0, "ive", R2KeepsE: true), "iveness iviti"),
        (new Edit(0, "al"), "alism aliti alli"),
        (new Edit(0, "og", Check.Snowball3), "ogist"),
        (new Edit(0, "ble"), "biliti bli"),
        (new Edit(4, ""), "lessli"),
        (new Edit(3, ""), "entli fulli"),
        (new Edit(3, "e"), "enci anci abli"),
        (new Edit(2, "", Check.AfterL), "ogi"),
        (new Edit(0, "", Check.ValidLiEnding), "li"));

    private static readonly SuffixTable<Edit> Step3Suffixes = new(
        (new Edit(0, "ate"), "ational"),
        (new Edit(4, ""), "tional"),
        (new Edit(2, ""), "alize"),
        (new Edit(0, "ic"), "icate iciti ical"),
        (new Edit(0, ""), "ful ness"),
        (new Edit(0, "", Check.InR2), "ative"));

    private static readonly SuffixTable<Edit> Step4Suffixes = new(
        (new Edit(0, ""), "al ance ence er ic able ible ant ement ment ent ism ate iti ous ive ize"),
        (new Edit(0, "", Check.AfterSOrT), "ion"));

    private readonly bool _nltk;

    /// <summary>Creates a stemmer that reproduces one implementation of the algorithm.</summary>
    /// <param name="version">Which one; <see cref="SnowballVersion.Snowball31"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not a defined value.</exception>
    public EnglishStemmer(SnowballVersion version = SnowballVersion.Snowball31)
    {
        Version = InPlaceStemming.CheckVersion(version);
        _nltk = version == SnowballVersion.Nltk38;
    }

    /// <summary>A shared stemmer for the current definition (Snowball 3.1).</summary>
    /// <value>An instance whose <see cref="Version"/> is <see cref="SnowballVersion.Snowball31"/>.</value>
    public static EnglishStemmer Snowball31 { get; } = new(SnowballVersion.Snowball31);

    /// <summary>A shared stemmer that reproduces the Python package <c>snowballstemmer</c> 2.2.0.</summary>
    /// <value>An instance whose <see cref="Version"/> is <see cref="SnowballVersion.Snowball22"/>.</value>
    public static EnglishStemmer Snowball22 { get; } = new(SnowballVersion.Snowball22);

    /// <summary>A shared stemmer that reproduces NLTK 3.8's <c>SnowballStemmer("english")</c>.</summary>
    /// <value>An instance whose <see cref="Version"/> is <see cref="SnowballVersion.Nltk38"/>.</value>
    public static EnglishStemmer Nltk38 { get; } = new(SnowballVersion.Nltk38);

    /// <summary>The implementation of the algorithm this stemmer reproduces.</summary>
    /// <value>The version given to the constructor.</value>
    public SnowballVersion Version { get; }

    /// <inheritdoc />
    public override string ToString() => InPlaceStemming.Describe("english", Version);

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="word"/> is <see langword="null"/>.</exception>
    public string Stem(string word) => InPlaceStemming.Stem(this, word);

    /// <inheritdoc />
    /// <remarks><paramref name="destination"/> may overlap <paramref name="word"/> (stemming in place).</remarks>
    public int Stem(ReadOnlySpan<char> word, Span<char> destination)
    {
        if (destination.Length < word.Length)
        {
            ThrowDestinationTooShort(word.Length, destination.Length, nameof(destination));
        }

        return InPlaceStemming.Stem(this, word, destination);
    }

    [DoesNotReturn]
    private static void ThrowDestinationTooShort(int wordLength, int destinationLength, string paramName) =>
        throw new ArgumentException(
            "Destination is too short: it must hold at least as many characters as the word (" +
            wordLength.ToString(CultureInfo.InvariantCulture) + "), was " +
            destinationLength.ToString(CultureInfo.InvariantCulture) + ".",
            paramName);

    /// <inheritdoc />
    int IInPlaceStemmer.StemInPlace(Span<char> chars)
    {
        if (chars.Length <= 2)
        {
            return chars.Length;
        }

        string? special = _nltk ? Exception1(chars) ?? NltkException2(chars) : Exception1(chars);
        if (special is not null)
        {
            special.CopyTo(chars);
            return special.Length;
        }

        if (_nltk)
        {
            // NLTK maps the typographic apostrophes to ' (after its exception lookup, as here).
            chars.Replace('\u2019', '\'');
            chars.Replace('\u2018', '\'');
            chars.Replace('\u201B', '\'');
        }

        var w = new Word(chars, Version);
        bool hasY = w.Prelude();
        w.MarkRegions();

        w.Step0();
        w.Step1a();

        // Snowball 2.2 leaves exception2's words alone once step 1a has run (innings, inning's -> inning).
        if (Version != SnowballVersion.Snowball22 || !IsException2(chars[..w.Length]))
        {
            w.Step1b();
            w.Step1c();
            w.Step2();
            w.Step3();
            w.Step4();
            w.Step5();
        }

        if (hasY)
        {
            chars[..w.Length].Replace('Y', 'y');
        }

        return w.Length;
    }

    // Snowball's exception1: whole words stemmed specially or left alone. Snowball 2.2 lists dying, lying and
    // tying here; Snowball 3 gets the same stems from step 1b.
    private static string? Exception1(ReadOnlySpan<char> word) => word switch
    {
        "skis" => "ski",
        "skies" => "sky",
        "dying" => "die",
        "lying" => "lie",
        "tying" => "tie",
        "idly" => "idl",
        "gently" => "gentl",
        "ugly" => "ugli",
        "early" => "earli",
        "only" => "onli",
        "singly" => "singl",
        "sky" => "sky",
        "news" => "news",
        "howe" => "howe",
        "atlas" => "atlas",
        "cosmos" => "cosmos",
        "bias" => "bias",
        "andes" => "andes",
        _ => null,
    };

    // Snowball 2.2's exception2, tested after step 1a.
    private static bool IsException2(ReadOnlySpan<char> word) =>
        word is "inning" or "outing" or "canning" or "herring" or "earring" or "proceed" or "exceed" or "succeed";

    // NLTK 3.8's forms of exception2, looked up only on the whole input (so "inning's" becomes "in").
    private static string? NltkException2(ReadOnlySpan<char> word) => word switch
    {
        "inning" or "innings" => "inning",
        "outing" or "outings" => "outing",
        "canning" or "cannings" => "canning",
        "herring" or "herrings" => "herring",
        "earring" or "earrings" => "earring",
        "proceed" or "proceeds" or "proceeded" or "proceeding" => "proceed",
        "exceed" or "exceeds" or "exceeded" or "exceeding" => "exceed",
        "succeed" or "succeeds" or "succeeded" or "succeeding" => "succeed",
        _ => null,
    };

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    private static bool ContainsVowel(ReadOnlySpan<char> s) => s.ContainsAny(_vowels);

    // The index just past the first non-vowel that follows a vowel, both at or after start; the end if none.
    private static int AfterVowelNonVowel(ReadOnlySpan<char> s, int start)
    {
        for (int i = start + 1; i < s.Length; i++)
        {
            if (!IsVowel(s[i]) && IsVowel(s[i - 1]))
            {
                return i + 1;
            }
        }

        return s.Length;
    }

    // Snowball's "shortv" at the end of s: non-vowel (not w, x, Y), vowel, non-vowel; or vowel, non-vowel
    // making up the whole of s; or (Snowball 3) "past".
    private static bool EndsWithShortSyllable(ReadOnlySpan<char> s, bool pastIsShort)
    {
        int n = s.Length;
        if (n >= 3 && IsVowel(s[n - 2]) && !IsVowel(s[n - 3]) && !IsVowel(s[n - 1]) && s[n - 1] is not ('w' or 'x' or 'Y'))
        {
            return true;
        }

        if (n == 2 && IsVowel(s[0]) && !IsVowel(s[1]))
        {
            return true;
        }

        return pastIsShort && s.EndsWith("past");
    }

    private static bool IsDouble(ReadOnlySpan<char> s) =>
        s.Length >= 2 && s[^1] == s[^2] && s[^1] is 'b' or 'd' or 'f' or 'g' or 'm' or 'n' or 'p' or 'r' or 't';

    private static bool IsValidLiEnding(char c) =>
        c is 'c' or 'd' or 'e' or 'g' or 'h' or 'k' or 'm' or 'n' or 'r' or 't';

    /// <summary>
    /// The word being stemmed, with R1 and R2 kept as start indices (<see cref="P1"/>, <see cref="P2"/>).
    /// </summary>
    /// <remarks>
    /// Snowball keeps p1 and p2 fixed while the end of the word moves, so a region may start past the end.
    /// NLTK keeps R1 and R2 as strings cut alongside the word: cutting amounts to clamping the start to the
    /// new end, and replacing a suffix longer than the region empties it (or leaves "e", in two rules of
    /// step 2). With <see cref="Nltk"/> set, the edits below follow NLTK's rules instead. <see cref="Snowball3"/>
    /// turns on the changes of Snowball 3.0 and 3.1.
    /// </remarks>
    private ref struct Word
    {
        public readonly Span<char> Chars;
        public readonly bool Nltk;
        public readonly bool Snowball3;
        public int Length;
        public int P1;
        public int P2;

        public Word(Span<char> chars, SnowballVersion version)
        {
            Chars = chars;
            Nltk = version == SnowballVersion.Nltk38;
            Snowball3 = version == SnowballVersion.Snowball31;
            Length = chars.Length;
        }

        private readonly ReadOnlySpan<char> Text => Chars[..Length];

        private readonly char Last => Chars[Length - 1];

        private readonly bool EndsWith(ReadOnlySpan<char> suffix) => Text.EndsWith(suffix);

        private readonly bool InR1(int suffixLength) => P1 <= Length - suffixLength;

        private readonly bool InR2(int suffixLength) => P2 <= Length - suffixLength;

        // Removes the first character (a leading apostrophe).
        private void RemoveFirst()
        {
            Chars[1..Length].CopyTo(Chars);
            Length--;
        }

        // Deletes the last count characters (NLTK: word[:-count], r1[:-count], r2[:-count], which Replace does).
        private void Remove(int count) => Replace(count, "");

        // Replaces the last count characters (NLTK: suffix_replace on word, and on each region only if it
        // holds the whole suffix; otherwise that region becomes "" or, where r2KeepsE, "e").
        private void Replace(int count, ReadOnlySpan<char> replacement, bool r2KeepsE = false)
        {
            int start = Length - count;
            replacement.CopyTo(Chars[start..]);
            Length = start + replacement.Length;
            if (Nltk)
            {
                if (P1 > start)
                {
                    P1 = Length;
                }

                if (P2 > start)
                {
                    P2 = r2KeepsE ? Length - 1 : Length;
                }
            }
        }

        private void AppendE() => Chars[Length++] = 'e';

        public bool Prelude()
        {
            if (Chars[0] == '\'')
            {
                RemoveFirst();
            }

            bool hasY = false;
            if (Chars[0] == 'y')
            {
                Chars[0] = 'Y';
                hasY = true;
            }

            for (int i = 1; i < Length; i++)
            {
                if (Chars[i] == 'y' && IsVowel(Chars[i - 1]))
                {
                    Chars[i] = 'Y';
                    hasY = true;
                }
            }

            return hasY;
        }

        public void MarkRegions()
        {
            ReadOnlySpan<char> text = Text;
            int prefix = Snowball3 ? RegionPrefix(text) : Snowball2RegionPrefix(text);
            P1 = prefix > 0 ? prefix : AfterVowelNonVowel(text, 0);
            P2 = AfterVowelNonVowel(text, P1);
        }

        // Stems whose remainder is R1 (Snowball 3.1): keeps general/generic, universe/university,
        // later/lateral, past/paste, intern/international... apart.
        private static int RegionPrefix(ReadOnlySpan<char> s)
        {
            if (s.StartsWith("gener") || s.StartsWith("arsen") || s.StartsWith("later") ||
                s.StartsWith("emerg") || s.StartsWith("organ") || s.StartsWith("inter"))
            {
                return 5;
            }

            if (s.StartsWith("commun"))
            {
                return 6;
            }

            if (s.StartsWith("univers"))
            {
                return 7;
            }

            return s.StartsWith("past") ? 4 : 0;
        }

        private static int Snowball2RegionPrefix(ReadOnlySpan<char> s) =>
            s.StartsWith("gener") || s.StartsWith("arsen") ? 5 : s.StartsWith("commun") ? 6 : 0;

        // Step 0: the longest of ' 's 's'.
        public void Step0()
        {
            if (EndsWith("'s'"))
            {
                Remove(3);
            }
            else if (EndsWith("'s"))
            {
                Remove(2);
            }
            else if (EndsWith("'"))
            {
                Remove(1);
            }
        }

        public void Step1a()
        {
            if (EndsWith("sses"))
            {
                Remove(2);
            }
            else if (EndsWith("ied") || EndsWith("ies"))
            {
                // ties -> tie, cries -> cri: "i" if more than one letter precedes, else "ie".
                Remove(Length > 4 ? 2 : 1);
            }
            else if (EndsWith("us") || EndsWith("ss"))
            {
                // Left alone.
            }
            else if (EndsWith("s") && ContainsVowel(Text[..Math.Max(0, Length - 2)]))
            {
                // gaps -> gap, but gas and this keep their s: the vowel must not be just before the s.
                Remove(1);
            }
        }

        public void Step1b()
        {
            int n;
            if (EndsWith("eedly"))
            {
                ReplaceEed(5);
                return;
            }
            else if (EndsWith("ingly"))
            {
                n = 5;
            }
            else if (EndsWith("edly"))
            {
                n = 4;
            }
            else if (EndsWith("eed"))
            {
                ReplaceEed(3);
                return;
            }
            else if (EndsWith("ing"))
            {
                n = 3;
                if (Snowball3 && IngException())
                {
                    return;
                }
            }
            else if (EndsWith("ed"))
            {
                n = 2;
            }
            else
            {
                return;
            }

            if (!ContainsVowel(Text[..(Length - n)]))
            {
                return;
            }

            Remove(n);
            if (EndsWith("at") || EndsWith("bl") || EndsWith("iz"))
            {
                // luxuriat -> luxuriate.
                AppendE();
                if (Nltk && !(Length > 5 || Length - P1 >= 3))
                {
                    // NLTK appends the "e" to r2 only on this condition; r2 was empty whenever it fails.
                    Debug.Assert(P2 >= Length - 1);
                    P2 = Length;
                }
            }
            else if (IsDouble(Text))
            {
                // hopp -> hop; Snowball 3 leaves add, egg, ebb, err, off alone.
                if (!Snowball3 || !(Length == 3 && Chars[0] is 'a' or 'e' or 'o'))
                {
                    Remove(1);
                }
            }
            else if (P1 == Length && EndsWithShortSyllable(Text, pastIsShort: Snowball3))
            {
                // A short word: hop -> hope.
                AppendE();
                if (Nltk)
                {
                    // NLTK leaves its (empty) regions empty.
                    P1 = Length;
                    P2 = Length;
                }
            }
        }

        private void ReplaceEed(int n)
        {
            // Snowball 3 leaves proceed, exceed, succeed here (2.2 and NLTK list them as exceptions).
            if (Snowball3 && Text[..(Length - n)] is "proc" or "exc" or "succ")
            {
                return;
            }

            if (InR1(n))
            {
                Replace(n, "ee");
            }
        }

        // Snowball 3's exceptions for -ing: dying -> die (a non-vowel and y before it), and inning, outing,
        // canning, herring, earring, evening left alone. Returns whether one applied.
        private bool IngException()
        {
            ReadOnlySpan<char> stem = Text[..(Length - 3)];
            if (stem.Length == 2 && stem[1] == 'y' && !IsVowel(stem[0]))
            {
                Replace(4, "ie");
                return true;
            }

            return stem is "inn" or "out" or "cann" or "herr" or "earr" or "even";
        }

        // Step 1c: cry -> cri, but by and say stay.
        public void Step1c()
        {
            if (Length > 2 && Last is 'y' or 'Y' && !IsVowel(Chars[Length - 2]))
            {
                Replace(1, "i");
            }
        }

        // Step 2: a suffix in R1 (ization -> ize, fulness -> ful...).
        public void Step2() => EditLongest(Step2Suffixes, P1);

        // Step 3: a suffix in R1 (icate -> ic, ness -> "", ative in R2...).
        public void Step3() => EditLongest(Step3Suffixes, P1);

        // Step 4: a suffix in R2, deleted.
        public void Step4() => EditLongest(Step4Suffixes, P2);

        // Finds the longest suffix of the table (as Snowball's "among" does) and edits it if it starts in the region
        // and its check holds; a failed region or check leaves the word alone, it does not try a shorter suffix.
        private void EditLongest(SuffixTable<Edit> table, int region)
        {
            if (table.TryMatch(Text, 0, out int start, out Edit edit) && start >= region && Holds(edit.Check, start))
            {
                Replace(Length - start - edit.Keep, edit.Append, edit.R2KeepsE);
            }
        }

        private readonly bool Holds(Check check, int start) => check switch
        {
            Check.InR2 => start >= P2,
            Check.AfterL => start > 0 && Chars[start - 1] == 'l',
            Check.ValidLiEnding => start > 0 && IsValidLiEnding(Chars[start - 1]),
            Check.AfterSOrT => start > 0 && Chars[start - 1] is 's' or 't',
            Check.Snowball3 => Snowball3,
            _ => true,
        };

        // Step 5: a final e in R2, or in R1 after no short syllable; a final l in R2 after another l.
        public void Step5()
        {
            if (Length == 0)
            {
                return;
            }

            if (Last == 'e')
            {
                if (InR2(1))
                {
                    Remove(1);
                }
                else if (InR1(1) && (!Nltk || Length >= 4) &&
                         !EndsWithShortSyllable(Text[..(Length - 1)], pastIsShort: Snowball3))
                {
                    // NLTK tests only the three-letter form of a short syllable, on words of four letters
                    // or more; that gives the same answers wherever R1 holds the e.
                    Remove(1);
                }
            }
            else if (Last == 'l' && InR2(1) && Length >= 2 && Chars[Length - 2] == 'l')
            {
                Remove(1);
            }
        }
    }

    /// <summary>What steps 2 to 4 do with a suffix, if its check holds.</summary>
    /// <param name="Keep">How many of the suffix's first characters stay.</param>
    /// <param name="Append">What is written after them.</param>
    /// <param name="Check">What else must hold.</param>
    /// <param name="R2KeepsE">NLTK: where R2 held only part of the suffix, it becomes "e" rather than "".</param>
    private readonly record struct Edit(int Keep, string Append, Check Check = Check.None, bool R2KeepsE = false);

    private enum Check : byte
    {
        None,

        /// <summary>The suffix lies in R2 too.</summary>
        InR2,

        /// <summary>An l precedes the suffix (ogi -> og).</summary>
        AfterL,

        /// <summary>One of c d e g h k m n r t precedes the suffix (li).</summary>
        ValidLiEnding,

        /// <summary>An s or t precedes the suffix (ion).</summary>
        AfterSOrT,

        /// <summary>Only in Snowball 3 (ogist -> og).</summary>
        Snowball3,
    }
}
