using Embeddings.Core.Sequences;

namespace Embeddings.Core.Tests.Sequences;

/// <summary>
/// The language model written out in double, one sequence and one unit at a time, straight from PyTorch's equations:
/// an independent reference for the layers' forward passes and, with <see cref="Freeze"/>, for the objective that
/// truncated back-propagation differentiates.
/// </summary>
/// <remarks>
/// Truncation to k of T steps, as the layers implement it: step t receives the gradient step t + 1 sends back only when
/// t ≥ T − k. That is the gradient of the loss in which step s reads a constant (the unperturbed forward's) recurrent
/// state whenever s ≤ T − k, and the live one after: freezing those states and taking finite differences gives the
/// truncated gradient.
/// </remarks>
internal sealed class ReferenceNetwork
{
    private readonly RecurrentCell _cell;
    private readonly int _layers, _hidden, _dimensions, _classes;
    private double[][][][]? _frozenHidden;  // [layer][sequence][step] → h
    private double[][][][]? _frozenCell;    // [layer][sequence][step] → c (LSTM)

    /// <summary>Copies the network's parameters (same order as <see cref="SequenceNetwork.Parameters"/>) into <see cref="Values"/>.</summary>
    public ReferenceNetwork(SequenceNetwork network)
    {
        _cell = network.Cell;
        _layers = network.Layers.Length;
        _hidden = network.HiddenSize;
        _dimensions = network.Embedding.Dimensions;
        _classes = network.Classes;
        Values = [.. network.Parameters.Select(p => p.Value.Select(v => (double)v).ToArray())];
    }

    /// <summary>embedding, then weight_ih, weight_hh, bias_ih, bias_hh per layer, then fc.weight, fc.bias.</summary>
    public double[][] Values { get; }

    /// <summary>Step s ≤ T − <paramref name="carrySteps"/> reads, from now on, the recurrent state of the current values as a constant.</summary>
    public void Freeze(ReadOnlySpan<int> inputs, int steps, int batch, int carrySteps)
    {
        _frozenHidden = null;
        _frozenCell = null;
        var hidden = new double[_layers][][][];
        var cell = new double[_layers][][][];
        for (int l = 0; l < _layers; l++)
        {
            hidden[l] = new double[batch][][];
            cell[l] = new double[batch][][];
        }

        for (int b = 0; b < batch; b++)
        {
            Run(inputs.Slice(b * steps, steps), steps, b, -1, hidden, cell);
        }

        _frozenHidden = hidden;
        _frozenCell = cell;
        FrozenUpTo = steps - carrySteps;
    }

    private int FrozenUpTo { get; set; } = -1;

    /// <summary>The summed cross-entropy of the predicted tokens (B of them, or B × T), as <see cref="SequenceNetwork.Loss"/>.</summary>
    public double Loss(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets, int steps, int batch)
    {
        bool everyStep = targets.Length == steps * batch && steps > 1;
        double loss = 0;
        for (int b = 0; b < batch; b++)
        {
            double[][] top = Run(inputs.Slice(b * steps, steps), steps, b, _frozenHidden is null ? -1 : FrozenUpTo, null, null);
            if (everyStep)
            {
                for (int t = 0; t < steps; t++)
                {
                    loss += CrossEntropy(top[t], targets[b * steps + t]);
                }
            }
            else
            {
                loss += CrossEntropy(top[steps - 1], targets[b]);
            }
        }

        return loss;
    }

    /// <summary>Every layer over one sequence; returns the top layer's states. Records the states when asked.</summary>
    private double[][] Run(ReadOnlySpan<int> ids, int steps, int sequence, int frozenUpTo, double[][][][]? recordHidden, double[][][][]? recordCell)
    {
        double[] embedding = Values[0];
        var inputs = new double[steps][];
        for (int t = 0; t < steps; t++)
        {
            inputs[t] = embedding.AsSpan(ids[t] * _dimensions, _dimensions).ToArray();
        }

        for (int l = 0; l < _layers; l++)
        {
            double[] wih = Values[1 + 4 * l], whh = Values[2 + 4 * l], bih = Values[3 + 4 * l], bhh = Values[4 + 4 * l];
            var states = new double[steps][];
            var cells = new double[steps][];
            double[] h = new double[_hidden], c = new double[_hidden];
            for (int t = 0; t < steps; t++)
            {
                if (t <= frozenUpTo && t > 0)
                {
                    h = _frozenHidden![l][sequence][t - 1];
                    c = _frozenCell![l][sequence][t - 1];
                }

                (h, c) = Step(inputs[t], h, c, wih, whh, bih, bhh);
                states[t] = h;
                cells[t] = c;
            }

            if (recordHidden is not null)
            {
                recordHidden[l][sequence] = states;
                recordCell![l][sequence] = cells;
            }

            inputs = states;
        }

        return inputs;
    }

    /// <summary>One step of one cell for one sequence, gate by gate as PyTorch documents it.</summary>
    private (double[] Hidden, double[] Cell) Step(double[] x, double[] h, double[] c, double[] wih, double[] whh, double[] bih, double[] bhh)
    {
        int n = _hidden, inputs = x.Length;
        double InputSide(int gate, int j)
        {
            int row = gate * n + j;
            double sum = bih[row];
            for (int k = 0; k < inputs; k++)
            {
                sum += wih[row * inputs + k] * x[k];
            }

            return sum;
        }

        double HiddenSide(int gate, int j)
        {
            int row = gate * n + j;
            double sum = bhh[row];
            for (int k = 0; k < n; k++)
            {
                sum += whh[row * n + k] * h[k];
            }

            return sum;
        }

        var hidden = new double[n];
        var cell = new double[n];
        for (int j = 0; j < n; j++)
        {
            switch (_cell)
            {
                case RecurrentCell.Rnn:
                    hidden[j] = Math.Tanh(InputSide(0, j) + HiddenSide(0, j));
                    break;
                case RecurrentCell.Gru:
                {
                    double r = Sigmoid(InputSide(0, j) + HiddenSide(0, j));
                    double z = Sigmoid(InputSide(1, j) + HiddenSide(1, j));
                    double candidate = Math.Tanh(InputSide(2, j) + r * HiddenSide(2, j));
                    hidden[j] = (1 - z) * candidate + z * h[j];
                    break;
                }

                default:
                {
                    double i = Sigmoid(InputSide(0, j) + HiddenSide(0, j));
                    double f = Sigmoid(InputSide(1, j) + HiddenSide(1, j));
                    double g = Math.Tanh(InputSide(2, j) + HiddenSide(2, j));
                    double o = Sigmoid(InputSide(3, j) + HiddenSide(3, j));
                    cell[j] = f * c[j] + i * g;
                    hidden[j] = o * Math.Tanh(cell[j]);
                    break;
                }
            }
        }

        return (hidden, cell);
    }

    private double CrossEntropy(double[] state, int target)
    {
        double[] weights = Values[^2], bias = Values[^1];
        var logits = new double[_classes];
        for (int k = 0; k < _classes; k++)
        {
            double sum = bias[k];
            for (int j = 0; j < _hidden; j++)
            {
                sum += weights[k * _hidden + j] * state[j];
            }

            logits[k] = sum;
        }

        double max = logits.Max();
        double total = logits.Sum(z => Math.Exp(z - max));
        return Math.Log(total) + max - logits[target];
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
