using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EdgeGateway.Core;
using EdgeGateway.Hosting;

namespace EdgeGateway.Cli.Pki;

/// <summary>
/// The programme's PKI folder (<c>--dir</c>): <c>ca.crt</c>, <c>ca.key</c>, <c>crl.pem</c>, <c>revoked.csv</c> and
/// <c>issued/NAME.crt</c>, <c>issued/NAME.key</c>. Every file is written to a temporary file beside it and moved into
/// place, so a crash or a full disk leaves the old file or the new one, never half of one; keys are created 0600 (and
/// the folder 0700) before a byte is written, so a key is never readable by others, not even for a moment.
/// </summary>
internal sealed class PkiFolder(string path)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Readable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const string RevokedHeader = "serial,revoked_at,name";

    /// <summary>The folder.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The CA's certificate (PEM): what gateways pin and the broker checks clients against.</summary>
    public string CaCertificate => Combine("ca.crt");

    /// <summary>The CA's private key (PKCS#8 PEM, encrypted with a passphrase or not), 0600.</summary>
    public string CaKey => Combine("ca.key");

    /// <summary>The signed revocation list (PEM) the broker loads (<c>crlfile</c>).</summary>
    public string Crl => Combine("crl.pem");

    /// <summary>What <c>revoke</c> recorded, one certificate a line: serial, when, name.</summary>
    public string RevokedList => Combine("revoked.csv");

    /// <summary>The issued certificates and their keys.</summary>
    public string IssuedFolder => Combine("issued");

    /// <summary>The certificate of <paramref name="name"/> in <see cref="IssuedFolder"/>.</summary>
    public string IssuedCertificate(string name) => System.IO.Path.Combine(IssuedFolder, name + ".crt");

    /// <summary>The private key of <paramref name="name"/> in <see cref="IssuedFolder"/>.</summary>
    public string IssuedKey(string name) => System.IO.Path.Combine(IssuedFolder, name + ".key");

    /// <summary>Creates the folder and <c>issued/</c> (0700) when missing; an existing file in its place is an input error.</summary>
    public void Create()
    {
        foreach (var folder in new[] { Path, IssuedFolder })
        {
            if (File.Exists(folder))
            {
                throw new InputException("--dir", 0, $"'{InputText.Quote(folder)}' is a file, not a folder");
            }

            try
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(folder);
                }
                else
                {
                    Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputException(folder, 0, $"cannot create the folder: {InputText.Quote(e.Message, 200)}");
            }
        }
    }

    /// <summary>Fails unless <c>init</c> made this folder: every other command needs the CA.</summary>
    public void RequireCa()
    {
        if (!File.Exists(CaCertificate))
        {
            throw new InputException(CaCertificate, 0, "no CA here: run 'edgegw pki init --dir " + InputText.Quote(Path) + "' first");
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="file"/> atomically; <paramref name="secret"/> files are 0600, others 0644.</summary>
    public static void WriteAtomically(string file, string text, bool secret) => WriteAtomically(file, Encoding.ASCII.GetBytes(text), secret);

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="file"/> atomically (temporary file beside it, then a rename).</summary>
    public static void WriteAtomically(string file, byte[] bytes, bool secret)
    {
        var temp = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(file)!, $".{System.IO.Path.GetFileName(file)}.{Guid.NewGuid():N}.tmp");
        try
        {
            // The mode is given at creation (open(2) with O_CREAT|O_EXCL): no chmod afterwards, no moment of 0644.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = secret ? OwnerOnly : Readable;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new PkiWriteException(file, e);
        }
    }

    /// <summary>The CA certificate.</summary>
    public X509Certificate2 LoadCaCertificate()
    {
        RequireCa();
        return LoadCertificate(CaCertificate);
    }

    /// <summary>
    /// The CA's certificate with its private key, decrypted with the passphrase of <paramref name="passphraseFile"/>
    /// when the key is encrypted.
    /// </summary>
    public X509Certificate2 LoadCaWithKey(string? passphraseFile)
    {
        using var certificate = LoadCaCertificate();
        var pem = ReadText(CaKey, "CA key");
        using var key = ECDsa.Create();
        try
        {
            if (pem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
            {
                if (passphraseFile is null)
                {
                    throw new InputException(CaKey, 0, "the CA key is encrypted: give its passphrase with --passphrase-file FILE");
                }

                key.ImportFromEncryptedPem(pem, ReadPassphrase(passphraseFile));
            }
            else
            {
                key.ImportFromPem(pem);
            }

            return certificate.CopyWithPrivateKey(key);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new InputException(CaKey, 0, passphraseFile is null
                ? $"not the CA's ECDSA private key (PEM): {InputText.Quote(e.Message, 200)}"
                : $"cannot decrypt the CA key with the passphrase of {InputText.Quote(passphraseFile)} (wrong passphrase?): {InputText.Quote(e.Message, 200)}");
        }
    }

    /// <summary>The passphrase in <paramref name="file"/>: its first line, without the line end; empty is refused.</summary>
    public static string ReadPassphrase(string file)
    {
        var text = ReadText(file, "passphrase");
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        var passphrase = end < 0 ? text : text[..end];
        return passphrase.Length > 0 ? passphrase : throw new InputException(file, 1, "the passphrase is empty");
    }

    /// <summary>The certificates in <c>issued/</c>, by name, with what <c>revoke</c> recorded.</summary>
    public List<IssuedCertificate> ListIssued()
    {
        var revoked = ReadRevoked();
        var issued = new List<IssuedCertificate>();
        var files = Directory.Exists(IssuedFolder) ? Directory.GetFiles(IssuedFolder, "*.crt") : [];
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            using var certificate = LoadCertificate(file);
            var serial = certificate.SerialNumber;
            issued.Add(new IssuedCertificate(System.IO.Path.GetFileNameWithoutExtension(file), Pki.IssuedCertificate.KindOf(certificate), serial,
                certificate.NotAfter.ToUniversalTime(), revoked.TryGetValue(serial, out var entry) ? entry.At : null));
        }

        return issued;
    }

    /// <summary>What <c>revoke</c> recorded, by serial (hexadecimal, upper case).</summary>
    public Dictionary<string, (DateTimeOffset At, string Name)> ReadRevoked()
    {
        var revoked = new Dictionary<string, (DateTimeOffset, string)>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(RevokedList))
        {
            return revoked;
        }

        var lines = ReadText(RevokedList, "revocation list").Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length != 3 || !DateTimeOffset.TryParse(fields[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) || !IsHex(fields[0]))
            {
                throw new InputException(RevokedList, i + 1, $"expected {RevokedHeader}, found '{InputText.Quote(line)}'");
            }

            revoked[fields[0]] = (at.ToUniversalTime(), fields[2]);
        }

        return revoked;
    }

    /// <summary>Records <paramref name="serial"/> of <paramref name="name"/> as revoked at <paramref name="at"/>.</summary>
    public void AddRevoked(string serial, string name, DateTimeOffset at)
    {
        var text = new StringBuilder(RevokedHeader).Append('\n');
        foreach (var (known, entry) in ReadRevoked())
        {
            text.Append(CultureInfo.InvariantCulture, $"{known},{entry.At:yyyy-MM-ddTHH:mm:ssZ},{entry.Name}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"{serial},{at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},{name}\n");
        WriteAtomically(RevokedList, text.ToString(), secret: false);
    }

    /// <summary>Deletes what <c>revoke</c> recorded (a new CA starts with nothing revoked).</summary>
    public void ForgetRevoked()
    {
        try
        {
            File.Delete(RevokedList);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PkiWriteException(RevokedList, e);
        }
    }

    /// <summary>A PEM or DER certificate; a file that is none is an input error naming it.</summary>
    public static X509Certificate2 LoadCertificate(string file)
    {
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(file);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InputException(file, 0, $"cannot read the certificate: {InputText.Quote(e is IOException or UnauthorizedAccessException ? StorageErrors.ReadProblem(file, e) : e.Message, 200)}");
        }
    }

    /// <summary>The text of an input file; <paramref name="what"/> names it in the error.</summary>
    public static string ReadText(string file, string what)
    {
        try
        {
            return File.ReadAllText(file, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(file, 0, $"cannot read the {what}: {InputText.Quote(StorageErrors.ReadProblem(file, e), 200)}");
        }
    }

    private static bool IsHex(string text) => text.Length > 0 && text.All(char.IsAsciiHexDigit);

    private string Combine(string name) => System.IO.Path.Combine(Path, name);

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temporary file's name starts with a dot and says what it was.
        }
    }
}
