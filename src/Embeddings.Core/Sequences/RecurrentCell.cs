namespace Embeddings.Core.Sequences;

/// <summary>The recurrent cell of a language model; each has PyTorch's parameters and gate order.</summary>
public enum RecurrentCell
{
    /// <summary>Elman RNN with tanh (<c>nn.RNN</c>): one gate.</summary>
    Rnn,

    /// <summary>Gated recurrent unit (<c>nn.GRU</c>): reset, update and candidate gates.</summary>
    Gru,

    /// <summary>Long short-term memory (<c>nn.LSTM</c>): input, forget, cell and output gates.</summary>
    Lstm,
}

/// <summary>What a language model predicts from a sequence of <c>SequenceLength</c> tokens.</summary>
public enum SequencePrediction
{
    /// <summary>Sequence to one: the token after the sequence, from the last step's state (the PC3 notebook's model).</summary>
    LastStep,

    /// <summary>Sequence to sequence: at every step, the next token (targets are the input shifted by one).</summary>
    EveryStep,
}
