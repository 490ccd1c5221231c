using System.Security.Cryptography.X509Certificates;

namespace EdgeGateway.Cli.Pki;

/// <summary>A certificate in the PKI folder's <c>issued/</c>, as <c>edgegw pki list</c> shows it.</summary>
/// <param name="Name">The file name without <c>.crt</c>: the certificate's CN, the broker's user name for it.</param>
/// <param name="Kind">From the subject's OU; null when the certificate has none this command wrote.</param>
/// <param name="Serial">The serial number, hexadecimal as OpenSSL prints it.</param>
/// <param name="NotAfter">The end of its validity (UTC).</param>
/// <param name="RevokedAt">When <c>edgegw pki revoke</c> recorded it, or null.</param>
internal sealed record IssuedCertificate(string Name, IdentityKind? Kind, string Serial, DateTimeOffset NotAfter, DateTimeOffset? RevokedAt)
{
    /// <summary>The kind as written in the OU: <c>broker</c>, <c>ingest</c>, <c>monitor</c>, <c>gateway</c>.</summary>
    public static string KindName(IdentityKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The kind a certificate's subject names in its OU, or null.</summary>
    public static IdentityKind? KindOf(X509Certificate2 certificate)
    {
        foreach (var part in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (part.GetSingleElementType().Value == "2.5.4.11" && Enum.TryParse<IdentityKind>(part.GetSingleElementValue(), ignoreCase: true, out var kind))
            {
                return kind;
            }
        }

        return null;
    }
}
