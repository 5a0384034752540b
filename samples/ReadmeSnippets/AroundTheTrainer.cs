#region readme:around-the-trainer
using Embeddings.Core.Compute;
using Embeddings.Core.Evaluation;
using Embeddings.Core.Training;
#endregion

namespace ReadmeSnippets;

/// <summary>README.md, "Training and querying word vectors": around the trainer.</summary>
internal static class AroundTheTrainer
{
    public static void Run()
    {
        #region readme:around-the-trainer
        // Token lists, one sentence a line: the corpus, new text that comes later, and the lab's preprocessed tweets.
        IReadOnlyList<string>[] sentences = [.. File.ReadLines("corpus.txt").Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
        IReadOnlyList<string>[] moreSentences = [.. File.ReadLines("more.txt").Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
        IReadOnlyList<string>[] tweetTokens = [.. File.ReadLines("tweets.tok").Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))];

        Word2VecTrainer trainer = Word2Vec.CreateBuilder()
            .Cbow().LearningRate(0.05)
            .OnDevice(ComputeDevice.Cpu(threads: 4))                 // the backend; same options and results on every device
            .OnEpochEnd(e => Console.WriteLine($"epoch {e.Epoch}: loss {e.Loss:F4}"))
            .EarlyStopping(v => v.EvaluateWordPairs("wordsim353.tsv").Spearman, patience: 2)
            .Build();
        Word2VecModel cbow = trainer.Train(sentences);
        cbow.Save("model.w2v");                                      // vectors + output vectors + options + report, checksummed

        // Later: new text, new words (gensim's build_vocab(update=True) + train).
        Word2VecModel updated = trainer.ContinueTraining(Word2VecModel.Load("model.w2v"), moreSentences);
        Console.WriteLine($"{cbow.Vectors.Count} words, then {updated.Vectors.Count}");

        // The Embedding + Linear + cross-entropy + AdamW model of a PyTorch notebook, for small vocabularies.
        Word2VecModel softmax = Word2Vec.CreateBuilder()
            .FullSoftmax(batchSize: 256, weightDecay: 0.01).LearningRate(1e-3).MinLearningRate(1e-3)
            .WindowSize(3).ShrinkWindows(false).SubsamplingThreshold(0).MinCount(11)
            .Build().Train(tweetTokens);
        #endregion
        Console.WriteLine($"softmax: {softmax.Vectors.Count} words");
    }
}
