using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeGateway.Cli.Tests.Pki;

/// <summary>
/// Rotation without loss (src/docs/agent.md, "Broker connection"): a gateway's renewed certificate, issued by
/// <c>edgegw pki issue gateway --force</c> and copied over its old files, is used by the running agent within seconds,
/// without a restart, against a real Mosquitto running the generated config; every record reaches the broker.
/// </summary>
public sealed partial class CertificateRotationTests : IDisposable
{
    private const string Gateway = "gw-rotate";
    private readonly string _root = Directory.CreateTempSubdirectory("edgegw-rotate-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_renewed_certificate_copied_over_the_old_files_is_used_without_a_restart_and_every_record_arrives()
    {
        var dir = Path.Combine(_root, "pki");
        var fleet = Path.Combine(_root, "fleet.csv");
        File.WriteAllText(fleet, $"site,gateway,cells\n{AgentRun.Site},{Gateway},cell-1\n");
        FleetPki.Create(dir, AgentRun.Site, Gateway);
        using var broker = FleetPki.Launch(dir, Path.Combine(_root, "broker"), fleet);

        // The gateway's own copies, as /etc/edgegw holds them.
        var etc = Directory.CreateDirectory(Path.Combine(_root, "etc")).FullName;
        var (issuedCertificate, issuedKey) = FleetPki.Identity(dir, $"{AgentRun.Site}.{Gateway}");
        var (certificate, key, ca) = (Path.Combine(etc, "gateway.crt"), Path.Combine(etc, "gateway.key"), Path.Combine(etc, "ca.crt"));
        File.Copy(issuedCertificate, certificate);
        File.Copy(issuedKey, key);
        File.Copy(Path.Combine(dir, "ca.crt"), ca);

        using var monitor = await FleetClient.ConnectAsync(broker.Port, ca, FleetPki.Identity(dir, "monitor"), "monitor");
        await monitor.SubscribeAsync("edgegw/v1/#");
        using var run = new AgentRun(Gateway, broker.Port, speedFactor: 600);
        run.Settings["Mqtt:Tls"] = "true";
        run.Settings["Mqtt:CaFile"] = ca;
        run.Settings["Mqtt:ClientCertFile"] = certificate;
        run.Settings["Mqtt:ClientKeyFile"] = key;
        var agent = run.Start();
        var first = Serial(issuedCertificate);
        await Poll.Until(() => agent.FindLine($"serial {first}") is not null && Sequences(monitor).Count >= 5, TimeSpan.FromSeconds(60), "the agent to deliver with its first certificate", () => agent.Tail());

        PkiRun.Ok("pki", "issue", "gateway", "--dir", dir, "--site", AgentRun.Site, "--gateway", Gateway, "--force");
        var renewed = Serial(issuedCertificate);
        Assert.NotEqual(first, renewed);
        File.Copy(issuedKey, key, overwrite: true);
        File.Copy(issuedCertificate, certificate, overwrite: true);
        var before = Sequences(monitor).Max();

        await Poll.Until(() => agent.FindLine($"serial {renewed}") is not null, TimeSpan.FromSeconds(40), "the agent to connect with the renewed certificate", () => agent.Tail());
        await Poll.Until(() => Sequences(monitor).Max() >= before + 5, TimeSpan.FromSeconds(60), "records after the renewal", () => agent.Tail());

        Assert.False(agent.HasExited, agent.Tail());
        Assert.NotNull(agent.FindLine("The broker's TLS files changed"));
        // Every record up to the last one seen arrived (unconfirmed ones are sent again, none is skipped).
        var seen = Sequences(monitor);
        var last = seen.Max();
        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), seen.Where(s => s <= last).Order());

        // edgegw doctor beside the running agent: on this broker its certificate's name is the client id, so doctor
        // must not connect as the gateway (the broker would end the agent's session); the agent stays connected.
        var failures = agent.CountLines("Not delivering");
        var config = Path.Combine(_root, "doctor.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(run.ConfigFile))!.AsObject();
        json["Agent"] = new System.Text.Json.Nodes.JsonObject
        {
            ["GatewayId"] = Gateway,
            ["Mqtt"] = new System.Text.Json.Nodes.JsonObject
            {
                ["Host"] = MosquittoBroker.Host, ["Port"] = broker.Port, ["Tls"] = true, ["CaFile"] = ca, ["ClientCertFile"] = certificate, ["ClientKeyFile"] = key,
            },
        };
        File.WriteAllText(config, json.ToJsonString());
        using var stdout = new MemoryStream();
        Program.Run(["doctor", "--config", config, "--status-file", run.StatusFile, "--json"], stdout, TextWriter.Null);
        using var report = JsonDocument.Parse(stdout.ToArray());
        var session = report.RootElement.EnumerateArray().Single(c => c.GetProperty("check").GetString() == "broker session");
        Assert.Equal("ok", session.GetProperty("verdict").GetString());
        Assert.Contains("not connecting as the same identity", session.GetProperty("found").GetString(), StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.True(failures == agent.CountLines("Not delivering"), $"{System.Text.Encoding.UTF8.GetString(stdout.ToArray())}\n{agent.Tail(40)}");
        await agent.StopAsync();
    }

    private static string Serial(string path)
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        return certificate.SerialNumber;
    }

    /// <summary>Every distinct "seq" in what the monitor received (records alone, or inside batches).</summary>
    private static SortedSet<long> Sequences(FleetClient monitor)
    {
        var sequences = new SortedSet<long>();
        foreach (var (_, payload) in monitor.Received)
        {
            foreach (Match match in SeqPattern().Matches(payload))
            {
                sequences.Add(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }

        return sequences;
    }

    [GeneratedRegex("\"seq\":(\\d+)")]
    private static partial Regex SeqPattern();
}
