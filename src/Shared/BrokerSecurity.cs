using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace EdgeGateway.Mqtt;

/// <summary>How a service authenticates to the broker and checks it: the keys both the agent's and the ingest's options have.</summary>
internal interface IBrokerSecurityOptions
{
    /// <summary>Broker host name: the name its certificate must carry.</summary>
    string Host { get; }

    /// <summary>User name (with <see cref="Password"/>), or null.</summary>
    string? Username { get; }

    /// <summary>Password of <see cref="Username"/>.</summary>
    string? Password { get; }

    /// <summary>Whether to talk TLS.</summary>
    bool Tls { get; }

    /// <summary>PEM file of the pinned CA, or null for the system store.</summary>
    string? CaFile { get; }

    /// <summary>PEM client certificate, or null.</summary>
    string? ClientCertFile { get; }

    /// <summary>PEM key of <see cref="ClientCertFile"/>.</summary>
    string? ClientKeyFile { get; }
}

/// <summary>
/// Credentials, TLS, CA pinning and the client certificate of an MQTT connection, one piece for the agent and the
/// ingest (this file is compiled into both: neither references the other, and a library of its own would cost the
/// gateway's memory budget an assembly).
/// </summary>
internal static class BrokerSecurity
{
    /// <summary>Adds the credentials and, when <see cref="IBrokerSecurityOptions.Tls"/>, the TLS settings to <paramref name="builder"/>.</summary>
    public static MqttClientOptionsBuilder Apply(MqttClientOptionsBuilder builder, IBrokerSecurityOptions mqtt)
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
