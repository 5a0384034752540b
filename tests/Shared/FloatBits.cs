namespace Embeddings.Tests.Infrastructure;

/// <summary>Floats as their bit patterns, for assertions that two results are the same bit for bit (NaNs and −0 included).</summary>
internal static class FloatBits
{
    /// <summary>The IEEE 754 bits of each value, in order.</summary>
    public static int[] Of(ReadOnlySpan<float> values)
    {
        var bits = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            bits[i] = BitConverter.SingleToInt32Bits(values[i]);
        }

        return bits;
    }
}
