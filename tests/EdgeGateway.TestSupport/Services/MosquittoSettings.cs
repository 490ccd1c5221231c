namespace EdgeGateway.TestSupport.Services;

/// <summary>How a <see cref="MosquittoBroker"/> is set up.</summary>
internal sealed record MosquittoSettings
{
    /// <summary>
    /// Keep sessions, their queued messages and retained messages across <see cref="MosquittoBroker.Stop"/> and
    /// <see cref="MosquittoBroker.Start"/> (Mosquitto saves them on a graceful stop).
    /// </summary>
    public bool Persistence { get; init; }

    /// <summary>User names and passwords for a password file (made with <c>mosquitto_passwd -b</c>); null: anonymous clients.</summary>
    public IReadOnlyDictionary<string, string>? Users { get; init; }

    /// <summary>Also listen with TLS on <see cref="MosquittoBroker.TlsPort"/>, with a certificate for 127.0.0.1 and localhost from a test CA.</summary>
    public bool Tls { get; init; }

    /// <summary>Lines of an ACL file (<c>acl_file</c>, as deploy/backend/mosquitto/edgegw.acl); null: every client may read and write everything.</summary>
    public IReadOnlyList<string>? Acl { get; init; }

    /// <summary>
    /// A whole config made elsewhere (<c>edgegw pki broker-config</c>), given the port its one listener must use
    /// (<see cref="MosquittoBroker.Port"/>) and called at every start; only the test's user and log lines go before it,
    /// and the other settings here are not used.
    /// </summary>
    public Func<int, string>? GeneratedConfig { get; init; }
}
