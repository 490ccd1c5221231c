namespace EdgeGateway.Cli.Help;

/// <summary>
/// The man-page part of every command's <c>--help</c>, by command path (<c>""</c> is <c>edgegw</c> itself), kept in one
/// place so that the commands read alike. <c>ManualTests</c> holds every command to having its page.
/// </summary>
public static class Manual
{
    private const string BadInput = "2  bad input: an argument, the config, a trace or another file named on the line (one line on stderr saying which and where)";

    private static readonly string[] s_pkiExit =
    [
        "0  done, one line on stdout",
        "1  a file could not be written (named; nothing is left half written)",
        "2  bad input or a refusal: an option, a missing CA, a wrong passphrase, a bad fleet file, an existing CA without --force",
    ];

    private static readonly string[] s_controlExit =
    [
        "0  done, the agent's message on stdout",
        "1  the agent refused (why on stderr: an unknown cell, code or article with the valid ones, a bad time, no stop to label…) or cannot be reached (is edgegw-agent running? is the user in group edgegw?)",
        "2  malformed arguments",
    ];

    private static readonly string[] s_controlFiles = ["/run/edgegw/control.sock  the running agent's control socket (mode 0660, group edgegw)"];

    /// <summary>The pages, by command path.</summary>
    public static readonly IReadOnlyDictionary<string, ManualPage> Pages = new Dictionary<string, ManualPage>(StringComparer.Ordinal)
    {
        [""] = new(
            ["0  success", "1  the command could not do its work (a device, a service or the disk); its line says why", BadInput],
            [("edgegw doctor", "check the gateway as installed"), ("edgegw config validate --config /etc/edgegw/edgegw.json", "check the config"),
             ("edgegw status", "what the running agent is doing"), ("edgegw COMMAND --help", "a command's options, exit status and examples")],
            ["/etc/edgegw/edgegw.json  the gateway's config", "/var/lib/edgegw/outbox  records not yet confirmed by the backend",
             "/run/edgegw/status.json  the running agent's status"]),
        ["replay"] = new(
            ["0  the records were printed", "1  the output could not be written (e.g. a full disk)", BadInput],
            [("edgegw replay --config /etc/edgegw/edgegw.json --trace trace.csv --window day", "day records as a table"),
             ("edgegw replay --config edgegw.json --trace trace.csv --window 1m --format json > records.json", "minute records as one JSON array")]),
        ["simulate"] = new(
            ["0  trace and truth written", "2  bad input: an argument, the config or an output that cannot be written (one line on stderr); nothing is left behind"],
            [("edgegw simulate --config simulation.json --from 2026-03-02 --to 2026-03-09 --seed 1 --trace trace.csv --truth truth.json",
              "a week of simulated signals and its exact KPIs")]),
        ["calibrate"] = new(
            ["0  thresholds suggested", "1  the recording holds only one power level (record running and standing)", BadInput],
            [("edgegw record --config /etc/edgegw/edgegw.json --seconds 3600 --out power.csv", "record an hour of the cell's power first"),
             ("edgegw calibrate --config /etc/edgegw/edgegw.json --trace power.csv", "suggest StateFromPower / CyclesFromPower lines")]),
        ["status"] = new(
            ["0  the status was printed", BadInput, "3  no running agent: no status file, a stale one, or its process is gone"],
            [("edgegw status", "the running agent's broker, outbox, delivery and cells"), ("edgegw status --json", "the same, for scripts")],
            ["/run/edgegw/status.json  written by the agent every 2 s"]),
        ["report"] = new(
            ["0  printed", "1  InfluxDB cannot be asked (no answer, a server error, not InfluxDB)", "2  bad input: an argument, an unknown database, or no day records selected (one line on stderr)"],
            [("edgegw report --influx-url http://127.0.0.1:8086 --site sme-0117 --from 2026-03-02", "weekly KPIs of one site's cells")]),
        ["evaluate"] = new(
            ["0  report written", "1  InfluxDB does not answer (or is not InfluxDB)", "2  bad input: an argument, the register (one line per problem), an unknown database, or no day records"],
            [("edgegw evaluate --register register.csv --from 2026-03-02 --to 2026-05-25 --out evaluation",
              "the programme's effects with 95 % confidence intervals: report.html, evaluation.json, CSV")]),
        ["sensors"] = new(
            ["0  done", "1  a bus, chip or library is missing (one line: what and how to enable it)", BadInput],
            [("edgegw sensors scan --config /etc/edgegw/edgegw.json", "what answers on I2C and GPIO, and what the config expects"),
             ("edgegw sensors watch --config /etc/edgegw/edgegw.json", "live values of the configured inputs")]),
        ["sensors scan"] = new(
            ["0  done", "1  a bus, chip or library is missing (one line: what and how to enable it)", BadInput],
            [("edgegw sensors scan", "chips on I2C bus 1 and the GPIO lines' levels"),
             ("edgegw sensors scan --config /etc/edgegw/edgegw.json", "the same, naming the signal each feeds and what is missing")]),
        ["sensors watch"] = new(
            ["0  done (Ctrl+C or --seconds)", "1  a bus, chip or library is missing", BadInput],
            [("edgegw sensors watch --config /etc/edgegw/edgegw.json", "each signal's latest value and age, until Ctrl+C"),
             ("edgegw sensors watch --config /etc/edgegw/edgegw.json --seconds 60 > watch.log", "one minute, one block per refresh")]),
        ["record"] = new(
            ["0  recorded", "1  a bus, chip or library is missing", "2  bad input: an argument, the config, a config without sources, or an --out that cannot be written"],
            [("edgegw record --config /etc/edgegw/edgegw.json --seconds 600 --out trace.csv", "ten minutes of every configured input, then its KPIs")]),
        ["doctor"] = new(
            ["0  every check ok", "1  a warning", "2  a failure (each line says the fix)"],
            [("sudo edgegw doctor", "every check of the installed gateway"), ("edgegw doctor --json", "the checks for scripts: check, verdict, found, fix")],
            ["/etc/edgegw/edgegw.json  the config checked", "/run/edgegw/status.json  the running agent's status"]),
        ["config"] = new(
            ["0  done", BadInput],
            [("sudo edgegw config init", "answer the questions, get a config the agent accepts"),
             ("edgegw config validate --config /etc/edgegw/edgegw.json", "check it as the agent does")]),
        ["config init"] = new(
            ["0  written", "2  an answer, an argument or the output refused (nothing written)"],
            [("sudo edgegw config init", "asks for site, cells, signals, shifts and broker; writes /etc/edgegw/edgegw.json"),
             ("edgegw config init --non-interactive --out edgegw.json --set site=sme-0117 --set tls=n --set broker=broker.example",
              "scripted: every answer from --set or its default")],
            ["/etc/edgegw/edgegw.json  written (asks before overwriting unless --force)"]),
        ["config validate"] = new(
            ["0  valid: one summary line", "2  invalid: every problem, one per line, FILE:LINE: KEY.PATH: what is wrong"],
            [("edgegw config validate --config /etc/edgegw/edgegw.json", "check the config the agent runs with"),
             ("edgegw config validate --config edgegw.json --json", "the same, for scripts")]),
        ["pki"] = new(s_pkiExit, [("edgegw pki init --dir /root/edgegw-pki", "the programme's CA: do this once, off the broker"),
            ("edgegw pki issue gateway --dir /root/edgegw-pki --site sme-0117 --gateway gw-1", "a gateway's certificate and key")]),
        ["pki init"] = new(s_pkiExit, [("edgegw pki init --dir /root/edgegw-pki --passphrase-file /root/ca-passphrase", "a CA whose key is encrypted")],
            ["DIR/ca.crt, DIR/ca.key (0600), DIR/crl.pem  written; DIR is 0700"]),
        ["pki issue"] = new(s_pkiExit, [("edgegw pki issue broker --dir /root/edgegw-pki --host broker.example --host 10.0.0.5", "the broker's server certificate")]),
        ["pki issue broker"] = new(s_pkiExit, [("edgegw pki issue broker --dir /root/edgegw-pki --host broker.example", "for the name gateways connect to")],
            ["DIR/broker.crt, DIR/broker.key (0600)"]),
        ["pki issue ingest"] = new(s_pkiExit, [("edgegw pki issue ingest --dir /root/edgegw-pki --name ingest-2", "one more ingest instance")],
            ["DIR/issued/NAME.crt, DIR/issued/NAME.key (0600)"]),
        ["pki issue monitor"] = new(s_pkiExit, [("edgegw pki issue monitor --dir /root/edgegw-pki", "a client that reads every record and writes nothing")],
            ["DIR/issued/NAME.crt, DIR/issued/NAME.key (0600)"]),
        ["pki issue gateway"] = new(s_pkiExit, [("edgegw pki issue gateway --dir /root/edgegw-pki --site sme-0117 --gateway gw-1", "CN sme-0117.gw-1: its user name and client id at the broker")],
            ["DIR/issued/SITE.GATEWAY.crt, DIR/issued/SITE.GATEWAY.key (0600): copy both and ca.crt to the gateway"]),
        ["pki issue operator"] = new(s_pkiExit, [("edgegw pki issue operator --dir /root/edgegw-pki --site sme-0117 --name tablet-1", "CN tablet-1@sme-0117: sends commands to sme-0117's gateways, reads their replies")],
            ["DIR/issued/NAME@SITE.crt, DIR/issued/NAME@SITE.key (0600)"]),
        ["pki revoke"] = new(s_pkiExit, [("edgegw pki revoke --dir /root/edgegw-pki sme-0117.gw-1", "then 'edgegw pki crl' and give the broker the new crl.pem")]),
        ["pki crl"] = new(s_pkiExit, [("edgegw pki crl --dir /root/edgegw-pki", "sign the revocation list again (also before it expires: 365 days)")],
            ["DIR/crl.pem  written"]),
        ["pki list"] = new(s_pkiExit, [("edgegw pki list --dir /root/edgegw-pki", "every certificate: name, kind, serial, not after, revoked")]),
        ["reason"] = new(s_controlExit,
            [("edgegw reason --cell press1 --code waiting_material", "the stop going on now (or just ended) waits for material"),
             ("edgegw reason --cell press1 --code tool_change --at 08:10", "the stop that was going on at 08:10 today")], s_controlFiles),
        ["article"] = new(s_controlExit,
            [("edgegw article --cell press1 --article A-100", "from now on press1 makes A-100 (its ideal cycle time and parts per cycle)")], s_controlFiles),
        ["calendar"] = new(s_controlExit,
            [("edgegw calendar close --from 2026-12-24T12:00 --to 2026-12-26", "closed from noon on the 24th through the 26th"),
             ("edgegw calendar extra-shift --from 2026-12-19T06:00 --to 2026-12-19T14:00", "a one-off Saturday shift")], s_controlFiles),
        ["calendar close"] = new(s_controlExit,
            [("edgegw calendar close --from 2026-12-24T12:00 --to 2026-12-26", "no planned production from noon on the 24th through the 26th, every cell")], s_controlFiles),
        ["calendar extra-shift"] = new(s_controlExit,
            [("edgegw calendar extra-shift --from 2026-12-19T06:00 --to 2026-12-19T14:00", "a staffed one-off shift for every cell")], s_controlFiles),
        ["pki broker-config"] = new(s_pkiExit,
            [("edgegw pki broker-config --dir /root/edgegw-pki --fleet fleet.csv --out /tmp/broker", "mosquitto.conf and the per-gateway ACL for the fleet file (site,gateway,cells)")],
            ["OUTDIR/mosquitto.conf, OUTDIR/edgegw.acl and the broker's certificates, for --broker-dir on the broker"]),
    };

}
