using System.CommandLine;
using System.Text;
using Embeddings.Core.Classification;
using Embeddings.Core.Formats;
using Embeddings.Core.IO;
using Embeddings.Core.Sequences;
using Embeddings.Core.Subwords;
using Embeddings.Core.Training;
using Embeddings.Core.Vectors;
using Embeddings.Quantization;
using Embeddings.Text.Sources;

namespace Embeddings.Cli.Infrastructure;

/// <summary>
/// The one way the commands read word vectors (<c>--vectors</c>, <c>convert --input</c>). Accepted, told apart by their
/// content and not their names: every vector format (word2vec text or binary, fastText <c>.vec</c>, GloVe, native
/// <c>EMBV</c>; gzip-compressed or not), a fastText model <c>.bin</c>/<c>.ftz</c> (its vocabulary words' vectors, or,
/// through <see cref="LoadForQueries"/>, any word's), a <c>train --save-model</c> file (its input vectors), a
/// <c>train --checkpoint</c> folder or the checkpoint file in it (the vectors as they were then), a <c>quantize</c> file
/// (each word's centroid), a <c>pq</c> or <c>compress</c> file (the decoded vectors) and a native subword vectors file (<c>EMSW</c>: its
/// vocabulary words' vectors, or, through <see cref="LoadForQueries"/>, any word's). Anything else fails with one line that says what the file is and what
/// to pass instead.
/// </summary>
internal static class VectorInput
{
    /// <summary>What <see cref="Load"/> accepts, for the options' help.</summary>
    public const string Accepted =
        "word2vec text or binary, fastText .vec, GloVe, native or native subword vectors, a fastText .bin/.ftz model, a train --save-model file or --checkpoint folder, or a quantize, pq or compress file (detected)";

    /// <summary>What <see cref="LoadForQueries"/> accepts, for the query commands' help.</summary>
    public const string AcceptedForQueries =
        Accepted + "; with subword vectors or a fastText model, words outside the vocabulary get vectors from their character n-grams";

    /// <summary>The required <c>--vectors</c> option of the commands that query or transform word vectors.</summary>
    public static Option<string> CreateOption() => new("--vectors") { Description = $"Word vectors: {Accepted}", Required = true };

    /// <summary>The required <c>--vectors</c> option of the commands that read it with <see cref="LoadForQueries"/>.</summary>
    public static Option<string> CreateQueryOption() => new("--vectors") { Description = $"Word vectors: {AcceptedForQueries}", Required = true };

    /// <summary>
    /// Loads the vectors in <paramref name="path"/> for a command that asks about words: vectors that may have subwords.
    /// A subword vectors file keeps its n-gram rows (memory-mapped), so that any word has a vector; every other input is
    /// read as <see cref="Load"/> reads it. The one place where the commands learn of files with n-grams.
    /// </summary>
    /// <param name="path">A file or a checkpoint folder.</param>
    /// <param name="command">The command's name, for messages.</param>
    /// <param name="reading">How text is read (<c>--encoding</c>).</param>
    /// <param name="encodingOption">The option that sets <paramref name="reading"/>'s encoding for the vectors.</param>
    /// <returns>The vectors; dispose them.</returns>
    public static QueryVectors LoadForQueries(string path, string command, LineSourceOptions reading, string encodingOption = "--encoding")
    {
        if (File.Exists(path) && Identify(path) == NativeFileKind.SubwordVectors)
        {
            return new QueryVectors(SubwordVectors.Load(path));
        }

        if (File.Exists(path) && TextClassifier.IsFastTextFile(path))
        {
            return new QueryVectors(SubwordVectors.LoadFastText(path));
        }

        return new QueryVectors(Load(path, command, reading, encodingOption));
    }

    /// <summary>Loads the word vectors in <paramref name="path"/> for <paramref name="command"/>, named in messages.</summary>
    /// <param name="path">A file or a checkpoint folder.</param>
    /// <param name="command">The command's name, e.g. <c>similar</c>, for the message when the file holds no word vectors.</param>
    /// <param name="reading">How text is read (<c>--encoding</c>): it decodes the words of text and word2vec binary files.</param>
    /// <param name="encodingOption">The option that sets <paramref name="reading"/>'s encoding for the vectors, named in the message about invalid UTF-8.</param>
    /// <param name="limit">Only the first words (the most frequent in a vocabulary ordered by frequency), or all.</param>
    /// <returns>The vectors; dispose them (native files are memory-mapped).</returns>
    /// <exception cref="FileNotFoundException">Nothing at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file holds no word vectors, or is damaged; the message says which.</exception>
    public static WordVectors Load(string path, string command, LineSourceOptions reading, string encodingOption = "--encoding", int? limit = null)
    {
        try
        {
            return LoadAny(path, command, reading, limit);
        }
        catch (InvalidDataException e) when (e.Data.Contains("EncodingHint"))
        {
            e.Data[InputText.EncodingOptionKey] = encodingOption; // the message then names this option (CommandRunner)
            throw;
        }
    }

    private static WordVectors LoadAny(string path, string command, LineSourceOptions reading, int? limit)
    {
        if (Directory.Exists(path))
        {
            return LoadCheckpointFolder(path, command, limit);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist.", path);
        }

        NativeFileKind? kind = Identify(path);
        if (kind == NativeFileKind.QuantizedVectors)
        {
            return First(QuantizedVectors.Load(path).ToWordVectors(), limit);
        }

        if (kind == NativeFileKind.ProductQuantizedVectors)
        {
            return First(ProductQuantizedVectors.Load(path).ToWordVectors(), limit);
        }

        if (kind == NativeFileKind.CompressedVectors)
        {
            return First(CompressedVectors.Load(path).ToWordVectors(), limit);
        }

        if (kind is not null && WhatToPassInstead(kind) is { } instead)
        {
            throw NoVectors($"'{path}' is {kind.Description}", command, instead);
        }

        // The vector formats, and word2vec models (EMCK).
        return WordVectorsFile.Load(path, new VectorFileLoadOptions { Limit = limit, Encoding = WordEncoding(reading.Encoding) });
    }

    /// <summary>
    /// The <see cref="VectorFileLoadOptions.Encoding"/> for an <c>--encoding</c>: <see langword="null"/> (strict UTF-8)
    /// for utf-8, <see cref="Encoding.UTF8"/> (invalid bytes read as U+FFFD) for replace, else the code page.
    /// </summary>
    private static Encoding? WordEncoding(TextEncoding encoding) => encoding switch
    {
        TextEncoding.Utf8ReplaceInvalid => Encoding.UTF8,
        TextEncoding.Latin1 => Encoding.Latin1,
        TextEncoding.Windows1252 => CodePagesEncodingProvider.Instance.GetEncoding(1252),
        _ => null,
    };

    /// <summary>A <c>train --checkpoint</c> folder: the vectors of the checkpoint it holds.</summary>
    private static WordVectors LoadCheckpointFolder(string folder, string command, int? limit)
    {
        string checkpoint = Path.Combine(folder, Word2VecCheckpoint.FileName);
        if (File.Exists(checkpoint))
        {
            return WordVectorsFile.Load(checkpoint, limit: limit);
        }

        if (File.Exists(Path.Combine(folder, LanguageModelTrainer.CheckpointFileName)))
        {
            throw NoVectors($"'{folder}' is a language-model checkpoint folder", command, "pass the vectors the model was trained on");
        }

        throw NoVectors(
            $"'{folder}' is a folder without a word2vec checkpoint ('{Word2VecCheckpoint.FileName}')", command, "pass a file of vectors or a train --checkpoint folder");
    }

    /// <summary>The kind of the project's native file at <paramref name="path"/>, from its magic; null for any other file.</summary>
    internal static NativeFileKind? Identify(string path)
    {
        Span<byte> start = stackalloc byte[4];
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        int read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        return NativeFileKind.Identify(start[..read]);
    }

    /// <summary>What to pass instead of a native file that holds no word vectors; null for the kinds that hold some.</summary>
    private static string? WhatToPassInstead(NativeFileKind kind) =>
        kind == NativeFileKind.LanguageModel ? "pass the vectors the model was trained on"
        : kind == NativeFileKind.QuantizedLanguageModel ? "pass the vectors or the quantize file the model was trained on"
        : kind == NativeFileKind.EncodedCorpus ? "train vectors on its text with `embeddings train` and pass those"
        : kind == NativeFileKind.Autoencoder ? "pass the vectors it was trained on, or a compress file"
        : null;

    private static InvalidDataException NoVectors(string whatItIs, string command, string instead) =>
        new($"{whatItIs}; `{command}` needs word vectors: {instead}.");

    private static WordVectors First(WordVectors vectors, int? limit)
    {
        if (limit is not { } count || count >= vectors.Count)
        {
            return vectors;
        }

        using (vectors)
        {
            return vectors.Take(count);
        }
    }
}
