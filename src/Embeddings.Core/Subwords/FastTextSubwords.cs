using System.Text;

namespace Embeddings.Core.Subwords;

/// <summary>
/// fastText 0.9.2's character n-grams and hashing, shared by subword training, <see cref="SubwordVectors"/>, the
/// fastText file readers and the supervised classifier. A word is wrapped as <c>&lt;word&gt;</c>; its n-grams are the
/// runs of <c>minN</c>…<c>maxN</c> Unicode code points of the wrapped word (a UTF-8 continuation byte never starts one),
/// except the lone <c>&lt;</c> and <c>&gt;</c>; each goes to bucket <c>Hash(ngram) % buckets</c>.
/// </summary>
public static class FastTextSubwords
{
    /// <summary>fastText's end-of-line token, which has no n-grams.</summary>
    public const string EndOfLine = "</s>";

    /// <summary>The marker fastText puts before a word.</summary>
    public const char BeginOfWord = '<';

    /// <summary>The marker fastText puts after a word.</summary>
    public const char EndOfWord = '>';

    /// <summary>
    /// fastText's hash: 32-bit FNV-1a over UTF-8 bytes, each byte sign-extended first (its <c>uint32_t(int8_t(c))</c>),
    /// so bytes from 0x80 up hash as fastText's (and gensim's <c>compatible_hash</c>) do.
    /// </summary>
    /// <param name="utf8">The bytes.</param>
    /// <returns>The 32-bit hash.</returns>
    public static uint Hash(ReadOnlySpan<byte> utf8)
    {
        uint h = 2_166_136_261;
        foreach (byte b in utf8)
        {
            h ^= (uint)(sbyte)b;
            h *= 16_777_619;
        }

        return h;
    }

    /// <summary>fastText's hash of a string's UTF-8 bytes; see <see cref="Hash(ReadOnlySpan{byte})"/>.</summary>
    /// <param name="token">The string.</param>
    /// <returns>The 32-bit hash.</returns>
    public static uint Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        int length = Encoding.UTF8.GetMaxByteCount(token.Length);
        Span<byte> bytes = length <= 512 ? stackalloc byte[512] : new byte[length];
        int count = Encoding.UTF8.GetBytes(token, bytes);
        return Hash(bytes[..count]);
    }

    /// <summary>
    /// The character n-grams of <paramref name="word"/> in fastText's order (by start, then by length), as strings:
    /// what <c>fasttext print-ngrams</c> lists, without the word itself.
    /// </summary>
    /// <param name="word">The word, without markers.</param>
    /// <param name="minN">The shortest n-gram, in code points (fastText <c>-minn</c>).</param>
    /// <param name="maxN">The longest n-gram (fastText <c>-maxn</c>); 0 gives none.</param>
    /// <returns>The n-grams; empty for <see cref="EndOfLine"/> or when <paramref name="maxN"/> is 0.</returns>
    public static IReadOnlyList<string> Ngrams(string word, int minN, int maxN)
    {
        var ngrams = new List<string>();
        Visit(word, minN, maxN, (bytes, _) => ngrams.Add(Encoding.UTF8.GetString(bytes)));
        return ngrams;
    }

    /// <summary>
    /// Appends the bucket of each character n-gram of <paramref name="word"/> (<c>Hash(ngram) % buckets</c>, in the order
    /// of <see cref="Ngrams"/>) to <paramref name="destination"/>; fastText's <c>computeSubwords</c> before the rows of
    /// the words are added. Returns how many were appended.
    /// </summary>
    /// <param name="word">The word, without markers.</param>
    /// <param name="minN">The shortest n-gram, in code points.</param>
    /// <param name="maxN">The longest n-gram; 0 gives none.</param>
    /// <param name="buckets">The number of hash buckets (fastText <c>-bucket</c>), at least 1 when <paramref name="maxN"/> is above 0.</param>
    /// <param name="destination">Receives the bucket numbers, 0 ≤ bucket &lt; <paramref name="buckets"/>.</param>
    /// <returns>The number of buckets appended.</returns>
    public static int AddNgramBuckets(string word, int minN, int maxN, int buckets, List<int> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        int before = destination.Count;
        if (maxN > 0)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        }

        Visit(word, minN, maxN, (_, hash) => destination.Add((int)(hash % (uint)buckets)));
        return destination.Count - before;
    }

    private delegate void NgramVisitor(ReadOnlySpan<byte> ngram, uint hash);

    private static void Visit(string word, int minN, int maxN, NgramVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentOutOfRangeException.ThrowIfNegative(minN);
        ArgumentOutOfRangeException.ThrowIfNegative(maxN);
        if (maxN == 0 || word == EndOfLine)
        {
            return;
        }

        int length = Encoding.UTF8.GetByteCount(word) + 2;
        byte[] wrapped = new byte[length];
        wrapped[0] = (byte)BeginOfWord;
        Encoding.UTF8.GetBytes(word, wrapped.AsSpan(1));
        wrapped[length - 1] = (byte)EndOfWord;
        for (int i = 0; i < length; i++)
        {
            if (IsContinuation(wrapped[i]))
            {
                continue;
            }

            int j = i;
            for (int n = 1; j < length && n <= maxN; n++)
            {
                j++;
                while (j < length && IsContinuation(wrapped[j]))
                {
                    j++;
                }

                // fastText leaves out the lone markers: a 1-gram at either end.
                if (n >= minN && !(n == 1 && (i == 0 || j == length)))
                {
                    ReadOnlySpan<byte> ngram = wrapped.AsSpan(i, j - i);
                    visit(ngram, Hash(ngram));
                }
            }
        }
    }

    private static bool IsContinuation(byte b) => (b & 0xC0) == 0x80;
}
