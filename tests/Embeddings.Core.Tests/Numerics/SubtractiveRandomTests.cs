using Embeddings.Core.Numerics;

namespace Embeddings.Core.Tests.Numerics;

public class SubtractiveRandomTests
{
    public static TheoryData<int> Seeds => new() { 0, 1, 42, -7, 123_456_789, int.MaxValue, int.MinValue };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Draws_MatchSeededSystemRandom(int seed)
    {
        // The reason the type exists: seeds must keep giving the numbers System.Random(seed) gave in 0.1.0.
#pragma warning disable CA5394 // The reference here is the runtime's seeded generator itself.
        var expected = new Random(seed);
        var actual = new SubtractiveRandom(seed);
        for (int i = 0; i < 2_000; i++)
        {
            switch (i % 5)
            {
                case 0: actual.NextDouble().Should().Be(expected.NextDouble()); break;
                case 1: actual.Next(1_000).Should().Be(expected.Next(1_000)); break;
                case 2: actual.Next(i, 10 * i + 7).Should().Be(expected.Next(i, 10 * i + 7)); break;
                case 3: actual.Next(int.MinValue, int.MaxValue).Should().Be(expected.Next(int.MinValue, int.MaxValue)); break;
                default: actual.Next(0).Should().Be(expected.Next(0)); break;
            }
        }
#pragma warning restore CA5394
    }

    [Fact]
    public void Next_MaxBelowMin_Throws()
    {
        var random = new SubtractiveRandom(1);

        Action draw = () => random.Next(5, 4);

        draw.Should().Throw<ArgumentOutOfRangeException>();
    }
}
