using System.Diagnostics.CodeAnalysis;

namespace Embeddings.Tests.Infrastructure;

/// <summary>
/// Skips the running test so that <c>dotnet test</c> prints why at its default verbosity. The VSTest console logger
/// shows only warnings and errors there, and the xUnit adapter reports a skip's reason as an informational message,
/// so the reason is also recorded as a test warning, which the adapter prints under the test's <c>[SKIP]</c> line.
/// </summary>
internal static class VisibleSkip
{
    /// <summary>Skips the test with <paramref name="reason"/>; never returns.</summary>
    [DoesNotReturn]
    public static void Because(string reason)
    {
        TestContext.Current.AddWarning(reason);
        Assert.Skip(reason);
    }
}
