using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Embeddings.Text.Tests.Normalization;

public class NormalizationTests
{
    private static string Normalize(Func<TextPipelineBuilder, TextPipelineBuilder> configure, string text) =>
        configure(TextPipeline.CreateBuilder()).Build().Normalize(text);

    [Fact]
    public void Lowercase_UsesInvariantCulture()
    {
        Normalize(b => b.Lowercase(), "ÑANDÚ ÉCOLE Straße").Should().Be("ñandú école straße");
        Normalize(b => b.Lowercase(), "TITLE").Should().Be("title"); // no Turkish dotless i
    }

    [Fact]
    public void NormalizeUnicode_Nfc_ComposesCombiningAccents()
    {
        string decomposed = "cancio\u0301n";

        Normalize(b => b.NormalizeUnicode(NormalizationForm.FormC), decomposed).Should().Be("canción");
    }

    [Fact]
    public void NormalizeUnicode_Nfkd_SplitsLigaturesAndAccents()
    {
        Normalize(b => b.NormalizeUnicode(NormalizationForm.FormKD), "ﬁn é").Should().Be("fin e\u0301");
    }

    [Fact]
    public void StripDiacritics_RemovesAccentsOfPrecomposedAndDecomposedText()
    {
        Normalize(b => b.StripDiacritics(), "Canción pingüino año ÁÉÍÓÚ").Should().Be("Cancion pinguino ano AEIOU");
        Normalize(b => b.StripDiacritics(), "cancio\u0301n").Should().Be("cancion");
    }

    [Fact]
    public void StripDiacritics_Except_KeepsListedCharacters()
    {
        Normalize(b => b.StripDiacritics(except: "ñÑ"), "año AÑO canción").Should().Be("año AÑO cancion");
    }

    [Fact]
    public void AsciiOnly_DropsNonAscii()
    {
        Normalize(b => b.AsciiOnly(), "café ðŸ˜ ok").Should().Be("caf  ok");
        Normalize(b => b.StripDiacritics().AsciiOnly(), "café").Should().Be("cafe");
    }

    [Fact]
    public void KeepOnly_LabClass_MatchesPythonRegexSub()
    {
        // Python: re.sub(r"[^a-z@# ]", "", " @user when a father is dysfunctional... #run".lower())
        Normalize(b => b.Lowercase().KeepOnly("a-z@# "), " @User when a father is dysfunctional...   #run ðŸ˜")
            .Should().Be(" @user when a father is dysfunctional   #run ");
    }

    [Fact]
    public void ReplaceUrls_ReplacesLinksButNotTrailingPunctuation()
    {
        Normalize(b => b.ReplaceUrls(), "see https://t.co/abc, or www.example.org. thanks http:// x")
            .Should().Be("see <url>, or <url>. thanks http:// x");
    }

    [Fact]
    public void ReplaceNumbers_ReplacesNumbersButNotDigitsInsideWords()
    {
        Normalize(b => b.ReplaceNumbers("#"), "1.500 euros, 3,14 y 2024 mp3 3rd 42.")
            .Should().Be("# euros, # y # mp3 3rd #.");
    }

    [Fact]
    public void Normalize_StepsRunInTheOrderAdded()
    {
        Normalize(b => b.KeepOnly("a-z ").Lowercase(), "Hola MUNDO").Should().Be("ola ");
        Normalize(b => b.Lowercase().KeepOnly("a-z "), "Hola MUNDO").Should().Be("hola mundo");
    }

    [Fact]
    public void Normalize_CustomStep_IsApplied()
    {
        Normalize(b => b.Normalize(s => s.Replace("&amp;", "&", StringComparison.Ordinal)), "a &amp; b").Should().Be("a & b");
    }

    [Fact]
    public void Normalize_LongLine_GrowsBuffers()
    {
        string line = string.Concat(Enumerable.Repeat("Árbol ", 5_000));

        Normalize(b => b.Lowercase().StripDiacritics(), line).Should().Be(string.Concat(Enumerable.Repeat("arbol ", 5_000)));
    }

    [Fact]
    public void Normalization_Property_IsIdempotent()
    {
        TextPipeline pipeline = TextPipeline.CreateBuilder()
            .NormalizeUnicode().Lowercase().StripDiacritics().KeepOnly("a-z0-9 ").Build();

        Prop.ForAll<string>(text =>
        {
            string once = pipeline.Normalize(text ?? string.Empty);
            return pipeline.Normalize(once) == once;
        }).QuickCheckThrowOnFailure();
    }
}
