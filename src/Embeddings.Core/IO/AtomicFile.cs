namespace Embeddings.Core.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new one, never a half-written file:
/// the content goes to a temporary file in the same folder, is flushed to disk, and then replaces the target with
/// <see cref="File.Move(string, string, bool)"/>. On any failure the temporary file is deleted and the target is left
/// as it was. Shared by every writer of the library (vectors, vocabularies, models, checkpoints). The temporary file is
/// named by <see cref="TemporaryFile"/> with this process's id, and the stale ones a killed writer of the same target
/// left are removed before each write.
/// </summary>
/// <remarks>
/// The rename is atomic on the same volume (POSIX <c>rename</c>, Windows <c>MoveFileEx</c> with replace). The folder
/// entry itself is not fsync'ed (.NET has no API for it), so after a power cut the rename may be lost, but the target
/// then still holds the old, complete content. On Windows a target that another process holds open or has
/// memory-mapped cannot be replaced; the move throws <see cref="IOException"/> and the old file stays.
/// A system error while writing (disk full, read-only file system) is thrown as an <see cref="IOException"/> that names
/// the target, with the runtime's exception, which names the temporary file, as its inner exception.
/// </remarks>
internal static class AtomicFile
{
    private const int BufferSize = 1 << 16;

    /// <summary>Writes <paramref name="path"/> atomically with <paramref name="write"/>.</summary>
    /// <typeparam name="TState">State passed to <paramref name="write"/>, so that callers need no capturing lambda.</typeparam>
    /// <param name="path">The target file; its folder must exist.</param>
    /// <param name="state">Passed to <paramref name="write"/>.</param>
    /// <param name="write">Writes the whole content to the stream it is given; must not dispose it.</param>
    public static void Write<TState>(string path, TState state, Action<Stream, TState> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string target = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        TemporaryFile.RemoveStale(folder, Path.GetFileName(target));
        string temp = TemporaryFile.PathFor(target);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize))
            {
                write(stream, state);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException) && e.Message.Contains(temp, StringComparison.Ordinal))
        {
            // A system error (disk full, read-only file system) names the temporary file the runtime was writing; the
            // caller asked for the target.
            TryDelete(temp);
            throw new IOException($"Cannot write '{path}': {SystemReason(e.Message, temp, path)}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// The reason of a runtime I/O message without the path it appends ("No space left on device : '/a/.b.tmp'" → "no
    /// space left on device"), the temporary file named as the target elsewhere.
    /// </summary>
    private static string SystemReason(string message, string temp, string target)
    {
        int end = message.IndexOf(" : '", StringComparison.Ordinal);
        string reason = (end > 0 ? message[..end] : message).Replace(temp, target, StringComparison.Ordinal).TrimEnd('.');
        return reason.Length > 1 ? char.ToLowerInvariant(reason[0]) + reason[1..] : reason;
    }

    /// <summary>Writes <paramref name="path"/> atomically with <paramref name="write"/>.</summary>
    /// <param name="path">The target file; its folder must exist.</param>
    /// <param name="write">Writes the whole content to the stream it is given; must not dispose it.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, write, static (stream, action) => action(stream));
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original failure matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
