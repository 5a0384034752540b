using System.Text;

namespace Embeddings.Core.Compute.OpenCl;

/// <summary>Enumerates OpenCL platforms and devices and reads the properties a user chooses by.</summary>
internal static unsafe class OpenClDiscovery
{
    // The ICD loader reads its vendor files on the first call; calls racing with it from other threads have been seen
    // to find no platform, so discovery is serialised.
    private static readonly Lock Gate = new();

    /// <summary>Every device of every platform, in platform then device order.</summary>
    /// <exception cref="PlatformNotSupportedException">No OpenCL library, or no platform registered with it.</exception>
    public static List<(OpenClDeviceInfo Info, nint Device)> Devices()
    {
        lock (Gate)
        {
            return FindDevices();
        }
    }

    private static List<(OpenClDeviceInfo Info, nint Device)> FindDevices()
    {
        OpenClLibrary.EnsureLoaded();
        var found = new List<(OpenClDeviceInfo, nint)>();
        nint[] platforms = Platforms();
        for (int p = 0; p < platforms.Length; p++)
        {
            string platformName = PlatformString(platforms[p], OpenClNative.PlatformName);
            uint count = 0;
            int error = OpenClNative.GetDeviceIds(platforms[p], OpenClNative.DeviceTypeAll, 0, null, &count);
            if (error == -1 || count == 0)
            {
                continue; // CL_DEVICE_NOT_FOUND: a platform without devices
            }

            OpenClLibrary.Check(error, "clGetDeviceIDs");
            var devices = new nint[count];
            fixed (nint* pointer = devices)
            {
                OpenClLibrary.Check(OpenClNative.GetDeviceIds(platforms[p], OpenClNative.DeviceTypeAll, count, pointer, null), "clGetDeviceIDs");
            }

            for (int d = 0; d < devices.Length; d++)
            {
                found.Add((Describe(p, d, platformName, devices[d]), devices[d]));
            }
        }

        return found;
    }

    /// <summary>The device's <c>CL_DEVICE_LOCAL_MEM_SIZE</c>.</summary>
    public static long LocalMemory(nint device) => (long)DeviceULong(device, OpenClNative.DeviceLocalMemSize);

    /// <summary>The device's <c>CL_DEVICE_MAX_WORK_GROUP_SIZE</c>.</summary>
    public static int MaxWorkGroupSize(nint device)
    {
        nuint value = 0;
        OpenClLibrary.Check(OpenClNative.GetDeviceInfo(device, OpenClNative.DeviceMaxWorkGroupSize, (nuint)sizeof(nuint), &value, null), "clGetDeviceInfo");
        return (int)Math.Min(value, int.MaxValue);
    }

    private static nint[] Platforms()
    {
        uint count = 0;
        int error = OpenClNative.GetPlatformIds(0, null, &count);
        if (error == OpenClNative.PlatformNotFoundKhr || (error == OpenClNative.Success && count == 0))
        {
            OpenClLibrary.ThrowMissing($"The OpenCL loader '{OpenClLibrary.CurrentName}' is installed but no OpenCL platform (driver) is registered with it.");
        }

        OpenClLibrary.Check(error, "clGetPlatformIDs");
        var platforms = new nint[count];
        fixed (nint* pointer = platforms)
        {
            OpenClLibrary.Check(OpenClNative.GetPlatformIds(count, pointer, null), "clGetPlatformIDs");
        }

        return platforms;
    }

    private static OpenClDeviceInfo Describe(int platform, int index, string platformName, nint device)
    {
        ulong type = DeviceULong(device, OpenClNative.DeviceType);
        uint units = 0;
        OpenClLibrary.Check(OpenClNative.GetDeviceInfo(device, OpenClNative.DeviceMaxComputeUnits, sizeof(uint), &units, null), "clGetDeviceInfo");
        return new OpenClDeviceInfo(
            platform,
            index,
            platformName,
            DeviceString(device, OpenClNative.DeviceName),
            DeviceString(device, OpenClNative.DeviceVendor),
            (type & OpenClNative.DeviceTypeGpu) != 0 ? OpenClDeviceType.Gpu
                : (type & OpenClNative.DeviceTypeCpu) != 0 ? OpenClDeviceType.Cpu
                : (type & OpenClNative.DeviceTypeAccelerator) != 0 ? OpenClDeviceType.Accelerator
                : OpenClDeviceType.Any,
            (long)DeviceULong(device, OpenClNative.DeviceGlobalMemSize),
            (long)DeviceULong(device, OpenClNative.DeviceMaxMemAllocSize),
            (int)units,
            DeviceString(device, OpenClNative.DeviceVersion));
    }

    private static ulong DeviceULong(nint device, uint name)
    {
        ulong value = 0;
        OpenClLibrary.Check(OpenClNative.GetDeviceInfo(device, name, sizeof(ulong), &value, null), "clGetDeviceInfo");
        return value;
    }

    private static string DeviceString(nint device, uint name)
    {
        nuint size = 0;
        OpenClLibrary.Check(OpenClNative.GetDeviceInfo(device, name, 0, null, &size), "clGetDeviceInfo");
        var bytes = new byte[(int)size];
        fixed (byte* pointer = bytes)
        {
            OpenClLibrary.Check(OpenClNative.GetDeviceInfo(device, name, size, pointer, null), "clGetDeviceInfo");
        }

        return Decode(bytes);
    }

    private static string PlatformString(nint platform, uint name)
    {
        nuint size = 0;
        OpenClLibrary.Check(OpenClNative.GetPlatformInfo(platform, name, 0, null, &size), "clGetPlatformInfo");
        var bytes = new byte[(int)size];
        fixed (byte* pointer = bytes)
        {
            OpenClLibrary.Check(OpenClNative.GetPlatformInfo(platform, name, size, pointer, null), "clGetPlatformInfo");
        }

        return Decode(bytes);
    }

    /// <summary>A NUL-terminated UTF-8 answer, trimmed.</summary>
    internal static string Decode(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]).Trim();
    }
}
