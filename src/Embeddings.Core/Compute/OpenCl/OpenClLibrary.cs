using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Embeddings.Core.Compute.OpenCl;

/// <summary>
/// Finds and loads the OpenCL ICD loader at run time, so that a machine without OpenCL gets one clear message
/// instead of a <see cref="DllNotFoundException"/> from deep inside training. Also turns error codes into names.
/// </summary>
internal static class OpenClLibrary
{
    /// <summary>Environment variable naming the library to load instead of the platform's default.</summary>
    public const string LibraryVariable = "EMBEDDINGS_OPENCL_LIBRARY";

    private static readonly Lock _lock = new();
    private static nint _handle;
    private static string? _loadedName;
    private static bool _resolverSet;

    /// <summary>A library name for the current asynchronous flow only (tests simulate a missing runtime with it).</summary>
    internal static AsyncLocal<string?> NameOverride { get; } = new();

    /// <summary>The platform's ICD loader: <c>OpenCL.dll</c>, the macOS framework, or <c>libOpenCL.so.1</c>.</summary>
    public static string DefaultName =>
        OperatingSystem.IsWindows() ? "OpenCL.dll"
        : OperatingSystem.IsMacOS() ? "/System/Library/Frameworks/OpenCL.framework/OpenCL"
        : "libOpenCL.so.1";

    /// <summary>The library the next load uses: the test override, then <see cref="LibraryVariable"/>, then <see cref="DefaultName"/>.</summary>
    public static string CurrentName =>
        NameOverride.Value
        ?? (Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultName);

    /// <summary>What to install, for the one message a user sees when OpenCL is missing.</summary>
    public static string InstallHint =>
        OperatingSystem.IsWindows()
            ? "Install your GPU vendor's driver (NVIDIA, AMD or Intel), which provides OpenCL.dll, or use ComputeDevice.Cpu()."
            : "Install an OpenCL driver: on Debian/Ubuntu 'sudo apt-get install ocl-icd-libopencl1 pocl-opencl-icd' (runs on the CPU), "
              + "or your GPU vendor's driver (NVIDIA, AMD ROCm, Intel compute-runtime); or use ComputeDevice.Cpu().";

    /// <summary>Loads the library (once) and routes the P/Invokes of <see cref="OpenClNative"/> to it.</summary>
    /// <exception cref="PlatformNotSupportedException">The library cannot be loaded.</exception>
    public static void EnsureLoaded()
    {
        string name = CurrentName;
        lock (_lock)
        {
            if (_handle != 0 && (name == _loadedName || NameOverride.Value is null))
            {
                return;
            }

            if (!NativeLibrary.TryLoad(name, typeof(OpenClLibrary).Assembly, null, out nint handle))
            {
                ThrowMissing($"No OpenCL runtime found: the library '{name}' could not be loaded.");
            }

            if (_handle != 0)
            {
                // The P/Invokes are already bound to the first library; a second one is only probed.
                NativeLibrary.Free(handle);
                return;
            }

            _handle = handle;
            _loadedName = name;
            if (!_resolverSet)
            {
                NativeLibrary.SetDllImportResolver(typeof(OpenClLibrary).Assembly, Resolve);
                _resolverSet = true;
            }
        }
    }

    /// <summary>Throws the one exception every entry point raises when OpenCL cannot be used at all.</summary>
    [DoesNotReturn]
    public static void ThrowMissing(string what) => throw new PlatformNotSupportedException($"{what} {InstallHint}");

    /// <summary>Throws when <paramref name="error"/> is not CL_SUCCESS, naming the call and the error.</summary>
    public static void Check(int error, string call)
    {
        if (error != OpenClNative.Success)
        {
            ThrowFailed(error, call);
        }
    }

    /// <summary>The exception for a failed call: <c>clBuildProgram failed: CL_BUILD_PROGRAM_FAILURE (-11)</c>.</summary>
    [DoesNotReturn]
    public static void ThrowFailed(int error, string call, string? detail = null) =>
        throw new InvalidOperationException($"OpenCL call {call} failed: {ErrorName(error)} ({error}).{(detail is null ? "" : " " + detail)}");

    /// <summary>The symbolic name of an OpenCL error code.</summary>
    public static string ErrorName(int error) => error switch
    {
        0 => "CL_SUCCESS",
        -1 => "CL_DEVICE_NOT_FOUND",
        -2 => "CL_DEVICE_NOT_AVAILABLE",
        -3 => "CL_COMPILER_NOT_AVAILABLE",
        -4 => "CL_MEM_OBJECT_ALLOCATION_FAILURE",
        -5 => "CL_OUT_OF_RESOURCES",
        -6 => "CL_OUT_OF_HOST_MEMORY",
        -7 => "CL_PROFILING_INFO_NOT_AVAILABLE",
        -8 => "CL_MEM_COPY_OVERLAP",
        -11 => "CL_BUILD_PROGRAM_FAILURE",
        -12 => "CL_MAP_FAILURE",
        -14 => "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST",
        -30 => "CL_INVALID_VALUE",
        -31 => "CL_INVALID_DEVICE_TYPE",
        -32 => "CL_INVALID_PLATFORM",
        -33 => "CL_INVALID_DEVICE",
        -34 => "CL_INVALID_CONTEXT",
        -35 => "CL_INVALID_QUEUE_PROPERTIES",
        -36 => "CL_INVALID_COMMAND_QUEUE",
        -37 => "CL_INVALID_HOST_PTR",
        -38 => "CL_INVALID_MEM_OBJECT",
        -42 => "CL_INVALID_BINARY",
        -43 => "CL_INVALID_BUILD_OPTIONS",
        -44 => "CL_INVALID_PROGRAM",
        -45 => "CL_INVALID_PROGRAM_EXECUTABLE",
        -46 => "CL_INVALID_KERNEL_NAME",
        -47 => "CL_INVALID_KERNEL_DEFINITION",
        -48 => "CL_INVALID_KERNEL",
        -49 => "CL_INVALID_ARG_INDEX",
        -50 => "CL_INVALID_ARG_VALUE",
        -51 => "CL_INVALID_ARG_SIZE",
        -52 => "CL_INVALID_KERNEL_ARGS",
        -53 => "CL_INVALID_WORK_DIMENSION",
        -54 => "CL_INVALID_WORK_GROUP_SIZE",
        -55 => "CL_INVALID_WORK_ITEM_SIZE",
        -56 => "CL_INVALID_GLOBAL_OFFSET",
        -57 => "CL_INVALID_EVENT_WAIT_LIST",
        -58 => "CL_INVALID_EVENT",
        -59 => "CL_INVALID_OPERATION",
        -61 => "CL_INVALID_BUFFER_SIZE",
        -63 => "CL_INVALID_GLOBAL_WORK_SIZE",
        -64 => "CL_INVALID_PROPERTY",
        -1001 => "CL_PLATFORM_NOT_FOUND_KHR",
        _ => "an unknown OpenCL error",
    };

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == OpenClNative.Library ? _handle : 0;
}
