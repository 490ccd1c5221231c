namespace EdgeGateway.Core.Configuration;

/// <summary>One gateway of the fleet file: where it stands, which cells it measures, and the line that says so.</summary>
public sealed record FleetGateway(string Site, string Gateway, IReadOnlyList<string> Cells, int Line)
{
    /// <summary>
    /// Its identity: the certificate's CN, hence the broker's user name and client id for it — the agent's MQTT client
    /// id, <c>SITE.GATEWAY</c> (src/EdgeGateway.Agent/Publishing/MqttPublisher.cs).
    /// </summary>
    public string Identity => IdentityOf(Site, Gateway);

    /// <summary>The identity of gateway <paramref name="gateway"/> at <paramref name="site"/>.</summary>
    public static string IdentityOf(string site, string gateway) => $"{site}.{gateway}";
}
