namespace Embeddings.Core.Sequences;

/// <summary>The update rule of a language model's training.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent with optional momentum and L2 weight decay (<c>torch.optim.SGD</c>).</summary>
    Sgd,

    /// <summary>Adam with optional L2 weight decay added to the gradient (<c>torch.optim.Adam</c>).</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay (<c>torch.optim.AdamW</c>).</summary>
    AdamW,
}

/// <summary>
/// An optimiser and its hyper-parameters, with PyTorch's semantics and defaults. Create one with <see cref="Sgd"/>,
/// <see cref="Adam"/> or <see cref="AdamW"/>.
/// </summary>
public sealed record OptimizerOptions
{
    private OptimizerOptions(OptimizerKind kind, double learningRate, double weightDecay)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a positive finite number.");
        }

        if (!(weightDecay >= 0) || double.IsInfinity(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "The weight decay must be zero or positive.");
        }

        Kind = kind;
        LearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    /// <summary>The update rule.</summary>
    public OptimizerKind Kind { get; }

    /// <summary>The base learning rate (a <see cref="LearningRateSchedule"/> scales it per epoch).</summary>
    public double LearningRate { get; }

    /// <summary>SGD's momentum (0 = plain SGD).</summary>
    public double Momentum { get; private init; }

    /// <summary>Adam's β1.</summary>
    public double Beta1 { get; private init; } = 0.9;

    /// <summary>Adam's β2.</summary>
    public double Beta2 { get; private init; } = 0.999;

    /// <summary>Adam's ε.</summary>
    public double Epsilon { get; private init; } = 1e-8;

    /// <summary>L2 penalty added to the gradient (SGD, Adam) or decoupled decay of the weights (AdamW).</summary>
    public double WeightDecay { get; }

    /// <summary><c>torch.optim.SGD(lr, momentum, weight_decay)</c>: <c>b ← μ·b + g; p ← p − lr·b</c> (no dampening).</summary>
    public static OptimizerOptions Sgd(double learningRate, double momentum = 0, double weightDecay = 0) =>
        momentum is >= 0 and < 1
            ? new OptimizerOptions(OptimizerKind.Sgd, learningRate, weightDecay) { Momentum = momentum }
            : throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");

    /// <summary><c>torch.optim.Adam(lr, betas, eps, weight_decay)</c>.</summary>
    public static OptimizerOptions Adam(double learningRate = 1e-3, double weightDecay = 0, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) =>
        WithBetas(new OptimizerOptions(OptimizerKind.Adam, learningRate, weightDecay), beta1, beta2, epsilon);

    /// <summary><c>torch.optim.AdamW(lr, betas, eps, weight_decay)</c>; PyTorch's default decay is 0.01.</summary>
    public static OptimizerOptions AdamW(double learningRate = 1e-3, double weightDecay = 0.01, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) =>
        WithBetas(new OptimizerOptions(OptimizerKind.AdamW, learningRate, weightDecay), beta1, beta2, epsilon);

    /// <summary>Rebuilds options read from a file (validated like the factories).</summary>
    internal static OptimizerOptions Create(OptimizerKind kind, double learningRate, double weightDecay, double momentum, double beta1, double beta2, double epsilon) => kind switch
    {
        OptimizerKind.Sgd => Sgd(learningRate, momentum, weightDecay),
        OptimizerKind.Adam => Adam(learningRate, weightDecay, beta1, beta2, epsilon),
        OptimizerKind.AdamW => AdamW(learningRate, weightDecay, beta1, beta2, epsilon),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown optimiser."),
    };

    private static OptimizerOptions WithBetas(OptimizerOptions options, double beta1, double beta2, double epsilon)
    {
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), "Adam's betas must be in [0, 1).");
        }

        if (!(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Adam's epsilon must be positive.");
        }

        return options with { Beta1 = beta1, Beta2 = beta2, Epsilon = epsilon };
    }
}
