using System.Buffers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EdgeGateway.Agent.Control;
using EdgeGateway.Core;

namespace EdgeGateway.Cli.Control;

/// <summary>
/// Sends one command to the running agent over its control socket (src/docs/agent.md, "Remote commands") and says
/// the reply: done on stdout (exit 0); the agent's refusal, or that the agent cannot be reached and why, on stderr (exit 1).
/// </summary>
internal static class ControlClient
{
    /// <summary>Exit code: the agent refused the command, or could not be reached.</summary>
    public const int Refused = 1;

    // The agent answers within its own wait for the engine; a little more for the way there and back.
    private static readonly TimeSpan s_timeout = ControlHandler.EngineTimeout + TimeSpan.FromSeconds(5);

    /// <summary>Sends <c>{"command":<paramref name="command"/>, <paramref name="fields"/>…}</c> to <paramref name="socketPath"/>.</summary>
    public static int Send(string name, string command, IReadOnlyList<(string Field, string? Value)> fields, string socketPath, Stream stdout, TextWriter stderr)
    {
        var request = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(request))
        {
            json.WriteStartObject();
            json.WriteString("command", command);
            foreach (var (field, value) in fields)
            {
                if (value is not null)
                {
                    json.WriteString(field, value);
                }
            }

            json.WriteEndObject();
        }

        byte[] reply;
        try
        {
            reply = Exchange(socketPath, [.. request.WrittenSpan, (byte)'\n']);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            stderr.WriteLine($"edgegw {name}: cannot reach the agent (is edgegw-agent running?): socket {InputText.Quote(socketPath)}: {Why(e)}");
            return Refused;
        }

        try
        {
            using var document = JsonDocument.Parse(reply);
            var root = document.RootElement;
            if (root.GetProperty("ok").GetBoolean() && root.TryGetProperty("outcome", out var outcome) && outcome.ValueEquals("not_saved"))
            {
                stderr.WriteLine($"edgegw {name}: {root.GetProperty("message").GetString()}");
                return Refused;
            }

            if (root.GetProperty("ok").GetBoolean())
            {
                stdout.Write(Encoding.UTF8.GetBytes(root.GetProperty("message").GetString() + "\n"));
                stdout.Flush();
                return 0;
            }

            stderr.WriteLine($"edgegw {name}: the agent refused: {root.GetProperty("error").GetString()}");
            return Refused;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            stderr.WriteLine($"edgegw {name}: socket {InputText.Quote(socketPath)}: not an agent's reply: '{InputText.Quote(reply.AsSpan())}'");
            return Refused;
        }
    }

    private static byte[] Exchange(string socketPath, byte[] request)
    {
        if (!File.Exists(socketPath))
        {
            throw new IOException("no such socket");
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.ReceiveTimeout = socket.SendTimeout = (int)s_timeout.TotalMilliseconds;
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        socket.Send(request);
        var reply = new List<byte>(256);
        var buffer = new byte[1024];
        while (true)
        {
            int read;
            try
            {
                read = socket.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                throw new TimeoutException($"no reply within {s_timeout.TotalSeconds:0} s");
            }

            if (read == 0)
            {
                break;
            }

            reply.AddRange(buffer.AsSpan(0, read));
            if (buffer.AsSpan(0, read).Contains((byte)'\n'))
            {
                break;
            }
        }

        var line = reply.ToArray();
        var end = Array.IndexOf(line, (byte)'\n');
        return end >= 0 ? line[..end] : line;
    }

    private static string Why(Exception e) => e switch
    {
        SocketException { SocketErrorCode: SocketError.AccessDenied } => "permission denied — add your user to group edgegw (sudo usermod -aG edgegw USER, then log in again), or use sudo",
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "nobody listens on it (a socket left by a stopped agent)",
        _ => e.Message,
    };
}
