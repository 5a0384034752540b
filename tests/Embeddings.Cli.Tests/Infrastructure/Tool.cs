using System.Diagnostics;
using System.Text;

namespace Embeddings.Cli.Tests.Infrastructure;

/// <summary>Runs the built <c>embeddings</c> tool as a separate process, as a user would.</summary>
internal static class Tool
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static Result RunWithInput(string? standardInput, params string[] arguments) =>
        RunWithEnvironment(standardInput, new Dictionary<string, string>(), arguments);

    public static Result RunWithEnvironment(string? standardInput, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Start(standardInput is null ? null : input => input.Write(standardInput), environment, arguments);

    /// <summary>Runs the tool with these exact bytes on standard input (binary data, gzip), not text.</summary>
    public static Result RunWithBytes(byte[] standardInput, params string[] arguments) =>
        Start(input => input.BaseStream.Write(standardInput), new Dictionary<string, string>(), arguments);

    /// <summary>
    /// Runs the tool on <paramref name="standardInput"/> and calls <paramref name="whileReading"/> once the tool has
    /// taken most of it, before standard input closes: the input must be larger than a pipe holds (64 KB), so that
    /// writing it returns only after the tool started reading, which is after it checked its command line. What
    /// <paramref name="whileReading"/> changes therefore happens between the tool's checks and its work.
    /// </summary>
    public static Result RunWhileReading(string standardInput, Action whileReading, params string[] arguments) =>
        Start(input =>
        {
            input.Write(standardInput);
            input.Flush();
            whileReading();
        }, new Dictionary<string, string>(), arguments);

    private static Result Start(Action<StreamWriter>? writeInput, IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "embeddings.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        writeInput?.Invoke(process.StandardInput);

        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"embeddings {string.Join(' ', arguments)} did not finish in 2 minutes.");
        }

        return new Result(process.ExitCode, output.Result, error.Result);
    }

    public static Result Run(params string[] arguments) => RunWithInput(null, arguments);
}
