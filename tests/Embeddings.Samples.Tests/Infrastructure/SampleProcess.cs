using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Embeddings.Samples.Tests.Infrastructure;

/// <summary>
/// Runs a sample under samples/ as a separate process (<c>dotnet samples/NAME/bin/CONFIGURATION/TFM/NAME.dll args</c>),
/// from the output folder its own build wrote. The test project lists each sample as a ProjectReference with
/// <c>ReferenceOutputAssembly="false"</c>, so building the tests builds the samples, in the same configuration.
/// </summary>
internal static class SampleProcess
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        /// <summary>The standard output lines, trimmed at the end.</summary>
        public IReadOnlyList<string> Lines => Output.ReplaceLineEndings("\n").TrimEnd().Split('\n');

        public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
    }

    public static Result Run(string projectName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        string dll = SamplePath(projectName);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"{projectName} {string.Join(' ', arguments)} did not finish in {timeout.TotalSeconds:F0} s. Output so far:\n{output.Result}");
        }

        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The repository's root folder: the first one above the test assembly that holds Embeddings.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Embeddings.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Embeddings.sln not found above " + AppContext.BaseDirectory);
    }

    private static string SamplePath(string projectName)
    {
        // This assembly lives in tests/Embeddings.Samples.Tests/bin/<Configuration>/<TFM>/; the sample's in samples/<Name>/bin/<Configuration>/<TFM>/.
        string configuration = typeof(SampleProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        string framework = new DirectoryInfo(AppContext.BaseDirectory).Name;
        string dll = Path.Combine(RepositoryRoot(), "samples", projectName, "bin", configuration, framework, projectName + ".dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"The sample {projectName} is not built at {dll}; add it as a ProjectReference of the sample tests.");
    }
}
