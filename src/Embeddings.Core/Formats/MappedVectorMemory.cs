using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace Embeddings.Core.Formats;

/// <summary>
/// A read-only memory-mapped view of a whole native file, exposing one float32 region of it (the vectors' matrix, a
/// classifier's input rows) as <see cref="Memory{T}"/> without copying. Owned by what is built on it
/// (<see cref="Vectors.WordVectors"/>, <see cref="Classification.TextClassifier"/>): disposing that releases the pointer,
/// the view and the mapping, after which spans taken from the region must not be used.
/// </summary>
internal sealed unsafe class MappedVectorMemory : MemoryManager<float>
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _file;
    private float* _values;
    private int _length;
    private bool _released;

    /// <summary>Maps the whole of <paramref name="map"/> read-only; takes ownership of it.</summary>
    public MappedVectorMemory(MemoryMappedFile map, long length)
    {
        _map = map;
        _view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        try
        {
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        }
        catch
        {
            _view.Dispose();
            throw;
        }

        _file = pointer + _view.PointerOffset;
        Length = length;
    }

    /// <summary>The mapped file's length in bytes.</summary>
    public long Length { get; }

    /// <summary>The bytes of the file from <paramref name="offset"/>, at most <see cref="int.MaxValue"/> of them.</summary>
    public ReadOnlySpan<byte> Bytes(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(_released, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + length, Length);
        return new ReadOnlySpan<byte>(_file + offset, length);
    }

    /// <summary>Whether <see cref="SetValues"/> selected a region, so that something uses the mapping.</summary>
    public bool HasValues => _values is not null;

    /// <summary>A read-only stream over the whole file; it reads the mapping, which it does not own.</summary>
    public UnmanagedMemoryStream OpenStream()
    {
        ObjectDisposedException.ThrowIf(_released, this);
        return new UnmanagedMemoryStream(_file, Length);
    }

    /// <summary>Selects the float32 values that <see cref="GetSpan"/> exposes.</summary>
    /// <param name="offset">Byte offset of the first value in the file (a multiple of 4 in a vectors file; any offset
    /// elsewhere, which x64 and Arm64 read unaligned).</param>
    /// <param name="count">The number of values.</param>
    public void SetValues(long offset, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + ((long)count * sizeof(float)), Length);
        _values = (float*)(_file + offset);
        _length = count;
    }

    /// <inheritdoc/>
    public override Span<float> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_released, this);
        return new Span<float>(_values, _length);
    }

    /// <inheritdoc/>
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ObjectDisposedException.ThrowIf(_released, this);
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);
        return new MemoryHandle(_values + elementIndex);
    }

    /// <inheritdoc/>
    public override void Unpin()
    {
        // The mapping does not move.
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (_released)
        {
            return;
        }

        _released = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
