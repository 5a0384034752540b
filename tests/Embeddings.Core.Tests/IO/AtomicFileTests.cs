using Embeddings.Core.Formats;
using Embeddings.Core.IO;
using Embeddings.Core.Tests.Formats;
using Embeddings.Tests.Infrastructure;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void Write_Succeeds_ReplacesTheTargetAndLeavesNoTemporaryFile()
    {
        using var folder = new TempDirectory();
        string path = folder.File("target.txt");
        File.WriteAllText(path, "old");

        AtomicFile.Write(path, stream => stream.Write("new"u8));

        File.ReadAllText(path).Should().Be("new");
        Directory.GetFiles(folder.Path).Should().Equal(path);
    }

    [Fact]
    public void Write_ThrowsMidway_KeepsTheOldFileAndDeletesTheTemporaryFile()
    {
        using var folder = new TempDirectory();
        string path = folder.File("target.txt");
        File.WriteAllText(path, "old");

        Action write = () => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100_000]);
            throw new IOException("disk full (simulated)");
        });

        write.Should().Throw<IOException>().WithMessage("disk full (simulated)");
        File.ReadAllText(path).Should().Be("old");
        Directory.GetFiles(folder.Path).Should().Equal(path);
    }

    [Fact]
    public void Write_NewFile_IsCreatedOnlyWhenComplete()
    {
        using var folder = new TempDirectory();
        string path = folder.File("new.bin");

        Action write = () => AtomicFile.Write(path, _ => throw new InvalidOperationException("boom"));

        write.Should().Throw<InvalidOperationException>();
        Directory.GetFiles(folder.Path).Should().BeEmpty();
    }

    [Fact]
    public void SaveVectors_WriterFailsMidway_LeavesTheOldVectorsLoadable()
    {
        using var folder = new TempDirectory();
        string path = folder.File("v.bin");
        using WordVectors old = FormatTestData.Random(5, 3, seed: 21);
        old.Save(path, VectorFileFormat.Word2VecBinary);
        using WordVectors big = FormatTestData.Random(2000, 50, seed: 22);

        // The same writer as Save(path), on a stream that fails after 64 KiB.
        Action write = () => AtomicFile.Write(path, stream =>
        {
            using var failing = new FailingStream(64 * 1024);
            WordVectorsFile.Save(big, failing, VectorFileFormat.Word2VecBinary);
        });

        write.Should().Throw<IOException>();
        using WordVectors reloaded = WordVectorsFile.Load(path);
        reloaded.Vocabulary.Words.Should().Equal(old.Vocabulary.Words);
        Directory.GetFiles(folder.Path).Should().Equal(path);
    }

    [Fact]
    public void Write_SystemErrorOnTheTemporaryFile_NamesTheTarget()
    {
        using var folder = new TempDirectory();
        string path = folder.File("v.bin");

        // A runtime error that names the temporary file being written (here: opening it again), as "No space left on
        // device : '/…/.v.bin.x1y2.tmp'" does.
        Action write = () => AtomicFile.Write(path, stream => File.Open(((FileStream)stream).Name, FileMode.CreateNew).Dispose());

        write.Should().Throw<IOException>().Which.Message.Should().StartWith($"Cannot write '{path}': ").And.NotContain(".tmp");
        Directory.GetFiles(folder.Path).Should().BeEmpty();
    }
}
