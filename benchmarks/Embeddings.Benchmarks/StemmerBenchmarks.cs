using BenchmarkDotNet.Attributes;
using Embeddings.Text.Stemming;

namespace Embeddings.Benchmarks;

/// <summary>
/// Stemming throughput on the Snowball reference vocabularies (every word once per operation), through the
/// allocation-free span overload. Run: dotnet run -c Release -- --filter *StemmerBenchmarks*
/// </summary>
[MemoryDiagnoser]
public class StemmerBenchmarks
{
    private readonly char[] _destination = new char[256];
    private string[] _englishWords = [];
    private string[] _spanishWords = [];
    private readonly EnglishStemmer _english = new();
    private readonly SpanishStemmer _spanish = new();

    [GlobalSetup]
    public void Setup()
    {
        string data = Path.Combine(SharedDataPath.Find(), "stemmer");
        _englishWords = ReadWords(Path.Combine(data, "english.tsv"));
        _spanishWords = ReadWords(Path.Combine(data, "spanish.tsv"));
    }

    [Benchmark(Baseline = true, Description = "English (42,649 words)")]
    public int English() => StemAll(_english, _englishWords);

    [Benchmark(Description = "Spanish (28,378 words)")]
    public int Spanish() => StemAll(_spanish, _spanishWords);

    private int StemAll(IStemmer stemmer, string[] words)
    {
        int total = 0;
        foreach (string word in words)
        {
            total += stemmer.Stem(word, _destination);
        }

        return total;
    }

    private static string[] ReadWords(string path) =>
        File.Exists(path) ? [.. File.ReadLines(path).Select(line => line[..line.IndexOf('\t', StringComparison.Ordinal)])] : [];
}
