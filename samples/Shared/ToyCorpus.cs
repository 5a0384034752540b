using System.Globalization;
using System.Text;

namespace Embeddings.Samples;

/// <summary>
/// A made-up little world for the samples to fall back on when ../shared/data is absent: sentences drawn from a few
/// templates by a seeded generator, plus analogy questions and similarity judgements about them in the formats of
/// questions-words.txt and wordsim353.tsv. Each capital is only ever said with its own country, and each male word with
/// its own female word's place, so a few seconds of training learn analogies that can be checked.
/// </summary>
internal static class ToyCorpus
{
    private static readonly string[][] Countries =
    [
        ["france", "paris", "french"], ["spain", "madrid", "spanish"], ["italy", "rome", "italian"],
        ["germany", "berlin", "german"], ["portugal", "lisbon", "portuguese"], ["greece", "athens", "greek"],
        ["russia", "moscow", "russian"], ["japan", "tokyo", "japanese"], ["china", "beijing", "chinese"],
        ["poland", "warsaw", "polish"],
    ];

    private static readonly string[][] Couples =
    [
        ["king", "queen", "palace"], ["prince", "princess", "castle"], ["father", "mother", "home"],
        ["son", "daughter", "school"], ["husband", "wife", "wedding"], ["actor", "actress", "theatre"],
        ["waiter", "waitress", "restaurant"], ["uncle", "aunt", "farm"],
    ];

    private static readonly string[] Templates =
    [
        "{capital} is the capital of {country}", "the people of {country} speak {language}",
        "we flew to {capital} in {country} and heard {language} everywhere", "{capital} is the largest city of {country}",
        "he is the {male} of the {place}", "she is the {female} of the {place}",
        "the {male} and the {female} met at the {place}", "a {male} is a man and a {female} is a woman",
    ];

    /// <summary><paramref name="count"/> sentences, the same ones for the same seed.</summary>
    public static IEnumerable<IReadOnlyList<string>> Sentences(int count = 20_000, int seed = 1)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            string[] country = Countries[random.Next(Countries.Length)];
            string[] couple = Couples[random.Next(Couples.Length)];
            yield return Templates[random.Next(Templates.Length)]
                .Replace("{country}", country[0]).Replace("{capital}", country[1]).Replace("{language}", country[2])
                .Replace("{male}", couple[0]).Replace("{female}", couple[1]).Replace("{place}", couple[2])
                .Split(' ');
        }
    }

    /// <summary>Every "a is to b as c is to d" question of the world, in two sections.</summary>
    public static string Analogies()
    {
        var text = new StringBuilder();
        Section(": capital-world", Countries, 1, 0);
        Section(": language-world", Countries, 0, 2);
        Section(": family", Couples, 0, 1);
        return text.ToString();

        void Section(string header, string[][] rows, int a, int b)
        {
            text.Append(header).Append('\n');
            foreach (string[] first in rows)
            {
                foreach (string[] second in rows.Where(row => row != first))
                {
                    text.Append(CultureInfo.InvariantCulture, $"{first[a]} {first[b]} {second[a]} {second[b]}\n");
                }
            }
        }
    }

    /// <summary>Similarity judgements (0–10): related words score high, words from unrelated rows low.</summary>
    public static string WordPairs()
    {
        var text = new StringBuilder("# toy similarity judgements\n# word1\tword2\tscore\n");
        for (int i = 0; i < Countries.Length; i++)
        {
            string[] next = Countries[(i + 1) % Countries.Length];
            string[] couple = Couples[i % Couples.Length];
            text.Append(CultureInfo.InvariantCulture, $"{Countries[i][0]}\t{Countries[i][1]}\t9\n{Countries[i][0]}\t{next[0]}\t6\n{Countries[i][1]}\t{couple[0]}\t1\n");
        }

        foreach (string[] couple in Couples)
        {
            text.Append(CultureInfo.InvariantCulture, $"{couple[0]}\t{couple[1]}\t8\n{couple[1]}\t{couple[2]}\t5\n");
        }

        return text.ToString();
    }
}
