using BenchmarkDotNet.Running;
using Embeddings.Benchmarks;

// Two kinds of benchmark:
//   dotnet run -c Release -- preprocess [--reps 5] [--data DIR]   end-to-end tokens/s of the lab pipeline (JSON lines),
//                                                                 run beside ../shared/bench's NLTK anchor by preprocess/run.sh
//   dotnet run -c Release -- [BenchmarkDotNet arguments]          micro-benchmarks, e.g. --filter *Stemmer*
if (args.Length > 0 && args[0] == "preprocess")
{
    return PreprocessThroughput.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(PreprocessThroughput).Assembly).Run(args);
return 0;
