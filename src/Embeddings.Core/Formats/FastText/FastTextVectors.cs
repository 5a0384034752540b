using Embeddings.Core.Corpus;
using Embeddings.Core.Subwords;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Formats.FastText;

/// <summary>
/// The word vectors of fastText model files: a file's input rows as <see cref="SubwordVectors"/> (what fastText's
/// <c>print-word-vectors</c> prints), and vectors written as a <c>.bin</c> the <c>fasttext</c> program loads.
/// </summary>
/// <remarks>
/// A supervised model's input vectors are its words' (its labels are output rows, not word vectors: a label given as a
/// query is an unseen word here, where fastText would add an unrelated n-gram row). A pruned model (<c>quantize -cutoff</c>)
/// keeps the rows of some buckets only; the others add nothing to a word's mean, as in fastText.
/// </remarks>
internal static class FastTextVectors
{
    /// <summary>The input vectors of a model read from a file.</summary>
    /// <exception cref="InvalidDataException">The dictionary's words cannot form a vocabulary (a word repeated once decoded).</exception>
    public static SubwordVectors ToSubwordVectors(FastTextModelFile model, FormatErrors errors)
    {
        FastTextDictionaryData dictionary = model.Dictionary;
        int dimensions = model.Args.Dimensions;
        Vocabulary vocabulary;
        try
        {
            vocabulary = Vocabulary.FromWordsInOrder(dictionary.Words, dictionary.WordCounts);
        }
        catch (ArgumentException e)
        {
            throw errors.Wrap(e, $"its dictionary is not a vocabulary: {e.Message}");
        }

        // Dense rows stay in the array they were read into; quantized ones are decoded once.
        float[] rows = model.Input is DenseFastTextMatrix dense ? dense.Values : Decode(model.Input);
        int wordValues = dictionary.Words.Count * dimensions;
        (int minN, int maxN) = NgramLengths(model.Args);
        bool pruned = dictionary.PruneIndex is not null && maxN > 0;
        return new SubwordVectors(
            vocabulary, rows.AsMemory(0, wordValues), rows.AsMemory(wordValues), dimensions, minN, maxN, owner: null,
            prunedBuckets: pruned ? model.Args.Buckets : null, keptBuckets: pruned ? dictionary.PruneIndex : null);
    }

    /// <summary>Reads the input vectors of a fastText model file (its output matrix is checked, not kept).</summary>
    public static SubwordVectors Load(InputBuffer input, FormatErrors errors) =>
        ToSubwordVectors(FastTextModelFile.Read(input, errors, withOutput: false), errors);

    /// <summary>Reads the input vectors of a fastText model from <paramref name="stream"/>, gzip-compressed or not.</summary>
    public static SubwordVectors Load(Stream stream, FormatErrors errors)
    {
        using var input = new InputBuffer(stream);
        if (DecompressingInput.IsGzip(input))
        {
            using Stream decompressed = DecompressingInput.Open(input, errors);
            using var inflated = new InputBuffer(decompressed);
            return Load(inflated, errors);
        }

        return Load(input, errors);
    }

    /// <summary>
    /// Writes <paramref name="vectors"/> as an unsupervised fastText model (version 12) that the <c>fasttext</c> program
    /// loads: its arguments (<paramref name="args"/>, or fastText's skip-gram defaults with the vectors' shape), the
    /// vocabulary with its counts, the input rows and the output matrix (<paramref name="output"/>, or zeros: vectors
    /// alone have none).
    /// </summary>
    /// <exception cref="ArgumentException">The arguments are supervised or do not match the vectors' shape, or a word holds a zero character.</exception>
    /// <exception cref="InvalidOperationException">The vectors come from a pruned <c>.ftz</c>: fastText refuses a dense model with a pruned dictionary.</exception>
    public static void Write(Stream stream, SubwordVectors vectors, FastTextArgs? args = null, FastTextMatrix? output = null)
    {
        if (vectors.KeptBuckets is not null)
        {
            throw new InvalidOperationException(
                "These vectors come from a pruned fastText model (quantize -cutoff), whose n-gram buckets cannot be written as a .bin: fastText loads a pruned dictionary only with a quantized matrix. Save their Words (vocabulary vectors) instead, or keep the .ftz file.");
        }

        FastTextArgs written = args ?? DefaultArgs(vectors.Dimensions, vectors.MinN, vectors.MaxN, vectors.Buckets);
        if (written.Model == FastTextModelName.Supervised || written.Dimensions != vectors.Dimensions ||
            (vectors.MaxN > 0 && (written.MinN, written.MaxN, written.Buckets) != (vectors.MinN, vectors.MaxN, vectors.Buckets)))
        {
            throw new ArgumentException(
                $"The arguments ({written.Model}, {written.Dimensions} dimensions, n-grams {written.MinN}–{written.MaxN} in {written.Buckets} buckets) do not describe these vectors ({vectors.Dimensions} dimensions, n-grams {vectors.MinN}–{vectors.MaxN} in {vectors.Buckets} buckets).",
                nameof(args));
        }

        if (output is not null && (output.Rows != vectors.Vocabulary.Count || output.Columns != vectors.Dimensions))
        {
            throw new ArgumentException($"The output matrix is {output.Rows} × {output.Columns}, not one row of {vectors.Dimensions} per word ({vectors.Vocabulary.Count}).", nameof(output));
        }

        int ngramRows = vectors.NgramRows.Length / vectors.Dimensions;
        if (written.Buckets != ngramRows)
        {
            written = written with { Buckets = ngramRows };
        }

        using var writer = new FastTextModelWriter(stream);
        writer.WriteHeader(written);
        writer.WriteDictionary(Dictionary(vectors.Vocabulary));
        writer.WriteDenseMatrix(vectors.Vocabulary.Count + ngramRows, vectors.Dimensions, vectors.WordRows, vectors.NgramRows);
        WriteOutput(writer, output, vectors.Vocabulary.Count, vectors.Dimensions);
    }

    /// <summary>Writes plain word vectors as a fastText model without n-grams (<c>-maxn 0</c>, no buckets).</summary>
    public static void Write(Stream stream, WordVectors vectors)
    {
        using var writer = new FastTextModelWriter(stream);
        writer.WriteHeader(DefaultArgs(vectors.Dimensions, 0, 0, 0));
        writer.WriteDictionary(Dictionary(vectors.Vocabulary));
        writer.WriteDenseMatrix(vectors.Count, vectors.Dimensions, vectors.Matrix, []);
        WriteOutput(writer, null, vectors.Count, vectors.Dimensions);
    }

    /// <summary>fastText 0.9.2's skip-gram defaults, with the given shape (fastText sets the buckets to 0 without n-grams).</summary>
    public static FastTextArgs DefaultArgs(int dimensions, int minN, int maxN, int buckets) => new(
        Dimensions: dimensions, WindowSize: 5, Epochs: 5, MinCount: 5, NegativeSamples: 5, WordNgrams: 1,
        Loss: FastTextLossName.NegativeSampling, Model: FastTextModelName.SkipGram, Buckets: maxN == 0 ? 0 : buckets,
        MinN: minN, MaxN: maxN, LearningRateUpdateRate: 100, SamplingThreshold: 1e-4);

    /// <summary>The n-gram lengths <see cref="SubwordVectors"/> takes for a file's arguments: none when fastText computes none.</summary>
    private static (int MinN, int MaxN) NgramLengths(FastTextArgs args) =>
        args.MaxN == 0 || args.Buckets == 0 || args.MinN > args.MaxN
            ? (0, 0)
            : (Math.Max(args.MinN, 1), args.MaxN); // fastText's minn 0 counts from 1 code point, as minn 1 does

    private static FastTextDictionaryData Dictionary(Vocabulary vocabulary)
    {
        var counts = new long[vocabulary.Count];
        long tokens = 0;
        for (int id = 0; id < counts.Length; id++)
        {
            counts[id] = vocabulary.GetCount(id);
            tokens += counts[id];
        }

        return new FastTextDictionaryData(vocabulary.Words, counts, [], [], tokens, pruneIndex: null);
    }

    private static void WriteOutput(FastTextModelWriter writer, FastTextMatrix? output, int rows, int columns)
    {
        if (output is null)
        {
            writer.WriteZeroMatrix(rows, columns);
        }
        else
        {
            writer.WriteMatrix(output);
        }
    }

    private static float[] Decode(FastTextMatrix matrix)
    {
        var values = new float[(long)matrix.Rows * matrix.Columns];
        matrix.CopyRowsTo(0, matrix.Rows, values);
        return values;
    }
}
