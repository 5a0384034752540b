namespace Embeddings.Core.Classification;

/// <summary>
/// An interrupted text-classifier run, read once from its checkpoint file: the settings it ran with (to build the
/// trainer that continues it) and the weights and positions that
/// <see cref="TextClassifierTrainer.Resume(TextClassifierCheckpoint, IReadOnlyList{LabelledExample}, IReadOnlyList{LabelledExample}?, IProgress{TextClassifierProgress}?, CancellationToken)"/>
/// goes on from. Written by a trainer given <see cref="TextClassifierBuilder.Checkpoints(string)"/>, in the file format
/// of <see cref="TextClassifier.Save(string)"/> with the run's state added.
/// </summary>
/// <remarks>
/// Resuming trains the checkpoint's own weights, without a copy (the fastText family's n-gram rows can take gigabytes),
/// so a checkpoint is resumed once: load it again to resume it again.
/// </remarks>
public sealed class TextClassifierCheckpoint
{
    private readonly TextClassifier _model;
    private bool _resumed;

    private TextClassifierCheckpoint(string path, TextClassifier model, ClassifierRunState run)
    {
        Path = path;
        _model = model;
        Run = run;
    }

    /// <summary>The checkpoint file read.</summary>
    public string Path { get; }

    /// <summary>The settings of the run; build the resuming trainer with them (<c>WithOptions</c>).</summary>
    public TextClassifierOptions Options => _model.Options;

    /// <summary>The epoch in progress when the checkpoint was written (from 1).</summary>
    public int Epoch => Run.Position.Epoch + 1;

    internal ClassifierRunState Run { get; }

    /// <summary>Reads a checkpoint, verifying its checksum.</summary>
    /// <param name="path">The checkpoint file, or the checkpoint folder holding <see cref="TextClassifierTrainer.CheckpointFileName"/>.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="FileNotFoundException">No checkpoint there.</exception>
    /// <exception cref="InvalidDataException">Not a text-classifier file, a finished model rather than a checkpoint, or damaged.</exception>
    public static TextClassifierCheckpoint Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string file = Directory.Exists(path) ? System.IO.Path.Combine(path, TextClassifierTrainer.CheckpointFileName) : path;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"'{file}' does not exist (expected a text classifier checkpoint, or a folder holding {TextClassifierTrainer.CheckpointFileName}).", file);
        }

        (TextClassifier model, ClassifierRunState? run) = TextClassifierFile.Read(file);
        return run is null
            ? throw new InvalidDataException($"'{file}' is a finished model, not a checkpoint of a run.")
            : new TextClassifierCheckpoint(file, model, run);
    }

    /// <summary>The model and run state to train on; once, since training changes them.</summary>
    internal TextClassifier TakeModel()
    {
        if (_resumed)
        {
            throw new InvalidOperationException($"The checkpoint '{Path}' was resumed already, which trained its weights further; load it again to resume it again.");
        }

        _resumed = true;
        return _model;
    }
}
