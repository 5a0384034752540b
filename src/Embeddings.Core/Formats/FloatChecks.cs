using System.Numerics;
using System.Runtime.InteropServices;

namespace Embeddings.Core.Formats;

/// <summary>Finds NaN and infinities in loaded vectors (all exponent bits set), a SIMD scan with a scalar tail.</summary>
internal static class FloatChecks
{
    private const int ExponentMask = 0x7F800000;

    /// <summary>The index of the first value that is NaN or infinite, or -1.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        ReadOnlySpan<int> bits = MemoryMarshal.Cast<float, int>(values);
        int i = 0;
        if (Vector.IsHardwareAccelerated && bits.Length >= Vector<int>.Count)
        {
            var mask = new Vector<int>(ExponentMask);
            for (; i <= bits.Length - Vector<int>.Count; i += Vector<int>.Count)
            {
                if (Vector.EqualsAny(new Vector<int>(bits[i..]) & mask, mask))
                {
                    break;
                }
            }
        }

        for (; i < bits.Length; i++)
        {
            if ((bits[i] & ExponentMask) == ExponentMask)
            {
                return i;
            }
        }

        return -1;
    }
}
