namespace Embeddings.Core.Compute;

/// <summary>The kinds of OpenCL device, to choose one by.</summary>
public enum OpenClDeviceType
{
    /// <summary>Any device (as a filter); a device of no listed kind (as a description).</summary>
    Any,

    /// <summary>A graphics processor (<c>CL_DEVICE_TYPE_GPU</c>).</summary>
    Gpu,

    /// <summary>A CPU exposed through OpenCL, e.g. PoCL or Intel's CPU runtime (<c>CL_DEVICE_TYPE_CPU</c>).</summary>
    Cpu,

    /// <summary>A dedicated accelerator (<c>CL_DEVICE_TYPE_ACCELERATOR</c>).</summary>
    Accelerator,
}

/// <summary>One OpenCL device as <see cref="ComputeDevice.ListOpenCl"/> found it.</summary>
/// <param name="Platform">The platform's index, for <see cref="ComputeDevice.OpenCl(int, int)"/>.</param>
/// <param name="Device">The device's index within its platform.</param>
/// <param name="PlatformName">The platform's name, e.g. <c>Portable Computing Language</c> or <c>NVIDIA CUDA</c>.</param>
/// <param name="Name">The device's name.</param>
/// <param name="Vendor">The device's vendor.</param>
/// <param name="Type">GPU, CPU or accelerator.</param>
/// <param name="GlobalMemoryBytes">Device memory (<c>CL_DEVICE_GLOBAL_MEM_SIZE</c>).</param>
/// <param name="MaxAllocationBytes">The largest single buffer (<c>CL_DEVICE_MAX_MEM_ALLOC_SIZE</c>); each weight matrix must fit in one.</param>
/// <param name="ComputeUnits">Compute units (<c>CL_DEVICE_MAX_COMPUTE_UNITS</c>): streaming multiprocessors, compute units or cores.</param>
/// <param name="OpenClVersion">The device's OpenCL version string, e.g. <c>OpenCL 3.0 PoCL</c>.</param>
public sealed record OpenClDeviceInfo(
    int Platform,
    int Device,
    string PlatformName,
    string Name,
    string Vendor,
    OpenClDeviceType Type,
    long GlobalMemoryBytes,
    long MaxAllocationBytes,
    int ComputeUnits,
    string OpenClVersion)
{
    /// <summary>The device as the CLI names it: <c>opencl:P:D</c>.</summary>
    public string Id => $"opencl:{Platform}:{Device}";

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Id} {Type.ToString().ToUpperInvariant()} {Name} ({Vendor}; {GlobalMemoryBytes / (1024 * 1024):N0} MiB, {ComputeUnits} compute units, {OpenClVersion})";
}
