namespace Embeddings.Core.Tests.Training;

/// <summary>Synthetic corpora whose topics never share a sentence: a trained model must pull each topic together.</summary>
internal static class TopicCorpus
{
    public static readonly string[] Animals = ["cat", "dog", "horse", "cow", "sheep", "goat", "pig", "duck"];
    public static readonly string[] Numbers = ["one", "two", "three", "four", "five", "six", "seven", "eight"];
    public static readonly string[] Colours = ["red", "green", "blue", "yellow", "purple", "orange", "black", "white"];

    /// <summary>Animals and numbers in alternate sentences of eight words.</summary>
    public static List<IReadOnlyList<string>> TwoTopics(int sentences = 3_000, int seed = 5) => Of(sentences, seed, Animals, Numbers);

    /// <summary>Sentence i draws its eight words from topic i mod the number of topics.</summary>
    public static List<IReadOnlyList<string>> Of(int sentences, int seed, params string[][] topics)
    {
        var random = new Random(seed);
        var corpus = new List<IReadOnlyList<string>>(sentences);
        for (int i = 0; i < sentences; i++)
        {
            string[] topic = topics[i % topics.Length];
            corpus.Add([.. Enumerable.Range(0, 8).Select(_ => topic[random.Next(topic.Length)])]);
        }

        return corpus;
    }
}
