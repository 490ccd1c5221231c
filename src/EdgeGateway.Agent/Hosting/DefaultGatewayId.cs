using System.Text;

namespace EdgeGateway.Agent.Hosting;

/// <summary>
/// The gateway id when the config sets none (src/docs/agent.md, <c>GatewayId</c>): <c>gw-</c> and 12 hex digits of
/// SHA-256 over this product's name and the machine id (<c>/etc/machine-id</c>, written once when the OS is installed,
/// the same across reboots). Unique per device, unlike the host name (<c>raspberrypi</c> on every fresh Pi, with which
/// two gateways at one site took over each other's MQTT session), and it does not give away the machine id, which
/// systemd asks applications to keep to themselves. The host name only where no machine id exists.
/// </summary>
internal static class DefaultGatewayId
{
    private static readonly string[] s_machineIdFiles = ["/etc/machine-id", "/var/lib/dbus/machine-id"];

    /// <summary>This device's default gateway id.</summary>
    public static string Get()
    {
        foreach (var file in s_machineIdFiles)
        {
            try
            {
                if (From(File.ReadAllText(file)) is { } id)
                {
                    return id;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Try the next place; a container may have neither.
            }
        }

        return Environment.MachineName;
    }

    /// <summary>The id for the content of a machine-id file, or null when it is not one (32 hex digits and a line end).</summary>
    internal static string? From(string machineIdFile)
    {
        var machineId = machineIdFile.Trim();
        if (machineId.Length != 32 || !machineId.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        return "gw-" + ConfigSha256.Hex(Encoding.ASCII.GetBytes($"edgegw gateway id\n{machineId.ToLowerInvariant()}"))[..12];
    }
}
