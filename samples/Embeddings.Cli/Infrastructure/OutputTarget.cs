using System.Text;
using Embeddings.Core.IO;

namespace Embeddings.Cli.Infrastructure;

/// <summary>
/// Standard output for <c>-</c>, otherwise a file written atomically: text goes to a temporary file in the same
/// folder and replaces the target only on <see cref="Commit"/>, so a failed or cancelled run leaves nothing half-written
/// (the library's <see cref="TemporaryFile"/> names it, so that one a killed run left is removed at the next write).
/// </summary>
internal sealed class OutputTarget : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly string? _path;
    private readonly string? _temporaryPath;
    private bool _committed;

    private OutputTarget(TextWriter writer, string? path, string? temporaryPath)
    {
        Writer = writer;
        _path = path;
        _temporaryPath = temporaryPath;
    }

    public TextWriter Writer { get; }

    public bool IsStandardOutput => _path is null;

    public static OutputTarget Open(string? pathOrDash)
    {
        if (string.IsNullOrEmpty(pathOrDash) || pathOrDash == "-")
        {
            var stdout = new StreamWriter(Console.OpenStandardOutput(), Utf8NoBom, bufferSize: 1 << 16) { NewLine = "\n" };
            return new OutputTarget(stdout, null, null);
        }

        string path = Path.GetFullPath(pathOrDash);
        string folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"cannot write '{pathOrDash}': there is no folder '{Path.GetDirectoryName(pathOrDash)}'");
        }

        if (Directory.Exists(path))
        {
            throw new IOException($"'{pathOrDash}' is a folder; a file is expected here");
        }

        TemporaryFile.RemoveStale(folder, Path.GetFileName(path));
        string temporary = TemporaryFile.PathFor(path);
        var writer = new StreamWriter(new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), Utf8NoBom)
        {
            NewLine = "\n",
        };
        return new OutputTarget(writer, path, temporary);
    }

    /// <summary>Flushes and, for a file, moves the temporary file over the target.</summary>
    public void Commit()
    {
        Writer.Flush();
        if (_path is not null)
        {
            ((FileStream)((StreamWriter)Writer).BaseStream).Flush(flushToDisk: true);
            Writer.Dispose();
            File.Move(_temporaryPath!, _path, overwrite: true);
        }

        _committed = true;
    }

    public void Dispose()
    {
        if (_path is null)
        {
            Writer.Flush();
            return;
        }

        Writer.Dispose();
        if (!_committed && File.Exists(_temporaryPath))
        {
            File.Delete(_temporaryPath);
        }
    }
}
