namespace Embeddings.Core.Classification;

/// <summary>The nonlinearity after each hidden layer of an MLP.</summary>
public enum HiddenActivation
{
    /// <summary><c>max(0, x)</c>.</summary>
    Relu,

    /// <summary><c>x</c> for x &gt; 0, else <c>slope·x</c> (PyTorch's default slope 0.01).</summary>
    LeakyRelu,

    /// <summary><c>tanh(x)</c>.</summary>
    Tanh,

    /// <summary><c>1 / (1 + e^(−x))</c>.</summary>
    Sigmoid,
}

/// <summary>How an MLP turns a bag of token vectors into one vector.</summary>
public enum BagPooling
{
    /// <summary>The mean of the token vectors (D values).</summary>
    Mean,

    /// <summary>The mean, then the elementwise maximum (2·D values).</summary>
    MeanMax,
}

/// <summary>How the weights of an MLP's linear layers are drawn.</summary>
public enum WeightInitialization
{
    /// <summary>PyTorch's <c>nn.Linear</c> default: weights and biases uniform in ±1/√fan_in.</summary>
    Uniform,

    /// <summary>Glorot/Xavier uniform: ±√(6 / (fan_in + fan_out)), zero biases (for tanh and sigmoid).</summary>
    Xavier,

    /// <summary>He/Kaiming uniform: ±√(6 / fan_in), zero biases (for ReLU).</summary>
    He,
}

/// <summary>The vector a recurrent classifier classifies a sequence by.</summary>
public enum SequenceRepresentation
{
    /// <summary>The last step's state (for a bidirectional layer: the forward direction's last and the reverse direction's first, as PyTorch's <c>h_n</c>).</summary>
    LastStep,

    /// <summary>The mean of the top layer's states over the steps.</summary>
    Mean,

    /// <summary>The elementwise maximum of the top layer's states over the steps.</summary>
    Max,
}
