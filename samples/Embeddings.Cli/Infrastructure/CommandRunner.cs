using System.Text;

namespace Embeddings.Cli.Infrastructure;

/// <summary>
/// Runs a command body with the CLI's conventions: one clear line on standard error for bad input (no stack trace
/// unless <c>--verbose</c>), exit code 1 for errors and 130 for Ctrl+C, and a cancellation token wired to Ctrl+C.
/// </summary>
internal static class CommandRunner
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Cancelled = 130;

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
        catch (Exception e) when (IsUserError(e) && !verbose)
        {
            Console.Error.WriteLine($"error: {Describe(e)}");
            return Failure;
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"error: {Describe(e)}");
            Console.Error.WriteLine(e);
            return Failure;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Bad input or environment (a missing OpenCL runtime included): the user can fix it, so a message is worth more than a stack trace.</summary>
    private static bool IsUserError(Exception e) =>
        e is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException or FormatException
            or PlatformNotSupportedException; // e.g. no OpenCL runtime: the message says what to install

    private static string Describe(Exception e)
    {
        var message = new StringBuilder(e.Message);
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!e.Message.Contains(inner.Message, StringComparison.Ordinal))
            {
                message.Append(" (").Append(inner.Message).Append(')');
            }
        }

        return message.ToString();
    }
}
