using Embeddings.Core.Corpus;
using Embeddings.Core.Projection;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Tests.Projection;

public class PcaProjectionTests
{
    [Fact]
    public void Fit_PointsOnALine_LieOnTheFirstAxis()
    {
        // v(t) = a + t·b for t = -2 … 2, in three dimensions.
        float[] a = [1, 2, 3];
        float[] b = [2, -1, 0.5f];
        double[] t = [-2, -1, 0, 1, 2];
        WordVectors vectors = Vectors(t.Select(s => a.Zip(b, (x, y) => (float)(x + (s * y))).ToArray()).ToArray());

        PcaProjection projection = PcaProjection.Fit(vectors, count: 5);

        double length = Math.Sqrt((2 * 2) + (1 * 1) + (0.5 * 0.5));
        projection.Points.Select(p => p.Word).Should().Equal("w0", "w1", "w2", "w3", "w4");
        for (int i = 0; i < t.Length; i++)
        {
            // The component is b/|b|, signed so that its largest entry (2) is positive: X = t·|b|.
            projection.Points[i].X.Should().BeApproximately(t[i] * length, 1e-5);
            projection.Points[i].Y.Should().BeApproximately(0, 1e-5);
        }

        projection.ExplainedVarianceRatio[0].Should().BeApproximately(1, 1e-9);
        projection.ExplainedVarianceRatio[1].Should().BeApproximately(0, 1e-9);
    }

    [Fact]
    public void Fit_TwoDirections_SplitsVarianceAndSignsComponents()
    {
        // Spread 3 along −z, spread 1 along x: first component is ±z, signed positive; second ±x.
        WordVectors vectors = Vectors([[1, 0, -3], [-1, 0, 3], [1, 0, 3], [-1, 0, -3]]);

        PcaProjection projection = PcaProjection.Fit(vectors);

        projection.Points[0].X.Should().BeApproximately(-3, 1e-9);
        projection.Points[0].Y.Should().BeApproximately(1, 1e-9);
        projection.ExplainedVarianceRatio[0].Should().BeApproximately(0.9, 1e-9);
        projection.ExplainedVarianceRatio[1].Should().BeApproximately(0.1, 1e-9);
    }

    [Fact]
    public void Fit_Words_SkipsAndReportsMissingOnes()
    {
        WordVectors vectors = Vectors([[1, 0], [0, 1], [1, 1]]);

        PcaProjection projection = PcaProjection.Fit(vectors, ["w2", "nope", "w0"]);

        projection.Points.Select(p => p.Word).Should().Equal("w2", "w0");
        projection.MissingWords.Should().Equal("nope");
    }

    [Fact]
    public void Fit_NoKnownWord_Throws()
    {
        WordVectors vectors = Vectors([[1, 0], [0, 1]]);

        Action fit = () => PcaProjection.Fit(vectors, ["x", "y"]);

        fit.Should().Throw<ArgumentException>().WithParameterName("words");
    }

    [Fact]
    public void Project_AFittedWordsVector_GivesItsPoint()
    {
        WordVectors vectors = Vectors([[1, 2, 0], [3, -1, 1], [0, 0, 5], [2, 2, 2]]);
        PcaProjection projection = PcaProjection.Fit(vectors, normalize: true);

        (double x, double y) = projection.Project(vectors.GetVector(1));

        x.Should().BeApproximately(projection.Points[1].X, 1e-6);
        y.Should().BeApproximately(projection.Points[1].Y, 1e-6);
    }

    [Fact]
    public void Fit_SingleWord_SitsAtTheOrigin()
    {
        PcaProjection projection = PcaProjection.Fit(Vectors([[4, 5]]));

        projection.Points[0].Should().Be(new ProjectedWord("w0", 0, 0));
        projection.ExplainedVarianceRatio.Should().Equal(0.0, 0.0);
    }

    internal static WordVectors Vectors(float[][] rows)
    {
        string[] words = [.. Enumerable.Range(0, rows.Length).Select(i => $"w{i}")];
        return new WordVectors(Vocabulary.FromWordsInOrder(words), [.. rows.SelectMany(r => r)], rows[0].Length);
    }
}
