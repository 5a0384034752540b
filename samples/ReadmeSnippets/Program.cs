// ReadmeSnippets: runs every C# block of README.md and of the package readmes (src/*/README.md), each kept here as a
// named region (#region readme:NAME, #region package:NAME) that the markdown shows word for word after a
// <!-- region NAME --> line. Each snippet runs in a folder of its own holding the input files it reads, made by Inputs.
//
//   dotnet run --project samples/ReadmeSnippets -c Release [-- WORK_FOLDER]
//
// tests/Embeddings.Samples.Tests/ReadmeSnippetsTests checks that the markdown equals the regions and runs this program;
// after editing a region, `python3 samples/ReadmeSnippets/update-readmes.py` rewrites the markdown blocks from them.
using ReadmeSnippets;

string work = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "readme-snippets");
string inputs = Path.Combine(work, "inputs");
Inputs.Prepare(inputs);

(string Region, Action Run, string[] Reads)[] snippets =
[
    ("readme:quick-start", QuickStart.Run, ["train.csv.gz"]),
    ("readme:training", TrainingAndQuerying.Run, ["corpus.txt", "questions-words.txt", "wordsim353.tsv", "glove.6B.100d.txt"]),
    ("readme:around-the-trainer", AroundTheTrainer.Run, ["corpus.txt", "more.txt", "tweets.tok", "wordsim353.tsv"]),
    ("readme:quantizing", Quantizing.Run, ["vectors.bin"]),
    ("readme:subwords", Subwords.Run, ["quijote.txt", "questions-words.txt"]),
    ("readme:language-models", LanguageModels.Run, ["quijote.tok", "vectors.kmeans"]),
    ("readme:pictures", Pictures.Run, ["corpus.txt"]),
    ("readme:classifying", Classifying.Run, ["tweets.txt"]),
    ("package:text", TextPackage.Run, ["train.csv.gz"]),
    ("package:core", CorePackage.Run, []),
    ("package:quantization", QuantizationPackage.Run, ["vectors.bin"]),
];

foreach ((string region, Action run, string[] reads) in snippets)
{
    string folder = Path.Combine(work, region.Replace(':', '-'));
    Directory.CreateDirectory(folder);
    foreach (string file in reads)
    {
        File.Copy(Path.Combine(inputs, file), Path.Combine(folder, file), overwrite: true);
    }

    Console.WriteLine($"== {region}");
    Environment.CurrentDirectory = folder;   // the snippets name their files as a reader's program would: relative paths
    try
    {
        run();
    }
    catch (Exception exception)
    {
        Console.Error.WriteLine($"error: snippet {region} failed: {exception}");
        return 1;
    }
}

Console.WriteLine($"== all {snippets.Length} snippets ran");
return 0;
