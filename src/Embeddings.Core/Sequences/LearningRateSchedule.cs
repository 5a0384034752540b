namespace Embeddings.Core.Sequences;

/// <summary>How the learning rate changes from epoch to epoch (PyTorch's schedulers stepped once per epoch).</summary>
public enum LearningRateScheduleKind
{
    /// <summary>The base rate throughout.</summary>
    Constant,

    /// <summary><c>StepLR</c>: multiplied by a factor every N epochs.</summary>
    Step,

    /// <summary><c>ExponentialLR</c>: multiplied by a factor every epoch.</summary>
    Exponential,

    /// <summary><c>CosineAnnealingLR</c> over the run, down to a fraction of the base rate.</summary>
    Cosine,
}

/// <summary>A per-epoch learning-rate schedule: epoch e (from 0) trains with <c>base rate × <see cref="Factor"/>(e, epochs)</c>.</summary>
public sealed record LearningRateSchedule
{
    private LearningRateSchedule(LearningRateScheduleKind kind, int every, double factor)
    {
        Kind = kind;
        Every = every;
        Value = factor;
    }

    /// <summary>The shape of the schedule.</summary>
    public LearningRateScheduleKind Kind { get; }

    /// <summary>For <see cref="LearningRateScheduleKind.Step"/>: the epochs between decays.</summary>
    public int Every { get; }

    /// <summary>The decay factor (Step, Exponential) or the final fraction of the base rate (Cosine).</summary>
    public double Value { get; }

    /// <summary>The base rate throughout (the default).</summary>
    public static LearningRateSchedule Constant { get; } = new(LearningRateScheduleKind.Constant, 1, 1);

    /// <summary>Multiplies the rate by <paramref name="factor"/> every <paramref name="every"/> epochs.</summary>
    public static LearningRateSchedule Step(int every, double factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        return new(LearningRateScheduleKind.Step, every, CheckFactor(factor));
    }

    /// <summary>Multiplies the rate by <paramref name="factor"/> after every epoch.</summary>
    public static LearningRateSchedule Exponential(double factor) => new(LearningRateScheduleKind.Exponential, 1, CheckFactor(factor));

    /// <summary>Cosine annealing from the base rate towards <paramref name="finalFraction"/> × base, reached after the last epoch (<c>T_max</c> = epochs).</summary>
    public static LearningRateSchedule Cosine(double finalFraction = 0) =>
        finalFraction is >= 0 and <= 1
            ? new(LearningRateScheduleKind.Cosine, 1, finalFraction)
            : throw new ArgumentOutOfRangeException(nameof(finalFraction), finalFraction, "The final fraction must be in [0, 1].");

    /// <summary>The multiplier of the base rate in epoch <paramref name="epoch"/> (from 0) of <paramref name="epochs"/>.</summary>
    public double Factor(int epoch, int epochs) => Kind switch
    {
        LearningRateScheduleKind.Step => Math.Pow(Value, epoch / Every),
        LearningRateScheduleKind.Exponential => Math.Pow(Value, epoch),
        LearningRateScheduleKind.Cosine => Value + (1 - Value) * (1 + Math.Cos(Math.PI * epoch / epochs)) / 2,
        _ => 1,
    };

    internal static LearningRateSchedule Create(LearningRateScheduleKind kind, int every, double value) => kind switch
    {
        LearningRateScheduleKind.Constant => Constant,
        LearningRateScheduleKind.Step => Step(every, value),
        LearningRateScheduleKind.Exponential => Exponential(value),
        LearningRateScheduleKind.Cosine => Cosine(value),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown schedule."),
    };

    private static double CheckFactor(double factor) =>
        factor is > 0 and <= 1 ? factor : throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be in (0, 1].");
}
