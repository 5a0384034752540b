using System.Buffers;
using System.Globalization;
using System.Text;

namespace Embeddings.Text.Normalization;

/// <summary>
/// One step of a pipeline's normalisation: reads a span, writes into a reusable buffer. Steps are immutable
/// and shared between threads; the buffers belong to each worker.
/// </summary>
internal abstract class NormalizationStep
{
    /// <summary>A short name for logs and for describing a pipeline.</summary>
    public abstract string Description { get; }

    /// <summary>Writes the normalised <paramref name="source"/> into <paramref name="destination"/>,
    /// growing it when too small, and returns the number of characters written.</summary>
    public abstract int Apply(ReadOnlySpan<char> source, ref char[] destination);

    protected static Span<char> Ensure(ref char[] destination, int length)
    {
        if (destination.Length < length)
        {
            destination = new char[Math.Max(length, destination.Length * 2)];
        }

        return destination;
    }
}

/// <summary>Lowercase with the invariant culture (as Python's <c>str.lower()</c> for the scripts users meet).</summary>
internal sealed class LowercaseStep : NormalizationStep
{
    public static readonly LowercaseStep Instance = new();

    public override string Description => "lowercase";

    public override int Apply(ReadOnlySpan<char> source, ref char[] destination) =>
        source.ToLowerInvariant(Ensure(ref destination, source.Length));
}

/// <summary>
/// Whether this process can normalise Unicode. .NET takes normalisation from ICU; a process in invariant
/// globalisation mode (<c>InvariantGlobalization</c>, <c>DOTNET_SYSTEM_GLOBALIZATION_INVARIANT</c>) returns text
/// unchanged instead, so a step that needs it would silently do nothing: it refuses to be built there.
/// </summary>
internal static class UnicodeNormalization
{
    private static readonly bool Available = "\u00e9".Normalize(NormalizationForm.FormD).Length == 2;

    public static void EnsureAvailable(string step)
    {
        if (!Available)
        {
            throw new PlatformNotSupportedException(
                $"{step} needs Unicode normalisation, which this process does not have: it runs in invariant globalisation mode " +
                "(InvariantGlobalization in the project file, or DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1), where .NET leaves text " +
                "unchanged. Turn that mode off (and install ICU, Debian's libicu72) to use this step.");
        }
    }
}

/// <summary>Unicode normalisation to NFC, NFD, NFKC or NFKD.</summary>
internal sealed class UnicodeNormalizationStep : NormalizationStep
{
    private readonly NormalizationForm _form;

    public UnicodeNormalizationStep(NormalizationForm form)
    {
        UnicodeNormalization.EnsureAvailable("NormalizeUnicode");
        _form = form;
    }

    public override string Description => $"unicode {_form}";

    public override int Apply(ReadOnlySpan<char> source, ref char[] destination)
    {
        if (Ascii.IsValid(source))
        {
            source.CopyTo(Ensure(ref destination, source.Length)); // ASCII is already in every normal form
            return source.Length;
        }

        try
        {
            return Normalize(source, ref destination);
        }
        catch (ArgumentException)
        {
            // Lone surrogates make the text invalid Unicode: replace them with U+FFFD, as a decoder would, and retry.
            char[] repaired = source.ToArray();
            for (int i = 0; i < repaired.Length; i++)
            {
                bool paired = char.IsHighSurrogate(repaired[i]) ? i + 1 < repaired.Length && char.IsLowSurrogate(repaired[i + 1])
                    : !char.IsLowSurrogate(repaired[i]) || (i > 0 && char.IsHighSurrogate(repaired[i - 1]));
                if (!paired)
                {
                    repaired[i] = '\uFFFD';
                }
            }

            return Normalize(repaired, ref destination);
        }
    }

    private int Normalize(ReadOnlySpan<char> source, ref char[] destination)
    {
        int length = source.GetNormalizedLength(_form);
        if (!source.TryNormalize(Ensure(ref destination, length), out int written, _form))
        {
            throw new InvalidOperationException("Unicode normalisation needed more room than it announced.");
        }

        return written;
    }
}

/// <summary>
/// Removes accents and other combining marks: <c>canción</c> → <c>cancion</c>. Characters listed in
/// <c>except</c> (Spanish users often keep <c>ñ</c>) pass unchanged.
/// </summary>
internal sealed class StripDiacriticsStep : NormalizationStep
{
    private const char Drop = '\uFFFF';

    // For every UTF-16 code unit: itself, its base letter, or Drop for a lone combining mark.
    private static readonly Lazy<char[]> BaseLetters = new(BuildBaseLetters);

    private readonly string _except;

    public StripDiacriticsStep(string? except)
    {
        UnicodeNormalization.EnsureAvailable("StripDiacritics");
        _except = except ?? string.Empty;
    }

    public override string Description => _except.Length == 0 ? "strip diacritics" : $"strip diacritics except '{_except}'";

    public override int Apply(ReadOnlySpan<char> source, ref char[] destination)
    {
        Span<char> output = Ensure(ref destination, source.Length);
        char[] table = BaseLetters.Value;
        int written = 0;
        foreach (char c in source)
        {
            char mapped = c < 128 || _except.Contains(c, StringComparison.Ordinal) ? c : table[c];
            if (mapped != Drop)
            {
                output[written++] = mapped;
            }
        }

        return written;
    }

    private static char[] BuildBaseLetters()
    {
        var table = new char[char.MaxValue + 1];
        for (int i = 0; i <= char.MaxValue; i++)
        {
            char c = (char)i;
            table[i] = c;
            UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (i < 128 || category is UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse)
            {
                continue;
            }

            if (category == UnicodeCategory.NonSpacingMark)
            {
                table[i] = Drop;
                continue;
            }

            string decomposed = c.ToString().Normalize(NormalizationForm.FormD);
            if (decomposed.Length > 1 && CharUnicodeInfo.GetUnicodeCategory(decomposed[1]) == UnicodeCategory.NonSpacingMark)
            {
                table[i] = decomposed[0]; // a base letter followed by its marks
            }
        }

        return table;
    }
}

/// <summary>Drops every character outside ASCII (after <see cref="StripDiacriticsStep"/>, accents survive as their base letter).</summary>
internal sealed class AsciiOnlyStep : NormalizationStep
{
    public static readonly AsciiOnlyStep Instance = new();

    public override string Description => "ascii only";

    public override int Apply(ReadOnlySpan<char> source, ref char[] destination)
    {
        Span<char> output = Ensure(ref destination, source.Length);
        int written = 0;
        foreach (char c in source)
        {
            if (c < 128)
            {
                output[written++] = c;
            }
        }

        return written;
    }
}

/// <summary>Keeps only the characters of a <see cref="CharacterClass"/>, as <c>re.sub(r"[^a-z@# ]", "", text)</c>.</summary>
internal sealed class KeepCharactersStep(CharacterClass characters) : NormalizationStep
{
    public override string Description => $"keep {characters}";

    public override int Apply(ReadOnlySpan<char> source, ref char[] destination)
    {
        Span<char> output = Ensure(ref destination, source.Length);
        int written = 0;
        foreach (char c in source)
        {
            if (characters.Contains(c))
            {
                output[written++] = c;
            }
        }

        return written;
    }
}

/// <summary>A user's own normalisation, for what the built-in steps do not cover.</summary>
internal sealed class CustomStep(Func<string, string> normalize, string description) : NormalizationStep
{
    public override string Description => description;

    public override int Apply(ReadOnlySpan<char> source, ref char[] destination)
    {
        string result = normalize(source.ToString()) ?? string.Empty;
        result.CopyTo(Ensure(ref destination, result.Length));
        return result.Length;
    }
}

/// <summary>Pooled scratch for callers outside a worker.</summary>
internal static class CharBuffers
{
    public static char[] Rent(int minimumLength) => ArrayPool<char>.Shared.Rent(Math.Max(minimumLength, 256));

    public static void Return(char[] buffer) => ArrayPool<char>.Shared.Return(buffer);
}
