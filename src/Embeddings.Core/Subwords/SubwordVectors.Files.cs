namespace Embeddings.Core.Subwords;

// The native subword vectors file (magic EMSW, docs/file-formats.md). To export the vocabulary words' vectors to
// word2vec or fastText .vec files, save Words (WordVectors.Save); only this file keeps the n-gram rows.
public sealed partial class SubwordVectors
{
    /// <summary>Saves the vectors, n-gram rows included, to a native file, atomically (a temporary file, then a rename).</summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <exception cref="IOException">The file cannot be written; the old file, if any, is unchanged.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        SubwordVectorsFile.Save(this, path);
    }

    /// <summary>Saves the vectors, n-gram rows included, to a stream at its current position; the stream is not closed.</summary>
    /// <param name="stream">A writable stream.</param>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        SubwordVectorsFile.Save(this, stream);
    }

    /// <summary>
    /// Opens a native subword vectors file by memory-mapping it: its checksum is verified, and the rows are used where they
    /// lie in the file, not copied. Dispose the vectors to release the file, and do not change it in place while it is open.
    /// </summary>
    /// <param name="path">A file written by <see cref="Save(string)"/>.</param>
    /// <returns>The vectors, backed by the mapped file.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a subword vectors file, a newer version, truncated or damaged; the message names the file.</exception>
    public static SubwordVectors Load(string path) => SubwordVectorsFile.ReadMapped(path);

    /// <summary>Reads a native subword vectors file from a stream, from its current position, into memory.</summary>
    /// <param name="stream">A readable stream; it may go on after the file.</param>
    /// <returns>The vectors.</returns>
    /// <exception cref="InvalidDataException">Not a subword vectors file, a newer version, truncated or damaged.</exception>
    public static SubwordVectors Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return SubwordVectorsFile.Read(stream, stream is FileStream file ? file.Name : "the stream");
    }
}
