using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Embeddings.Core.Corpus;
using Embeddings.Core.Training;
using Embeddings.Text.Sources;
using Embeddings.Text.Tokenization;

namespace Embeddings.Benchmarks;

/// <summary>
/// How long a trainer takes to stop once its token is cancelled: the time from <c>Cancel()</c> to <c>Train</c> throwing,
/// at random moments of skip-gram and CBOW runs on ../shared/data/corpus/en.txt.gz (2 threads), without and with a
/// checkpoint folder (the final checkpoint is written before the method returns). Prints one JSON line per setting.
/// dotnet run -c Release -- cancel [--trials 10] [--lines N]
/// </summary>
internal static class CancellationLatency
{
    public static int Run(string[] args)
    {
        int trials = 10, lines = int.MaxValue;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--trials": trials = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--lines": lines = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        string corpusPath = Path.Combine(SharedDataPath.Find(), "corpus", "en.txt.gz");
        List<IReadOnlyList<string>> sentences = [.. LineSource.FromFile(corpusPath).ReadLines().Take(lines).Select(l => Tokenizer.Whitespace.Tokenize(l.Text))];
        Vocabulary vocabulary = Vocabulary.Build(sentences, 5);
        EncodedCorpus corpus = EncodedCorpus.Encode(sentences, vocabulary);
        string checkpointFolder = Directory.CreateTempSubdirectory("embeddings-cancel-").FullName;
        var random = new Random(1);
        try
        {
            foreach (Word2VecArchitecture architecture in new[] { Word2VecArchitecture.SkipGram, Word2VecArchitecture.Cbow })
            {
                foreach (bool checkpoints in new[] { false, true })
                {
                    var latencies = new List<double>();
                    for (int trial = 0; trial < trials; trial++)
                    {
                        Word2VecBuilder builder = Word2Vec.CreateBuilder().WithOptions(new Word2VecOptions { Architecture = architecture }).Threads(2).Epochs(5);
                        if (checkpoints)
                        {
                            builder.Checkpoints(checkpointFolder);
                        }

                        Word2VecTrainer trainer = builder.Build();
                        using var cancellation = new CancellationTokenSource();
                        long cancelledAt = 0;
                        Task<Word2VecModel> training = Task.Run(() => trainer.Train(vocabulary, corpus, null, cancellation.Token));
                        Thread.Sleep(random.Next(300, 3000));
                        cancelledAt = Stopwatch.GetTimestamp();
                        cancellation.Cancel();
                        try
                        {
                            training.Wait();
                            throw new InvalidOperationException("Training finished before it was cancelled; use more --lines.");
                        }
                        catch (AggregateException e) when (e.InnerException is OperationCanceledException)
                        {
                            latencies.Add(Stopwatch.GetElapsedTime(cancelledAt).TotalMilliseconds);
                        }
                    }

                    latencies.Sort();
                    Console.WriteLine(JsonSerializer.Serialize(new
                    {
                        architecture = architecture.ToString(),
                        checkpoint = checkpoints,
                        words = vocabulary.Count,
                        trials,
                        median_ms = latencies[latencies.Count / 2],
                        max_ms = latencies[^1],
                        all_ms = latencies.Select(l => Math.Round(l, 1)),
                    }));
                }
            }
        }
        finally
        {
            Directory.Delete(checkpointFolder, recursive: true);
        }

        return 0;
    }
}
