using Embeddings.Text.Tokenization;

namespace Embeddings.Text.Tests.Tokenization;

public class SentenceSplitterTests
{
    [Fact]
    public void Split_EnglishProse_SplitsOnTerminators()
    {
        SentenceSplitter.Default.Split("It was late. Was it? Yes! \"Go,\" he said. The end")
            .Should().Equal("It was late.", "Was it?", "Yes!", "\"Go,\" he said.", "The end");
    }

    [Fact]
    public void Split_SpanishProse_OpeningMarksStartSentences()
    {
        SentenceSplitter.Default.Split("En un lugar de la Mancha vivía un hidalgo. ¿Quién era? ¡Don Quijote! —Dijo Sancho.")
            .Should().Equal("En un lugar de la Mancha vivía un hidalgo.", "¿Quién era?", "¡Don Quijote!", "—Dijo Sancho.");
    }

    [Fact]
    public void Split_AbbreviationsAndInitials_DoNotEndSentences()
    {
        SentenceSplitter.Default.Split("Mr. Smith met Dr. Watson. El Sr. García llegó. J. R. R. Tolkien wrote.")
            .Should().Equal("Mr. Smith met Dr. Watson.", "El Sr. García llegó.", "J. R. R. Tolkien wrote.");
    }

    [Fact]
    public void Split_NumbersAndLowercaseContinuations_DoNotEndSentences()
    {
        SentenceSplitter.Default.Split("Pi is 3.14 or so. it goes on... and on. Done.")
            .Should().Equal("Pi is 3.14 or so. it goes on... and on.", "Done.");
    }

    [Fact]
    public void Split_BlankLine_EndsASentence()
    {
        SentenceSplitter.Default.Split("A heading\n\nthen text. More\ntext.")
            .Should().Equal("A heading", "then text.", "More\ntext.");
    }

    [Fact]
    public void Split_ClosingQuotesAndEllipsis_StayWithTheSentence()
    {
        SentenceSplitter.Default.Split("«¡Basta!» Se fue… Volvió.").Should().Equal("«¡Basta!»", "Se fue…", "Volvió.");
    }

    [Fact]
    public void Split_ExtraAbbreviations_AreHonoured()
    {
        new SentenceSplitter(["approx"]).Split("It weighs approx. Ten kilos.").Should().Equal("It weighs approx. Ten kilos.");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t ")]
    public void Split_Whitespace_GivesNoSentences(string text)
    {
        SentenceSplitter.Default.Split(text).Should().BeEmpty();
    }
}
