using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Embeddings.Core.Formats;
using Embeddings.Core.Vectors;

namespace Embeddings.Benchmarks;

/// <summary>
/// The vector-format bars of issue 3, against Debian's python3-gensim (<c>benchmarks/formats/gensim_interop.py</c>):
/// <list type="number">
/// <item>round trips: files written here load in gensim (binary bit-exact, text within 1e-6), and the text and binary
/// files gensim writes from the reference vectors load here equal to gensim's own arrays;</item>
/// <item>speed: loading the reference vectors converted to word2vec binary by gensim (53,790 × 100) here versus
/// gensim's <c>load_word2vec_format(binary=True)</c>: both warm (one load each first, so the file is in the page cache),
/// runs interleaved in one session (ours, gensim, ours, …), medians of <c>--runs</c> (5) each; the bar is ≥ 5×. A full
/// GC runs before each of our timed loads (outside the clock, as BenchmarkDotNet does before each iteration); gensim's
/// process frees its arrays by reference counting as it goes.</item>
/// </list>
/// Usage: <c>formats [--source sg_vectors.txt.gz] [--work DIR] [--runs 5] [--python /usr/bin/python3] [--script gensim_interop.py]</c>.
/// Exit status 0 when every bar holds.
/// </summary>
public static class VectorFormats
{
    private const double SpeedBar = 5.0;

    /// <summary>Runs the interop checks and the load-speed comparison; prints a report and a JSON summary line.</summary>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string root = FindRepositoryRoot();
        string source = Option(args, "--source") ?? Path.GetFullPath(Path.Combine(root, "..", "shared", "bench", "results", "sg_vectors.txt.gz"));
        string work = Option(args, "--work") ?? Path.Combine(Path.GetTempPath(), "embeddings-formats-bench");
        int runs = int.Parse(Option(args, "--runs") ?? "5", CultureInfo.InvariantCulture);
        string python = Option(args, "--python") ?? "/usr/bin/python3";
        string script = Option(args, "--script") ?? Path.Combine(root, "benchmarks", "formats", "gensim_interop.py");
        Directory.CreateDirectory(work);
        bool ok = true;

        Console.WriteLine($"source {source}");
        var clock = Stopwatch.StartNew();
        using WordVectors reference = WordVectorsFile.Load(source);
        Console.WriteLine($"loaded here: {reference.Count:N0} words x {reference.Dimensions} dimensions (gzip text) in {clock.Elapsed.TotalSeconds:F2} s");

        // 1. Files written here, read by gensim.
        reference.Save(Path.Combine(work, "ours.txt"), VectorFileFormat.Word2VecText);
        reference.Save(Path.Combine(work, "ours.bin"), VectorFileFormat.Word2VecBinary);
        reference.Save(Path.Combine(work, "ours.vec"), VectorFileFormat.FastTextVec);
        reference.Save(Path.Combine(work, "ours.glove.txt"), VectorFileFormat.GloVeText);
        WriteTruth(reference, Path.Combine(work, "ours"));
        string checkOurs = RunPython(python, script, $"check-ours --dir \"{work}\"", out int checkStatus);
        Console.WriteLine($"gensim reads our files: {checkOurs.Trim()}");
        ok &= checkStatus == 0;

        // 2. Files gensim writes, read here.
        RunPython(python, script, $"write-gensim --source \"{source}\" --out \"{work}\"", out int writeStatus);
        ok &= writeStatus == 0;
        (string[] words, float[] values) = ReadTruth(Path.Combine(work, "gensim"));
        var interop = new Dictionary<string, object>();
        foreach ((string file, VectorFileFormat format) in new[] { ("gensim.bin", VectorFileFormat.Word2VecBinary), ("gensim.txt", VectorFileFormat.Word2VecText) })
        {
            string path = Path.Combine(work, file);
            using WordVectors loaded = WordVectorsFile.Load(path);
            bool wordsEqual = loaded.Vocabulary.Words.SequenceEqual(words);
            int exact = 0;
            double maxDiff = 0;
            ReadOnlySpan<float> matrix = loaded.Matrix;
            bool shapeEqual = matrix.Length == values.Length;
            for (int i = 0; shapeEqual && i < values.Length; i++)
            {
                exact += BitConverter.SingleToInt32Bits(matrix[i]) == BitConverter.SingleToInt32Bits(values[i]) ? 1 : 0;
                maxDiff = Math.Max(maxDiff, Math.Abs((double)matrix[i] - values[i]));
            }

            bool pass = wordsEqual && shapeEqual && (format == VectorFileFormat.Word2VecBinary ? exact == values.Length : maxDiff <= 1e-6);
            ok &= pass && WordVectorsFile.DetectFormat(path) == format;
            interop[file] = new { detected = WordVectorsFile.DetectFormat(path).ToString(), words_equal = wordsEqual, exact_values = exact, values = values.Length, max_abs_diff = maxDiff, ok = pass };
            Console.WriteLine($"we read gensim's {file}: words equal {wordsEqual}, {exact:N0} of {values.Length:N0} values bit-exact, max |diff| {maxDiff:G3} -> {(pass ? "ok" : "FAIL")}");
        }

        // 3. Speed: the reference converted to binary by gensim; interleaved warm runs.
        string binary = Path.Combine(work, "gensim.bin");
        var ours = new List<double>();
        var theirs = new List<double>();
        using (Process server = StartPython(python, script, $"time-server --file \"{binary}\""))
        {
            string? ready = server.StandardOutput.ReadLine();
            if (ready != "ready")
            {
                throw new InvalidOperationException($"gensim time-server did not start: {ready} {server.StandardError.ReadToEnd()}");
            }

            WordVectorsFile.Load(binary).Dispose(); // warm-up: JIT and page cache
            for (int run = 0; run < runs; run++)
            {
                // As BenchmarkDotNet does before each iteration: no garbage of earlier runs is collected on our clock.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                clock.Restart();
                using (WordVectors loaded = WordVectorsFile.Load(binary))
                {
                    ours.Add(clock.Elapsed.TotalSeconds);
                }

                server.StandardInput.WriteLine("run");
                server.StandardInput.Flush();
                theirs.Add(double.Parse(server.StandardOutput.ReadLine()!, CultureInfo.InvariantCulture));
            }

            server.StandardInput.WriteLine("stop");
            server.StandardInput.Close();
            server.WaitForExit();
        }

        string native = Path.Combine(work, "ours.embv");
        reference.Save(native, VectorFileFormat.Native);
        var nativeRuns = new List<double>();
        for (int run = 0; run <= runs; run++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            clock.Restart();
            WordVectorsFile.Load(native).Dispose();
            if (run > 0)
            {
                nativeRuns.Add(clock.Elapsed.TotalSeconds);
            }
        }

        double oursMedian = Median(ours), theirsMedian = Median(theirs), ratio = theirsMedian / oursMedian;
        ok &= ratio >= SpeedBar;
        Console.WriteLine($"binary load, {runs} interleaved warm runs each:");
        Console.WriteLine($"  ours   {string.Join(" ", ours.Select(Ms))}  median {Ms(oursMedian)}");
        Console.WriteLine($"  gensim {string.Join(" ", theirs.Select(Ms))}  median {Ms(theirsMedian)}");
        Console.WriteLine($"  ratio {ratio:F1}x (bar {SpeedBar}x) -> {(ratio >= SpeedBar ? "ok" : "FAIL")}");
        Console.WriteLine($"native (memory-mapped, checksum verified) load median {Ms(Median(nativeRuns))}");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            source,
            words = reference.Count,
            dimensions = reference.Dimensions,
            gensim_reads_ours = JsonDocument.Parse(checkOurs).RootElement,
            we_read_gensims = interop,
            binary_load_ours_s = ours,
            binary_load_gensim_s = theirs,
            binary_load_ours_median_s = oursMedian,
            binary_load_gensim_median_s = theirsMedian,
            speed_ratio = ratio,
            native_load_median_s = Median(nativeRuns),
            ok,
        }));
        return ok ? 0 : 1;
    }

    private static string Ms(double seconds) => (seconds * 1000).ToString("F1", CultureInfo.InvariantCulture) + " ms";

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void WriteTruth(WordVectors vectors, string prefix)
    {
        var words = new StringBuilder();
        foreach (string word in vectors.Vocabulary.Words)
        {
            words.Append(word).Append('\n');
        }

        File.WriteAllText(prefix + ".words", words.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        var bytes = new byte[vectors.Matrix.Length * sizeof(float)];
        for (int i = 0; i < vectors.Matrix.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vectors.Matrix[i]);
        }

        File.WriteAllBytes(prefix + ".f32", bytes);
    }

    private static (string[] Words, float[] Values) ReadTruth(string prefix)
    {
        string[] words = File.ReadAllText(prefix + ".words", Encoding.UTF8).Split('\n')[..^1];
        byte[] bytes = File.ReadAllBytes(prefix + ".f32");
        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }

        return (words, values);
    }

    private static Process StartPython(string python, string script, string arguments)
    {
        var info = new ProcessStartInfo(python, $"\"{script}\" {arguments}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {python}.");
    }

    private static string RunPython(string python, string script, string arguments, out int status)
    {
        using Process process = StartPython(python, script, arguments);
        process.StandardInput.Close();
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        status = process.ExitCode;
        if (status != 0)
        {
            Console.Error.WriteLine($"{script} {arguments} exited with {status}: {error.Result}");
        }

        return output;
    }

    private static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string FindRepositoryRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Embeddings.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run from inside the repository (Embeddings.sln not found).");
    }
}
