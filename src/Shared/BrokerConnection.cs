using System.Net.Sockets;
using System.Security.Authentication;
using MQTTnet;

namespace EdgeGateway.Mqtt;

/// <summary>
/// What the agent's publisher and the ingest's subscriber both do with their broker connection: connect, serve until
/// it is lost, and connect again after a backoff, for as long as the service runs; a failure says why in one line,
/// logged when the state changes (this file is compiled into both, as <c>BrokerSecurity.cs</c>).
/// </summary>
internal static class BrokerConnection
{
    /// <summary>
    /// Runs <paramref name="attemptAsync"/> (connect, subscribe, serve) again and again until <paramref name="stoppingToken"/>
    /// is cancelled. An attempt that throws is a failure: <paramref name="failedAsync"/> gets its line, the delay and
    /// whether it is news (<see cref="BrokerFailure.Report"/>), then the next attempt waits that long. A connection
    /// (<see cref="BrokerAttempt.Connected"/>) that then lasts <see cref="StableAfter"/> starts the backoff over; one the
    /// broker ends sooner (a gateway it accepts but does not let publish or subscribe) is one more failure in a row, so
    /// the delay grows to <see cref="BrokerOptions.MaxBackoff"/> instead of a reconnect every second, and the next
    /// attempt is <see cref="BrokerAttempt.Flapping"/>. <paramref name="onDisconnected"/> runs when the client loses its
    /// connection (on MQTTnet's task).
    /// </summary>
    public static async Task KeepConnectedAsync(
        IMqttClient client,
        BrokerOptions mqtt,
        string section,
        TimeProvider time,
        Func<BrokerAttempt, Task> attemptAsync,
        Func<BrokerFailure, Task> failedAsync,
        Action? onDisconnected,
        CancellationToken stoppingToken)
    {
        var failures = 0;
        DateTimeOffset? connectedAt = null;
        string? reported = null;
        var reportedAt = DateTimeOffset.MinValue;
        var downSince = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var lost = new CancellationTokenSource();
            Task OnDisconnected(MqttClientDisconnectedEventArgs args)
            {
                onDisconnected?.Invoke();
                lost.Cancel();
                return Task.CompletedTask;
            }

            client.DisconnectedAsync += OnDisconnected;
            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lost.Token);
                var flapping = failures > 0 && connectedAt is not null;
                connectedAt = null;
                await attemptAsync(new BrokerAttempt(() => connectedAt = time.GetUtcNow(), flapping, stoppingToken, linked.Token)).ConfigureAwait(false);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: whatever the attempt was doing when it was cancelled is no connection problem.
                break;
            }
            catch (BrokerReconnectRequestedException)
            {
                // The service ended a good connection on purpose (renewed credentials): connect again at once.
                continue;
            }
            catch (Exception e)
            {
                var now = time.GetUtcNow();
                if (connectedAt is { } since && now - since >= StableAfter)
                {
                    // It served: whatever ended it is news, and the backoff starts over.
                    (failures, reported) = (0, null);
                }

                failures++;
                var delay = Backoff(mqtt, failures);
                var reason = Describe(e, mqtt, section);
                downSince = failures == 1 ? now : downSince;

                // One line per change of the connection's state, not per attempt: the first failure after a connection
                // (or the start), a new reason, and a reminder while it lasts.
                var report = reason != reported || now - reportedAt >= ReminderInterval;
                if (report)
                {
                    (reported, reportedAt) = (reason, now);
                }

                await failedAsync(new BrokerFailure(reason, delay, failures, now - downSince, report)).ConfigureAwait(false);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            finally
            {
                client.DisconnectedAsync -= OnDisconnected;
            }
        }
    }

    /// <summary>How long a connection must last to count as one: shorter, its end is one more failure in a row.</summary>
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(30);

    /// <summary>How often a failure that goes on with the same reason is said again (at the log's normal level).</summary>
    public static readonly TimeSpan ReminderInterval = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The delay after the <paramref name="failures"/>-th failure in a row (1, 2, …): <see cref="BrokerOptions.MinBackoff"/>
    /// doubled per failure up to <see cref="BrokerOptions.MaxBackoff"/>, times a random factor in [0.8, 1.2) so that a
    /// fleet that lost the broker together does not come back together.
    /// </summary>
    public static TimeSpan Backoff(BrokerOptions mqtt, int failures) => Backoff(mqtt, failures, Random.Shared.NextDouble());

    /// <summary><see cref="Backoff(BrokerOptions, int)"/> with the random number in [0, 1) given.</summary>
    internal static TimeSpan Backoff(BrokerOptions mqtt, int failures, double random)
    {
        var exponential = mqtt.MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        var capped = Math.Min(exponential, mqtt.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * random)));
    }

    /// <summary>
    /// One line a technician can act on, for the first cause in <paramref name="e"/>'s chain that says more than the
    /// exception's own message; <paramref name="section"/> (<c>Agent:Mqtt</c>, <c>Ingest:Mqtt</c>) names the keys to check.
    /// </summary>
    public static string Describe(Exception e, BrokerOptions mqtt, string section)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case BrokerRefusedException refused:
                    return refused.ResultCode is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized
                        ? $"the broker {mqtt.Host}:{mqtt.Port} refused the credentials of user '{mqtt.Username}' ({refused.ResultCode}): check {section}:Username and Password"
                        : $"the broker {mqtt.Host}:{mqtt.Port} refused the connection: {refused.ResultCode} {refused.Reason}";
                case MQTTnet.Adapter.MqttConnectingFailedException failed:
                    return $"the broker {mqtt.Host}:{mqtt.Port} refused the connection: {failed.Message} (check {section}:Username and Password)";
                case AuthenticationException:
                    return $"TLS with {mqtt.Host}:{mqtt.Port} failed: the broker's certificate is not trusted (must chain to the pinned CA {mqtt.CaFile ?? "(none set)"} and name {mqtt.Host})";
                case SocketException socket:
                    return $"cannot reach the broker {mqtt.Host}:{mqtt.Port}: {socket.SocketErrorCode}";
                case BrokerRejectedException rejected:
                    return rejected.Message;
                case BrokerConnectionLostException:
                    return $"connection to {mqtt.Host}:{mqtt.Port} lost";
                case System.Security.Cryptography.CryptographicException or FileNotFoundException or UnauthorizedAccessException when mqtt.Tls:
                    // Read for every connection: a renewed certificate copied over its files halfway (the key not yet) fails here.
                    return $"cannot use the TLS files {section}:CaFile, ClientCertFile, ClientKeyFile ({mqtt.CaFile}, {mqtt.ClientCertFile}, {mqtt.ClientKeyFile}): {inner.Message}";
            }
        }

        return $"connection to {mqtt.Host}:{mqtt.Port} lost: {e.Message}";
    }
}

/// <summary>
/// One connection attempt of <see cref="BrokerConnection.KeepConnectedAsync"/>: <paramref name="Stopping"/> ends with the
/// service, <paramref name="Lost"/> also when the connection is lost; <paramref name="Connected"/> says it succeeded.
/// <paramref name="Flapping"/>: the connection before this one ended within <see cref="BrokerConnection.StableAfter"/>,
/// so being connected again is no news (the debug level says it).
/// </summary>
internal readonly record struct BrokerAttempt(Action Connected, bool Flapping, CancellationToken Stopping, CancellationToken Lost);

/// <summary>
/// A failed attempt of <see cref="BrokerConnection.KeepConnectedAsync"/>: why (<paramref name="Reason"/>, one line), the delay
/// before the next, how many failed in a row and for how long. <paramref name="Report"/>: the state changed (the first
/// failure, another reason) or the reminder is due, so the line belongs in the log at its normal level; otherwise it
/// is a repeat, for the debug level only.
/// </summary>
internal readonly record struct BrokerFailure(string Reason, TimeSpan Delay, int InARow, TimeSpan Down, bool Report);

/// <summary>The broker answered CONNECT with a failure reason code.</summary>
internal sealed class BrokerRefusedException(MqttClientConnectResultCode resultCode, string? reason)
    : Exception($"the broker refused the connection: {resultCode} {reason}")
{
    public MqttClientConnectResultCode ResultCode { get; } = resultCode;

    public string? Reason { get; } = reason;
}

/// <summary>The broker refused a publish or a subscription (e.g. an ACL denial); the message is the line to report.</summary>
internal sealed class BrokerRejectedException(string message) : Exception(message);

/// <summary>The service ended its connection on purpose to make a new one (its credential files changed): no failure.</summary>
internal sealed class BrokerReconnectRequestedException() : Exception("reconnecting on purpose");

/// <summary>The broker connection ended while the service was using it.</summary>
internal sealed class BrokerConnectionLostException() : Exception("the broker connection was lost");
