using System.CommandLine;
using Embeddings.Cli.Commands;
using Embeddings.Cli.Infrastructure;

// embeddings: the command-line face of Embeddings for .NET. Each command lives in Commands/.
var root = new RootCommand("Word embeddings for .NET: preprocess text, count vocabularies, stem words, train, query, quantize, compress, train language models and generate text, classify text, and run the demo")
{
    CliOptions.Verbose,
    PreprocessCommand.Create(),
    StemCommand.Create(),
    VocabCommand.Create(),
    TrainCommand.Create(),
    DevicesCommand.Create(),
    VectorCommands.Similar(),
    WordCommands.Similarity(),
    VectorCommands.Analogy(),
    WordCommands.Query(),
    WordCommands.PrintVectors(),
    VectorCommands.Evaluate(),
    VectorCommands.Convert(),
    VectorCommands.Map(),
    VectorCommands.Ppmi(),
    QuantizeCommands.Quantize(),
    QuantizeCommands.ProductQuantize(),
    CompressCommand.Create(),
    LanguageModelCommands.Train(),
    LanguageModelCommands.Generate(),
    ClassifyCommands.Create(),
    DemoCommand.Create(),
};

return CommandRunner.Invoke(root, args);
