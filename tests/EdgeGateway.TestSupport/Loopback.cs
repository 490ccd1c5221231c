using System.Net;
using System.Net.Sockets;

namespace EdgeGateway.TestSupport;

/// <summary>Free TCP ports on 127.0.0.1 for the services and fakes a test starts.</summary>
internal static class Loopback
{
    /// <summary>A port nothing listens on now.</summary>
    public static int FreePort() => FreePorts(1)[0];

    /// <summary><paramref name="count"/> different ports nothing listens on now (their listeners are held open together, so they differ).</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = new TcpListener[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                listeners[i] = new TcpListener(IPAddress.Loopback, 0);
                listeners[i].Start();
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener?.Dispose();
            }
        }
    }
}
