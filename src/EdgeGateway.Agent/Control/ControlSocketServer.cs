using System.Net.Sockets;
using EdgeGateway.Agent.Hosting;
using EdgeGateway.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Agent.Control;

/// <summary>
/// The control socket (<c>Agent:ControlSocket</c>): a Unix domain socket with mode 0660, so that root and the members of the
/// service's group (technicians are added to group edgegw) may send commands, nobody else. One JSON request line gets one
/// JSON reply line (<see cref="ControlHandler"/>), then the connection ends; the log names the sender's user id (the
/// kernel's SO_PEERCRED). A socket that cannot be made is logged and the agent runs on without it: commands are an
/// extra, the records are what matters.
/// </summary>
internal sealed partial class ControlSocketServer(IOptions<AgentOptions> options, ControlHandler handler, ILogger<ControlSocketServer> logger) : BackgroundService
{
    /// <summary>The file mode of the socket: read and write for owner and group.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    // SOL_SOCKET and SO_PEERCRED on Linux: the peer's pid, uid and gid as three 32-bit integers.
    private const int SolSocket = 1, PeerCredentials = 17;

    // A client that connects and sends nothing must not hold a connection for ever.
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = options.Value.ControlSocket;
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        using var listener = Listen(path);
        if (listener is null)
        {
            return;
        }

        Log.Listening(logger, path);
        try
        {
            while (true)
            {
                var connection = await listener.AcceptAsync(stoppingToken).ConfigureAwait(false);
                _ = ServeAsync(connection, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
        finally
        {
            StorageErrors.TryDelete(path);
        }
    }

    /// <summary>A listening socket at <paramref name="path"/> with <see cref="Mode"/>, replacing a stale one; null (logged) when it cannot be made.</summary>
    private Socket? Listen(string path)
    {
        if (File.Exists(path) && IsListening(path))
        {
            Log.NoSocket(logger, path, "another process listens on it (a second agent on this machine?)");
            return null;
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            // A socket file left by a killed agent refuses the bind; nothing listens on it any more.
            StorageErrors.TryDelete(path);
            socket.Bind(new UnixDomainSocketEndPoint(path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, Mode);
            }

            socket.Listen(8);
            return socket;
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            socket.Dispose();
            Log.NoSocket(logger, path, e.Message);
            return null;
        }
    }

    private async Task ServeAsync(Socket connection, CancellationToken stoppingToken)
    {
        using (connection)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(s_requestTimeout);
                var request = await ReadLineAsync(connection, timeout.Token).ConfigureAwait(false);
                if (request is { Length: 0 })
                {
                    // Connected and closed without a word: a probe (edgegw doctor) that the agent listens; nothing to answer or log.
                    return;
                }

                var reply = request is null
                    ? ControlReply.Error(null, $"the request is longer than {ControlCommandReader.MaxBytes} bytes or has no line end")
                    : await handler.HandleAsync(request, Sender(connection), stoppingToken).ConfigureAwait(false);
                await connection.SendAsync(reply.Append((byte)'\n').ToArray(), stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away, sent nothing in time, or the agent stops: nobody to answer.
                Log.ConnectionEnded(logger, e.Message);
            }
        }
    }

    /// <summary>Whether something accepts connections on the socket at <paramref name="path"/>.</summary>
    private static bool IsListening(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The channel as the log names it: <c>socket, uid 1000</c> (just <c>socket</c> where the kernel does not say).</summary>
    private static string Sender(Socket connection)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "socket";
        }

        Span<byte> credentials = stackalloc byte[12];
        try
        {
            return connection.GetRawSocketOption(SolSocket, PeerCredentials, credentials) == credentials.Length
                ? $"socket, uid {BitConverter.ToUInt32(credentials[4..])}"
                : "socket";
        }
        catch (SocketException)
        {
            return "socket";
        }
    }

    /// <summary>The bytes up to the first line end (or the end of the stream); null when more than a command's bytes come without one.</summary>
    private static async Task<byte[]?> ReadLineAsync(Socket connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[ControlCommandReader.MaxBytes + 1];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await connection.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            var end = Array.IndexOf(buffer, (byte)'\n', length, read);
            length += read;
            if (end >= 0)
            {
                return buffer[..end];
            }
        }

        return length < buffer.Length ? buffer[..length] : null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "Taking commands on {Path} (group edgegw)")]
        public static partial void Listening(ILogger logger, string path);

        [LoggerMessage(EventId = 711, Level = LogLevel.Warning, Message = "No control socket at {Path} (Agent:ControlSocket): {Reason}. edgegw reason, article and calendar cannot reach this agent; MQTT commands still can")]
        public static partial void NoSocket(ILogger logger, string path, string reason);

        [LoggerMessage(EventId = 712, Level = LogLevel.Debug, Message = "A control connection ended without a reply: {Reason}")]
        public static partial void ConnectionEnded(ILogger logger, string reason);
    }
}
