using Embeddings.Text.Tokenization;

namespace Embeddings.Text.Tests.Tokenization;

public class WordTokenizerTests
{
    [Fact]
    public void Tokenize_Default_KeepsLettersAndDigitsAndDropsPunctuation()
    {
        new WordTokenizer().Tokenize("¡Hola, señor! ¿Qué tal? Son las 3:45 — don't.")
            .Should().Equal("Hola", "señor", "Qué", "tal", "Son", "las", "3", "45", "don", "t");
    }

    [Fact]
    public void Tokenize_OtherScriptsAndCombiningMarks_StayInTheWord()
    {
        new WordTokenizer().Tokenize("Москва 東京 cancio\u0301n").Should().Equal("Москва", "東京", "cancio\u0301n");
    }

    [Fact]
    public void Tokenize_MentionsAndHashtags_KeptWholeWhenAsked()
    {
        const string tweet = "@user loves #summer2024! email a@b #";

        new WordTokenizer(keepMentionsAndHashtags: true).Tokenize(tweet)
            .Should().Equal("@user", "loves", "#summer2024", "email", "a", "b");
        new WordTokenizer().Tokenize(tweet)
            .Should().Equal("user", "loves", "summer2024", "email", "a", "b");
    }

    [Fact]
    public void Tokenize_KeepPunctuation_EmitsPunctuationRuns()
    {
        new WordTokenizer(keepPunctuation: true).Tokenize("Wait... what?! (yes)")
            .Should().Equal("Wait", "...", "what", "?!", "(", "yes", ")");
    }

    [Fact]
    public void Tokenize_KeepPunctuationAndMentions_SplitsPunctuationBeforeAMention()
    {
        new WordTokenizer(keepMentionsAndHashtags: true, keepPunctuation: true).Tokenize("(@user)")
            .Should().Equal("(", "@user", ")");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t ")]
    [InlineData("... !!! ?")]
    public void Tokenize_NoWords_GivesNoTokens(string text)
    {
        new WordTokenizer().Tokenize(text).Should().BeEmpty();
    }
}
