using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Embeddings.Cli.Infrastructure;

/// <summary>
/// Runs the command line with the CLI's conventions: every failure, a bad command line included, is one line
/// <c>error: …</c> on standard error in plain words (the stack trace follows only with <c>--verbose</c>); exit code
/// 1 for errors, 130 for Ctrl+C, 143 for SIGTERM and 129 for SIGHUP; a cancellation token wired to those signals.
/// </summary>
internal static partial class CommandRunner
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Cancelled = 130;   // SIGINT (Ctrl+C)
    public const int HungUp = 129;      // SIGHUP
    public const int Terminated = 143;  // SIGTERM

    /// <summary>The words of the command line, to show a path in messages as the user typed it.</summary>
    private static IReadOnlyList<string> _arguments = [];

    /// <summary>Parses and runs the command line; a parse error is one line, not the help text (which <c>--help</c> shows).</summary>
    public static int Invoke(RootCommand root, string[] args)
    {
        _arguments = args;
        ParseResult parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            Console.Error.WriteLine($"error: {ParseErrors.Describe(parse)}");
            return Failure;
        }

        return parse.Invoke();
    }

    /// <summary>
    /// Runs a command's body with a token that Ctrl+C (SIGINT), SIGTERM (sent by <c>timeout</c>, <c>docker stop</c>, job
    /// schedulers) and SIGHUP (a closed terminal) cancel. The process stays alive until the body has stopped, written its
    /// checkpoint and removed its partial outputs; it then exits 130, 143 or 129 (128 + the signal's number, as a shell
    /// reports a process the signal killed). A second signal ends the process at once.
    /// </summary>
    public static int Run(bool verbose, Func<CancellationToken, int> body)
    {
        using var cancellation = new CancellationTokenSource();
        int signalExitCode = 0;
        void OnSignal(PosixSignalContext context)
        {
            if (Interlocked.CompareExchange(ref signalExitCode, ExitCode(context.Signal), 0) == 0)
            {
                context.Cancel = true; // let the command stop cleanly and remove partial output
                cancellation.Cancel();
            }
        }

        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using PosixSignalRegistration hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        try
        {
            return body(cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine(signalExitCode == Cancelled ? "cancelled" : $"cancelled by {SignalName(signalExitCode)}");
            return signalExitCode;
        }
        catch (Exception e)
        {
            // Bad input and a failing program alike end in one line: a user can act on the message, and --verbose
            // shows where it came from for a bug report.
            Console.Error.WriteLine($"error: {Describe(e)}");
            if (verbose)
            {
                Console.Error.WriteLine(e);
            }

            return Failure;
        }
    }

    private static int ExitCode(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGTERM => Terminated,
        PosixSignal.SIGHUP => HungUp,
        _ => Cancelled,
    };

    private static string SignalName(int exitCode) => exitCode == Terminated ? "SIGTERM" : "SIGHUP";

    /// <summary>The exception's message, and its causes' where they add something, in the user's words.</summary>
    public static string Describe(Exception e)
    {
        if (RuntimeFileError(e) is { } fileError)
        {
            return fileError; // the cause is the system's error number, already said
        }

        var message = new StringBuilder(Plain(e));
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            string innerMessage = RuntimeFileError(inner) ?? Plain(inner);
            // A cause that repeats the message, whatever its case ("Cannot write …" quoted as "cannot write …"), adds nothing.
            if (!message.ToString().Contains(innerMessage.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
            {
                message.Append(" (").Append(innerMessage).Append(')');
            }
        }

        return message.ToString();
    }

    /// <summary>One exception's message without the suffixes .NET adds to argument errors: <c>(Parameter '…')</c>, <c>Actual value was …</c>.</summary>
    private static string Plain(Exception e)
    {
        string message = e.Message;
        if (e is ArgumentException argument)
        {
            if (argument.ParamName is { } parameter)
            {
                message = message.Replace($" (Parameter '{parameter}')", string.Empty, StringComparison.Ordinal);
            }

            message = ActualValue().Replace(message, string.Empty);
        }

        if (e is InvalidDataException && e.Data["EncodingHint"] is string libraryHint)
        {
            // The option to pass, not the library setting.
            string option = e.Data[InputText.EncodingOptionKey] as string ?? "--encoding";
            message = message.Replace(libraryHint, InputText.EncodingHintFor(option), StringComparison.Ordinal);
        }

        if (e is InvalidDataException && e.Data["DecompressHint"] is string decompressHint)
        {
            message = message.Replace(decompressHint, InputText.DecompressHint(decompressHint), StringComparison.Ordinal);
        }

        return message.Trim();
    }

    /// <summary>
    /// A file error raised by the runtime itself ("Could not find file '/abs/path'.", "Access to the path … is
    /// denied."), said again with the path as typed; <see langword="null"/> for other exceptions, whose messages (ours
    /// and our libraries') name the file already.
    /// </summary>
    private static string? RuntimeFileError(Exception e)
    {
        if (e is not (IOException or UnauthorizedAccessException) || e.TargetSite?.Module.Assembly != typeof(object).Assembly
            || (e is FileNotFoundException { FileName: { } name } ? name : QuotedPath(e.Message)) is not { } path)
        {
            return null;
        }

        string full = Path.GetFullPath(path);
        string shown = AsTyped(full);
        string? folder = Path.GetDirectoryName(full);
        return e switch
        {
            _ when Directory.Exists(full) => $"'{shown}' is a folder; a file is expected here",
            UnauthorizedAccessException when File.Exists(full) && !CanRead(full) => $"cannot read '{shown}': permission denied",
            UnauthorizedAccessException => $"cannot write '{shown}': permission denied",
            FileNotFoundException or DirectoryNotFoundException when folder is not null && !Directory.Exists(folder) =>
                $"'{shown}': there is no folder '{AsTyped(folder)}'",
            FileNotFoundException or DirectoryNotFoundException => $"'{shown}' does not exist",
            // Other system errors read "Reason : '/abs/path'" (disk full, name too long…): keep the reason.
            _ => $"'{shown}': {SystemReason(e.Message)}",
        };
    }

    /// <summary>The reason of a system error message, without the path the runtime appends ("Read-only file system : '/a'" → "read-only file system").</summary>
    internal static string SystemReason(string message)
    {
        int end = message.IndexOf(" : '", StringComparison.Ordinal);
        string reason = end > 0 ? message[..end] : message;
        return reason.Length > 1 ? char.ToLowerInvariant(reason[0]) + reason[1..] : reason;
    }

    private static bool CanRead(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// The path as it appears on the command line, else relative to the current folder when inside it. A temporary
    /// file the libraries write first (".v.bin.x1y2.tmp") is shown as the output it stands for.
    /// </summary>
    private static string AsTyped(string fullPath)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(fullPath));
        string name = Path.GetFileName(full);
        string? typedOutput = null;
        foreach (string argument in _arguments.Where(a => a.Length > 0 && !a.StartsWith('-')))
        {
            string candidate = Path.TrimEndingDirectorySeparator(Path.GetFullPath(argument));
            if (candidate == full)
            {
                return argument;
            }

            if (Path.GetDirectoryName(candidate) == Path.GetDirectoryName(full) && name.StartsWith($".{Path.GetFileName(candidate)}.", StringComparison.Ordinal))
            {
                typedOutput = argument;
            }
        }

        if (typedOutput is not null)
        {
            return typedOutput;
        }

        string relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) ? full : relative;
    }

    /// <summary>The path the runtime quotes in its messages ("Could not find a part of the path '/a/b'.").</summary>
    private static string? QuotedPath(string message)
    {
        int start = message.IndexOf('\'', StringComparison.Ordinal), end = message.LastIndexOf('\'');
        return start >= 0 && end > start ? message[(start + 1)..end] : null;
    }

    [GeneratedRegex(@"\s*Actual value was .*\.$", RegexOptions.Singleline)]
    private static partial Regex ActualValue();
}
