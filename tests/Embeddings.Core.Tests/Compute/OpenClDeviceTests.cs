using Embeddings.Core.Compute;
using Embeddings.Core.Compute.OpenCl;
using Embeddings.Core.Training;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Compute;

public class OpenClDeviceTests
{
    [Fact]
    public void ListOpenCl_FindsADeviceWithItsProperties()
    {
        OpenClGate.Require();

        IReadOnlyList<OpenClDeviceInfo> devices = ComputeDevice.ListOpenCl();

        devices.Should().NotBeEmpty();
        OpenClDeviceInfo first = devices[0];
        first.Platform.Should().Be(0);
        first.Device.Should().Be(0);
        first.Name.Should().NotBeNullOrWhiteSpace();
        first.PlatformName.Should().NotBeNullOrWhiteSpace();
        first.GlobalMemoryBytes.Should().BePositive();
        first.MaxAllocationBytes.Should().BePositive().And.BeLessThanOrEqualTo(first.GlobalMemoryBytes);
        first.ComputeUnits.Should().BePositive();
        first.OpenClVersion.Should().StartWith("OpenCL ");
        first.Id.Should().Be("opencl:0:0");
    }

    [Fact]
    public void ListOpenCl_FindsPoclWhereItIsTheInstalledPlatform()
    {
        OpenClGate.Require();
        if (!File.Exists("/etc/OpenCL/vendors/pocl.icd"))
        {
            VisibleSkip.Because("PoCL is not registered on this machine.");
        }

        ComputeDevice.ListOpenCl().Should().Contain(d => d.PlatformName.Contains("Portable Computing Language", StringComparison.Ordinal) && d.Type == OpenClDeviceType.Cpu);
    }

    [Fact]
    public void Parse_NamesEachKindOfDevice()
    {
        ComputeDevice.Parse("cpu").Name.Should().Be("cpu");
        ComputeDevice.Parse(" CPU:3 ").Name.Should().Be("cpu (3 threads)");
        FluentActions.Invoking(() => ComputeDevice.Parse("gpu0")).Should().Throw<ArgumentException>().WithMessage("Unknown device 'gpu0'; use cpu,*");
        FluentActions.Invoking(() => ComputeDevice.Parse("cpu:0")).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Parse_OpenCl_FindsTheListedDevice()
    {
        OpenClGate.Require();
        OpenClDeviceInfo first = ComputeDevice.ListOpenCl()[0];

        ComputeDevice.Parse("opencl:0:0").Name.Should().Be($"opencl:0:0 ({first.Name})");
        ComputeDevice.Parse("opencl").Name.Should().StartWith("opencl:");
        string best = ComputeDevice.Parse("best").Name;
        if (ComputeDevice.ListOpenCl().Any(d => d.Type == OpenClDeviceType.Gpu))
        {
            best.Should().StartWith("opencl:", "a GPU is listed, so best is an OpenCL device");
        }
        else
        {
            best.Should().Be("cpu", "no GPU is listed (PoCL is a CPU device), so best falls back to the CPU backend");
        }
        FluentActions.Invoking(() => ComputeDevice.Parse("opencl:7:9")).Should().Throw<ArgumentException>().WithMessage("No OpenCL device opencl:7:9. The devices are: opencl:0:0*");
    }

    [Fact]
    public void MissingRuntime_GivesOneMessageSayingWhatToInstall()
    {
        OpenClLibrary.NameOverride.Value = "libEmbeddingsNoSuchOpenCL.so.1";
        try
        {
            ComputeDevice.IsOpenClAvailable.Should().BeFalse();
            ComputeDevice.Best().Name.Should().Be("cpu");
            FluentActions.Invoking(ComputeDevice.ListOpenCl).Should().Throw<PlatformNotSupportedException>()
                .WithMessage("No OpenCL runtime found: the library 'libEmbeddingsNoSuchOpenCL.so.1' could not be loaded. Install *");
            string message = FluentActions.Invoking(() => ComputeDevice.Parse("opencl")).Should().Throw<PlatformNotSupportedException>().Which.Message;
            message.Should().NotContain(Environment.NewLine);
            if (OperatingSystem.IsLinux())
            {
                message.Should().Contain("apt-get install ocl-icd-libopencl1 pocl-opencl-icd");
            }
        }
        finally
        {
            OpenClLibrary.NameOverride.Value = null;
        }
    }

    [Fact]
    public void CheckMemory_VocabularyTooLargeForTheDevice_ThrowsArgumentException()
    {
        var small = new OpenClDeviceInfo(0, 0, "test", "tiny gpu", "nobody", OpenClDeviceType.Gpu, 512L << 20, 128L << 20, 1, "OpenCL 1.2");

        var lowTotal = small with { GlobalMemoryBytes = 256L << 20 };

        FluentActions.Invoking(() => OpenClWord2VecEngine.CheckMemory(small, 200_000, 300)).Should().Throw<ArgumentException>()
            .WithMessage("*words × 300 dimensions need two matrices of 228 MiB; tiny gpu allows 128 MiB per buffer and has 512 MiB in all. Lower Dimensions*");
        FluentActions.Invoking(() => OpenClWord2VecEngine.CheckMemory(lowTotal, 100_000, 300)).Should().Throw<ArgumentException>().WithMessage("*has 256 MiB in all*");
        FluentActions.Invoking(() => OpenClWord2VecEngine.CheckMemory(small, 100_000, 300)).Should().NotThrow();
    }

    [Fact]
    public void Build_FullSoftmaxOnOpenCl_SaysItIsCpuOnly()
    {
        OpenClGate.Require();

        Action build = () => Word2Vec.CreateBuilder().FullSoftmax().OnDevice(ComputeDevice.OpenCl()).Build();

        build.Should().Throw<ArgumentException>().WithMessage("*full softmax trains on the CPU only*");
    }
}
