using System.Net.Sockets;
using System.Security.Authentication;
using MQTTnet;

namespace EdgeGateway.Mqtt;

/// <summary>
/// What the agent's publisher and the ingest's subscriber both do when a broker connection fails: how long to wait
/// before the next attempt, and the one line that says why (this file is compiled into both, as <c>BrokerSecurity.cs</c>).
/// </summary>
internal static class BrokerConnection
{
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
            }
        }

        return $"connection to {mqtt.Host}:{mqtt.Port} lost: {e.Message}";
    }
}

/// <summary>The broker answered CONNECT with a failure reason code.</summary>
internal sealed class BrokerRefusedException(MqttClientConnectResultCode resultCode, string? reason)
    : Exception($"the broker refused the connection: {resultCode} {reason}")
{
    public MqttClientConnectResultCode ResultCode { get; } = resultCode;

    public string? Reason { get; } = reason;
}

/// <summary>The broker refused a publish or a subscription (e.g. an ACL denial); the message is the line to report.</summary>
internal sealed class BrokerRejectedException(string message) : Exception(message);

/// <summary>The broker connection ended while the service was using it.</summary>
internal sealed class BrokerConnectionLostException() : Exception("the broker connection was lost");
