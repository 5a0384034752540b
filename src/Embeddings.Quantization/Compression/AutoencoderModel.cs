using System.Globalization;
using Embeddings.Core.IO;

namespace Embeddings.Quantization;

/// <summary>
/// A trained <see cref="EmbeddingAutoencoder"/>: <see cref="Encode(ReadOnlySpan{float}, Span{float})"/> maps a vector to
/// its code of <see cref="CodeDimensions"/> values (±1 for a binary code, packed into bits by
/// <see cref="EncodeBits"/>), <see cref="Decode(ReadOnlySpan{float}, Span{float})"/> maps a code back to a vector.
/// Immutable and thread-safe.
/// </summary>
public sealed class AutoencoderModel
{
    internal AutoencoderModel(AutoencoderNetwork network, bool normalizeInputs, bool normalizeOutputs, TimeSpan elapsed)
    {
        Network = network;
        NormalizeInputs = normalizeInputs;
        NormalizeOutputs = normalizeOutputs;
        Elapsed = elapsed;
    }

    internal AutoencoderNetwork Network { get; }

    /// <summary>The length of the vectors.</summary>
    /// <value>d.</value>
    public int Dimensions => Network.Dimensions;

    /// <summary>The code's length: values, or bits for a binary code.</summary>
    /// <value>k.</value>
    public int CodeDimensions => Network.CodeDimensions;

    /// <summary>Whether the code is binary (±1 values, one bit each).</summary>
    /// <value><see langword="true"/> for bits.</value>
    public bool IsBinary => Network.Binary;

    /// <summary>Whether vectors are scaled to unit length before encoding (the decoder then gives unit-length-like vectors).</summary>
    /// <value>As trained.</value>
    public bool NormalizeInputs { get; }

    /// <summary>
    /// Whether decoded vectors are scaled to unit length: so for a model trained with the cosine loss on normalised
    /// inputs, whose loss leaves the output's length free.
    /// </summary>
    /// <value>As trained.</value>
    public bool NormalizeOutputs { get; }

    /// <summary>The training time (zero for a model read from a file).</summary>
    /// <value>The duration.</value>
    public TimeSpan Elapsed { get; }

    /// <summary>The 64-bit words of one packed binary code.</summary>
    /// <value>⌈k / 64⌉.</value>
    public int CodeWords => (CodeDimensions + 63) / 64;

    /// <summary>Encodes n vectors (n × <see cref="Dimensions"/>) into n × <see cref="CodeDimensions"/> code values.</summary>
    /// <param name="vectors">The vectors, row-major.</param>
    /// <returns>The codes, row-major (±1 for a binary code).</returns>
    /// <exception cref="ArgumentException">The length is not a multiple of <see cref="Dimensions"/>.</exception>
    public float[] Encode(ReadOnlySpan<float> vectors)
    {
        int d = Dimensions;
        if (vectors.Length % d != 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{vectors.Length} values are not a multiple of the dimensions ({d})."), nameof(vectors));
        }

        int count = vectors.Length / d;
        var codes = new float[count * CodeDimensions];
        const int Block = 1024;
        var input = new float[Math.Min(count, Block) * d];
        float[][] outputs = [.. Network.Layers.Select(layer => new float[Math.Min(count, Block) * layer.Outputs])];
        for (int start = 0; start < count; start += Block)
        {
            int rows = Math.Min(Block, count - start);
            vectors.Slice(start * d, rows * d).CopyTo(input);
            if (NormalizeInputs)
            {
                KMeans.NormalizeRows(input.AsSpan(0, rows * d), d);
            }

            Network.Forward(input, rows, 0, Network.CodeLayer, outputs, null, null);
            outputs[Network.CodeLayer].AsSpan(0, rows * CodeDimensions).CopyTo(codes.AsSpan(start * CodeDimensions));
        }

        return codes;
    }

    /// <summary>The code of one vector.</summary>
    /// <param name="vector"><see cref="Dimensions"/> values.</param>
    /// <param name="code">Receives <see cref="CodeDimensions"/> values.</param>
    /// <exception cref="ArgumentException">A length does not match.</exception>
    public void Encode(ReadOnlySpan<float> vector, Span<float> code)
    {
        RequireLength(vector.Length, Dimensions, nameof(vector));
        RequireLength(code.Length, CodeDimensions, nameof(code));
        Encode(vector).CopyTo(code);
    }

    /// <summary>The packed bits of a binary code: bit j (word j / 64, bit j mod 64) is set when value j is +1.</summary>
    /// <param name="vector"><see cref="Dimensions"/> values.</param>
    /// <param name="bits">Receives <see cref="CodeWords"/> words.</param>
    /// <exception cref="InvalidOperationException">The code is not binary.</exception>
    /// <exception cref="ArgumentException">A length does not match.</exception>
    public void EncodeBits(ReadOnlySpan<float> vector, Span<ulong> bits)
    {
        RequireBinary();
        RequireLength(bits.Length, CodeWords, nameof(bits));
        var code = new float[CodeDimensions];
        Encode(vector, code);
        PackBits(code, bits);
    }

    /// <summary>The vector a code stands for.</summary>
    /// <param name="code"><see cref="CodeDimensions"/> values.</param>
    /// <param name="destination">Receives <see cref="Dimensions"/> values.</param>
    /// <exception cref="ArgumentException">A length does not match.</exception>
    public void Decode(ReadOnlySpan<float> code, Span<float> destination)
    {
        RequireLength(code.Length, CodeDimensions, nameof(code));
        RequireLength(destination.Length, Dimensions, nameof(destination));
        Decode(code, 1, destination);
    }

    /// <summary>The vector a packed binary code stands for.</summary>
    /// <param name="bits"><see cref="CodeWords"/> words.</param>
    /// <param name="destination">Receives <see cref="Dimensions"/> values.</param>
    /// <exception cref="InvalidOperationException">The code is not binary.</exception>
    /// <exception cref="ArgumentException">A length does not match.</exception>
    public void DecodeBits(ReadOnlySpan<ulong> bits, Span<float> destination)
    {
        RequireBinary();
        RequireLength(bits.Length, CodeWords, nameof(bits));
        var code = new float[CodeDimensions];
        UnpackBits(bits, code);
        Decode(code, destination);
    }

    /// <summary>Decodes <paramref name="rows"/> codes at once into <paramref name="destination"/> (rows × d).</summary>
    internal void Decode(ReadOnlySpan<float> codes, int rows, Span<float> destination)
    {
        var input = codes[..(rows * CodeDimensions)].ToArray();
        float[][] outputs = new float[Network.Layers.Length][];
        for (int l = Network.CodeLayer + 1; l < outputs.Length; l++)
        {
            outputs[l] = new float[rows * Network.Layers[l].Outputs];
        }

        Network.Forward(input, rows, Network.CodeLayer + 1, Network.Layers.Length - 1, outputs, null, null);
        outputs[^1].AsSpan(0, rows * Dimensions).CopyTo(destination);
        if (NormalizeOutputs)
        {
            KMeans.NormalizeRows(destination[..(rows * Dimensions)], Dimensions);
        }
    }

    /// <summary>Sets bit j when <paramref name="code"/>[j] &gt; 0.</summary>
    internal static void PackBits(ReadOnlySpan<float> code, Span<ulong> bits)
    {
        bits.Clear();
        for (int j = 0; j < code.Length; j++)
        {
            if (code[j] > 0)
            {
                bits[j >> 6] |= 1UL << (j & 63);
            }
        }
    }

    /// <summary>Writes ±1 for each bit.</summary>
    internal static void UnpackBits(ReadOnlySpan<ulong> bits, Span<float> code)
    {
        for (int j = 0; j < code.Length; j++)
        {
            code[j] = ((bits[j >> 6] >> (j & 63)) & 1) != 0 ? 1f : -1f;
        }
    }

    /// <summary>Writes the native file atomically (magic "EMAE"; the layout of the network in docs/file-formats.md).</summary>
    /// <param name="path">The file to write; its folder must exist.</param>
    public void Save(string path) => NativeFile.Write(path, NativeFileKind.Autoencoder, 0, this, static (writer, m) => m.Write(writer));

    /// <summary>Writes the native file to a stream, from its current position.</summary>
    /// <param name="stream">Where to write; not closed.</param>
    public void Save(Stream stream) => NativeFile.Write(stream, NativeFileKind.Autoencoder, 0, this, static (writer, m) => m.Write(writer));

    /// <summary>Reads a file written by <see cref="Save(string)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The autoencoder.</returns>
    /// <exception cref="InvalidDataException">The file is not an autoencoder file, is truncated, or its checksum does not match.</exception>
    public static AutoencoderModel Load(string path) => NativeFile.Read(path, NativeFileKind.Autoencoder, Read);

    /// <summary>Reads a file written by <see cref="Save(Stream)"/> from a stream, from its current position.</summary>
    /// <param name="stream">The stream; not closed.</param>
    /// <returns>The autoencoder.</returns>
    /// <exception cref="InvalidDataException">The stream holds no autoencoder, is truncated, or its checksum does not match.</exception>
    public static AutoencoderModel Load(Stream stream) => NativeFile.Read(stream, NativeFileKind.Autoencoder, Read);

    internal void Write(NativePayloadWriter writer)
    {
        writer.Write(NormalizeInputs);
        writer.Write(NormalizeOutputs);
        Network.Write(writer);
    }

    internal static AutoencoderModel Read(NativePayloadReader reader)
    {
        bool normalizeInputs = reader.ReadBoolean();
        bool normalizeOutputs = reader.ReadBoolean();
        return new AutoencoderModel(AutoencoderNetwork.Read(reader), normalizeInputs, normalizeOutputs, TimeSpan.Zero);
    }

    private void RequireBinary()
    {
        if (!IsBinary)
        {
            throw new InvalidOperationException("This autoencoder's code is not binary; use Encode and Decode.");
        }
    }

    private static void RequireLength(int actual, int expected, string parameter)
    {
        if (actual != expected)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Expected {expected} values, got {actual}."), parameter);
        }
    }
}
