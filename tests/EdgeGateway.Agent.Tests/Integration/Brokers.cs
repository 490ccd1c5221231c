
namespace EdgeGateway.Agent.Tests.Integration;

/// <summary>
/// The integration tests run one class at a time (each starts agents that publish thousands of records a second;
/// on two cores, running them side by side would only make their timing noisy). Each class has its own broker.
/// </summary>
[CollectionDefinition(Name)]
public sealed class MosquittoGroup
{
    public const string Name = "Mosquitto";
}

/// <summary>A broker that keeps sessions, queued and retained messages across a graceful restart.</summary>
public sealed class PersistentBroker : IDisposable
{
    internal MosquittoBroker Broker { get; } = MosquittoBroker.Launch(new MosquittoSettings { Persistence = true });

    public void Dispose() => Broker.Dispose();
}

/// <summary>A plain anonymous broker.</summary>
public sealed class PlainBroker : IDisposable
{
    internal MosquittoBroker Broker { get; } = MosquittoBroker.Launch();

    public void Dispose() => Broker.Dispose();
}

/// <summary>A broker with a password file and a TLS listener.</summary>
public sealed class SecureBroker : IDisposable
{
    /// <summary>The gateway's user (the site id, as in deploy/backend/mosquitto) and its password.</summary>
    public static readonly (string User, string Password) Gateway = (AgentRun.Site, "gateway-secret");

    /// <summary>The test subscriber's user and password.</summary>
    public static readonly (string User, string Password) Subscriber = ("backend", "backend-secret");

    internal MosquittoBroker Broker { get; } = MosquittoBroker.Launch(new MosquittoSettings
    {
        Tls = true,
        Users = new Dictionary<string, string> { [Gateway.User] = Gateway.Password, [Subscriber.User] = Subscriber.Password },
    });

    public void Dispose() => Broker.Dispose();
}
