using Embeddings.Core.Options;

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
    // Instances come from the factories only.
    private OptimizerOptions()
    {
    }

    /// <summary>The update rule.</summary>
    public OptimizerKind Kind { get; private init; }

    /// <summary>The base learning rate (a <see cref="LearningRateSchedule"/> scales it per epoch).</summary>
    public double LearningRate { get; private init; }

    /// <summary>SGD's momentum (0 = plain SGD).</summary>
    public double Momentum { get; private init; }

    /// <summary>Adam's β1.</summary>
    public double Beta1 { get; private init; } = 0.9;

    /// <summary>Adam's β2.</summary>
    public double Beta2 { get; private init; } = 0.999;

    /// <summary>Adam's ε.</summary>
    public double Epsilon { get; private init; } = 1e-8;

    /// <summary>L2 penalty added to the gradient (SGD, Adam) or decoupled decay of the weights (AdamW).</summary>
    public double WeightDecay { get; private init; }

    /// <summary><c>torch.optim.SGD(lr, momentum, weight_decay)</c>: <c>b ← μ·b + g; p ← p − lr·b</c> (no dampening).</summary>
    /// <exception cref="InvalidOptionsException">An argument is out of range; the message lists every problem.</exception>
    public static OptimizerOptions Sgd(double learningRate, double momentum = 0, double weightDecay = 0) =>
        Validated(new OptimizerOptions { Kind = OptimizerKind.Sgd, LearningRate = learningRate, WeightDecay = weightDecay, Momentum = momentum });

    /// <summary><c>torch.optim.Adam(lr, betas, eps, weight_decay)</c>.</summary>
    /// <exception cref="InvalidOptionsException">An argument is out of range; the message lists every problem.</exception>
    public static OptimizerOptions Adam(double learningRate = 1e-3, double weightDecay = 0, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) =>
        Validated(new OptimizerOptions { Kind = OptimizerKind.Adam, LearningRate = learningRate, WeightDecay = weightDecay, Beta1 = beta1, Beta2 = beta2, Epsilon = epsilon });

    /// <summary><c>torch.optim.AdamW(lr, betas, eps, weight_decay)</c>; PyTorch's default decay is 0.01.</summary>
    /// <exception cref="InvalidOptionsException">An argument is out of range; the message lists every problem.</exception>
    public static OptimizerOptions AdamW(double learningRate = 1e-3, double weightDecay = 0.01, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) =>
        Validated(new OptimizerOptions { Kind = OptimizerKind.AdamW, LearningRate = learningRate, WeightDecay = weightDecay, Beta1 = beta1, Beta2 = beta2, Epsilon = epsilon });

    /// <summary>Throws if any setting is out of range, listing every problem. The factories call it, so every instance is valid.</summary>
    /// <exception cref="InvalidOptionsException">A setting is out of range; <see cref="ArgumentException.ParamName"/> names the first.</exception>
    public void Validate() =>
        new OptionsValidator("optimizer")
            .Defined(nameof(Kind), Kind, "Sgd(…), Adam(…) or AdamW(…)")
            .Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "finite and greater than 0", "Sgd, Adam or AdamW(learningRate, …)")
            .InRange(nameof(WeightDecay), WeightDecay, 0, double.PositiveInfinity, "Sgd, Adam or AdamW(…, weightDecay)")
            .Require(Momentum is >= 0 and < 1, nameof(Momentum), Momentum, "in [0, 1)", "Sgd(learningRate, momentum)")
            .Require(Beta1 is >= 0 and < 1, nameof(Beta1), Beta1, "in [0, 1)", "Adam or AdamW(…, beta1, beta2)")
            .Require(Beta2 is >= 0 and < 1, nameof(Beta2), Beta2, "in [0, 1)", "Adam or AdamW(…, beta1, beta2)")
            .Require(Epsilon > 0 && double.IsFinite(Epsilon), nameof(Epsilon), Epsilon, "finite and greater than 0", "Adam or AdamW(…, epsilon)")
            .ThrowIfInvalid();

    /// <summary>Rebuilds options read from a file (validated like the factories).</summary>
    internal static OptimizerOptions Create(OptimizerKind kind, double learningRate, double weightDecay, double momentum, double beta1, double beta2, double epsilon) => kind switch
    {
        OptimizerKind.Sgd => Sgd(learningRate, momentum, weightDecay),
        OptimizerKind.Adam => Adam(learningRate, weightDecay, beta1, beta2, epsilon),
        OptimizerKind.AdamW => AdamW(learningRate, weightDecay, beta1, beta2, epsilon),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown optimiser."),
    };

    private static OptimizerOptions Validated(OptimizerOptions options)
    {
        options.Validate();
        return options;
    }
}
