using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text;
using System.Text.RegularExpressions;

namespace Embeddings.Cli.Infrastructure;

/// <summary>
/// Runs the command line with the CLI's conventions: every failure, a bad command line included, is one line
/// <c>error: …</c> on standard error in plain words (the stack trace follows only with <c>--verbose</c>); exit code
/// 1 for errors and 130 for Ctrl+C; a cancellation token wired to Ctrl+C.
/// </summary>
internal static partial class CommandRunner
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Cancelled = 130;

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

    public static int Run(bool verbose, Func<CancellationToken, int> body)
    {
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true; // let the command stop cleanly and remove partial output
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return body(cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled");
            return Cancelled;
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
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>The exception's message, and its causes' where they add something, in the user's words.</summary>
    public static string Describe(Exception e)
    {
        var message = new StringBuilder(Plain(e));
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            string innerMessage = Plain(inner);
            if (!message.ToString().Contains(innerMessage, StringComparison.Ordinal))
            {
                message.Append(" (").Append(innerMessage).Append(')');
            }
        }

        return message.ToString();
    }

    /// <summary>
    /// One exception's message without .NET's wording: the runtime's own file errors are said again with the path
    /// as typed; the suffixes <c>(Parameter '…')</c> and <c>Actual value was …</c> are dropped.
    /// </summary>
    private static string Plain(Exception e)
    {
        // Messages our libraries and commands write name the file already; the runtime's ("Could not find file
        // '/abs/path'.") are worded again.
        bool fromRuntime = e.TargetSite?.Module.Assembly == typeof(object).Assembly;
        if (fromRuntime && e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException
            && (e is FileNotFoundException { FileName: { } name } ? name : QuotedPath(e.Message)) is { } path)
        {
            return FileProblem(e, path);
        }

        string message = e.Message;
        if (e is ArgumentException argument)
        {
            if (argument.ParamName is { } parameter)
            {
                message = message.Replace($" (Parameter '{parameter}')", string.Empty, StringComparison.Ordinal);
            }

            message = ActualValue().Replace(message, string.Empty);
        }

        return message.Trim();
    }

    private static string FileProblem(Exception e, string fullPath)
    {
        string shown = AsTyped(fullPath);
        if (Directory.Exists(fullPath))
        {
            return $"'{shown}' is a folder; a file is expected here";
        }

        if (e is UnauthorizedAccessException)
        {
            return File.Exists(fullPath) && !CanRead(fullPath)
                ? $"cannot read '{shown}': permission denied"
                : $"cannot write '{shown}': permission denied";
        }

        string? folder = Path.GetDirectoryName(fullPath);
        return folder is not null && !Directory.Exists(folder)
            ? $"'{shown}' does not exist: there is no folder '{AsTyped(folder)}'"
            : $"'{shown}' does not exist";
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

    /// <summary>The path as it appears on the command line, else relative to the current folder when inside it.</summary>
    private static string AsTyped(string fullPath)
    {
        string full = Path.GetFullPath(fullPath);
        foreach (string argument in _arguments)
        {
            if (argument.Length > 0 && !argument.StartsWith('-') && Path.GetFullPath(argument).TrimEnd('/') == full.TrimEnd('/'))
            {
                return argument;
            }
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
