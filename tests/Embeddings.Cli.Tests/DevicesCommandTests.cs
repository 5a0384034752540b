using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Core.Compute;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests;

public class DevicesCommandTests
{
    [Fact]
    public void Devices_ListsEachOpenClDeviceWithItsId()
    {
        if (!ComputeDevice.IsOpenClAvailable)
        {
            const string Missing = "No OpenCL platform is installed (Debian/Ubuntu: apt-get install ocl-icd-libopencl1 pocl-opencl-icd).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"CI runs the OpenCL tests for real: {Missing}");
            }

            VisibleSkip.Because(Missing);
        }

        Tool.Result result = Tool.Run("devices");

        result.ExitCode.Should().Be(0, result.StandardError);
        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("id ");
        lines[1].Should().StartWith("opencl:0:0 ").And.Contain(ComputeDevice.ListOpenCl()[0].Name);
        lines[^1].Should().StartWith("best: ");
    }

    [Fact]
    public void Devices_NoOpenClRuntime_PrintsOneLineSayingWhatToInstall()
    {
        Tool.Result result = Tool.RunWithEnvironment(
            null, new Dictionary<string, string> { ["EMBEDDINGS_OPENCL_LIBRARY"] = "libEmbeddingsNoSuchOpenCL.so.1" }, "devices");

        result.ExitCode.Should().Be(1);
        result.StandardOutput.Should().BeEmpty();
        result.StandardError.Should().StartWith("error: No OpenCL runtime found: the library 'libEmbeddingsNoSuchOpenCL.so.1' could not be loaded. Install ");
        result.StandardError.TrimEnd().Should().NotContain("\n", "the error is one line");
    }
}
