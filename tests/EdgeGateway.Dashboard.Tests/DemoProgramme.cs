using System.Globalization;
using System.Security.Cryptography;
using EdgeGateway.Core.Payload;
using EdgeGateway.Evaluation.Register;
using EdgeGateway.Ingest.Hosting;
using EdgeGateway.Ingest.Points;
using EdgeGateway.Ingest.Validation;

namespace EdgeGateway.Dashboard.Tests;

/// <summary>
/// The demo programme (deploy/dev/demo.sh) as its chain stores it, made in process and deterministically: for each site
/// config of deploy/sample/demo, the agent's run with the demo's seed (the site's number), span and window kinds
/// (shift, day) replayed through the KPI engine (<see cref="AgentReplay"/>), its payloads validated and turned into
/// points by the ingest's own code (<see cref="MessageValidator"/>, <see cref="PointBuilder"/>) and written to a real
/// InfluxDB; each site's gateway reports as the ingest writes a birth, one of them then went offline (its last will);
/// the register is the demo's. Every page is rendered on it (<see cref="PageRenderingTests"/>).
/// </summary>
public sealed class DemoProgramme : DashboardServer
{
    /// <summary>The demo's simulation span (demo.sh: from, to).</summary>
    public static readonly DateTimeOffset From = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), To = new(2026, 5, 25, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The demo's last working day (a Friday; the window ends with a weekend, when the cells stand idle).</summary>
    public static readonly DateOnly LastWorkingDay = new(2026, 5, 22);

    /// <summary>The window kinds the demo's agents publish (demo.sh: <c>Agent:Windows</c>).</summary>
    private static readonly string[] s_windows = ["shift", "day"];

    /// <summary>The gateway id of every demo agent (demo.sh: <c>Agent:GatewayId</c>).</summary>
    public const string Gateway = "gw-1";

    /// <summary>The site whose gateway went offline (its last will is its last status).</summary>
    public const string OfflineSite = "sme-0634";

    private static readonly string s_folder = Path.Combine(RepoPaths.Root, "deploy", "sample", "demo");

    public override IReadOnlyList<RegisterEntry> Register { get; } = ReadRegister();

    /// <summary>The demo SME's site (demo.sh: user sme-0117) and its treated lathe.</summary>
    public override RegisterEntry SmeCell => Register.Single(e => e.Site == "sme-0117" && e.Cell == "lathe-1");

    public override (DateOnly From, DateOnly To) Window => (DateOnly.FromDateTime(From.UtcDateTime), DateOnly.FromDateTime(To.UtcDateTime));

    public override string Title => "Demo voucher programme 2026 (simulated)";

    /// <summary>The site configs, in name order as demo.sh starts their agents.</summary>
    public static IReadOnlyList<string> SiteConfigs { get; } = [.. Directory.GetFiles(s_folder, "*.json").Order(StringComparer.Ordinal)];

    /// <summary>How many state changes the agents' replays made (each one a state point).</summary>
    public int StateChanges { get; private set; }

    private protected override void Fill(InfluxDb influx)
    {
        File.Copy(Path.Combine(s_folder, "register.csv"), RegisterFile);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var validator = new MessageValidator(TopicScheme.DefaultPrefix, new IngestOptions().MaxPayloadBytes);
        var replays = SiteConfigs.AsParallel().AsOrdered()
            .Select(config => AgentReplay.Run(config, Seed(config), From, To, Gateway, s_windows)).ToList();
        var lines = new List<string>();
        foreach (var replay in replays)
        {
            foreach (var (topic, payload) in replay.Messages)
            {
                lines.Add(Ingest(validator, topic, payload, now));
            }

            lines.AddRange(StatusLines(validator, replay, now));
        }

        foreach (var batch in lines.Chunk(5000))
        {
            influx.Write(string.Join('\n', batch));
        }

        StateChanges = replays.Sum(r => r.Messages.Count - r.Records.Count);
    }

    /// <summary>The seed demo.sh gives a site's agent: the site's number (sme-0117: 117).</summary>
    public static int Seed(string configFile) => int.Parse(Path.GetFileNameWithoutExtension(configFile).Split('-')[^1], CultureInfo.InvariantCulture);

    /// <summary>
    /// The gateway's status as the ingest stores it: a heartbeat (a birth) a minute ago, its outbox drained; the
    /// <see cref="OfflineSite"/>'s birth six hours ago and its last will an hour later.
    /// </summary>
    private static IEnumerable<string> StatusLines(MessageValidator validator, AgentReplay replay, long now)
    {
        const long hourMs = 3_600_000;
        var site = replay.Config.Site;
        var topic = TopicScheme.StatusTopic(TopicScheme.DefaultPrefix, site, Gateway);
        var offline = site == OfflineSite;
        var birthMs = offline ? now - (6 * hourMs) : now - 60_000;
        var cells = replay.Config.Cells.Select(c => c.Id).ToList();
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(s_folder, site + ".json"))));
        var birth = StatusPayload.Birth(new GatewayBirth(site, Gateway, birthMs, "1.0.0", sha, cells, new OutboxCounts(0, 0, 0, null),
            new DeliveryCounts(replay.Messages.Count, 0, null, 0, 0), ClockSynced: true, new GatewayHealth(UptimeS: 86_400, null, 0.002, 12_000_000_000, 51.5)));
        yield return Ingest(validator, topic, birth, birthMs);
        if (offline)
        {
            yield return Ingest(validator, topic, StatusPayload.LastWill(site, Gateway), now - (5 * hourMs));
        }
    }

    /// <summary>What edgegw-ingest writes for one message that arrived at <paramref name="arrivalMs"/>; every message must be valid.</summary>
    private static string Ingest(MessageValidator validator, string topic, byte[] payload, long arrivalMs)
    {
        var result = validator.Validate(topic, payload, payload.Length, arrivalMs);
        Assert.False(result.IsRejected, $"{topic}: {result.Rejection.Reason}");
        return PointBuilder.Lines(result.Record!);
    }

    private static IReadOnlyList<RegisterEntry> ReadRegister()
    {
        var file = Path.Combine(s_folder, "register.csv");
        using var reader = new StreamReader(file);
        return ProgrammeRegister.Read(reader, file);
    }
}

[CollectionDefinition(Name)]
public sealed class DemoTests : ICollectionFixture<DemoProgramme>
{
    public const string Name = "demo";
}
