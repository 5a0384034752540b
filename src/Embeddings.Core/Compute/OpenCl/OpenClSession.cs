using System.Runtime.InteropServices;
using System.Text;

namespace Embeddings.Core.Compute.OpenCl;

/// <summary>
/// One device's context and in-order command queue, with the few operations the engines need: build a program,
/// make kernels and buffers, copy, launch, wait. Owns every handle it creates through <see cref="OpenClHandle"/>s.
/// </summary>
internal sealed unsafe class OpenClSession : IDisposable
{
    private readonly nint _device;
    private readonly OpenClContextHandle _context;
    private readonly OpenClQueueHandle _queue;

    public OpenClSession(nint device, OpenClDeviceInfo info)
    {
        _device = device;
        Info = info;
        int error;
        _context = new OpenClContextHandle(OpenClNative.CreateContext(null, 1, &device, 0, 0, &error));
        OpenClLibrary.Check(error, "clCreateContext");
        _queue = new OpenClQueueHandle(OpenClNative.CreateCommandQueue(_context.Value, device, 0, &error));
        OpenClLibrary.Check(error, "clCreateCommandQueue");
        MaxWorkGroupSize = OpenClDiscovery.MaxWorkGroupSize(device);
        LocalMemory = OpenClDiscovery.LocalMemory(device);
    }

    /// <summary>What the device reported when it was listed.</summary>
    public OpenClDeviceInfo Info { get; }

    /// <summary><c>CL_DEVICE_MAX_WORK_GROUP_SIZE</c>.</summary>
    public int MaxWorkGroupSize { get; }

    /// <summary><c>CL_DEVICE_LOCAL_MEM_SIZE</c> in bytes.</summary>
    public long LocalMemory { get; }

    /// <summary>Compiles OpenCL C <paramref name="source"/>; a failed build throws with the compiler's log.</summary>
    public OpenClProgramHandle BuildProgram(string source, string options)
    {
        byte[] text = Encoding.UTF8.GetBytes(source);
        int error;
        OpenClProgramHandle program;
        fixed (byte* pointer = text)
        {
            byte* sources = pointer;
            var length = (nuint)text.Length;
            program = new OpenClProgramHandle(OpenClNative.CreateProgramWithSource(_context.Value, 1, &sources, &length, &error));
        }

        OpenClLibrary.Check(error, "clCreateProgramWithSource");
        byte[] optionBytes = Encoding.UTF8.GetBytes(options + "\0");
        nint device = _device;
        fixed (byte* pointer = optionBytes)
        {
            error = OpenClNative.BuildProgram(program.Value, 1, &device, pointer, 0, 0);
        }

        if (error != OpenClNative.Success)
        {
            string log = BuildLog(program);
            program.Dispose();
            OpenClLibrary.ThrowFailed(error, "clBuildProgram", $"Options: {options}{Environment.NewLine}Build log:{Environment.NewLine}{log}");
        }

        return program;
    }

    /// <summary>The kernel <paramref name="name"/> of a built program.</summary>
    public static OpenClKernelHandle CreateKernel(OpenClProgramHandle program, string name)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(name + "\0");
        int error;
        fixed (byte* pointer = bytes)
        {
            var kernel = new OpenClKernelHandle(OpenClNative.CreateKernel(program.Value, pointer, &error));
            OpenClLibrary.Check(error, $"clCreateKernel({name})");
            return kernel;
        }
    }

    /// <summary>A device buffer of <paramref name="bytes"/> bytes.</summary>
    public OpenClBufferHandle CreateBuffer(long bytes, bool readOnly)
    {
        int error;
        var buffer = new OpenClBufferHandle(OpenClNative.CreateBuffer(
            _context.Value, readOnly ? OpenClNative.MemReadOnly : OpenClNative.MemReadWrite, (nuint)Math.Max(bytes, 4), null, &error));
        OpenClLibrary.Check(error, $"clCreateBuffer({bytes:N0} bytes)");
        return buffer;
    }

    /// <summary>Copies <paramref name="source"/> to the start of <paramref name="buffer"/> and waits.</summary>
    public void Write<T>(OpenClBufferHandle buffer, ReadOnlySpan<T> source)
        where T : unmanaged
    {
        fixed (T* pointer = source)
        {
            OpenClLibrary.Check(
                OpenClNative.EnqueueWriteBuffer(_queue.Value, buffer.Value, 1, 0, (nuint)((long)source.Length * sizeof(T)), pointer, 0, null, null),
                "clEnqueueWriteBuffer");
        }
    }

    /// <summary>
    /// Queues a copy of <paramref name="source"/> to <paramref name="buffer"/> without waiting; the array must be pinned
    /// (<see cref="GC.AllocateUninitializedArray{T}(int, bool)"/>) and left untouched until the queue has passed it.
    /// </summary>
    public void WriteAsync<T>(OpenClBufferHandle buffer, T[] source, int count)
        where T : unmanaged
    {
        OpenClLibrary.Check(
            OpenClNative.EnqueueWriteBuffer(
                _queue.Value, buffer.Value, 0, 0, (nuint)((long)count * sizeof(T)), Unsafe(source), 0, null, null),
            "clEnqueueWriteBuffer");
    }

    /// <summary>Copies the start of <paramref name="buffer"/> into <paramref name="destination"/> and waits.</summary>
    public void Read<T>(OpenClBufferHandle buffer, Span<T> destination)
        where T : unmanaged
    {
        fixed (T* pointer = destination)
        {
            OpenClLibrary.Check(
                OpenClNative.EnqueueReadBuffer(_queue.Value, buffer.Value, 1, 0, (nuint)((long)destination.Length * sizeof(T)), pointer, 0, null, null),
                "clEnqueueReadBuffer");
        }
    }

    /// <summary>Queues a copy of <paramref name="buffer"/> into pinned <paramref name="destination"/>; wait on the returned event.</summary>
    public OpenClEventHandle ReadAsync<T>(OpenClBufferHandle buffer, T[] destination, int count)
        where T : unmanaged
    {
        nint completion;
        OpenClLibrary.Check(
            OpenClNative.EnqueueReadBuffer(
                _queue.Value, buffer.Value, 0, 0, (nuint)((long)count * sizeof(T)), Unsafe(destination), 0, null, &completion),
            "clEnqueueReadBuffer");
        return new OpenClEventHandle(completion);
    }

    /// <summary>Sets kernel argument <paramref name="index"/> to a buffer.</summary>
    public static void SetArgument(OpenClKernelHandle kernel, uint index, OpenClBufferHandle buffer)
    {
        nint value = buffer.Value;
        OpenClLibrary.Check(OpenClNative.SetKernelArg(kernel.Value, index, (nuint)sizeof(nint), &value), $"clSetKernelArg({index})");
    }

    /// <summary>Sets kernel argument <paramref name="index"/> to a scalar.</summary>
    public static void SetArgument<T>(OpenClKernelHandle kernel, uint index, T value)
        where T : unmanaged =>
        OpenClLibrary.Check(OpenClNative.SetKernelArg(kernel.Value, index, (nuint)sizeof(T), &value), $"clSetKernelArg({index})");

    /// <summary>Queues <paramref name="groups"/> work-groups of <paramref name="localSize"/> work-items.</summary>
    public void Launch(OpenClKernelHandle kernel, int groups, int localSize)
    {
        var global = (nuint)((long)groups * localSize);
        var local = (nuint)localSize;
        OpenClLibrary.Check(OpenClNative.EnqueueNDRangeKernel(_queue.Value, kernel.Value, 1, null, &global, &local, 0, null, null), "clEnqueueNDRangeKernel");
    }

    /// <summary>Submits queued commands to the device.</summary>
    public void Flush() => OpenClLibrary.Check(OpenClNative.Flush(_queue.Value), "clFlush");

    /// <summary>Waits until every queued command has finished.</summary>
    public void Finish() => OpenClLibrary.Check(OpenClNative.Finish(_queue.Value), "clFinish");

    /// <summary>Waits for one event.</summary>
    public static void Wait(OpenClEventHandle completion)
    {
        nint value = completion.Value;
        OpenClLibrary.Check(OpenClNative.WaitForEvents(1, &value), "clWaitForEvents");
    }

    public void Dispose()
    {
        if (!_queue.IsClosed)
        {
            _ = OpenClNative.Finish(_queue.Value);
        }

        _queue.Dispose();
        _context.Dispose();
    }

    private static void* Unsafe<T>(T[] pinned)
        where T : unmanaged =>
        System.Runtime.CompilerServices.Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));

    private string BuildLog(OpenClProgramHandle program)
    {
        nuint size = 0;
        if (OpenClNative.GetProgramBuildInfo(program.Value, _device, OpenClNative.ProgramBuildLog, 0, null, &size) != OpenClNative.Success || size == 0)
        {
            return "(no build log)";
        }

        var bytes = new byte[(int)size];
        fixed (byte* pointer = bytes)
        {
            _ = OpenClNative.GetProgramBuildInfo(program.Value, _device, OpenClNative.ProgramBuildLog, size, pointer, null);
        }

        return OpenClDiscovery.Decode(bytes);
    }
}
