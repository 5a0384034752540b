using System.Text;

namespace Embeddings.Core.IO;

/// <summary>One kind of native file: its magic, the format version written today and a name for messages.</summary>
/// <remarks>
/// Each kind's earlier versions used the frame that came before <see cref="NativeFile"/>'s; <see cref="NativeFile.Read{T}(Stream, string, NativeFileKind, Func{NativePayloadReader, T})"/>
/// still reads them when <see cref="ReadsTrailerFrame"/> is set (see docs/file-formats.md).
/// </remarks>
public sealed record NativeFileKind
{
    /// <summary>Creates a kind.</summary>
    /// <param name="magic">Four ASCII characters that open every file of the kind, e.g. <c>EMBK</c>.</param>
    /// <param name="version">The payload layout's version, written into new files; files of a higher version are refused.</param>
    /// <param name="name">What a file of this kind holds, for messages ("quantized vectors").</param>
    /// <exception cref="ArgumentException"><paramref name="magic"/> is not four ASCII characters, or <paramref name="version"/> is 0.</exception>
    public NativeFileKind(string magic, ushort version, string name)
    {
        ArgumentNullException.ThrowIfNull(magic);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (magic.Length != 4 || !Ascii.IsValid(magic))
        {
            throw new ArgumentException($"A magic is four ASCII characters (was \"{magic}\").", nameof(magic));
        }

        ArgumentOutOfRangeException.ThrowIfZero(version);
        (Magic, Version, Name) = (magic, version, name);
    }

    /// <summary>The four ASCII characters that open every file of the kind.</summary>
    public string Magic { get; }

    /// <summary>The version new files are written with.</summary>
    public ushort Version { get; }

    /// <summary>What a file of this kind holds, for messages.</summary>
    public string Name { get; }

    /// <summary>
    /// Whether versions below <see cref="Version"/> are in the earlier, trailing-checksum frame (the magic, the version and
    /// flags as two uint16, the payload, then the XXH64 of every byte before it), which <see cref="NativeFile"/> still reads.
    /// </summary>
    public bool ReadsTrailerFrame { get; init; }

    internal byte[] MagicBytes => Encoding.ASCII.GetBytes(Magic);

    /// <summary>The name after "a" or "an", for messages.</summary>
    internal string WithArticle => ("aeiou".Contains(char.ToLowerInvariant(Name[0]), StringComparison.Ordinal) ? "an " : "a ") + Name;
}
