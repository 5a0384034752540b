using System.CommandLine;
using System.Globalization;
using Embeddings.Cli.Infrastructure;
using Embeddings.Core.Compute;

namespace Embeddings.Cli.Commands;

/// <summary><c>embeddings devices</c>: lists the OpenCL devices training can run on, with the name <c>--device</c> takes.</summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var command = new Command("devices", "List the OpenCL devices (GPUs, and CPUs through PoCL) with the id that 'train --device' takes");
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), _ =>
        {
            IReadOnlyList<OpenClDeviceInfo> devices = ComputeDevice.ListOpenCl();
            if (devices.Count == 0)
            {
                Console.Error.WriteLine("OpenCL is installed but reports no device.");
                return CommandRunner.Failure;
            }

            Console.Out.WriteLine("id            type         memory   units  device (platform; version)");
            foreach (OpenClDeviceInfo device in devices)
            {
                Console.Out.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{device.Id,-13} {device.Type.ToString().ToUpperInvariant(),-5} {device.GlobalMemoryBytes / (1 << 20),9:N0} MiB {device.ComputeUnits,5}  {device.Name} ({device.PlatformName}; {device.OpenClVersion})"));
            }

            Console.Out.WriteLine($"best: {ComputeDevice.Best().Name}");
            return CommandRunner.Success;
        }));
        return command;
    }
}
