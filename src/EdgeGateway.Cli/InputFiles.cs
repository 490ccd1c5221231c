using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Cli;

/// <summary>The files commands read: a missing or unreadable file is an <see cref="InputException"/> naming it.</summary>
internal static class InputFiles
{
    /// <summary>Reads and validates a gateway config.</summary>
    public static GatewayConfig ReadConfig(string path)
    {
        try
        {
            return ConfigReader.Read(File.ReadAllBytes(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, 0, $"cannot read the config: {e.Message}");
        }
    }

    /// <summary>Opens a trace for streaming.</summary>
    public static FileStream OpenTrace(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, 0, $"cannot read the trace: {e.Message}");
        }
    }
}
