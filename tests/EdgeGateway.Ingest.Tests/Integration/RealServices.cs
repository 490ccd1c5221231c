
namespace EdgeGateway.Ingest.Tests.Integration;

/// <summary>
/// The integration tests with real services run one class at a time (each drives agents and ingest processes that keep
/// both cores busy; side by side their timing would only get noisy). Each class has its own broker and database.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RealServicesGroup
{
    public const string Name = "Mosquitto and InfluxDB";
}

/// <summary>A real Mosquitto and a real InfluxDB 1.x with the schema's database, on free loopback ports.</summary>
public sealed class BrokerAndDatabase : IDisposable
{
    public BrokerAndDatabase()
        : this(new MosquittoSettings())
    {
    }

    /// <summary>A broker with <paramref name="broker"/> (e.g. persistence, as a production broker has it) and a database.</summary>
    internal BrokerAndDatabase(MosquittoSettings broker)
    {
        Broker = MosquittoBroker.Launch(broker);
        try
        {
            Influx = InfluxDb.Launch();
        }
        catch
        {
            Broker.Dispose();
            throw;
        }
    }

    internal MosquittoBroker Broker { get; }

    internal InfluxDb Influx { get; }

    public void Dispose()
    {
        Broker.Dispose();
        Influx.Dispose();
    }
}
