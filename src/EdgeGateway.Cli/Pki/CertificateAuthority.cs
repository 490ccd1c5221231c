using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeGateway.Core;

namespace EdgeGateway.Cli.Pki;

/// <summary>
/// The programme CA: makes its own certificate, issues the broker's, the ingest's, the monitor's and each gateway's,
/// and signs the revocation list — with .NET's <see cref="CertificateRequest"/> and
/// <see cref="CertificateRevocationListBuilder"/>, ECDSA P-256 and SHA-256 throughout (what Mosquitto's OpenSSL and
/// MQTTnet's SslStream both take, and cheap for a Raspberry Pi's handshake).
/// </summary>
internal static class CertificateAuthority
{
    /// <summary>Default validity of the CA: 10 years (its end is the end of every certificate it signed).</summary>
    public const int DefaultCaDays = 3650;

    /// <summary>Default validity of a broker, ingest, monitor or gateway certificate: 2 years.</summary>
    public const int DefaultLeafDays = 730;

    /// <summary>Default validity of a revocation list: 365 days. Mosquitto refuses every client once its list expires.</summary>
    public const int DefaultCrlDays = 365;

    /// <summary>The longest CN X.509 allows (ub-common-name).</summary>
    public const int MaxCommonName = 64;

    // Certificates start a little in the past: a gateway whose clock is a few minutes behind still accepts them.
    private static readonly TimeSpan s_backdate = TimeSpan.FromMinutes(5);

    /// <summary>A new CA: its self-signed certificate (CA, path length 0: it signs only end identities) and its key.</summary>
    public static (X509Certificate2 Certificate, ECDsa Key) CreateCa(string name, DateTimeOffset now, int days)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject(name, null), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var certificate = request.CreateSelfSigned(now - s_backdate, now.AddDays(days));
        return (certificate, key);
    }

    /// <summary>
    /// A certificate for <paramref name="commonName"/> of <paramref name="kind"/>, valid from <paramref name="notBefore"/>
    /// to <paramref name="notAfter"/> (clipped to the CA's end), signed by <paramref name="ca"/> (with its key), and its new key.
    /// <paramref name="hosts"/> are the broker's DNS names and IP addresses (subject alternative names).
    /// </summary>
    public static (X509Certificate2 Certificate, ECDsa Key) Issue(X509Certificate2 ca, IdentityKind kind, string commonName, IReadOnlyList<string> hosts, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        if (commonName.Length > MaxCommonName)
        {
            throw new InputException("name", 0, $"'{InputText.Quote(commonName)}' has {commonName.Length} characters; a certificate's CN holds at most {MaxCommonName}");
        }

        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject(commonName, kind), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [kind == IdentityKind.Broker ? new Oid("1.3.6.1.5.5.7.3.1", "serverAuth") : new Oid("1.3.6.1.5.5.7.3.2", "clientAuth")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (hosts.Count > 0)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (var host in hosts)
            {
                if (IPAddress.TryParse(host, out var address))
                {
                    names.AddIpAddress(address);
                }
                else
                {
                    names.AddDnsName(host);
                }
            }

            request.CertificateExtensions.Add(names.Build());
        }

        var end = notAfter > ca.NotAfter ? new DateTimeOffset(ca.NotAfter.ToUniversalTime()) : notAfter;
        using var signer = ca.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the CA certificate has no ECDSA private key");
        var certificate = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(signer), notBefore, end, NewSerial());
        return (certificate, key);
    }

    /// <summary>The validity a certificate issued now for <paramref name="days"/> days gets.</summary>
    public static (DateTimeOffset NotBefore, DateTimeOffset NotAfter) Validity(DateTimeOffset now, int days) => (now - s_backdate, now.AddDays(days));

    /// <summary>
    /// The signed revocation list of <paramref name="revoked"/> (serial and time), numbered one after
    /// <paramref name="previousNumber"/>, valid until <paramref name="now"/> + <paramref name="days"/>.
    /// </summary>
    public static byte[] SignCrl(X509Certificate2 ca, IEnumerable<(string Serial, DateTimeOffset At)> revoked, BigInteger previousNumber, DateTimeOffset now, int days)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var (serial, at) in revoked)
        {
            builder.AddEntry(Convert.FromHexString(serial), at, X509RevocationReason.Unspecified);
        }

        return builder.Build(ca, previousNumber + 1, now.AddDays(days), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, now - s_backdate);
    }

    /// <summary>The number of the list in <paramref name="pem"/> (0 when there is none yet).</summary>
    public static BigInteger CrlNumber(string? pem)
    {
        if (pem is null)
        {
            return BigInteger.Zero;
        }

        CertificateRevocationListBuilder.LoadPem(pem, out var number);
        return number;
    }

    /// <summary><paramref name="certificate"/> as PEM.</summary>
    public static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    /// <summary><paramref name="key"/> as PKCS#8 PEM, encrypted with <paramref name="passphrase"/> (AES-256, PBKDF2-SHA256) when given.</summary>
    public static string Pem(ECDsa key, string? passphrase) =>
        (passphrase is null
            ? key.ExportPkcs8PrivateKeyPem()
            : key.ExportEncryptedPkcs8PrivateKeyPem(passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 200_000))) + "\n";

    /// <summary>A revocation list as PEM (<c>X509 CRL</c>, as OpenSSL and Mosquitto read it).</summary>
    public static string CrlPem(byte[] der) => new string(PemEncoding.Write("X509 CRL", der)) + "\n";

    private static X500DistinguishedName Subject(string commonName, IdentityKind? kind)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddOrganizationName("EdgeGateway");
        if (kind is { } k)
        {
            name.AddOrganizationalUnitName(Pki.IssuedCertificate.KindName(k));
        }

        name.AddCommonName(commonName);
        return name.Build();
    }

    // 16 random bytes, positive and without a leading zero byte: unique without a counter to keep.
    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }
}
