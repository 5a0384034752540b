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

    /// <summary>Starts the tool in the background (standard input closed), to signal or kill it while it works.</summary>
    public static Running StartInBackground(IReadOnlyDictionary<string, string> environment, params string[] arguments) => new(Launch(environment, arguments), arguments);

    private static Result Start(Action<StreamWriter>? writeInput, IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        using Process process = Launch(environment, arguments);
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

    private static Process Launch(IReadOnlyDictionary<string, string> environment, string[] arguments)
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

        return Process.Start(start)!;
    }

    public static Result Run(params string[] arguments) => RunWithInput(null, arguments);

    /// <summary>A run of the tool in the background: wait for a sign of its progress, then signal or kill it.</summary>
    public sealed class Running : IDisposable
    {
        private readonly Process _process;
        private readonly string[] _arguments;
        private readonly Task<string> _output;
        private readonly Task<string> _error;

        internal Running(Process process, string[] arguments)
        {
            _process = process;
            _arguments = arguments;
            _output = process.StandardOutput.ReadToEndAsync();
            _error = process.StandardError.ReadToEndAsync();
            process.StandardInput.Close();
        }

        public int ProcessId => _process.Id;

        /// <summary>The CPU time the run has used so far: a sign of work for commands that print no progress.</summary>
        public TimeSpan ProcessorTime
        {
            get
            {
                try
                {
                    _process.Refresh();
                    return _process.TotalProcessorTime;
                }
                catch (InvalidOperationException)
                {
                    return TimeSpan.Zero; // it has ended
                }
            }
        }

        /// <summary>Waits until <paramref name="condition"/> holds; fails if the run ends first or a minute passes.</summary>
        public void WaitUntil(Func<bool> condition, string what)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"embeddings {string.Join(' ', _arguments)} ended (exit {_process.ExitCode}) before {what}: {_error.Result}");
                }

                if (clock.Elapsed > TimeSpan.FromMinutes(1))
                {
                    throw new TimeoutException($"no {what} after a minute of embeddings {string.Join(' ', _arguments)}.");
                }

                Thread.Sleep(5);
            }
        }

        /// <summary>Sends a signal by name (TERM, HUP, INT, KILL) with kill(1), as a scheduler or a shell would.</summary>
        public void Signal(string name)
        {
            using Process kill = Process.Start("kill", ["-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            kill.WaitForExit();
            kill.ExitCode.Should().Be(0, $"kill -{name} reaches the running tool");
        }

        public Result WaitForExit()
        {
            if (!_process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                throw new TimeoutException($"embeddings {string.Join(' ', _arguments)} did not finish in 2 minutes.");
            }

            return new Result(_process.ExitCode, _output.Result, _error.Result);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
        }
    }
}
