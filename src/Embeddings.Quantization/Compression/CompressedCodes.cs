using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Embeddings.Core.IO;
using Microsoft.Extensions.Logging;

namespace Embeddings.Quantization;

/// <summary>The codes of one method behind <see cref="CompressedVectors"/>: decoding, search and the method's part of the file.</summary>
internal abstract class CompressedCodes(int count, int dimensions)
{
    public int Count { get; } = count;

    public int Dimensions { get; } = dimensions;

    /// <summary>Bits of one word's code.</summary>
    public abstract int CodeBits { get; }

    /// <summary>Bytes shared by all words: codebooks, centroids, a decoder's weights, scales.</summary>
    public abstract long ModelBytes { get; }

    public abstract void Decode(int id, Span<float> destination);

    /// <summary>Every word's decoded vector, n × d.</summary>
    public virtual float[] DecodeAll()
    {
        var matrix = new float[Count * Dimensions];
        for (int id = 0; id < Count; id++)
        {
            Decode(id, matrix.AsSpan(id * Dimensions, Dimensions));
        }

        return matrix;
    }

    /// <summary>
    /// The nearest words to a query over the codes, best first, ties by id. <paramref name="queryId"/> (or −1) is the
    /// query's word, left out; <paramref name="query"/> is a unit vector (the word's decoded vector for a word query).
    /// </summary>
    public abstract (int Id, float Score)[] Search(int queryId, ReadOnlySpan<float> query, int topN);

    /// <summary>The nearest words to word <paramref name="id"/>, from its decoded vector (binary codes use the code itself).</summary>
    public virtual (int Id, float Score)[] SearchWord(int id, int topN)
    {
        var query = new float[Dimensions];
        Decode(id, query);
        KMeans.NormalizeRows(query, Dimensions);
        return Search(id, query, topN);
    }

    public abstract void Write(NativePayloadWriter writer);

    /// <summary>The mean squared difference per value between the decoded vectors and <paramref name="unit"/>.</summary>
    public double MeanSquaredError(float[] unit)
    {
        float[] decoded = DecodeAll();
        double sum = 0;
        for (int i = 0; i < decoded.Length; i++)
        {
            double diff = decoded[i] - unit[i];
            sum += diff * diff;
        }

        return sum / decoded.Length;
    }

    /// <summary>The best <paramref name="topN"/> of n scores (score descending, id ascending), <paramref name="exclude"/> left out.</summary>
    protected static (int Id, float Score)[] Best(ReadOnlySpan<float> scores, int topN, int exclude)
    {
        int capacity = Math.Min(topN, scores.Length - (exclude >= 0 ? 1 : 0));
        if (capacity <= 0)
        {
            return [];
        }

        var ids = new int[capacity];
        var best = new float[capacity];
        int count = 0;
        for (int id = 0; id < scores.Length; id++)
        {
            float score = scores[id];
            if (id == exclude || (count == capacity && !(score > best[count - 1])))
            {
                continue; // a tie with the worst kept loses: the kept one has the lower id
            }

            int i = count < capacity ? count++ : count - 1;
            while (i > 0 && score > best[i - 1])
            {
                best[i] = best[i - 1];
                ids[i] = ids[i - 1];
                i--;
            }

            best[i] = score;
            ids[i] = id;
        }

        var result = new (int, float)[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = (ids[i], best[i]);
        }

        return result;
    }

    protected static void Report(IProgress<CompressionProgress>? progress, int step, int steps, Stopwatch clock) =>
        progress?.Report(new CompressionProgress("trained", step, steps, clock.Elapsed));
}

/// <summary>Spherical k-means: a centroid index a word.</summary>
internal sealed class KMeansCodes : CompressedCodes
{
    private readonly float[] _centroids;
    private readonly int[] _labels;
    private readonly int _clusters;

    private KMeansCodes(int count, int dimensions, int clusters, float[] centroids, int[] labels)
        : base(count, dimensions)
    {
        _clusters = clusters;
        _centroids = centroids;
        _labels = labels;
    }

    public override int CodeBits => Math.Max(1, (int)Math.Ceiling(Math.Log2(_clusters)));

    public override long ModelBytes => (long)_centroids.Length * sizeof(float);

    private int LabelBytes => _clusters <= 256 ? 1 : _clusters <= 65_536 ? 2 : 4;

    public static KMeansCodes Train(float[] unit, int d, CompressionOptions options, ILoggerFactory loggerFactory, IProgress<CompressionProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        int count = unit.Length / d;
        int k = options.ClustersFor(count);
        var kmeans = new KMeans(new KMeansOptions { Clusters = k, Spherical = true, MaxIterations = 25, Seed = options.Seed, Threads = options.Threads }, loggerFactory);
        KMeansResult result = kmeans.Train(unit, d, cancellationToken: cancellationToken);
        Report(progress, 1, 1, clock);
        return new KMeansCodes(count, d, k, result.CentroidsToArray(), (int[])result.LabelArray.Clone());
    }

    public override void Decode(int id, Span<float> destination) => _centroids.AsSpan(_labels[id] * Dimensions, Dimensions).CopyTo(destination);

    public override (int Id, float Score)[] Search(int queryId, ReadOnlySpan<float> query, int topN)
    {
        var clusterScores = new float[_clusters];
        for (int c = 0; c < _clusters; c++)
        {
            clusterScores[c] = TensorPrimitives.Dot(query, _centroids.AsSpan(c * Dimensions, Dimensions));
        }

        var scores = new float[Count];
        for (int id = 0; id < Count; id++)
        {
            scores[id] = clusterScores[_labels[id]];
        }

        return Best(scores, topN, queryId);
    }

    public override void Write(NativePayloadWriter writer)
    {
        writer.Write(_clusters);
        writer.WriteFloats(_centroids);
        int bytes = LabelBytes;
        Span<byte> label = stackalloc byte[4];
        foreach (int value in _labels)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(label, value);
            writer.Write(label[..bytes]);
        }
    }

    public static KMeansCodes Read(NativePayloadReader reader, int count, int d)
    {
        int clusters = reader.ReadInt32();
        if (clusters < 1 || clusters > count)
        {
            throw reader.Invalid($"has {clusters} clusters for {count} words");
        }

        float[] centroids = reader.ReadFloats((long)clusters * d);
        var codes = new KMeansCodes(count, d, clusters, centroids, new int[count]);
        int bytes = codes.LabelBytes;
        byte[] raw = ReadExactly(reader, (long)count * bytes);
        for (int id = 0; id < count; id++)
        {
            int label = 0;
            for (int b = 0; b < bytes; b++)
            {
                label |= raw[(id * bytes) + b] << (8 * b);
            }

            if ((uint)label >= (uint)clusters)
            {
                throw reader.Invalid($"puts word {id} in cluster {label}, outside 0–{clusters - 1}");
            }

            codes._labels[id] = label;
        }

        return codes;
    }

    internal static byte[] ReadExactly(NativePayloadReader reader, long length)
    {
        if (length > reader.Remaining)
        {
            throw reader.Invalid("is truncated");
        }

        return reader.ReadBytes(checked((int)length));
    }
}

/// <summary>Product quantization: m one-byte codes a word, searched with asymmetric distance tables.</summary>
internal sealed class ProductQuantizedCodes : CompressedCodes
{
    private readonly ProductQuantizer _quantizer;
    private readonly byte[] _codes;
    private readonly float[]? _rotation;   // d × d, x' = R·x before coding; null for none

    private ProductQuantizedCodes(int count, int dimensions, ProductQuantizer quantizer, byte[] codes, float[]? rotation)
        : base(count, dimensions)
    {
        _quantizer = quantizer;
        _codes = codes;
        _rotation = rotation;
    }

    public override int CodeBits => _quantizer.Subspaces * Math.Max(1, (int)Math.Ceiling(Math.Log2(_quantizer.CentroidsPerSubspace)));

    public override long ModelBytes => _quantizer.CodebookBytes + ((_rotation?.LongLength ?? 0) * sizeof(float));

    public static ProductQuantizedCodes Train(float[] unit, int d, CompressionOptions options, ILoggerFactory loggerFactory, IProgress<CompressionProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        int count = unit.Length / d;
        (int subspaces, int centroids) = options.ProductQuantizationFor(d, count);
        float[]? rotation = null;
        float[] points = unit;
        if (options.BalancedRotation && subspaces > 1 && d <= BalancedRotation.MaxDimensions)
        {
            int[] offsets = [.. Enumerable.Range(0, subspaces + 1).Select(s => (int)((long)s * d / subspaces))];
            rotation = BalancedRotation.Create(unit, d, offsets);
            points = new float[unit.Length];
            for (int i = 0; i < count; i++)
            {
                BalancedRotation.Rotate(rotation, unit.AsSpan(i * d, d), points.AsSpan(i * d, d));
            }
        }

        var pqOptions = new ProductQuantizerOptions { Subspaces = subspaces, Centroids = centroids, Seed = options.Seed, Threads = options.Threads };
        IProgress<ProductQuantizerProgress>? inner = progress is null ? null : new SynchronousProgress<ProductQuantizerProgress>(p => Report(progress, p.Subspace, p.Subspaces, clock));
        ProductQuantizer quantizer = ProductQuantizer.Train(points, d, pqOptions, loggerFactory, inner, cancellationToken);
        return new ProductQuantizedCodes(count, d, quantizer, quantizer.Encode(points), rotation);
    }

    public override void Decode(int id, Span<float> destination)
    {
        ReadOnlySpan<byte> code = _codes.AsSpan(id * _quantizer.Subspaces, _quantizer.Subspaces);
        if (_rotation is null)
        {
            _quantizer.Decode(code, destination);
            return;
        }

        Span<float> rotated = Dimensions <= 1024 ? stackalloc float[Dimensions] : new float[Dimensions];
        _quantizer.Decode(code, rotated);
        BalancedRotation.RotateBack(_rotation, rotated, destination);
    }

    public override (int Id, float Score)[] Search(int queryId, ReadOnlySpan<float> query, int topN)
    {
        int m = _quantizer.Subspaces;
        var table = new float[m * _quantizer.CentroidsPerSubspace];
        if (_rotation is null)
        {
            _quantizer.ComputeDistanceTable(query, table);
        }
        else
        {
            // An orthogonal rotation keeps distances: the rotated query against the rotated codes.
            var rotated = new float[Dimensions];
            BalancedRotation.Rotate(_rotation, query, rotated);
            _quantizer.ComputeDistanceTable(rotated, table);
        }

        var scores = new float[Count];
        for (int id = 0; id < Count; id++)
        {
            scores[id] = 1f - (_quantizer.AsymmetricDistance(table, _codes.AsSpan(id * m, m)) / 2f);
        }

        return Best(scores, topN, queryId);
    }

    public override void Write(NativePayloadWriter writer)
    {
        writer.Write(_quantizer.Subspaces);
        writer.Write(_quantizer.CentroidsPerSubspace);
        writer.Write(_rotation is not null);
        if (_rotation is not null)
        {
            writer.WriteFloats(_rotation);
        }

        writer.WriteFloats(_quantizer.Codebooks);
        writer.Write(_codes);
    }

    public static ProductQuantizedCodes Read(NativePayloadReader reader, int count, int d)
    {
        int subspaces = reader.ReadInt32();
        int centroids = reader.ReadInt32();
        if (subspaces < 1 || subspaces > d || centroids is < 1 or > ProductQuantizerOptions.MaxCentroids)
        {
            throw reader.Invalid($"has invalid product-quantizer sizes ({subspaces} subspaces, {centroids} centroids)");
        }

        float[]? rotation = reader.ReadBoolean() ? reader.ReadFloats((long)d * d) : null;
        float[] codebooks = reader.ReadFloats((long)centroids * d);
        byte[] codes = KMeansCodes.ReadExactly(reader, (long)count * subspaces);
        foreach (byte code in codes)
        {
            if (code >= centroids)
            {
                throw reader.Invalid($"holds code {code}, not below {centroids}");
            }
        }

        return new ProductQuantizedCodes(count, d, new ProductQuantizer(d, subspaces, centroids, codebooks), codes, rotation);
    }
}

/// <summary>8-bit scalar quantization: value j of a word is min_j + step_j · code.</summary>
internal sealed class Scalar8Codes : CompressedCodes
{
    private readonly float[] _minimum;
    private readonly float[] _step;
    private readonly byte[] _codes;
    private readonly float[] _inverseNorms;

    private Scalar8Codes(int count, int dimensions, float[] minimum, float[] step, byte[] codes)
        : base(count, dimensions)
    {
        _minimum = minimum;
        _step = step;
        _codes = codes;
        _inverseNorms = new float[count];
        var row = new float[dimensions];
        for (int id = 0; id < count; id++)
        {
            Decode(id, row);
            float norm = TensorPrimitives.Norm(row);
            _inverseNorms[id] = norm > 0 ? 1f / norm : 0f;
        }
    }

    public override int CodeBits => 8 * Dimensions;

    public override long ModelBytes => 2L * Dimensions * sizeof(float);

    public static Scalar8Codes Train(float[] unit, int d)
    {
        int count = unit.Length / d;
        var minimum = new float[d];
        var maximum = new float[d];
        Array.Fill(minimum, float.PositiveInfinity);
        Array.Fill(maximum, float.NegativeInfinity);
        for (int id = 0; id < count; id++)
        {
            for (int j = 0; j < d; j++)
            {
                float value = unit[(id * d) + j];
                minimum[j] = Math.Min(minimum[j], value);
                maximum[j] = Math.Max(maximum[j], value);
            }
        }

        var step = new float[d];
        for (int j = 0; j < d; j++)
        {
            step[j] = (maximum[j] - minimum[j]) / 255f;
        }

        var codes = new byte[count * d];
        for (int i = 0; i < codes.Length; i++)
        {
            int j = i % d;
            codes[i] = step[j] > 0 ? (byte)Math.Clamp(MathF.Round((unit[i] - minimum[j]) / step[j]), 0, 255) : (byte)0;
        }

        return new Scalar8Codes(count, d, minimum, step, codes);
    }

    public override void Decode(int id, Span<float> destination)
    {
        ReadOnlySpan<byte> code = _codes.AsSpan(id * Dimensions, Dimensions);
        for (int j = 0; j < Dimensions; j++)
        {
            destination[j] = MathF.FusedMultiplyAdd(_step[j], code[j], _minimum[j]);
        }
    }

    public override (int Id, float Score)[] Search(int queryId, ReadOnlySpan<float> query, int topN)
    {
        // q·x = q·min + Σ_j (q_j·step_j)·code_j: one float-times-byte dot a word.
        float offset = TensorPrimitives.Dot(query, _minimum);
        var weights = new float[Dimensions];
        TensorPrimitives.Multiply(query, _step, weights);
        var scores = new float[Count];
        for (int id = 0; id < Count; id++)
        {
            ReadOnlySpan<byte> code = _codes.AsSpan(id * Dimensions, Dimensions);
            float dot = 0;
            for (int j = 0; j < code.Length; j++)
            {
                dot = MathF.FusedMultiplyAdd(weights[j], code[j], dot);
            }

            scores[id] = (offset + dot) * _inverseNorms[id];
        }

        return Best(scores, topN, queryId);
    }

    public override void Write(NativePayloadWriter writer)
    {
        writer.WriteFloats(_minimum);
        writer.WriteFloats(_step);
        writer.Write(_codes);
    }

    public static Scalar8Codes Read(NativePayloadReader reader, int count, int d)
    {
        float[] minimum = reader.ReadFloats(d);
        float[] step = reader.ReadFloats(d);
        byte[] codes = KMeansCodes.ReadExactly(reader, (long)count * d);
        return new Scalar8Codes(count, d, minimum, step, codes);
    }
}

/// <summary>An autoencoder's codes: k 8-bit values a word (float code), or k packed bits (binary code).</summary>
internal sealed class AutoencoderCodes : CompressedCodes
{
    private readonly AutoencoderModel _model;
    private readonly byte[]? _values;       // float code: n × k bytes
    private readonly float[]? _minimum;     // float code: per code dimension
    private readonly float[]? _step;
    private readonly ulong[]? _bits;        // binary code: n × words
    private readonly Lazy<float[]> _unitDecoded;

    private AutoencoderCodes(int count, int dimensions, AutoencoderModel model, byte[]? values, float[]? minimum, float[]? step, ulong[]? bits)
        : base(count, dimensions)
    {
        _model = model;
        _values = values;
        _minimum = minimum;
        _step = step;
        _bits = bits;
        _unitDecoded = new Lazy<float[]>(() =>
        {
            float[] decoded = DecodeAll();
            KMeans.NormalizeRows(decoded, Dimensions);
            return decoded;
        });
    }

    public AutoencoderModel Model => _model;

    public override int CodeBits => _model.IsBinary ? _model.CodeDimensions : 8 * _model.CodeDimensions;

    public override long ModelBytes
    {
        get
        {
            long bytes = _model.IsBinary ? 0 : 2L * _model.CodeDimensions * sizeof(float);
            foreach (AutoencoderLayer layer in _model.Network.Layers)
            {
                bytes += ((layer.Transposed ? 0L : layer.Weights.Length) + layer.Bias.Length) * sizeof(float);
            }

            return bytes;
        }
    }

    public static AutoencoderCodes Train(float[] unit, int d, CompressionOptions options, ILoggerFactory loggerFactory, IProgress<CompressionProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        EmbeddingAutoencoderOptions aeOptions = options.AutoencoderFor(d);
        IProgress<AutoencoderProgress>? inner = progress is null ? null : new SynchronousProgress<AutoencoderProgress>(p => Report(progress, p.Epoch, p.Epochs, clock));
        AutoencoderModel model = new EmbeddingAutoencoder(aeOptions, loggerFactory).Train(unit, d, inner, cancellationToken);
        return Encode(model, unit, d);
    }

    /// <summary>Codes <paramref name="unit"/> with a trained model.</summary>
    internal static AutoencoderCodes Encode(AutoencoderModel model, float[] unit, int d)
    {
        int count = unit.Length / d;
        int k = model.CodeDimensions;
        float[] code = model.Encode(unit);
        if (model.IsBinary)
        {
            int words = model.CodeWords;
            var bits = new ulong[count * words];
            for (int id = 0; id < count; id++)
            {
                AutoencoderModel.PackBits(code.AsSpan(id * k, k), bits.AsSpan(id * words, words));
            }

            return new AutoencoderCodes(count, d, model, null, null, null, bits);
        }

        var minimum = new float[k];
        var maximum = new float[k];
        Array.Fill(minimum, float.PositiveInfinity);
        Array.Fill(maximum, float.NegativeInfinity);
        for (int i = 0; i < code.Length; i++)
        {
            minimum[i % k] = Math.Min(minimum[i % k], code[i]);
            maximum[i % k] = Math.Max(maximum[i % k], code[i]);
        }

        var step = new float[k];
        for (int j = 0; j < k; j++)
        {
            step[j] = (maximum[j] - minimum[j]) / 255f;
        }

        var values = new byte[code.Length];
        for (int i = 0; i < code.Length; i++)
        {
            int j = i % k;
            values[i] = step[j] > 0 ? (byte)Math.Clamp(MathF.Round((code[i] - minimum[j]) / step[j]), 0, 255) : (byte)0;
        }

        return new AutoencoderCodes(count, d, model, values, minimum, step, null);
    }

    /// <summary>The float code of a word (±1 values for a binary code).</summary>
    private void Code(int id, Span<float> code)
    {
        int k = _model.CodeDimensions;
        if (_bits is not null)
        {
            AutoencoderModel.UnpackBits(_bits.AsSpan(id * _model.CodeWords, _model.CodeWords), code);
            return;
        }

        Debug.Assert(_values is not null && _minimum is not null && _step is not null);
        for (int j = 0; j < k; j++)
        {
            code[j] = MathF.FusedMultiplyAdd(_step[j], _values[(id * k) + j], _minimum[j]);
        }
    }

    public override void Decode(int id, Span<float> destination)
    {
        var code = new float[_model.CodeDimensions];
        Code(id, code);
        _model.Decode(code, 1, destination);
    }

    public override float[] DecodeAll()
    {
        int k = _model.CodeDimensions;
        var codes = new float[Count * k];
        for (int id = 0; id < Count; id++)
        {
            Code(id, codes.AsSpan(id * k, k));
        }

        var matrix = new float[Count * Dimensions];
        const int Block = 4096;
        for (int start = 0; start < Count; start += Block)
        {
            int rows = Math.Min(Block, Count - start);
            _model.Decode(codes.AsSpan(start * k, rows * k), rows, matrix.AsSpan(start * Dimensions, rows * Dimensions));
        }

        return matrix;
    }

    public override (int Id, float Score)[] Search(int queryId, ReadOnlySpan<float> query, int topN)
    {
        if (_bits is not null)
        {
            return SearchBits(queryId, query, topN);
        }

        float[] decoded = _unitDecoded.Value;
        var scores = new float[Count];
        for (int id = 0; id < Count; id++)
        {
            scores[id] = TensorPrimitives.Dot(query, decoded.AsSpan(id * Dimensions, Dimensions));
        }

        return Best(scores, topN, queryId);
    }

    public override (int Id, float Score)[] SearchWord(int id, int topN) =>
        _bits is not null ? SearchBits(id, default, topN) : base.SearchWord(id, topN);

    /// <summary>Hamming search: the query word's own code, or a vector's code; similarity 1 − 2·distance / bits (the cosine of the ±1 codes).</summary>
    private (int Id, float Score)[] SearchBits(int queryId, ReadOnlySpan<float> query, int topN)
    {
        Debug.Assert(_bits is not null);
        int words = _model.CodeWords;
        int bits = _model.CodeDimensions;
        ulong[] code = new ulong[words];
        if (queryId >= 0)
        {
            _bits.AsSpan(queryId * words, words).CopyTo(code);
        }
        else
        {
            _model.EncodeBits(query, code);
        }

        int capacity = Math.Min(topN, Count - (queryId >= 0 ? 1 : 0));
        Span<int> ids = capacity <= 256 ? stackalloc int[capacity] : new int[capacity];
        Span<int> distances = capacity <= 256 ? stackalloc int[capacity] : new int[capacity];
        int found = HammingKernels.Search(code, _bits, queryId, ids, distances);
        var result = new (int, float)[found];
        for (int i = 0; i < found; i++)
        {
            result[i] = (ids[i], 1f - (2f * distances[i] / bits));
        }

        return result;
    }

    /// <summary>The packed codes, n × <see cref="AutoencoderModel.CodeWords"/>, for a binary code.</summary>
    public ReadOnlySpan<ulong> Bits => _bits;

    public override void Write(NativePayloadWriter writer)
    {
        _model.Write(writer);
        if (_bits is not null)
        {
            writer.Write(MemoryMarshal.AsBytes(_bits.AsSpan()));
            return;
        }

        writer.WriteFloats(_minimum);
        writer.WriteFloats(_step);
        writer.Write(_values!);
    }

    public static AutoencoderCodes Read(NativePayloadReader reader, int count, int d, bool binary)
    {
        AutoencoderModel model = AutoencoderModel.Read(reader);
        if (model.Dimensions != d || model.IsBinary != binary)
        {
            throw reader.Invalid($"holds an autoencoder of {model.Dimensions} dimensions (binary {model.IsBinary}) for {d}-dimensional {(binary ? "binary" : "float")} codes");
        }

        int k = model.CodeDimensions;
        if (binary)
        {
            byte[] raw = KMeansCodes.ReadExactly(reader, (long)count * model.CodeWords * sizeof(ulong));
            var bits = new ulong[count * model.CodeWords];
            raw.AsSpan().CopyTo(MemoryMarshal.AsBytes(bits.AsSpan()));
            return new AutoencoderCodes(count, d, model, null, null, null, bits);
        }

        float[] minimum = reader.ReadFloats(k);
        float[] step = reader.ReadFloats(k);
        byte[] values = KMeansCodes.ReadExactly(reader, (long)count * k);
        return new AutoencoderCodes(count, d, model, values, minimum, step, null);
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread (<see cref="Progress{T}"/> posts to a context).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
