// Evaluate: load word vectors from any of the usual files and score them the way gensim does, per section.
//
// WordVectorsFile.Load reads word2vec text and binary, fastText .vec, GloVe text and the library's native format,
// gzip-compressed or not, telling them apart from the content. The analogies are Google's questions (3CosAdd among the
// most frequent words, as gensim's evaluate_word_analogies); the word pairs are scored by Spearman's ρ (gensim's
// evaluate_word_pairs).
//
//   dotnet run --project samples/Evaluate -c Release -- --vectors FILE [--restrict-vocab 30000]
//       [--analogies FILE] [--pairs FILE,FILE] [--data DIR] [--max-lines N] [--threads N]
//
// Without --vectors it first trains vectors to look at: CBOW on ../shared/data/corpus/en.txt.gz (or its first
// --max-lines lines), or on the toy world of samples/Shared/ToyCorpus.cs, saved as word2vec binary and then loaded
// like any other file.
using Embeddings.Core.Evaluation;
using Embeddings.Core.Formats;
using Embeddings.Core.Training;
using Embeddings.Core.Vectors;
using Embeddings.Samples;
using Embeddings.Text;
using Embeddings.Text.Sources;

var arguments = SampleArguments.Parse(args, "--vectors", "--restrict-vocab", "--analogies", "--pairs", "--max-lines", "--threads");
int restrictVocab = arguments.Int("--restrict-vocab", 30_000);
int threads = arguments.Int("--threads", Environment.ProcessorCount);
string? corpus = arguments.DataFile("corpus/en.txt.gz");

// 1. The vectors: the file given, or ones trained here and written to a temporary file first.
string? given = arguments.String("--vectors");
string path = given ?? TrainVectors();
VectorFileFormat format = WordVectorsFile.DetectFormat(path);
using WordVectors vectors = WordVectorsFile.Load(path);
if (given is null)
{
    File.Delete(path);   // word2vec binary is read into memory: the temporary file has done its job
}

Console.WriteLine($"1. {Path.GetFileName(path)}: {format}, {vectors.Count:N0} words × {vectors.Dimensions}");

// 2. Analogies, section by section; questions with a word outside the first restrictVocab words are skipped.
string? analogyFile = arguments.String("--analogies") ?? arguments.DataFile("eval/questions-words.txt");
AnalogyEvaluation analogies = analogyFile is not null
    ? vectors.EvaluateAnalogies(analogyFile, restrictVocab, threads: threads)
    : vectors.EvaluateAnalogies(new StringReader(ToyCorpus.Analogies()), restrictVocab, threads: threads, sourceName: "toy analogies");
Console.WriteLine($"2. Analogies from {(analogyFile is null ? "the toy world" : Path.GetFileName(analogyFile))}, among the {restrictVocab:N0} most frequent words:");
Console.WriteLine($"   {"section",-28}{"correct",9}{"attempted",11}{"accuracy",10}");
foreach (AnalogySection section in analogies.Sections.Append(analogies.Total))
{
    int attempted = section.Correct.Count + section.Incorrect.Count;
    Console.WriteLine($"   {section.Name,-28}{section.Correct.Count,9:N0}{attempted,11:N0}{section.Accuracy,10:P1}");
}

Console.WriteLine($"   {analogies.OovQuestionCount:N0} of {analogies.QuestionCount:N0} questions skipped ({analogies.OovRatio:F1} % out of vocabulary)");

// 3. Word pairs: cosine similarity against human judgements.
string[] pairFiles = arguments.String("--pairs")?.Split(',')
    ?? [.. new[] { arguments.DataFile("eval/wordsim353.tsv"), arguments.DataFile("eval/simlex999.txt") }.OfType<string>()];
Console.WriteLine("3. Word pairs:");
Console.WriteLine($"   {"test set",-28}{"scored",9}{"OOV %",11}{"Pearson",10}{"Spearman",10}");
foreach (string file in pairFiles)
{
    Print(Path.GetFileName(file), vectors.EvaluateWordPairs(file, restrictVocab: restrictVocab));
}

if (pairFiles.Length == 0)
{
    Print("toy similarity", vectors.EvaluateWordPairs(new StringReader(ToyCorpus.WordPairs()), sourceName: "toy similarity"));
}

static void Print(string name, WordPairEvaluation result) =>
    Console.WriteLine($"   {name,-28}{result.PairCount,9:N0}{result.OovRatio,11:F1}{result.Pearson,10:F4}{result.Spearman,10:F4}");

// CBOW is the quickest of the trainers: under a minute for the 11 million words of the corpus on two cores.
string TrainVectors()
{
    TextPipeline split = TextPipeline.CreateBuilder().TokenizeOnWhitespace().Build();
    List<IReadOnlyList<string>> sentences = corpus is not null
        ? [.. split.Process(LineSource.FromFile(corpus), threads).Take(arguments.Int("--max-lines", int.MaxValue))]
        : [.. ToyCorpus.Sentences()];
    Word2VecModel model = Word2Vec.CreateBuilder()
        .Cbow().LearningRate(0.05).Dimensions(100).WindowSize(5).MinCount(5).Epochs(5).Threads(threads).Seed(1)
        .Build()
        .Train(sentences);
    string file = Path.Combine(Path.GetTempPath(), $"evaluate-sample-{Environment.ProcessId}.bin");
    model.Vectors.Save(file, VectorFileFormat.Word2VecBinary);
    Console.WriteLine($"0. Trained CBOW on {sentences.Count:N0} lines of {(corpus is null ? "the toy world" : Path.GetFileName(corpus))} in " +
        $"{model.Report.TrainingTime.TotalSeconds:F1} s and saved it as word2vec binary");
    return file;
}

// Expected output (no arguments: CBOW on the whole English corpus, 2 threads; the figures match the CBOW row of
// benchmarks/results/word2vec.md, and --vectors FILE prints the same table for any vectors file):
//
// 0. Trained CBOW on 545,503 lines of en.txt.gz in 51.8 s and saved it as word2vec binary
// 1. evaluate-sample-7713.bin: Word2VecBinary, 53,790 words × 100
// 2. Analogies from questions-words.txt, among the 30,000 most frequent words:
//    section                       correct  attempted  accuracy
//    capital-common-countries           15        110    13.6 %
//    capital-world                       8        104     7.7 %
//    currency                            0         40     0.0 %
//    city-in-state                      19        451     4.2 %
//    family                            134        306    43.8 %
//    gram1-adjective-to-adverb         117        930    12.6 %
//    gram2-opposite                     71        462    15.4 %
//    gram3-comparative                 661      1,190    55.5 %
//    gram4-superlative                 172        552    31.2 %
//    gram5-present-participle          351      1,056    33.2 %
//    gram6-nationality-adjective        82        736    11.1 %
//    gram7-past-tense                  419      1,482    28.3 %
//    gram8-plural                      627      1,056    59.4 %
//    gram9-plural-verbs                277        756    36.6 %
//    Total accuracy                  2,953      9,231    32.0 %
//    10,313 of 19,544 questions skipped (52.8 % out of vocabulary)
// 3. Word pairs:
//    test set                       scored      OOV %   Pearson  Spearman
//    wordsim353.tsv                    330        6.5    0.6212    0.6255
//    simlex999.txt                     992        0.7    0.3141    0.2872
