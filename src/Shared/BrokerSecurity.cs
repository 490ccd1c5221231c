using System.ComponentModel.DataAnnotations;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace EdgeGateway.Mqtt;

/// <summary>
/// The broker connection keys the agent's options (<c>Agent:Mqtt</c>) and the ingest's (<c>Ingest:Mqtt</c>) both have, with
/// their defaults and the rules across them; each service's options add their own keys.
/// </summary>
public abstract class BrokerOptions
{
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromDays(1);

    /// <summary>Broker host name or address (the name its certificate must carry).</summary>
    [Required]
    public string Host { get; set; } = "localhost";

    /// <summary>Broker port (1883 plain, 8883 TLS by convention).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>User name; with a client certificate the broker may take the certificate's CN instead.</summary>
    public string? Username { get; set; }

    /// <summary>Password (prefer the environment: <c>EDGEGW_Agent__Mqtt__Password</c>, <c>EDGEGW_Ingest__Mqtt__Password</c>).</summary>
    public string? Password { get; set; }

    /// <summary>Use TLS.</summary>
    public bool Tls { get; set; }

    /// <summary>PEM file of the CA the broker's certificate must chain to (pinned: the system store is not used).</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate (with <see cref="ClientKeyFile"/>).</summary>
    public string? ClientCertFile { get; set; }

    /// <summary>PEM private key of the client certificate.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>MQTT keep-alive.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First reconnect delay; doubles per failure up to <see cref="MaxBackoff"/>, with ±20 % jitter.</summary>
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest reconnect delay.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Where the ingest confirms stored records to each gateway (<c>{prefix}/{site}/{gateway}</c>); outside the records'
    /// prefix, so the ingest's subscription does not see its own confirmations.
    /// </summary>
    public string ConfirmTopicPrefix { get; set; } = EdgeGateway.Core.Payload.DeliveryConfirmation.DefaultTopicPrefix;

    /// <summary>Rules across these keys; each failure names its keys under <paramref name="section"/> (e.g. <c>Agent:Mqtt</c>).</summary>
    public IEnumerable<string> Problems(string section)
    {
        // Each problem begins with the key that is set: the line a technician is sent to.
        if ((ClientCertFile is null) != (ClientKeyFile is null))
        {
            yield return ClientCertFile is not null
                ? $"{section}:ClientCertFile: needs {section}:ClientKeyFile too (the certificate and its key go together)"
                : $"{section}:ClientKeyFile: needs {section}:ClientCertFile too (the certificate and its key go together)";
        }

        if (!Tls && (CaFile is not null || ClientCertFile is not null))
        {
            yield return $"{section}:{(CaFile is not null ? "CaFile" : "ClientCertFile")}: needs {section}:Tls = true";
        }

        var missing = false;
        foreach (var (key, file) in new[] { ("CaFile", CaFile), ("ClientCertFile", ClientCertFile), ("ClientKeyFile", ClientKeyFile) })
        {
            if (file is not null && !File.Exists(file))
            {
                missing = true;
                yield return $"{section}:{key}: file '{file}' does not exist";
            }
        }

        // Loaded now as the connection will load them, so that a file that is no certificate is a config error (exit 2)
        // and not a failure of the service once it starts.
        if (!missing && CertificateProblem(section) is { } certificate)
        {
            yield return certificate;
        }

        if (Password is not null && Username is null)
        {
            yield return $"{section}:Password is set but {section}:Username is not";
        }

        if (MinBackoff <= TimeSpan.Zero || MaxBackoff < MinBackoff)
        {
            yield return $"{section}:MinBackoff must be positive and at most {section}:MaxBackoff";
        }
        else if (MaxBackoff > s_maxBackoff)
        {
            // A delay is a timer, which takes at most 49.7 days; jitter adds a fifth. Longer never made sense anyway.
            yield return $"{section}:MaxBackoff must be at most {s_maxBackoff}, found {MaxBackoff}";
        }

        if (KeepAlive < TimeSpan.FromSeconds(1) || KeepAlive.TotalSeconds > ushort.MaxValue)
        {
            // MQTT carries the keep-alive in seconds in two bytes.
            yield return $"{section}:KeepAlive must be between 00:00:01 and 18:12:15";
        }

        if (string.IsNullOrEmpty(ConfirmTopicPrefix) || ConfirmTopicPrefix.AsSpan().ContainsAny('#', '+') || ConfirmTopicPrefix.EndsWith('/'))
        {
            yield return $"{section}:ConfirmTopicPrefix: '{ConfirmTopicPrefix}' must be a topic without the MQTT wildcards # or + and without a trailing /";
        }
    }

    private string? CertificateProblem(string section)
    {
        var key = "CaFile";
        try
        {
            if (CaFile is not null)
            {
                X509CertificateLoader.LoadCertificateFromFile(CaFile).Dispose();
            }

            key = "ClientCertFile";
            if (ClientCertFile is not null && ClientKeyFile is not null)
            {
                X509Certificate2.CreateFromPemFile(ClientCertFile, ClientKeyFile).Dispose();
            }

            return null;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return key == "CaFile"
                ? $"{section}:CaFile: '{CaFile}' is not a certificate (PEM or DER): {e.Message}"
                : $"{section}:ClientCertFile, ClientKeyFile: '{ClientCertFile}' and '{ClientKeyFile}' are not a PEM certificate and its key: {e.Message}";
        }
    }
}

/// <summary>
/// Credentials, TLS, CA pinning and the client certificate of an MQTT connection, one piece for the agent and the
/// ingest (this file is compiled into both: neither references the other, and a library of its own would cost the
/// gateway's memory budget an assembly).
/// </summary>
internal static class BrokerSecurity
{
    /// <summary>Adds the credentials and, when <see cref="BrokerOptions.Tls"/>, the TLS settings to <paramref name="builder"/>.</summary>
    public static MqttClientOptionsBuilder Apply(MqttClientOptionsBuilder builder, BrokerOptions mqtt)
    {
        if (mqtt.Username is not null)
        {
            builder.WithCredentials(mqtt.Username, mqtt.Password ?? "");
        }

        if (mqtt.Tls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost(mqtt.Host);
                if (mqtt.CaFile is not null)
                {
                    var ca = X509CertificateLoader.LoadCertificateFromFile(mqtt.CaFile);
                    tls.WithCertificateValidationHandler(args => IsSignedByPinnedCa(args.Certificate, args.SslPolicyErrors, ca));
                }

                if (mqtt.ClientCertFile is not null && mqtt.ClientKeyFile is not null)
                {
                    tls.WithClientCertificates([X509Certificate2.CreateFromPemFile(mqtt.ClientCertFile, mqtt.ClientKeyFile)]);
                }
            });
        }

        return builder;
    }

    /// <summary>The broker's certificate must chain to the pinned CA (the system store plays no part) and name the host.</summary>
    public static bool IsSignedByPinnedCa(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
