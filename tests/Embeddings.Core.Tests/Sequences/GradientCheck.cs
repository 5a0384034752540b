using System.Globalization;
using System.Text;
using Embeddings.Core.Numerics;
using Embeddings.Core.Sequences;

namespace Embeddings.Core.Tests.Sequences;

/// <summary>Central finite differences over float32 parameters, with the loss evaluated in double.</summary>
internal static class GradientCheck
{
    /// <summary>
    /// ∂loss/∂values[j] for every j by <c>(L(θ + ε) − L(θ − ε)) / (θ₊ − θ₋)</c>, where θ₊ and θ₋ are the float32 values
    /// actually stored (so the rounding of θ ± ε does not bias the quotient). Restores every value.
    /// </summary>
    public static double[] Numeric(float[] values, Func<double> loss, float epsilon, Action? restored = null)
    {
        var gradient = new double[values.Length];
        for (int j = 0; j < values.Length; j++)
        {
            float saved = values[j];
            values[j] = saved + epsilon;
            float up = values[j];
            double lossUp = loss();
            values[j] = saved - epsilon;
            float down = values[j];
            double lossDown = loss();
            values[j] = saved;
            gradient[j] = (lossUp - lossDown) / ((double)up - down);
        }

        restored?.Invoke();
        return gradient;
    }

    /// <summary>The same over a parameter's values, keeping its transposed copy (read by the products) in step.</summary>
    public static double[] Numeric(Parameter parameter, Func<double> loss, float epsilon) =>
        Numeric(parameter.Value, () =>
        {
            parameter.TransposeRows(0, parameter.Rows);
            return loss();
        }, epsilon, () => parameter.TransposeRows(0, parameter.Rows));

    /// <summary>The same over double values (the reference network): ε can then be tiny.</summary>
    public static double[] Numeric(double[] values, Func<double> loss, double epsilon)
    {
        var gradient = new double[values.Length];
        for (int j = 0; j < values.Length; j++)
        {
            double saved = values[j];
            values[j] = saved + epsilon;
            double lossUp = loss();
            values[j] = saved - epsilon;
            double lossDown = loss();
            values[j] = saved;
            gradient[j] = (lossUp - lossDown) / (2 * epsilon);
        }

        return gradient;
    }

    /// <summary>
    /// Asserts <c>|analytic − numeric| ≤ absolute + relative · |numeric|</c> for every element, and returns the largest
    /// <c>|analytic − numeric|</c> (for the test's log).
    /// </summary>
    public static double AssertClose(ReadOnlySpan<float> analytic, double[] numeric, double absolute, double relative, string what)
    {
        analytic.Length.Should().Be(numeric.Length, what);
        var failures = new StringBuilder();
        int failed = 0;
        double worst = 0;
        for (int j = 0; j < numeric.Length; j++)
        {
            double error = Math.Abs(analytic[j] - numeric[j]);
            worst = Math.Max(worst, error);
            if (!(error <= absolute + relative * Math.Abs(numeric[j])))
            {
                if (++failed <= 8)
                {
                    failures.Append(CultureInfo.InvariantCulture, $"\n  [{j}] analytic {analytic[j]:G9}, numeric {numeric[j]:G9}");
                }
            }
        }

        failed.Should().Be(0, $"{what}: |analytic − numeric| ≤ {absolute} + {relative}·|numeric| for all {numeric.Length} elements; failing:{failures}");
        return worst;
    }

    /// <summary>Σ c_i · out_i in double: a scalar loss in which every output matters.</summary>
    public static double Weighted(ReadOnlySpan<float> output, ReadOnlySpan<float> weights)
    {
        double sum = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            sum += (double)weights[i] * output[i];
        }

        return sum;
    }

    /// <summary>Uniform values in ±<paramref name="bound"/>.</summary>
    public static float[] Uniform(int length, float bound, ulong seed)
    {
        var random = new SplitMix64Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = random.NextUniform(-bound, bound);
        }

        return values;
    }

    /// <summary>PyTorch's initialisation of recurrent and linear layers: every value uniform in ±1/√<paramref name="fanIn"/>.</summary>
    public static void Initialise(IEnumerable<Parameter> parameters, int fanIn, ulong seed)
    {
        var random = new SplitMix64Random(seed);
        float bound = 1f / MathF.Sqrt(fanIn);
        foreach (Parameter p in parameters)
        {
            for (int i = 0; i < p.Length; i++)
            {
                p.Value[i] = random.NextUniform(-bound, bound);
            }

            p.TransposeRows(0, p.Rows);
        }
    }

    public static int[] Ids(int length, int bound, ulong seed)
    {
        var random = new SplitMix64Random(seed);
        var ids = new int[length];
        for (int i = 0; i < length; i++)
        {
            ids[i] = random.NextInt(bound);
        }

        return ids;
    }
}
