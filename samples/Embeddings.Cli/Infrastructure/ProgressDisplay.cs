using Embeddings.Text.Sources;
using Spectre.Console;

namespace Embeddings.Cli.Infrastructure;

/// <summary>
/// A progress bar on standard error for long reads, shown only when standard error is a terminal (never in CI logs
/// or pipes), so standard output stays clean for the data.
/// </summary>
internal static class ProgressDisplay
{
    public static bool IsInteractive =>
        !Console.IsErrorRedirected && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static T Run<T>(string description, Func<IProgress<ReadProgress>?, T> work)
    {
        if (!IsInteractive)
        {
            return work(null);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(description, maxValue: 1);
                var progress = new Progress(task);
                T result = work(progress);
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <summary>
    /// Runs a training under a bar on standard error when it is a terminal; <paramref name="show"/> turns each progress
    /// report into the bar's text and its fraction done. Off a terminal, <paramref name="train"/> gets no progress.
    /// </summary>
    /// <param name="train">The training, given the progress to report to.</param>
    /// <param name="show">The bar's text and fraction for a progress report.</param>
    /// <param name="redirect">Given the way to write a line above the bar while it shows, for a command that writes lines meanwhile.</param>
    public static T Train<TProgress, T>(
        Func<IProgress<TProgress>?, T> train, Func<TProgress, (string Description, double Fraction)> show, Action<Action<string>>? redirect = null)
    {
        if (!IsInteractive)
        {
            return train(null);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("train", maxValue: 1);
                redirect?.Invoke(line => console.WriteLine(line));
                return train(new Progress<TProgress>(p => (task.Description, task.Value) = show(p)));
            });
    }

    private sealed class Progress(ProgressTask task) : IProgress<ReadProgress>
    {
        public void Report(ReadProgress value)
        {
            if (value.TotalBytes is > 0 && task.MaxValue != value.TotalBytes.Value)
            {
                task.MaxValue = value.TotalBytes.Value;
            }

            task.Value = Math.Min(value.BytesRead, task.MaxValue);
        }
    }
}
