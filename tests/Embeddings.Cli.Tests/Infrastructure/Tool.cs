using System.Diagnostics;
using System.Text;

namespace Embeddings.Cli.Tests.Infrastructure;

/// <summary>Runs the built <c>embeddings</c> tool as a separate process, as a user would.</summary>
internal static class Tool
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static Result RunWithInput(string? standardInput, params string[] arguments) =>
        RunWithEnvironment(standardInput, new Dictionary<string, string>(), arguments);

    public static Result RunWithEnvironment(string? standardInput, IReadOnlyDictionary<string, string> environment, params string[] arguments)
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
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

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
