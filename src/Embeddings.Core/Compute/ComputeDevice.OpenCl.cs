using System.Globalization;
using Embeddings.Core.Compute.OpenCl;
using Embeddings.Core.Corpus;
using Embeddings.Core.Options;
using Embeddings.Core.Training;

namespace Embeddings.Core.Compute;

public abstract partial class ComputeDevice
{
    /// <summary>
    /// Whether an OpenCL runtime with at least one device is installed. Never throws; use it to choose a device without
    /// catching exceptions.
    /// </summary>
    public static bool IsOpenClAvailable
    {
        get
        {
            try
            {
                return OpenClDiscovery.Devices().Count > 0;
            }
            catch (PlatformNotSupportedException)
            {
                return false;
            }
        }
    }

    /// <summary>Lists every OpenCL device of every platform, in platform then device order.</summary>
    /// <returns>The devices; empty when the platforms have none.</returns>
    /// <exception cref="PlatformNotSupportedException">No OpenCL runtime is installed; the message says what to install.</exception>
    public static IReadOnlyList<OpenClDeviceInfo> ListOpenCl() => [.. OpenClDiscovery.Devices().Select(found => found.Info)];

    /// <summary>
    /// Trains on OpenCL device <paramref name="device"/> of platform <paramref name="platform"/> (see
    /// <see cref="ListOpenCl"/>): skip-gram and CBOW with negative sampling, one work-group per sentence.
    /// </summary>
    /// <param name="platform">The platform's index.</param>
    /// <param name="device">The device's index within the platform.</param>
    /// <exception cref="PlatformNotSupportedException">No OpenCL runtime is installed; the message says what to install.</exception>
    /// <exception cref="ArgumentOutOfRangeException">No device has these indices.</exception>
    public static ComputeDevice OpenCl(int platform = 0, int device = 0)
    {
        List<(OpenClDeviceInfo Info, nint Device)> devices = OpenClDiscovery.Devices();
        foreach ((OpenClDeviceInfo info, _) in devices)
        {
            if (info.Platform == platform && info.Device == device)
            {
                return new OpenClDevice(info);
            }
        }

        throw new ArgumentOutOfRangeException(
            nameof(device), $"No OpenCL device opencl:{platform}:{device}. The devices are: {Describe(devices)}");
    }

    /// <summary>Trains on the first OpenCL device of type <paramref name="type"/> (<see cref="OpenClDeviceType.Any"/>: the first GPU, else the first device).</summary>
    /// <param name="type">The kind of device wanted.</param>
    /// <exception cref="PlatformNotSupportedException">No OpenCL runtime is installed; the message says what to install.</exception>
    /// <exception cref="ArgumentException">No device is of that type.</exception>
    public static ComputeDevice OpenCl(OpenClDeviceType type)
    {
        List<(OpenClDeviceInfo Info, nint Device)> devices = OpenClDiscovery.Devices();
        OpenClDeviceInfo? chosen = type == OpenClDeviceType.Any
            ? devices.Select(d => d.Info).FirstOrDefault(d => d.Type == OpenClDeviceType.Gpu) ?? devices.Select(d => d.Info).FirstOrDefault()
            : devices.Select(d => d.Info).FirstOrDefault(d => d.Type == type);
        return chosen is null
            ? throw new ArgumentException($"No OpenCL device of type {type}. The devices are: {Describe(devices)}", nameof(type))
            : new OpenClDevice(chosen);
    }

    /// <summary>The fastest backend likely present: the first OpenCL GPU if there is one, else the CPU. Never throws.</summary>
    public static ComputeDevice Best()
    {
        try
        {
            OpenClDeviceInfo? gpu = OpenClDiscovery.Devices().Select(d => d.Info).FirstOrDefault(d => d.Type == OpenClDeviceType.Gpu);
            return gpu is null ? Cpu() : new OpenClDevice(gpu);
        }
        catch (PlatformNotSupportedException)
        {
            return Cpu();
        }
    }

    /// <summary>
    /// Reads a device as the CLI's <c>--device</c> names it: <c>cpu</c>, <c>cpu:THREADS</c>, <c>opencl</c> (the first
    /// GPU, else the first OpenCL device), <c>opencl:gpu</c>, <c>opencl:cpu</c>, <c>opencl:P:D</c> or <c>best</c>.
    /// </summary>
    /// <param name="text">The device's name.</param>
    /// <exception cref="ArgumentException">The text names no device, or no such OpenCL device exists.</exception>
    /// <exception cref="PlatformNotSupportedException">An OpenCL device is named but no OpenCL runtime is installed.</exception>
    public static ComputeDevice Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Trim().ToLowerInvariant().Split(':');
        switch (parts)
        {
            case ["cpu"]:
                return Cpu();
            case ["cpu", var threads] when int.TryParse(threads, NumberStyles.None, CultureInfo.InvariantCulture, out int t) && t >= 1:
                return Cpu(t);
            case ["best"]:
                return Best();
            case ["opencl"]:
                return OpenCl(OpenClDeviceType.Any);
            case ["opencl", "gpu"]:
                return OpenCl(OpenClDeviceType.Gpu);
            case ["opencl", "cpu"]:
                return OpenCl(OpenClDeviceType.Cpu);
            case ["opencl", var p, var d]
                when int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int platform)
                  && int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out int device):
                try
                {
                    return OpenCl(platform, device);
                }
                catch (ArgumentOutOfRangeException e)
                {
                    throw new ArgumentException(OptionsValidator.PlainMessage(e), nameof(text), e);
                }

            default:
                throw new ArgumentException(
                    $"Unknown device '{text}'; use cpu, cpu:THREADS, opencl, opencl:gpu, opencl:cpu, opencl:PLATFORM:DEVICE or best (see 'embeddings devices').",
                    nameof(text));
        }
    }

    private static string Describe(List<(OpenClDeviceInfo Info, nint Device)> devices) =>
        devices.Count == 0 ? "none." : string.Join("; ", devices.Select(d => $"{d.Info.Id} {d.Info.Type} {d.Info.Name}"));
}

/// <summary>
/// An OpenCL device: each training run opens its own context, builds the kernels for its options and releases
/// everything when it ends. The device is found again by its indices, which are stable while the process runs.
/// </summary>
internal sealed class OpenClDevice(OpenClDeviceInfo info) : ComputeDevice
{
    public OpenClDeviceInfo Info { get; } = info;

    public override string Name => $"{Info.Id} ({Info.Name})";

    internal override string? Unsupported(Word2VecOptions options) =>
        options.Objective == Word2VecObjective.FullSoftmax ? "full softmax trains on the CPU only; use negative sampling or ComputeDevice.Cpu()."
        : options.HasSubwords ? "subword (character n-gram) models train on the CPU only; train on ComputeDevice.Cpu()."
        : options.Architecture == Word2VecArchitecture.SkipGram && !options.SharedNegatives
            ? "skip-gram draws its noise words once per window on OpenCL; set SharedNegatives(true) or train on ComputeDevice.Cpu()."
        : null;

    internal override Word2VecEngine CreateWord2VecEngine(Word2VecOptions options, Vocabulary vocabulary, TrainedWeights? start) =>
        Unsupported(options) is { } reason
            ? throw new ArgumentException($"{Name} cannot train these options: {reason}", nameof(options))
            : new OpenClWord2VecEngine(Open(), options, vocabulary, start);

    /// <summary>A context and queue on this device.</summary>
    internal OpenClSession Open()
    {
        foreach ((OpenClDeviceInfo info, nint device) in OpenClDiscovery.Devices())
        {
            if (info.Platform == Info.Platform && info.Device == Info.Device)
            {
                return new OpenClSession(device, info);
            }
        }

        throw new InvalidOperationException($"The OpenCL device {Info.Id} ({Info.Name}) is no longer listed.");
    }
}
