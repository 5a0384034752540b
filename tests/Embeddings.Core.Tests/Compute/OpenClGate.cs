using Embeddings.Core.Compute;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Compute;

/// <summary>
/// OpenCL tests run for real wherever a platform exists (PoCL on a CPU will do). In CI (CI=true) a missing platform is
/// a failure, never a skip; elsewhere the tests skip with a message saying what to install.
/// </summary>
internal static class OpenClGate
{
    public static void Require()
    {
        if (ComputeDevice.IsOpenClAvailable)
        {
            return;
        }

        const string Missing = "No OpenCL platform is installed (Debian/Ubuntu: apt-get install ocl-icd-libopencl1 pocl-opencl-icd).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"CI runs the OpenCL tests for real: {Missing}");
        }

        VisibleSkip.Because(Missing);
    }
}
