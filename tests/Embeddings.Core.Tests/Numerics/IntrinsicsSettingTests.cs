using System.Runtime.Intrinsics;

namespace Embeddings.Core.Tests.Numerics;

/// <summary>
/// CI runs the kernel tests again with AVX-512 off and with <c>DOTNET_EnableHWIntrinsic=0</c>, so the 256-bit and scalar
/// paths are tested on a machine that has AVX-512. These checks prove that the runtime honoured the setting of that run:
/// without them, a misnamed variable would quietly test the widest path three times. (It happened: .NET 10 ignores the
/// older <c>DOTNET_EnableAVX512F</c> and reads <c>DOTNET_EnableAVX512</c>.)
/// </summary>
public class IntrinsicsSettingTests
{
    private static bool Disabled(string variable) => Environment.GetEnvironmentVariable(variable) == "0";

    [Fact]
    public void Avx512Off_RuntimeReportsNo512BitVectors()
    {
        if (Disabled("DOTNET_EnableAVX512") || Disabled("DOTNET_EnableHWIntrinsic"))
        {
            Vector512.IsHardwareAccelerated.Should().BeFalse();
            System.Runtime.Intrinsics.X86.Avx512F.IsSupported.Should().BeFalse();
        }
        else
        {
            Vector512.IsHardwareAccelerated.Should().Be(System.Runtime.Intrinsics.X86.Avx512F.IsSupported);
        }
    }

    [Fact]
    public void HardwareIntrinsicsOff_RuntimeReportsScalarVectors()
    {
        if (Disabled("DOTNET_EnableHWIntrinsic"))
        {
            Vector128.IsHardwareAccelerated.Should().BeFalse();
            Vector256.IsHardwareAccelerated.Should().BeFalse();
            System.Numerics.Vector.IsHardwareAccelerated.Should().BeFalse();
        }
        else
        {
            Vector128.IsHardwareAccelerated.Should().BeTrue("every x64 and arm64 machine this runs on has 128-bit SIMD");
        }
    }
}
