namespace EdgeGateway.Cli.Pki;

/// <summary>
/// What a certificate of the programme CA is for; written into its subject as the OU, so that <c>edgegw pki list</c>
/// and <c>broker-config</c> read it back from the certificate itself rather than from a file beside it.
/// </summary>
internal enum IdentityKind
{
    /// <summary>The broker's server certificate (extended key usage serverAuth, host names as SANs).</summary>
    Broker,

    /// <summary>The backend's ingest: reads every record, writes confirmations and dead letters.</summary>
    Ingest,

    /// <summary>A read-only identity (dashboards, people looking): reads every record, writes nothing.</summary>
    Monitor,

    /// <summary>One gateway: CN <c>SITE.GATEWAY</c>, its MQTT user name and client id.</summary>
    Gateway,

    /// <summary>
    /// A tablet or an MES of one site: CN <c>NAME@SITE</c>; sends remote commands to the site's gateways and reads their
    /// replies, nothing else (src/docs/payloads-and-topics.md, "Commands").
    /// </summary>
    Operator,
}
