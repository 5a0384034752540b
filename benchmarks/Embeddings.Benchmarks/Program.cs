using BenchmarkDotNet.Running;
using Embeddings.Benchmarks;

// Two kinds of benchmark:
//   dotnet run -c Release -- preprocess [--reps 5] [--data DIR]   end-to-end tokens/s of the lab pipeline (JSON lines),
//                                                                 run beside ../shared/bench's NLTK anchor by preprocess/run.sh
//   dotnet run -c Release -- train [--model skipgram|cbow] [--lines N]   word2vec on the English corpus (JSON line)
//   dotnet run -c Release -- softmax TOKENS [--epochs 3] [--threads 2]   the lab's full-softmax model (JSON), beside softmax/torch_lab.py
//   dotnet run -c Release -- formats                                   word2vec binary load time beside gensim's
//   dotnet run -c Release -- countbased [--window 5 --dim 100]           PPMI + SVD on the English corpus
//   dotnet run -c Release -- queries --gensim G.json [--out O.json]    most_similar parity and speed beside gensim
//   dotnet run -c Release -- cancel [--trials 10]                      time from Cancel() to Train returning
//   dotnet run -c Release -- kmeans --vectors V [--k 1500,256 --seeds 0,1,2 --threads 2]   k-means beside scikit-learn (benchmarks/kmeans/run.sh)
//   dotnet run -c Release -- rnn DATA [--runs full,minibatch]    the PC3 language model beside ../shared/bench/rnn_anchor.py (benchmarks/rnn/run.sh)
//   dotnet run -c Release -- compression --vectors V [--bits 400,200,100]   every compression method (benchmarks/compression/run.sh)
//   dotnet run -c Release -- [BenchmarkDotNet arguments]          micro-benchmarks, e.g. --filter *Stemmer*
switch (args.Length > 0 ? args[0] : string.Empty)
{
    case "preprocess": return PreprocessThroughput.Run(args[1..]);
    case "train": return TrainingRun.Run(args[1..]);
    case "softmax": return SoftmaxRun.Run(args[1..]);
    case "formats": return VectorFormats.Run(args[1..]);
    case "countbased": return CountBasedRun.Run(args[1..]);
    case "queries": return VectorQueries.Run(args[1..]);
    case "cancel": return CancellationLatency.Run(args[1..]);
    case "kmeans": return KMeansRun.Run(args[1..]);
    case "rnn": return RnnRun.Run(args[1..]);
    case "products": return ProductShapes.Run(args[1..]);
    case "compression": return CompressionRun.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(PreprocessThroughput).Assembly).Run(args);
return 0;
