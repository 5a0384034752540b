using Microsoft.Win32.SafeHandles;

namespace Embeddings.Core.Compute.OpenCl;

/// <summary>An OpenCL object reference, released exactly once with its <c>clRelease…</c> call.</summary>
internal abstract class OpenClHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private protected OpenClHandle(nint handle)
        : base(ownsHandle: true) => SetHandle(handle);

    /// <summary>The raw handle for a native call; valid while this object is alive and not disposed.</summary>
    public nint Value
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return handle;
        }
    }
}

/// <summary>A <c>cl_context</c>.</summary>
internal sealed class OpenClContextHandle(nint handle) : OpenClHandle(handle)
{
    protected override bool ReleaseHandle() => OpenClNative.ReleaseContext(handle) == OpenClNative.Success;
}

/// <summary>A <c>cl_command_queue</c>.</summary>
internal sealed class OpenClQueueHandle(nint handle) : OpenClHandle(handle)
{
    protected override bool ReleaseHandle() => OpenClNative.ReleaseCommandQueue(handle) == OpenClNative.Success;
}

/// <summary>A <c>cl_program</c>.</summary>
internal sealed class OpenClProgramHandle(nint handle) : OpenClHandle(handle)
{
    protected override bool ReleaseHandle() => OpenClNative.ReleaseProgram(handle) == OpenClNative.Success;
}

/// <summary>A <c>cl_kernel</c>.</summary>
internal sealed class OpenClKernelHandle(nint handle) : OpenClHandle(handle)
{
    protected override bool ReleaseHandle() => OpenClNative.ReleaseKernel(handle) == OpenClNative.Success;
}

/// <summary>A <c>cl_mem</c> buffer.</summary>
internal sealed class OpenClBufferHandle(nint handle) : OpenClHandle(handle)
{
    protected override bool ReleaseHandle() => OpenClNative.ReleaseMemObject(handle) == OpenClNative.Success;
}

/// <summary>A <c>cl_event</c>.</summary>
internal sealed class OpenClEventHandle(nint handle) : OpenClHandle(handle)
{
    protected override bool ReleaseHandle() => OpenClNative.ReleaseEvent(handle) == OpenClNative.Success;
}
