using Embeddings.Core.Numerics;

namespace Embeddings.Core.Corpus;

/// <summary>
/// Context windows over encoded sentences. Two kinds: the fixed window of the tweets lab (every pair within
/// distance w) and word2vec's dynamic window (for each centre a reduced window b ~ U[0, w) is drawn and the
/// effective reach is w − b, so near words are seen more often than far ones). Enumerables for users, span fills
/// for trainers.
/// </summary>
public static class Windows
{
    /// <summary>
    /// Every (centre, context) pair within <paramref name="windowSize"/> positions, centres in order and, for each,
    /// its contexts from left to right: what the lab's <c>windowizer</c> produced.
    /// </summary>
    /// <param name="sentence">Word ids.</param>
    /// <param name="windowSize">w ≥ 1: contexts up to w positions away on each side.</param>
    public static IEnumerable<(int Center, int Context)> FixedPairs(ReadOnlyMemory<int> sentence, int windowSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        for (int center = 0; center < sentence.Length; center++)
        {
            (int first, int last) = Bounds(sentence.Length, center, windowSize);
            for (int context = first; context <= last; context++)
            {
                if (context != center)
                {
                    ReadOnlySpan<int> ids = sentence.Span;
                    yield return (ids[center], ids[context]);
                }
            }
        }
    }

    /// <summary>
    /// word2vec's pairs: for each centre a reach in [1, w] is drawn (see <see cref="DrawReach"/>), then every context
    /// within that reach, left to right. The same <paramref name="seed"/> gives the same pairs.
    /// </summary>
    /// <param name="sentence">Word ids.</param>
    /// <param name="windowSize">w ≥ 1, the largest reach.</param>
    /// <param name="seed">Seed of the <see cref="Word2VecRandom"/> that draws the reaches.</param>
    public static IEnumerable<(int Center, int Context)> DynamicPairs(ReadOnlyMemory<int> sentence, int windowSize, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        var random = new Word2VecRandom(seed);
        for (int center = 0; center < sentence.Length; center++)
        {
            int reach = DrawReach(windowSize, shrink: true, ref random);
            (int first, int last) = Bounds(sentence.Length, center, reach);
            for (int context = first; context <= last; context++)
            {
                if (context != center)
                {
                    ReadOnlySpan<int> ids = sentence.Span;
                    yield return (ids[center], ids[context]);
                }
            }
        }
    }

    /// <summary>
    /// The reach of one centre's window: w − b with b = <c>next_random % w</c>, as word2vec.c and gensim draw it;
    /// or w itself when <paramref name="shrink"/> is off (gensim <c>shrink_windows=False</c>), which draws nothing.
    /// </summary>
    /// <param name="windowSize">w ≥ 1.</param>
    /// <param name="shrink">Whether to draw a reduced window.</param>
    /// <param name="random">The worker's generator.</param>
    public static int DrawReach(int windowSize, bool shrink, ref Word2VecRandom random) =>
        shrink ? windowSize - random.NextInt(windowSize) : windowSize;

    /// <summary>The first and last positions of the window drawn around <paramref name="center"/>, clipped to the sentence.</summary>
    internal static (int First, int Last) DrawWindow(int center, int length, int windowSize, bool shrink, ref Word2VecRandom random)
    {
        int reach = DrawReach(windowSize, shrink, ref random);
        return (Math.Max(0, center - reach), Math.Min(length - 1, center + reach));
    }

    /// <summary>
    /// word2vec.c's subsampling: copies into <paramref name="kept"/> each occurrence whose keep probability beats a 16-bit
    /// random fraction (words with probability ≥ 1 draw nothing); returns how many were kept.
    /// </summary>
    internal static int Subsample(ReadOnlySpan<int> sentence, double[] keep, Span<int> kept, ref Word2VecRandom random)
    {
        int count = 0;
        foreach (int id in sentence)
        {
            if (keep[id] >= 1.0 || keep[id] >= random.NextFraction16())
            {
                kept[count++] = id;
            }
        }

        return count;
    }

    /// <summary>
    /// Fills <paramref name="centers"/> and <paramref name="contexts"/> with the pairs of as many whole centres as fit,
    /// starting at <paramref name="position"/>, which moves past them; call again with fresh buffers until it returns 0.
    /// </summary>
    /// <param name="sentence">Word ids.</param>
    /// <param name="windowSize">w ≥ 1.</param>
    /// <param name="dynamic">Draw a reach per centre (word2vec) or use the fixed window (the lab).</param>
    /// <param name="random">The worker's generator (used only when <paramref name="dynamic"/>).</param>
    /// <param name="position">The next centre; advanced past the centres written.</param>
    /// <param name="centers">Receives centre ids; at least 2w long so that any centre fits.</param>
    /// <param name="contexts">Receives context ids, the same length as <paramref name="centers"/>.</param>
    /// <returns>The number of pairs written.</returns>
    public static int FillPairs(
        ReadOnlySpan<int> sentence, int windowSize, bool dynamic, ref Word2VecRandom random, ref int position, Span<int> centers, Span<int> contexts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        if (centers.Length < 2 * windowSize || contexts.Length < centers.Length)
        {
            throw new ArgumentException($"The pair buffers must hold at least 2 × windowSize = {2 * windowSize} pairs and be the same length.", nameof(centers));
        }

        int written = 0;
        while (position < sentence.Length)
        {
            // Draw the reach only when the centre's pairs will be written, so a refill redraws nothing.
            Word2VecRandom peek = random;
            int reach = dynamic ? DrawReach(windowSize, shrink: true, ref peek) : windowSize;
            (int first, int last) = Bounds(sentence.Length, position, reach);
            if (written + (last - first) > centers.Length)
            {
                break;
            }

            random = peek;
            for (int context = first; context <= last; context++)
            {
                if (context != position)
                {
                    centers[written] = sentence[position];
                    contexts[written] = sentence[context];
                    written++;
                }
            }

            position++;
        }

        return written;
    }

    /// <summary>The context bag of one centre for CBOW: the ids within <paramref name="reach"/> on both sides, left to right.</summary>
    /// <param name="sentence">Word ids.</param>
    /// <param name="center">The centre's position.</param>
    /// <param name="reach">How far to look on each side (≥ 1).</param>
    /// <param name="destination">At least 2 × reach long.</param>
    /// <returns>The number of context ids written.</returns>
    public static int FillContextBag(ReadOnlySpan<int> sentence, int center, int reach, Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(reach, 1);
        (int first, int last) = Bounds(sentence.Length, center, reach);
        int written = 0;
        for (int context = first; context <= last; context++)
        {
            if (context != center)
            {
                destination[written++] = sentence[context];
            }
        }

        return written;
    }

    private static (int First, int Last) Bounds(int length, int center, int reach) =>
        (Math.Max(0, center - reach), Math.Min(length - 1, center + reach));
}
