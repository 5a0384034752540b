// QuantizedRnn: the PC3 notebook's pipeline, end to end. Don Quijote → skip-gram vectors → k-means clusters → a
// recurrent language model whose inputs are the cluster centroids (frozen) and whose output is factorized,
// P(word | h) = P(cluster | h) · P(word | cluster), so the text it writes is made of real words, not one representative
// per cluster → text from "en un lugar de la mancha" at temperatures 0.7 and 1.0.
//
// Every stage leaves its result in a work folder (vectors, clusters, the model's checkpoints, the model): run it again
// and the finished stages are loaded instead of recomputed; stop it during training (Ctrl+C) and the next run resumes
// from the last checkpoint, bit for bit with --threads 1. --fresh starts over.
//
// Unlike QuijoteSkipGram, the words keep their stopwords and are not stemmed: a language model must write "de", "la"
// and "que", and the prompt is made of nothing else.
//
//   dotnet run --project samples/QuantizedRnn -c Release [-- --data DIR] [--clusters 1500] [--epochs 10] [--threads N]
//       [--work quantized-rnn] [--fresh]
//
// Data: ../shared/data/quijote/quijote.txt.gz, else chapters I–VIII embedded in the program (the CLI demo's text).
using System.Diagnostics;
using System.Reflection;
using Embeddings.Core.Sequences;
using Embeddings.Core.Training;
using Embeddings.Core.Vectors;
using Embeddings.Quantization;
using Embeddings.Samples;
using Embeddings.Text;
using Embeddings.Text.Sources;
using Embeddings.Text.Tokenization;

var arguments = SampleArguments.Parse(args, "--clusters", "--epochs", "--threads", "--work", "--fresh");
int clusters = arguments.Int("--clusters", 1500);
int epochs = arguments.Int("--epochs", 10);
int threads = arguments.Int("--threads", Environment.ProcessorCount);
string work = arguments.String("--work") ?? "quantized-rnn";
if (arguments.String("--fresh") is not null && Directory.Exists(work))
{
    Directory.Delete(work, recursive: true);
}

Directory.CreateDirectory(work);
var clock = Stopwatch.StartNew();

// 1. The novel without the Gutenberg header and licence, as lowercase words (stopwords kept, no stemming).
string? file = arguments.DataFile("quijote/quijote.txt.gz");
string[] lines = file is not null
    ? [.. LineSource.FromFile(file).ReadLines().Select(line => line.Text)
        .SkipWhile(line => !line.StartsWith("*** START OF", StringComparison.Ordinal)).Skip(1)
        .TakeWhile(line => !line.StartsWith("*** END OF", StringComparison.Ordinal))]
    : [.. LineSource.FromStream(Assembly.GetExecutingAssembly().GetManifestResourceStream("QuantizedRnn.quijote-i-viii.txt")!, "quijote-i-viii.txt", leaveOpen: false)
        .ReadLines().Skip(2).Select(line => line.Text)];
TextPipeline words = TextPipeline.CreateBuilder().Lowercase().TokenizeWords().Build();
List<IReadOnlyList<string>> sentences = [.. words.Process(SentenceSplitter.Default.Split(string.Join('\n', lines)).Select(s => s.ReplaceLineEndings(" ")), threads)];
string[] text = [.. sentences.SelectMany(s => s)];
Console.WriteLine($"1. {(file is null ? "Chapters I–VIII" : "Don Quijote")}: {sentences.Count:N0} sentences, {text.Length:N0} words");

// 2. Skip-gram vectors, 100 dimensions, window 5 (PC3's), saved in the native format.
string vectorsFile = Path.Combine(work, "vectors.embv");
WordVectors vectors;
if (File.Exists(vectorsFile))
{
    vectors = WordVectors.Load(vectorsFile);
    Console.WriteLine($"2. Skip-gram: {vectors.Count:N0} words × {vectors.Dimensions}, loaded from {vectorsFile}");
}
else
{
    Word2VecModel model = Word2Vec.CreateBuilder()
        .SkipGram().Dimensions(100).WindowSize(5).MinCount(3).SubsamplingThreshold(1e-3).Epochs(10).Threads(threads).Seed(1)
        .Build().Train(sentences);
    vectors = model.Vectors;
    vectors.Save(vectorsFile, Embeddings.Core.Formats.VectorFileFormat.Native);
    Console.WriteLine($"2. Skip-gram: {vectors.Count:N0} words × {vectors.Dimensions} in {model.Report.TrainingTime.TotalSeconds:F1} s → {vectorsFile}");
}

// 3. k-means: every word to one of k clusters; the centroids become the language model's (frozen) input embedding.
string clustersFile = Path.Combine(work, "clusters.embk");
QuantizedVectors quantized;
if (File.Exists(clustersFile))
{
    quantized = QuantizedVectors.Load(clustersFile);
    Console.WriteLine($"3. k-means: {quantized.Clusters:N0} clusters, loaded from {clustersFile}");
}
else
{
    KMeans kmeans = KMeans.CreateBuilder().Clusters(Math.Min(clusters, vectors.Count)).Seed(0).Threads(threads).Build();
    quantized = QuantizedVectors.Quantize(vectors, kmeans);
    quantized.Save(clustersFile);
    Console.WriteLine($"3. k-means: {vectors.Count:N0} words → {quantized.Clusters:N0} clusters → {clustersFile}");
}

// Frequent words get a cluster of their own; rarer ones share theirs with words used alike.
string[] examples = ["caballero", "rucio", "bálsamo"];
foreach (string word in examples.Where(quantized.Vocabulary.Contains))
{
    Console.WriteLine($"   the cluster of \"{word}\": {string.Join(", ", quantized.Members(quantized.ClusterOf(word)).Take(8))}");
}

// 4. The language model: centroids → Elman RNN (128) → the next cluster, Adam 1e-3, batches of 512, sequences of 5;
//    the last 5 % of the text validates; a checkpoint after every epoch.
string checkpoints = Path.Combine(work, "checkpoints");
QuantizedLanguageModelTrainer trainer = QuantizedLanguageModel.CreateBuilder()
    .Clusters(quantized)
    .Configure(model => model.Cell(RecurrentCell.Rnn).HiddenSize(128).SequenceLength(5)
    .Adam(1e-3).BatchSize(512).Epochs(epochs).ValidationFraction(0.05)
    .Threads(threads).Seed(1)
    .Checkpoints(checkpoints, everyEpochs: 1)
    .OnEpochEnd(e => Console.WriteLine(
        $"   epoch {e.Epoch,2}: loss {e.TrainingLoss:F3} (perplexity {e.TrainingPerplexity,5:F1}), validation {e.ValidationLoss:F3} ({e.ValidationPerplexity,5:F1}), {e.Seconds:F1} s")))
    .Build();
string modelFile = Path.Combine(work, "quijote.lm");
QuantizedLanguageModel lm;
if (File.Exists(modelFile))
{
    lm = QuantizedLanguageModel.Load(modelFile);
    Console.WriteLine($"4. Language model: loaded from {modelFile}");
}
else
{
    string checkpoint = Path.Combine(checkpoints, LanguageModelTrainer.CheckpointFileName);
    bool resume = File.Exists(checkpoint);
    Console.WriteLine($"4. Language model over {quantized.Clusters:N0} clusters{(resume ? $", resuming from {checkpoint}" : "")}:");
    lm = resume
        ? trainer.Resume(checkpoint, text)
        : trainer.Train(text);
    lm.Save(modelFile);
    LanguageModelReport report = lm.ClusterModel.Report;
    Console.WriteLine($"   {report.TrainingSequences:N0} sequences per epoch, {report.MedianEpochSeconds:F1} s per epoch → {modelFile}");
}

// 5. Text. The clusters give the model's grammar; P(word | cluster) picks the words.
string[] prompt = ["en", "un", "lugar", "de", "la", "mancha"];
Console.WriteLine($"5. Generated after \"{string.Join(' ', prompt)}\":");
foreach (double temperature in new[] { 0.7, 1.0 })
{
    IReadOnlyList<string> generated = lm.Generate(prompt, new GenerationOptions { Length = 25, Temperature = temperature, Seed = 7 });
    Console.WriteLine($"   T = {temperature:F1}: {string.Join(' ', generated)}");
}

Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s.");

// Expected output (the whole novel, defaults, 2 threads, a fresh work folder; the text differs with --threads 1, and so
// may the timings):
//
// 1. Don Quijote: 10,893 sentences, 383,640 words
// 2. Skip-gram: 8,233 words × 100 in 6.4 s → quantized-rnn/vectors.embv
// 3. k-means: 8,233 words → 1,500 clusters → quantized-rnn/clusters.embk
//    the cluster of "caballero": caballero
//    the cluster of "rucio": rucio
//    the cluster of "bálsamo": segundo, descubierto, bálsamo, ambrosio, concierto, tardanza, comenzar, pulso
// 4. Language model over 1,500 clusters:
//    epoch  1: loss 5.530 (perplexity 252.1), validation 5.127 (168.6), 8.3 s
//    epoch  2: loss 4.997 (perplexity 148.0), validation 4.929 (138.3), 9.0 s
//    …
//    epoch 10: loss 4.524 (perplexity  92.2), validation 4.728 (113.0), 9.2 s
//    347,091 sequences per epoch, 8.3 s per epoch → quantized-rnn/quijote.lm
// 5. Generated after "en un lugar de la mancha":
//    T = 0.7: en argel y en la cama de su señor la historia y de la ciudad de la venta estaban vestidos y que la vida y
//    T = 1.0: su punta y en la montesinos en cueva por cueva donde iba y permitido de hora y bien dijo el hombre que he dicho de
// Done in 95.8 s.
