using Embeddings.Core.Corpus;
using Embeddings.Core.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace Embeddings.Core.Tests.Corpus;

public class WindowsTests
{
    [Fact]
    public void FixedPairs_EveryPairWithinTheWindowInOrder()
    {
        int[] sentence = [10, 11, 12, 13];

        Windows.FixedPairs(sentence, 2).Should().Equal(
            (10, 11), (10, 12),
            (11, 10), (11, 12), (11, 13),
            (12, 10), (12, 11), (12, 13),
            (13, 11), (13, 12));
    }

    [Fact]
    public void DynamicPairs_ReachesStayBetweenOneAndTheWindow()
    {
        int[] sentence = [.. Enumerable.Range(0, 200)];

        var pairs = Windows.DynamicPairs(sentence, 5, seed: 3).ToList();

        pairs.Should().OnlyContain(p => Math.Abs(p.Center - p.Context) >= 1 && Math.Abs(p.Center - p.Context) <= 5);
        pairs.Should().Contain(p => Math.Abs(p.Center - p.Context) == 5);
        pairs.Count.Should().BeLessThan(Windows.FixedPairs(sentence, 5).Count()); // some windows shrank
    }

    [Fact]
    public void DynamicPairs_SameSeed_SamePairs()
    {
        int[] sentence = [.. Enumerable.Range(0, 50)];

        Windows.DynamicPairs(sentence, 4, 9).Should().Equal(Windows.DynamicPairs(sentence, 4, 9));
    }

    [Fact]
    public void FillPairs_InSmallBatches_EqualsTheEnumerable()
    {
        int[] sentence = [.. Enumerable.Range(100, 37)];
        var random = new Word2VecRandom(9);
        int position = 0;
        var centers = new int[11];
        var contexts = new int[11];
        var filled = new List<(int, int)>();

        int count;
        while ((count = Windows.FillPairs(sentence, 4, dynamic: true, ref random, ref position, centers, contexts)) > 0)
        {
            filled.AddRange(Enumerable.Range(0, count).Select(i => (centers[i], contexts[i])));
        }

        filled.Should().Equal(Windows.DynamicPairs(sentence, 4, 9));
    }

    [Fact]
    public void FillContextBag_TakesBothSidesWithinReach()
    {
        int[] sentence = [1, 2, 3, 4, 5];
        var bag = new int[4];

        Windows.FillContextBag(sentence, 0, 2, bag).Should().Be(2);
        bag[..2].Should().Equal(2, 3);
        Windows.FillContextBag(sentence, 2, 2, bag).Should().Be(4);
        bag.Should().Equal(1, 2, 4, 5);
    }

    [Fact]
    public void FixedPairs_Property_CountMatchesTheFormulaAndStaysInBounds()
    {
        Prop.ForAll<int, int>((lengthSeed, windowSeed) =>
        {
            int length = Math.Abs(lengthSeed % 40);
            int window = 1 + Math.Abs(windowSeed % 6);
            int[] sentence = [.. Enumerable.Range(0, length)];
            var pairs = Windows.FixedPairs(sentence, window).ToList();
            long expected = Enumerable.Range(0, length).Sum(c => Math.Min(length - 1, c + window) - Math.Max(0, c - window));
            return pairs.Count == expected && pairs.All(p => p.Center != p.Context && Math.Abs(p.Center - p.Context) <= window);
        }).QuickCheckThrowOnFailure();
    }
}
