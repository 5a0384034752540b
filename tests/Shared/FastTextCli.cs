using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Embeddings.Tests.Infrastructure;

/// <summary>
/// Runs Debian's <c>fasttext</c> (0.9.2) to make reference models and print what fastText computes from them. Tests that
/// need it call <see cref="Require"/>: without the program they skip with a message, except under CI (<c>CI=true</c>),
/// where <c>.ci/run</c> installs it and its absence fails the test.
/// </summary>
internal static class FastTextCli
{
    private static readonly Lazy<string?> Program = new(() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "fasttext"))
            .FirstOrDefault(File.Exists));

    /// <summary>Skips (or, under CI, fails) the test when the <c>fasttext</c> program is not installed.</summary>
    public static void Require()
    {
        if (Program.Value is not null)
        {
            return;
        }

        const string message = "The fasttext program is not installed (Debian package fasttext).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(message + " CI installs it in .ci/run.");
        }

        VisibleSkip.Because(message);
    }

    /// <summary>Runs <c>fasttext</c> with <paramref name="arguments"/> and returns its standard output; fails on a non-zero exit.</summary>
    public static string Run(string? standardInput, params string[] arguments)
    {
        Require();
        var start = new ProcessStartInfo(Program.Value!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"fasttext {string.Join(' ', arguments)} exited with {process.ExitCode}: {errors.Result}");
        }

        return output.Result;
    }

    /// <summary>
    /// Trains a model on <paramref name="textPath"/> (<paramref name="command"/> is <c>skipgram</c>, <c>cbow</c> or
    /// <c>supervised</c>), one thread, written as <paramref name="outputStem"/>.bin; returns that path.
    /// </summary>
    public static string Train(string command, string textPath, string outputStem, params string[] options)
    {
        Run(null, [command, "-input", textPath, "-output", outputStem, "-thread", "1", "-verbose", "0", .. options]);
        return outputStem + ".bin";
    }

    /// <summary>fastText's <c>print-word-vectors</c> for <paramref name="words"/> (one per line, no spaces), in order.</summary>
    public static List<(string Word, float[] Vector)> PrintWordVectors(string modelPath, IEnumerable<string> words) =>
        ParseRows(Run(string.Join('\n', words) + "\n", "print-word-vectors", modelPath));

    /// <summary>fastText's <c>print-ngrams</c>: each subword of <paramref name="word"/> (its own entry first when it is a vocabulary word) with its input row.</summary>
    public static List<(string Word, float[] Vector)> PrintNgrams(string modelPath, string word) =>
        ParseRows(Run(null, "print-ngrams", modelPath, word));

    /// <summary>
    /// The tolerance for comparing a value with fastText's printed one: fastText prints five significant digits, so
    /// 1e-5 or half a unit of the fifth digit, whichever is larger.
    /// </summary>
    public static float PrintTolerance(float printed)
    {
        float magnitude = Math.Abs(printed);
        return magnitude == 0 ? 1e-5f : Math.Max(1e-5f, 0.5f * MathF.Pow(10, MathF.Floor(MathF.Log10(magnitude)) - 4) * 1.01f);
    }

    private static List<(string, float[])> ParseRows(string output)
    {
        var rows = new List<(string, float[])>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            rows.Add((fields[0], [.. fields.Skip(1).Select(f => float.Parse(f, NumberStyles.Float, CultureInfo.InvariantCulture))]));
        }

        return rows;
    }
}
