using System.Globalization;
using Embeddings.Core.Corpus;
using Embeddings.Core.IO;
using Embeddings.Core.Numerics;
using Embeddings.Core.Options;
using Embeddings.Core.Subwords;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Training;

/// <summary>
/// The full state of an interrupted word2vec run: options, vocabulary, both weight matrices, the learning-rate
/// position, every worker's random stream, the epoch and the chunk reached, and the losses so far. Resuming a
/// single-threaded run from a checkpoint gives bit for bit the model of the uninterrupted run.
/// </summary>
/// <remarks>
/// File: the <see cref="NativeFile"/> frame of magic <c>EMCK</c>, version 3, whose payload (little-endian) is the
/// options, the state, the vocabulary (UTF-8 words with counts), the input then the output matrix (float32), the
/// engine's extra arrays (count, then each as a length and float32 values) and the report (a flag, then its figures);
/// a subword model (<see cref="Word2VecOptions.MaxN"/> above 0) then appends its settings (MinN, MaxN, Buckets as int32)
/// and the n-gram rows of its input matrix (Buckets × dimensions float32), so the word rows stay where a plain model has
/// its input and files without subwords are unchanged (a version-3 file without that block is plain word2vec).
/// The same file is what <see cref="Word2VecModel.Save(string)"/> writes: a model is the checkpoint of a finished run
/// with its report. Versions 1 (no objective, no extra arrays, no report) and 2, in the earlier frame, are still read.
/// </remarks>
public sealed class Word2VecCheckpoint
{
    /// <summary>The file name a trainer writes in its checkpoint folder.</summary>
    public const string FileName = "word2vec.checkpoint";

    private static readonly NativeFileKind FileKind = NativeFileKind.Word2VecModel;

    internal Word2VecCheckpoint(
        Word2VecOptions options, Vocabulary vocabulary, long corpusTokens, TrainingState state, float[] input, float[] output, IReadOnlyList<float[]> extra, TrainingReport? report = null)
    {
        (Options, Vocabulary, CorpusTokens, State) = (options, vocabulary, corpusTokens, state);
        (Input, Output, Extra, Report) = (input, output, extra, report);
    }

    /// <summary>The settings of the run.</summary>
    public Word2VecOptions Options { get; }

    /// <summary>The vocabulary the run trains; encode the corpus against it to resume.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>The number of ids in the encoded corpus the run was training on (checked on resume).</summary>
    public long CorpusTokens { get; }

    /// <summary>The epoch in progress (from 1).</summary>
    public int Epoch => State.Epoch;

    /// <summary>Corpus words processed over all epochs.</summary>
    public long WordsDone => State.WordsDone;

    /// <summary>The fraction of the planned words done.</summary>
    public double Fraction => CorpusTokens == 0 ? 1 : (double)State.WordsDone / (CorpusTokens * Options.Epochs);

    internal TrainingState State { get; }

    internal float[] Input { get; }

    internal float[] Output { get; }

    internal IReadOnlyList<float[]> Extra { get; }

    /// <summary>The report of a finished run (a saved model); null for a checkpoint taken during training.</summary>
    internal TrainingReport? Report { get; }

    /// <summary>A finished run's file: the model's weights, a state past the last epoch, and the report.</summary>
    internal static Word2VecCheckpoint FromModel(Word2VecModel model)
    {
        TrainingReport report = model.Report;
        var state = new TrainingState
        {
            Epoch = report.EpochLosses.Count + 1,
            WordsDone = report.CorpusWords * report.EpochLosses.Count,
            EpochLosses = [.. report.EpochLosses],
            StoppedEarly = report.StoppedEarly,
        };
        float[] input = model.Subwords is { } subwords
            ? [.. subwords.WordRows, .. subwords.NgramRows]
            : model.Vectors.Matrix.ToArray();
        return new Word2VecCheckpoint(
            model.Options, model.Vectors.Vocabulary, report.CorpusWords, state, input, model.OutputVectors.ToArray(), model.ExtraState, report);
    }

    /// <summary>The model this file holds (for a checkpoint, the weights as they were when it was taken).</summary>
    internal Word2VecModel ToModel()
    {
        TrainingReport report = Report ?? new TrainingReport(
            CorpusTokens, State.EpochLosses.Count, TimeSpan.Zero, TimeSpan.Zero, 0, [.. State.EpochLosses]);
        (WordVectors vectors, SubwordVectors? subwords) = Word2VecTrainer.ModelVectors(Options, Vocabulary, Input);
        return new Word2VecModel(vectors, Output, Extra, Options, report) { Subwords = subwords };
    }

    /// <summary>Reads a checkpoint, verifying its checksum.</summary>
    /// <param name="path">A checkpoint file, or a folder holding <see cref="FileName"/>.</param>
    /// <exception cref="FileNotFoundException">No checkpoint there.</exception>
    /// <exception cref="InvalidDataException">Not a checkpoint, a newer version, truncated or corrupt.</exception>
    public static Word2VecCheckpoint Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"'{file}' does not exist (expected a word2vec checkpoint or model file, or a folder holding {FileName}).", file);
        }

        return NativeFile.Read(file, FileKind, Read);
    }

    /// <summary>Reads a checkpoint (or a model) from a stream, from its current position, verifying its checksum.</summary>
    /// <param name="stream">The stream; not closed.</param>
    /// <exception cref="InvalidDataException">Not a checkpoint, a newer version, truncated or corrupt.</exception>
    public static Word2VecCheckpoint Load(Stream stream) => NativeFile.Read(stream, FileKind, Read);

    /// <summary>Reads a checkpoint or a model from a stream that messages call <paramref name="name"/>.</summary>
    /// <param name="stream">The stream, at the start of the file; not closed.</param>
    /// <param name="name">Names the file in messages.</param>
    /// <param name="length">The bytes left in the input, when known though the stream cannot seek.</param>
    internal static Word2VecCheckpoint Load(Stream stream, string name, long? length) =>
        NativeFile.Read(stream, name, FileKind, Read, exactLength: false, length);

    /// <summary>Writes the checkpoint atomically (temporary file, then rename).</summary>
    internal void Save(string path) => NativeFile.Write(path, FileKind, 0, this, static (writer, checkpoint) => checkpoint.Write(writer));

    /// <summary>Writes the checkpoint to a stream, from its current position.</summary>
    internal void Save(Stream stream) => NativeFile.Write(stream, FileKind, 0, this, static (writer, checkpoint) => checkpoint.Write(writer));

    private void Write(NativePayloadWriter writer)
    {
        WriteOptions(writer, Options);
        writer.Write(CorpusTokens);
        writer.Write(State.Epoch);
        writer.Write(State.ChunksDone);
        writer.Write(State.WordsDone);
        writer.Write(State.EpochLoss);
        writer.Write(State.EpochPredictions);
        writer.Write(State.EpochLosses.Count);
        foreach (double loss in State.EpochLosses)
        {
            writer.Write(loss);
        }

        writer.Write(State.RandomStates.Length);
        foreach (Word2VecRandom random in State.RandomStates)
        {
            writer.Write(random.State);
        }

        writer.Write(Vocabulary.Count);
        for (int id = 0; id < Vocabulary.Count; id++)
        {
            writer.Write(Vocabulary[id]);
            writer.Write(Vocabulary.GetCount(id));
        }

        int wordValues = Vocabulary.Count * Options.Dimensions;
        writer.WriteFloats(Input.AsSpan(0, wordValues));
        writer.WriteFloats(Output);
        writer.Write(Extra.Count);
        foreach (float[] array in Extra)
        {
            writer.Write(array.LongLength);
            writer.WriteFloats(array);
        }

        writer.Write(State.StoppedEarly);
        writer.Write(Report is not null);
        if (Report is { } report)
        {
            writer.Write(report.Epochs);
            writer.Write(report.VocabularyTime.Ticks);
            writer.Write(report.TrainingTime.Ticks);
            writer.Write(report.WordsPerSecond);
            writer.Write(report.Device);
        }

        if (Options.HasSubwords)
        {
            writer.Write(Options.MinN);
            writer.Write(Options.MaxN);
            writer.Write(Options.Buckets);
            writer.WriteFloats(Input.AsSpan(wordValues));
        }
    }

    /// <summary>Reads the payload; version 1 lacks the objective, the extra arrays and the report.</summary>
    private static Word2VecCheckpoint Read(NativePayloadReader reader)
    {
        string file = reader.Name;
        Word2VecOptions options = ReadOptions(reader, file, reader.Version);
        long corpusTokens = reader.ReadInt64();
        var state = new TrainingState
        {
            Epoch = reader.ReadInt32(),
            ChunksDone = reader.ReadInt32(),
            WordsDone = reader.ReadInt64(),
            EpochLoss = reader.ReadDouble(),
            EpochPredictions = reader.ReadInt64(),
        };
        int losses = ReadCount(reader, file, 100_000, "epoch losses");
        for (int i = 0; i < losses; i++)
        {
            state.EpochLosses.Add(reader.ReadDouble());
        }

        state.RandomStates = new Word2VecRandom[ReadCount(reader, file, 1024, "random streams")];
        for (int i = 0; i < state.RandomStates.Length; i++)
        {
            state.RandomStates[i] = new Word2VecRandom(reader.ReadUInt64());
        }

        int words = reader.ReadCount("word count");
        var wordList = new string[words];
        var counts = new long[words];
        for (int i = 0; i < words; i++)
        {
            wordList[i] = reader.ReadString();
            counts[i] = reader.ReadInt64();
        }

        long values = (long)words * options.Dimensions;
        float[] input = reader.ReadFloats(values);
        float[] output = reader.ReadFloats(values);
        var extra = new List<float[]>();
        TrainingReport? report = null;
        if (reader.Version >= 2)
        {
            int arrays = ReadCount(reader, file, 64, "extra arrays");
            for (int i = 0; i < arrays; i++)
            {
                extra.Add(reader.ReadFloats(reader.ReadInt64()));
            }

            state.StoppedEarly = reader.ReadBoolean();
            if (reader.ReadBoolean())
            {
                int epochs = reader.ReadInt32();
                var vocabularyTime = TimeSpan.FromTicks(reader.ReadInt64());
                var trainingTime = TimeSpan.FromTicks(reader.ReadInt64());
                double wordsPerSecond = reader.ReadDouble();
                string device = reader.ReadString();
                report = new TrainingReport(corpusTokens, epochs, vocabularyTime, trainingTime, wordsPerSecond, [.. state.EpochLosses])
                {
                    StoppedEarly = state.StoppedEarly,
                    Device = device,
                };
            }
        }

        if (reader.Version >= 3 && reader.Remaining > 0)
        {
            (options, input) = ReadSubwords(reader, file, options, input);
        }

        Vocabulary vocabulary;
        try
        {
            vocabulary = Vocabulary.FromWordsInOrder(wordList, counts);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{file}' holds an invalid vocabulary: {OptionsValidator.PlainMessage(e)}", e);
        }

        return new Word2VecCheckpoint(options, vocabulary, corpusTokens, state, input, output, extra, report);
    }

    /// <summary>Reads the subword block: the settings, then the n-gram rows, placed after the word rows in one input matrix.</summary>
    private static (Word2VecOptions Options, float[] Input) ReadSubwords(NativePayloadReader reader, string file, Word2VecOptions options, float[] wordRows)
    {
        options = options with { MinN = reader.ReadInt32(), MaxN = reader.ReadInt32(), Buckets = reader.ReadInt32() };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{file}' holds invalid subword settings: {OptionsValidator.PlainMessage(e)}", e);
        }

        if (!options.HasSubwords)
        {
            throw new InvalidDataException($"'{file}' is corrupt: it has a subword block without n-grams.");
        }

        long ngramValues = (long)options.Buckets * options.Dimensions;
        if (ngramValues * sizeof(float) != reader.Remaining || wordRows.LongLength + ngramValues > Array.MaxLength)
        {
            throw new InvalidDataException(string.Create(
                CultureInfo.InvariantCulture,
                $"'{file}' is truncated or corrupt: {options.Buckets} n-gram rows × {options.Dimensions} dimensions need {ngramValues * sizeof(float)} bytes, {reader.Remaining} are left."));
        }

        var input = new float[wordRows.LongLength + ngramValues];
        wordRows.CopyTo(input, 0);
        reader.ReadFloats(input.AsSpan(wordRows.Length));
        return (options, input);
    }

    private static void WriteOptions(BinaryWriter writer, Word2VecOptions o)
    {
        writer.Write((byte)o.Architecture);
        writer.Write(o.Dimensions);
        writer.Write(o.WindowSize);
        writer.Write(o.NegativeSamples);
        writer.Write(o.NoiseExponent);
        writer.Write(o.MinCount);
        writer.Write(o.MaxVocabularySize ?? -1);
        writer.Write(o.SubsamplingThreshold);
        writer.Write(o.Epochs);
        writer.Write(o.LearningRate);
        writer.Write(o.MinLearningRate);
        writer.Write(o.CbowMean);
        writer.Write(o.ShrinkWindows);
        writer.Write(o.Threads);
        writer.Write(o.Seed);
        writer.Write(o.MaxSentenceLength);
        writer.Write(o.SharedNegatives);
        writer.Write((byte)o.Objective);
        writer.Write(o.BatchSize);
        writer.Write(o.WeightDecay);
    }

    private static Word2VecOptions ReadOptions(BinaryReader reader, string file, ushort version)
    {
        var options = new Word2VecOptions
        {
            Architecture = (Word2VecArchitecture)reader.ReadByte(),
            Dimensions = reader.ReadInt32(),
            WindowSize = reader.ReadInt32(),
            NegativeSamples = reader.ReadInt32(),
            NoiseExponent = reader.ReadDouble(),
            MinCount = reader.ReadInt32(),
            MaxVocabularySize = reader.ReadInt32() is var max && max >= 0 ? max : null,
            SubsamplingThreshold = reader.ReadDouble(),
            Epochs = reader.ReadInt32(),
            LearningRate = reader.ReadDouble(),
            MinLearningRate = reader.ReadDouble(),
            CbowMean = reader.ReadBoolean(),
            ShrinkWindows = reader.ReadBoolean(),
            Threads = reader.ReadInt32(),
            Seed = reader.ReadUInt64(),
            MaxSentenceLength = reader.ReadInt32(),
            SharedNegatives = reader.ReadBoolean(),
        };
        if (version >= 2)
        {
            options = options with
            {
                Objective = (Word2VecObjective)reader.ReadByte(),
                BatchSize = reader.ReadInt32(),
                WeightDecay = reader.ReadDouble(),
            };
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{file}' holds invalid options: {OptionsValidator.PlainMessage(e)}", e);
        }

        return options;
    }

    private static int ReadCount(BinaryReader reader, string file, int max, string what)
    {
        int count = reader.ReadInt32();
        return count >= 0 && count <= max ? count : throw new InvalidDataException($"'{file}' is corrupt: it claims {count} {what}.");
    }
}
