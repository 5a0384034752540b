// A consumer of the three packages, composed as a user would: Embeddings.Text cleans and tokenizes, Embeddings.Core
// trains word2vec and answers similarity queries, Embeddings.Quantization clusters the vectors. It prints what it
// found and exits 1 if any check fails. Argument: the package version expected to be loaded (optional).
using System.Reflection;
using Embeddings.Core.Formats;
using Embeddings.Core.Training;
using Embeddings.Core.Vectors;
using Embeddings.Quantization;
using Embeddings.Text;
using Embeddings.Text.Stemming;
using Embeddings.Text.Stopwords;

string? expectedVersion = args.Length > 0 ? args[0] : null;
int passed = 0;
var failed = new List<string>();

// 0. The assemblies that were loaded come from the packages of the expected version.
Console.WriteLine("0. Packages");
foreach (Assembly assembly in new[] { typeof(TextPipeline).Assembly, typeof(Word2VecModel).Assembly, typeof(KMeans).Assembly })
{
    string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "none";
    Console.WriteLine($"   {assembly.GetName().Name} {version}");
    if (expectedVersion is not null)
    {
        Check(version.Split('+')[0] == expectedVersion, $"{assembly.GetName().Name} is version {expectedVersion}");
    }
}

// 1. Embeddings.Text: the tweets lab's preprocessing and a Spanish pipeline (stopword lists are embedded resources).
Console.WriteLine("1. Text");
TextPipeline lab = TextPipeline.CreateBuilder()
    .Lowercase().KeepOnly("a-z@# ").TokenizeOnWhitespace()
    .RemoveStopwords(StopwordList.English).Stem(new EnglishStemmer(SnowballVersion.Nltk38))
    .Build();
IReadOnlyList<string> tweet = lab.Tokenize("@user when a father is dysfunctional and is so selfish #run");
Console.WriteLine($"   tweet   → [{string.Join(", ", tweet)}]");
Check(tweet.SequenceEqual(["@user", "father", "dysfunct", "selfish", "#run"]), "English pipeline gives the NLTK tokens");

TextPipeline spanish = TextPipeline.CreateBuilder()
    .Lowercase().TokenizeWords().RemoveStopwords(StopwordList.Spanish).Stem(new SpanishStemmer()).Build();
IReadOnlyList<string> quijote = spanish.Tokenize("En un lugar de la Mancha, de cuyo nombre no quiero acordarme");
Console.WriteLine($"   quijote → [{string.Join(", ", quijote)}]");
Check(quijote.SequenceEqual(["lug", "manch", "cuy", "nombr", "quier", "acord"]), "Spanish pipeline gives the Snowball stems");

// 2. A small corpus in two topics: animals eat food, people drive vehicles.
string[] animals = ["cat", "dog", "horse", "cow", "sheep", "goat"];
string[] foods = ["grass", "meat", "bread", "fish", "hay", "apples"];
string[] people = ["farmer", "doctor", "teacher", "driver", "pilot", "baker"];
string[] vehicles = ["car", "truck", "bus", "train", "plane", "bike"];
var lines = new List<string>();
foreach (string animal in animals)
{
    foreach (string food in foods)
    {
        lines.Add($"The {animal} eats the {food} in the field.");
        lines.Add($"A hungry {animal} likes {food}!");
    }
}
foreach (string person in people)
{
    foreach (string vehicle in vehicles)
    {
        lines.Add($"The {person} drives the {vehicle} to town.");
        lines.Add($"A busy {person} parks the {vehicle}.");
    }
}
TextPipeline english = TextPipeline.CreateBuilder()
    .Lowercase().TokenizeWords().RemoveStopwords(StopwordList.English).Stem(new EnglishStemmer()).Build();
List<IReadOnlyList<string>> sentences = [.. english.Process(lines, degreeOfParallelism: 2)];
Console.WriteLine($"2. Corpus: {sentences.Count} sentences, {sentences.Sum(s => s.Count)} tokens; first → [{string.Join(", ", sentences[0])}]");
Check(sentences.Count == lines.Count, "one token list per line, in order");

// 3. Embeddings.Core: skip-gram with negative sampling, one thread and a seed (reproducible).
Word2VecModel model = Word2Vec.CreateBuilder()
    .SkipGram().Dimensions(24).WindowSize(3).NegativeSamples(5).MinCount(1).SubsamplingThreshold(0)
    .Epochs(30).Threads(1).Seed(1)
    .Build()
    .Train(sentences);
WordVectors vectors = model.Vectors;
IReadOnlyList<double> losses = model.Report.EpochLosses;
Console.WriteLine($"3. Word2vec: {vectors.Count} words × {vectors.Dimensions}, loss {losses[0]:F3} → {losses[^1]:F3}");
Check(vectors.Count == sentences.SelectMany(s => s).Distinct().Count(), "every distinct token has a vector");
Check(losses.Count == 30 && losses[^1] < losses[0], "the loss falls over 30 epochs");

// 4. Similarity queries: the nearest neighbour of an animal is never a person or a vehicle.
string[] Stems(string[] words) => [.. words.Select(w => english.Tokenize(w).Single())];
var otherTopic = new HashSet<string>(Stems(people).Concat(Stems(vehicles)));
foreach (string animal in Stems(animals))
{
    IReadOnlyList<WordSimilarity> neighbours = vectors.MostSimilar(animal, topN: 3);
    Console.WriteLine($"4. {animal,-6} → {string.Join(", ", neighbours.Select(n => $"{n.Word} {n.Similarity:F2}"))}");
    Check(neighbours.Count == 3 && !otherTopic.Contains(neighbours[0].Word), $"the nearest word to '{animal}' is of its topic");
}
Check(vectors.Similarity("cat", "dog") > vectors.Similarity("cat", "truck"), "cat is closer to dog than to truck");

string folder = Directory.CreateTempSubdirectory("embeddings-consumer-").FullName;
try
{
    string vectorFile = Path.Combine(folder, "vectors.bin");
    vectors.Save(vectorFile, VectorFileFormat.Word2VecBinary);
    using WordVectors reloaded = WordVectors.Load(vectorFile);
    Check(reloaded.Count == vectors.Count && reloaded["dog"].SequenceEqual(vectors["dog"]), "word2vec binary file round-trips");

    // 5. Embeddings.Quantization: k-means over the vectors, every word kept with its cluster.
    KMeans kmeans = KMeans.CreateBuilder().Clusters(4).Seed(0).Threads(1).Build();
    QuantizedVectors quantized = QuantizedVectors.Quantize(vectors, kmeans);
    Console.WriteLine($"5. K-means: {quantized.Clusters} clusters, inertia {quantized.Inertia:F3}, {quantized.CompressionRatio:F1}x smaller");
    for (int cluster = 0; cluster < quantized.Clusters; cluster++)
    {
        Console.WriteLine($"   {cluster}: {string.Join(" ", quantized.Members(cluster))}");
    }
    Check(Enumerable.Range(0, quantized.Clusters).Sum(c => quantized.Members(c).Count) == vectors.Count, "every word is in one cluster");
    Check(quantized.Members(quantized.ClusterOf("cat")).Contains("cat"), "a word's cluster lists the word");

    string quantizedFile = Path.Combine(folder, "vectors.kmeans");
    quantized.Save(quantizedFile);
    QuantizedVectors loaded = QuantizedVectors.Load(quantizedFile);
    Check(vectors.Vocabulary.Words.All(w => loaded.ClusterOf(w) == quantized.ClusterOf(w)), "quantized file round-trips");
}
finally
{
    Directory.Delete(folder, recursive: true);
}

Console.WriteLine();
Console.WriteLine($"consumer: {passed} passed, {failed.Count} failed");
foreach (string what in failed)
{
    Console.Error.WriteLine($"consumer: FAILED: {what}");
}
return failed.Count == 0 ? 0 : 1;

void Check(bool ok, string what)
{
    Console.WriteLine($"   [{(ok ? "ok" : "FAIL")}] {what}");
    if (ok)
    {
        passed++;
    }
    else
    {
        failed.Add(what);
    }
}
