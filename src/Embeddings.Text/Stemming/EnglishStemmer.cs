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
/// <see cref="SnowballVersion.Snowball22"/> reproduces NLTK 3.8's <c>SnowballStemmer("english").stem</c> token
/// for token, quirks included, so Python pipelines can be reproduced exactly. It equals Snowball 2.2.0 on the
/// official vocabulary; on rarer words NLTK differs (it keeps R1 and R2 as strings and shortens them by its own
/// rules, and only tests its exception list against the whole input), for example <c>stylization</c> →
/// <c>stylize</c> where Snowball 2.2.0 gives <c>styliz</c>.
/// </para>
/// <para>
/// Input is expected in lower case (NLTK lower-cases first; this class does not). Letters outside
/// <c>a</c>–<c>z</c> count as non-vowels. Words of one or two characters are returned unchanged. Instances
/// are immutable and safe to share between threads.
/// </para>
/// </remarks>
public sealed class EnglishStemmer : IStemmer
{
    // Words up to this length are stemmed in a stack buffer; longer ones rent from the shared pool.
    private const int StackBufferLength = 128;

    private static readonly SearchValues<char> _vowels = SearchValues.Create("aeiouy");

    private readonly bool _nltk;

    /// <summary>Creates a stemmer for the given release of the algorithm.</summary>
    /// <param name="version">Which release to reproduce; <see cref="SnowballVersion.Snowball31"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not a defined value.</exception>
    public EnglishStemmer(SnowballVersion version = SnowballVersion.Snowball31)
    {
        if (!Enum.IsDefined(version))
        {
            throw new ArgumentOutOfRangeException(
                nameof(version), version, "Version must be SnowballVersion.Snowball31 or SnowballVersion.Snowball22.");
        }

        Version = version;
        _nltk = version == SnowballVersion.Snowball22;
    }

    /// <summary>A shared stemmer for the current definition (Snowball 3.1).</summary>
    /// <value>An instance whose <see cref="Version"/> is <see cref="SnowballVersion.Snowball31"/>.</value>
    public static EnglishStemmer Snowball31 { get; } = new(SnowballVersion.Snowball31);

    /// <summary>A shared stemmer that reproduces NLTK 3.8 (Snowball 2.2).</summary>
    /// <value>An instance whose <see cref="Version"/> is <see cref="SnowballVersion.Snowball22"/>.</value>
    public static EnglishStemmer Snowball22 { get; } = new(SnowballVersion.Snowball22);

    /// <summary>The release of the algorithm this stemmer reproduces.</summary>
    /// <value>The version given to the constructor.</value>
    public SnowballVersion Version { get; }

    /// <inheritdoc />
    public override string ToString() => Version == SnowballVersion.Snowball22 ? "snowball english 2.2" : "snowball english 3.1";

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="word"/> is <see langword="null"/>.</exception>
    public string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length <= 2)
        {
            return word;
        }

        char[]? rented = null;
        Span<char> buffer = word.Length <= StackBufferLength
            ? stackalloc char[StackBufferLength]
            : (rented = ArrayPool<char>.Shared.Rent(word.Length));
        try
        {
            ReadOnlySpan<char> stem = buffer[..StemCore(word, buffer)];
            return stem.SequenceEqual(word) ? word : new string(stem);
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
    /// <remarks><paramref name="destination"/> may overlap <paramref name="word"/> (stemming in place).</remarks>
    public int Stem(ReadOnlySpan<char> word, Span<char> destination)
    {
        if (destination.Length < word.Length)
        {
            ThrowDestinationTooShort(word.Length, destination.Length, nameof(destination));
        }

        return StemCore(word, destination);
    }

    [DoesNotReturn]
    private static void ThrowDestinationTooShort(int wordLength, int destinationLength, string paramName) =>
        throw new ArgumentException(
            "Destination is too short: it must hold at least as many characters as the word (" +
            wordLength.ToString(CultureInfo.InvariantCulture) + "), was " +
            destinationLength.ToString(CultureInfo.InvariantCulture) + ".",
            paramName);

    // Copies the word into buffer (which may overlap it), stems it there and returns the stem's length.
    private int StemCore(ReadOnlySpan<char> word, Span<char> buffer)
    {
        Debug.Assert(buffer.Length >= word.Length);
        word.CopyTo(buffer);
        int length = word.Length;
        if (length <= 2)
        {
            return length;
        }

        Span<char> chars = buffer[..length];
        string? special = _nltk ? NltkSpecialWord(chars) : Exception1(chars);
        if (special is not null)
        {
            special.CopyTo(buffer);
            return special.Length;
        }

        if (_nltk)
        {
            // NLTK maps the typographic apostrophes to ' (after its exception lookup, as here).
            chars.Replace('\u2019', '\'');
            chars.Replace('\u2018', '\'');
            chars.Replace('\u201B', '\'');
        }

        var w = new Word(chars, _nltk);
        bool hasY = w.Prelude();
        w.MarkRegions();

        w.Step0();
        w.Step1a();
        w.Step1b();
        w.Step1c();
        w.Step2();
        w.Step3();
        w.Step4();
        w.Step5();

        if (hasY)
        {
            chars[..w.Length].Replace('Y', 'y');
        }

        return w.Length;
    }

    // Snowball 3.1's exception1: whole words stemmed specially or left alone.
    private static string? Exception1(ReadOnlySpan<char> word) => word switch
    {
        "skis" => "ski",
        "skies" => "sky",
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

    // NLTK 3.8's __special_words: Snowball 2.2's exception1 and exception2 forms, but looked up only on the
    // whole input (Snowball 2.2 tests exception2 after step 1a, so "inning's" stays "inning" there and
    // becomes "in" in NLTK).
    private static string? NltkSpecialWord(ReadOnlySpan<char> word) => word switch
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
    /// step 2). With <see cref="Nltk"/> set, the edits below follow NLTK's rules instead.
    /// </remarks>
    private ref struct Word
    {
        public readonly Span<char> Chars;
        public readonly bool Nltk;
        public int Length;
        public int P1;
        public int P2;

        public Word(Span<char> chars, bool nltk)
        {
            Chars = chars;
            Nltk = nltk;
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

        // Deletes the last count characters (NLTK: word[:-count], r1[:-count], r2[:-count]).
        private void Remove(int count)
        {
            Length -= count;
            if (Nltk)
            {
                P1 = Math.Min(P1, Length);
                P2 = Math.Min(P2, Length);
            }
        }

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
            int prefix = Nltk ? NltkRegionPrefix(text) : RegionPrefix(text);
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

        private static int NltkRegionPrefix(ReadOnlySpan<char> s) =>
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
                if (!Nltk && IngException())
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
                if (Nltk || !(Length == 3 && Chars[0] is 'a' or 'e' or 'o'))
                {
                    Remove(1);
                }
            }
            else if (P1 == Length && EndsWithShortSyllable(Text, pastIsShort: !Nltk))
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
            if (!Nltk && Text[..(Length - n)] is "proc" or "exc" or "succ")
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

        // Step 2: the longest suffix below, acted on only if it lies in R1.
        public void Step2()
        {
            if (Length < 3)
            {
                return;
            }

            switch (Last)
            {
                case 'l':
                    if (EndsWith("ational"))
                    {
                        if (InR1(7))
                        {
                            Replace(7, "ate", r2KeepsE: true);
                        }
                    }
                    else if (EndsWith("tional") && InR1(6))
                    {
                        Remove(2);
                    }

                    break;

                case 'n':
                    if (EndsWith("ization"))
                    {
                        if (InR1(7))
                        {
                            Replace(7, "ize");
                        }
                    }
                    else if (EndsWith("ation") && InR1(5))
                    {
                        Replace(5, "ate", r2KeepsE: true);
                    }

                    break;

                case 'r':
                    if (EndsWith("izer"))
                    {
                        if (InR1(4))
                        {
                            Replace(4, "ize");
                        }
                    }
                    else if (EndsWith("ator") && InR1(4))
                    {
                        Replace(4, "ate", r2KeepsE: true);
                    }

                    break;

                case 's':
                    if (EndsWith("fulness"))
                    {
                        if (InR1(7))
                        {
                            Remove(4);
                        }
                    }
                    else if (EndsWith("ousness"))
                    {
                        if (InR1(7))
                        {
                            Replace(7, "ous");
                        }
                    }
                    else if (EndsWith("iveness") && InR1(7))
                    {
                        Replace(7, "ive", r2KeepsE: true);
                    }

                    break;

                case 'm':
                    if (EndsWith("alism") && InR1(5))
                    {
                        Replace(5, "al");
                    }

                    break;

                case 't':
                    // Snowball 3: geologist -> geolog, like geology.
                    if (!Nltk && EndsWith("ogist") && InR1(5))
                    {
                        Replace(5, "og");
                    }

                    break;

                case 'i':
                    Step2EndingInI();
                    break;
            }
        }

        private void Step2EndingInI()
        {
            if (EndsWith("biliti"))
            {
                if (InR1(6))
                {
                    Replace(6, "ble");
                }
            }
            else if (EndsWith("lessli"))
            {
                if (InR1(6))
                {
                    Remove(2);
                }
            }
            else if (EndsWith("entli"))
            {
                if (InR1(5))
                {
                    Remove(2);
                }
            }
            else if (EndsWith("aliti"))
            {
                if (InR1(5))
                {
                    Replace(5, "al");
                }
            }
            else if (EndsWith("ousli"))
            {
                if (InR1(5))
                {
                    Replace(5, "ous");
                }
            }
            else if (EndsWith("iviti"))
            {
                if (InR1(5))
                {
                    Replace(5, "ive", r2KeepsE: true);
                }
            }
            else if (EndsWith("fulli"))
            {
                if (InR1(5))
                {
                    Remove(2);
                }
            }
            else if (EndsWith("enci") || EndsWith("anci") || EndsWith("abli"))
            {
                // -ence, -ance, -able.
                if (InR1(4))
                {
                    Replace(1, "e");
                }
            }
            else if (EndsWith("alli"))
            {
                if (InR1(4))
                {
                    Replace(4, "al");
                }
            }
            else if (EndsWith("bli"))
            {
                if (InR1(3))
                {
                    Replace(3, "ble");
                }
            }
            else if (EndsWith("ogi"))
            {
                if (InR1(3) && Length >= 4 && Chars[Length - 4] == 'l')
                {
                    Remove(1);
                }
            }
            else if (EndsWith("li") && InR1(2) && IsValidLiEnding(Chars[Length - 3]))
            {
                Remove(2);
            }
        }

        // Step 3: the longest suffix below, acted on only if it lies in R1.
        public void Step3()
        {
            if (Length < 3)
            {
                return;
            }

            switch (Last)
            {
                case 'l':
                    if (EndsWith("ational"))
                    {
                        if (InR1(7))
                        {
                            Replace(7, "ate");
                        }
                    }
                    else if (EndsWith("tional"))
                    {
                        if (InR1(6))
                        {
                            Remove(2);
                        }
                    }
                    else if (EndsWith("ical"))
                    {
                        if (InR1(4))
                        {
                            Replace(4, "ic");
                        }
                    }
                    else if (EndsWith("ful") && InR1(3))
                    {
                        Remove(3);
                    }

                    break;

                case 'e':
                    if (EndsWith("alize"))
                    {
                        if (InR1(5))
                        {
                            Remove(3);
                        }
                    }
                    else if (EndsWith("icate"))
                    {
                        if (InR1(5))
                        {
                            Replace(5, "ic");
                        }
                    }
                    else if (EndsWith("ative") && InR1(5) && InR2(5))
                    {
                        Remove(5);
                    }

                    break;

                case 'i':
                    if (EndsWith("iciti") && InR1(5))
                    {
                        Replace(5, "ic");
                    }

                    break;

                case 's':
                    if (EndsWith("ness") && InR1(4))
                    {
                        Remove(4);
                    }

                    break;
            }
        }

        // Step 4: the longest suffix below, deleted only if it lies in R2.
        public void Step4()
        {
            if (Length < 2)
            {
                return;
            }

            int n = 0;
            switch (Last)
            {
                case 'l':
                    n = EndsWith("al") ? 2 : 0;
                    break;
                case 'e':
                    n = EndsWith("ance") || EndsWith("ence") || EndsWith("able") || EndsWith("ible") ? 4
                        : EndsWith("ate") || EndsWith("ive") || EndsWith("ize") ? 3
                        : 0;
                    break;
                case 'r':
                    n = EndsWith("er") ? 2 : 0;
                    break;
                case 'c':
                    n = EndsWith("ic") ? 2 : 0;
                    break;
                case 't':
                    n = EndsWith("ement") ? 5 : EndsWith("ment") ? 4 : EndsWith("ant") || EndsWith("ent") ? 3 : 0;
                    break;
                case 'm':
                    n = EndsWith("ism") ? 3 : 0;
                    break;
                case 'i':
                    n = EndsWith("iti") ? 3 : 0;
                    break;
                case 's':
                    n = EndsWith("ous") ? 3 : 0;
                    break;
                case 'n':
                    if (EndsWith("ion") && InR2(3) && Length >= 4 && Chars[Length - 4] is 's' or 't')
                    {
                        Remove(3);
                    }

                    return;
            }

            if (n > 0 && InR2(n))
            {
                Remove(n);
            }
        }

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
                         !EndsWithShortSyllable(Text[..(Length - 1)], pastIsShort: !Nltk))
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
}
