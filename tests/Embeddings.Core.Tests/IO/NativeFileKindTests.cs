using System.Text;
using Embeddings.Core.IO;

namespace Embeddings.Core.Tests.IO;

public class NativeFileKindTests
{
    [Fact]
    public void Identify_TheStartOfEachKindsFile_GivesThatKind()
    {
        foreach (NativeFileKind kind in NativeFileKind.All)
        {
            byte[] start = [.. Encoding.ASCII.GetBytes(kind.Magic), 2, 0, 0, 0];

            NativeFileKind.Identify(start).Should().BeSameAs(kind);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("EMB")]
    [InlineData("EMBX")]
    [InlineData("3 2\nking 1 2\n")]
    public void Identify_BytesOfNoKind_GivesNull(string start) =>
        NativeFileKind.Identify(Encoding.ASCII.GetBytes(start)).Should().BeNull();

    [Fact]
    public void All_ListsTheElevenKindsOfTheFileFormatsTable_EachMagicOnce()
    {
        NativeFileKind.All.Select(kind => kind.Magic).Should().Equal("EMBV", "EMCK", "EMBC", "EMBK", "EMBP", "EMLM", "EMQL", "EMTC", "EMSW", "EMCZ", "EMAE");
    }

    [Fact]
    public void Description_NamesTheKindWithItsArticleAndMagic()
    {
        NativeFileKind.LanguageModel.Description.Should().Be("a language-model file (EMLM)");
        NativeFileKind.EncodedCorpus.Description.Should().Be("an encoded corpus file (EMBC)");
        NativeFileKind.QuantizedLanguageModel.Description.Should().Be("a quantized language model file (EMQL)");
        NativeFileKind.TextClassifier.Description.Should().Be("a text classifier file (EMTC)");
    }
}
