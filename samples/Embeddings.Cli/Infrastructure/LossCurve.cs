using Embeddings.Core.Plotting;
using Embeddings.Core.Training;

namespace Embeddings.Cli.Infrastructure;

/// <summary>
/// <c>train --plot</c>: records the loss at every progress report and draws it against epochs. Records as the
/// report arrives (unlike <see cref="Progress{T}"/>, which posts to the thread pool), so no point is lost or reordered;
/// the trainer reports from one thread. Passes every report on to <c>next</c> (a progress bar), if any.
/// </summary>
internal sealed class LossCurve(IProgress<Word2VecProgress>? next) : IProgress<Word2VecProgress>
{
    private readonly List<double> _epochs = [];
    private readonly List<double> _losses = [];

    /// <summary>Runs <paramref name="train"/> with <paramref name="display"/>, and with a curve recorder when <paramref name="plot"/> names a file to draw it in.</summary>
    public static Word2VecModel Train(string? plot, IProgress<Word2VecProgress>? display, Func<IProgress<Word2VecProgress>?, Word2VecModel> train)
    {
        if (plot is null)
        {
            return train(display);
        }

        var curve = new LossCurve(display);
        Word2VecModel model = train(curve);
        curve.Save(plot, model.Report.EpochLosses);
        return model;
    }

    public void Report(Word2VecProgress value)
    {
        // Epochs done as a fraction, so that epoch ends fall on whole numbers whatever the corpus size.
        _epochs.Add(value.Fraction * value.Epochs);
        _losses.Add(value.Loss);
        next?.Report(value);
    }

    /// <summary>
    /// Writes the chart: the running mean since each epoch began (it restarts at every epoch), and each epoch's mean
    /// marked at the epoch's end.
    /// </summary>
    private void Save(string path, IReadOnlyList<double> epochLosses)
    {
        var chart = new SvgLineChart("Training loss", "epoch", "mean loss per prediction");
        if (_losses.Count > 0)
        {
            chart.AddSeries("since the epoch began", _epochs, _losses);
        }

        double[] ends = [.. Enumerable.Range(1, epochLosses.Count)];
        chart.AddSeries("epoch mean", ends, epochLosses).Save(path);
    }
}
