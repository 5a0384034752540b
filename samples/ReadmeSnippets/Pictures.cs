#region readme:pictures
using Embeddings.Core.Projection;
using Embeddings.Core.Training;
using OxyPlot;
using OxyPlot.Series;
#endregion

namespace ReadmeSnippets;

/// <summary>README.md, "Pictures".</summary>
internal static class Pictures
{
    public static void Run()
    {
        #region readme:pictures
        IReadOnlyList<string>[] sentences = [.. File.ReadLines("corpus.txt").Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
        Word2VecModel model = Word2Vec.CreateBuilder().Threads(2).Seed(1).Build().Train(sentences);

        var loss = new LineSeries { Title = "since the epoch began" };
        foreach (Word2VecProgress p in model.Report.ProgressHistory)
        {
            loss.Points.Add(new DataPoint(p.EpochsDone, p.Loss));
        }

        var words = new ScatterSeries();
        foreach (ProjectedWord p in PcaProjection.Fit(model.Vectors, count: 200).Points)
        {
            words.Points.Add(new ScatterPoint(p.X, p.Y));               // and a label per word: see Charts.SaveWordMap
        }
        #endregion
        Console.WriteLine($"pictures: {loss.Points.Count} loss points, {words.Points.Count} words");
    }
}
