using System.Runtime.InteropServices;

namespace Embeddings.Core.Compute.OpenCl;

/// <summary>
/// The OpenCL 1.2 entry points the backend uses, bound to whatever library <see cref="OpenClLibrary"/> loaded
/// (<c>libOpenCL.so.1</c>, <c>OpenCL.dll</c> or an override). Every argument is blittable; object handles are
/// <see cref="nint"/> here and owned by the <see cref="SafeHandle"/>s of <see cref="OpenClHandle"/> types.
/// </summary>
internal static unsafe partial class OpenClNative
{
    /// <summary>The name the P/Invokes bind to; <see cref="OpenClLibrary"/>'s resolver maps it to the loaded library.</summary>
    public const string Library = "OpenCL";

    public const int Success = 0;
    public const int PlatformNotFoundKhr = -1001;

    public const uint PlatformVersion = 0x0901;
    public const uint PlatformName = 0x0902;
    public const uint PlatformVendor = 0x0903;

    public const ulong DeviceTypeCpu = 1 << 1;
    public const ulong DeviceTypeGpu = 1 << 2;
    public const ulong DeviceTypeAccelerator = 1 << 3;
    public const ulong DeviceTypeAll = 0xFFFFFFFF;

    public const uint DeviceType = 0x1000;
    public const uint DeviceMaxComputeUnits = 0x1002;
    public const uint DeviceMaxWorkGroupSize = 0x1004;
    public const uint DeviceMaxMemAllocSize = 0x1010;
    public const uint DeviceGlobalMemSize = 0x101F;
    public const uint DeviceLocalMemSize = 0x1023;
    public const uint DeviceName = 0x102B;
    public const uint DeviceVendor = 0x102C;
    public const uint DeviceVersion = 0x102F;

    public const uint ProgramBuildLog = 0x1183;

    public const ulong MemReadWrite = 1 << 0;
    public const ulong MemReadOnly = 1 << 2;

    [LibraryImport(Library, EntryPoint = "clGetPlatformIDs")]
    public static partial int GetPlatformIds(uint entries, nint* platforms, uint* count);

    [LibraryImport(Library, EntryPoint = "clGetPlatformInfo")]
    public static partial int GetPlatformInfo(nint platform, uint name, nuint size, void* value, nuint* sizeReturned);

    [LibraryImport(Library, EntryPoint = "clGetDeviceIDs")]
    public static partial int GetDeviceIds(nint platform, ulong type, uint entries, nint* devices, uint* count);

    [LibraryImport(Library, EntryPoint = "clGetDeviceInfo")]
    public static partial int GetDeviceInfo(nint device, uint name, nuint size, void* value, nuint* sizeReturned);

    [LibraryImport(Library, EntryPoint = "clCreateContext")]
    public static partial nint CreateContext(nint* properties, uint deviceCount, nint* devices, nint notify, nint userData, int* error);

    [LibraryImport(Library, EntryPoint = "clReleaseContext")]
    public static partial int ReleaseContext(nint context);

    [LibraryImport(Library, EntryPoint = "clCreateCommandQueue")]
    public static partial nint CreateCommandQueue(nint context, nint device, ulong properties, int* error);

    [LibraryImport(Library, EntryPoint = "clReleaseCommandQueue")]
    public static partial int ReleaseCommandQueue(nint queue);

    [LibraryImport(Library, EntryPoint = "clCreateProgramWithSource")]
    public static partial nint CreateProgramWithSource(nint context, uint count, byte** sources, nuint* lengths, int* error);

    [LibraryImport(Library, EntryPoint = "clBuildProgram")]
    public static partial int BuildProgram(nint program, uint deviceCount, nint* devices, byte* options, nint notify, nint userData);

    [LibraryImport(Library, EntryPoint = "clGetProgramBuildInfo")]
    public static partial int GetProgramBuildInfo(nint program, nint device, uint name, nuint size, void* value, nuint* sizeReturned);

    [LibraryImport(Library, EntryPoint = "clReleaseProgram")]
    public static partial int ReleaseProgram(nint program);

    [LibraryImport(Library, EntryPoint = "clCreateKernel")]
    public static partial nint CreateKernel(nint program, byte* name, int* error);

    [LibraryImport(Library, EntryPoint = "clReleaseKernel")]
    public static partial int ReleaseKernel(nint kernel);

    [LibraryImport(Library, EntryPoint = "clSetKernelArg")]
    public static partial int SetKernelArg(nint kernel, uint index, nuint size, void* value);

    [LibraryImport(Library, EntryPoint = "clCreateBuffer")]
    public static partial nint CreateBuffer(nint context, ulong flags, nuint size, void* hostPointer, int* error);

    [LibraryImport(Library, EntryPoint = "clReleaseMemObject")]
    public static partial int ReleaseMemObject(nint buffer);

    [LibraryImport(Library, EntryPoint = "clEnqueueWriteBuffer")]
    public static partial int EnqueueWriteBuffer(
        nint queue, nint buffer, uint blocking, nuint offset, nuint size, void* source, uint waitCount, nint* waitList, nint* completion);

    [LibraryImport(Library, EntryPoint = "clEnqueueReadBuffer")]
    public static partial int EnqueueReadBuffer(
        nint queue, nint buffer, uint blocking, nuint offset, nuint size, void* destination, uint waitCount, nint* waitList, nint* completion);

    [LibraryImport(Library, EntryPoint = "clEnqueueNDRangeKernel")]
    public static partial int EnqueueNDRangeKernel(
        nint queue, nint kernel, uint dimensions, nuint* globalOffset, nuint* globalSize, nuint* localSize, uint waitCount, nint* waitList, nint* completion);

    [LibraryImport(Library, EntryPoint = "clWaitForEvents")]
    public static partial int WaitForEvents(uint count, nint* events);

    [LibraryImport(Library, EntryPoint = "clReleaseEvent")]
    public static partial int ReleaseEvent(nint completion);

    [LibraryImport(Library, EntryPoint = "clFlush")]
    public static partial int Flush(nint queue);

    [LibraryImport(Library, EntryPoint = "clFinish")]
    public static partial int Finish(nint queue);
}
