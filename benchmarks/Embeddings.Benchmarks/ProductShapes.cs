using System.Diagnostics;
using Embeddings.Core.Numerics;

namespace Embeddings.Benchmarks;

/// <summary>
/// GFLOP/s of the matrix products at the language model's shapes (one thread), to see where a step's time goes.
/// dotnet run -c Release -- products [--rows 256]
/// </summary>
internal static class ProductShapes
{
    public static int Run(string[] args)
    {
        int rows = args.Length > 1 && args[0] == "--rows" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 256;
        const int Hidden = 128, Classes = 1500, Input = 100;
        var random = new Random(1);
        float[] Fill(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f)];
        float[] h = Fill(rows * Hidden), wT = Fill(Hidden * Classes), w = Fill(Classes * Hidden), logits = Fill(rows * Classes);
        float[] dw = new float[Classes * Hidden], dh = new float[rows * Hidden];
        float[] x = Fill(rows * 5 * Input), wihT = Fill(Input * Hidden), gates = new float[rows * 5 * Hidden];
        float[] hh = Fill(rows * Hidden), whhT = Fill(Hidden * Hidden), step = new float[rows * Hidden];
        Measure("logits = H·Wᵀ (rows×128×1500)", (long)rows * Hidden * Classes, () => MatrixProduct.Multiply(h, wT, logits, rows, Hidden, Classes, 0, rows));
        Measure("dW += dZᵀ·H (1500×rows×128)", (long)rows * Hidden * Classes, () => MatrixProduct.MultiplyTransposedAAdd(logits, h, dw, Classes, rows, Hidden, 0, Classes));
        Measure("dH = dZ·W (rows×1500×128)", (long)rows * Hidden * Classes, () => MatrixProduct.Multiply(logits, w, dh, rows, Classes, Hidden, 0, rows));
        Measure("X·W_ihᵀ (5·rows×100×128)", 5L * rows * Input * Hidden, () => MatrixProduct.Multiply(x, wihT, gates, 5 * rows, Input, Hidden, 0, 5 * rows));
        Measure("h·W_hhᵀ (rows×128×128)", (long)rows * Hidden * Hidden, () => MatrixProduct.Multiply(hh, whhT, step, rows, Hidden, Hidden, 0, rows));
        Measure("transpose W (1500×128)", Classes * Hidden / 2, () => MatrixProduct.Transpose(w, wT, Classes, Hidden));
        return 0;
    }

    private static void Measure(string name, long multiplyAdds, Action product)
    {
        for (int i = 0; i < 20; i++)
        {
            product();
        }

        var clock = Stopwatch.StartNew();
        int reps = 0;
        while (clock.ElapsedMilliseconds < 1000)
        {
            product();
            reps++;
        }

        double seconds = clock.Elapsed.TotalSeconds / reps;
        Console.WriteLine($"{name,-36} {seconds * 1e3,8:F3} ms  {2.0 * multiplyAdds / seconds / 1e9,7:F1} GFLOP/s");
    }
}
