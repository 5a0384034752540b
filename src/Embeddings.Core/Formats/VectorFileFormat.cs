namespace Embeddings.Core.Formats;

/// <summary>The file formats that <see cref="WordVectorsFile"/> reads and writes.</summary>
public enum VectorFileFormat
{
    /// <summary>
    /// word2vec text, as word2vec.c (<c>-binary 0</c>) and gensim's <c>save_word2vec_format(binary=False)</c> write it:
    /// a <c>count dimensions</c> header line, then one <c>word v1 … vd</c> line per word, UTF-8, values in the invariant
    /// culture. Written here with the shortest text that round-trips each float32 exactly.
    /// </summary>
    Word2VecText,

    /// <summary>
    /// word2vec binary, as word2vec.c (<c>-binary 1</c>) and gensim's <c>save_word2vec_format(binary=True)</c> write it:
    /// a <c>count dimensions</c> header line, then per word its UTF-8 bytes, a space and <c>dimensions</c> little-endian
    /// float32 values (word2vec.c adds a newline after each vector, gensim does not; both are read, the newline is
    /// written).
    /// </summary>
    Word2VecBinary,

    /// <summary>
    /// fastText's <c>.vec</c> text: word2vec text whose lines end with a space (<c>word v1 … vd ␠</c>), as
    /// fastText's <c>saveVectors</c> writes them. Read exactly like <see cref="Word2VecText"/>; written with exact values
    /// rather than fastText's five significant digits.
    /// </summary>
    FastTextVec,

    /// <summary>GloVe text: <c>word v1 … vd</c> lines without a header; the dimension is that of the first line.</summary>
    GloVeText,

    /// <summary>
    /// This library's own binary format: a versioned little-endian header, the vocabulary with its counts, the float32
    /// matrix aligned to 64 bytes so that it is memory-mapped on load, and an XXH64 checksum. See
    /// <see cref="WordVectorsFile"/> for the layout.
    /// </summary>
    Native,

    /// <summary>
    /// fastText's binary model, <c>.bin</c> (or <c>.ftz</c> when quantized), format versions 11 and 12, recognised by its
    /// magic number 793712314: loading gives the vocabulary words' vectors as fastText composes them (own row and
    /// character n-gram rows); <see cref="Subwords.SubwordVectors.LoadFastText(string)"/> keeps the n-grams for unseen words.
    /// Written as version 12 without n-grams (<c>-maxn 0</c>), fastText's skip-gram defaults and a zero output matrix.
    /// </summary>
    FastTextBinary,
}
