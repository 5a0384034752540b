using Embeddings.Core.Formats;

namespace Embeddings.Core.Vectors;

/// <content>Loading and saving, shortcuts to <see cref="WordVectorsFile"/>.</content>
public sealed partial class WordVectors
{
    /// <summary>Loads vectors from a file; see <see cref="WordVectorsFile.Load(string, VectorFileFormat?, int?)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">The format, or <see langword="null"/> to detect it from the content.</param>
    /// <param name="limit">Read only the first <paramref name="limit"/> vectors, or <see langword="null"/> for all.</param>
    /// <returns>The vectors; memory-mapped for native files, so dispose them when done.</returns>
    /// <exception cref="InvalidDataException">The file is not valid in the format, with the line or byte offset.</exception>
    public static WordVectors Load(string path, VectorFileFormat? format = null, int? limit = null) =>
        WordVectorsFile.Load(path, format, limit);

    /// <summary>Loads vectors from a stream; see <see cref="WordVectorsFile.Load(Stream, VectorFileFormat?, int?)"/>.</summary>
    /// <param name="stream">A readable stream, not disposed.</param>
    /// <param name="format">The format, or <see langword="null"/> to detect it from the content.</param>
    /// <param name="limit">Read only the first <paramref name="limit"/> vectors, or <see langword="null"/> for all.</param>
    /// <returns>The vectors.</returns>
    /// <exception cref="InvalidDataException">The content is not valid in the format, with the line or byte offset.</exception>
    public static WordVectors Load(Stream stream, VectorFileFormat? format = null, int? limit = null) =>
        WordVectorsFile.Load(stream, format, limit);

    /// <summary>Saves the vectors to a file atomically; see <see cref="WordVectorsFile.Save(WordVectors, string, VectorFileFormat)"/>.</summary>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <param name="format">The format to write.</param>
    /// <exception cref="ArgumentException">A word contains ASCII whitespace, which <paramref name="format"/> cannot store.</exception>
    public void Save(string path, VectorFileFormat format) => WordVectorsFile.Save(this, path, format);

    /// <summary>Saves the vectors to a stream; see <see cref="WordVectorsFile.Save(WordVectors, Stream, VectorFileFormat)"/>.</summary>
    /// <param name="stream">A writable stream, not disposed.</param>
    /// <param name="format">The format to write.</param>
    /// <exception cref="ArgumentException">A word contains ASCII whitespace, which <paramref name="format"/> cannot store.</exception>
    public void Save(Stream stream, VectorFileFormat format) => WordVectorsFile.Save(this, stream, format);
}
