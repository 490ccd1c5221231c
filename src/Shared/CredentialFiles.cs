using System.Security.Cryptography.X509Certificates;

namespace EdgeGateway.Mqtt;

/// <summary>
/// The TLS files of a broker connection (CA, client certificate, key) as they were when it was made. A renewed
/// certificate is copied over the old files; the service notices within <see cref="CheckInterval"/> and connects again
/// with it, without a restart (the files are read afresh for every connection).
/// </summary>
internal sealed class CredentialFiles
{
    /// <summary>How often the files are looked at while connected.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(10);

    private readonly (string Path, DateTime Written, long Length)[] _files;

    private CredentialFiles((string Path, DateTime Written, long Length)[] files) => _files = files;

    /// <summary>The files <paramref name="mqtt"/> names, as they are now.</summary>
    public static CredentialFiles Of(BrokerOptions mqtt) =>
        new([.. new[] { mqtt.CaFile, mqtt.ClientCertFile, mqtt.ClientKeyFile }.OfType<string>().Select(Stamp)]);

    /// <summary>The paths that differ now (written, replaced or removed), comma-separated; null when none does.</summary>
    public string? Changed()
    {
        var changed = _files.Where(f => Stamp(f.Path) != f).Select(f => f.Path).ToList();
        return changed.Count == 0 ? null : string.Join(", ", changed);
    }

    /// <summary>Returns the changed paths once one differs (looked at every <see cref="CheckInterval"/>); never without files.</summary>
    public async Task<string> WaitForChangeAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        if (_files.Length == 0)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }

        using var timer = new PeriodicTimer(CheckInterval, time);
        while (true)
        {
            await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
            if (Changed() is { } changed)
            {
                return changed;
            }
        }
    }

    /// <summary>Subject, serial and end of validity of the client certificate in <paramref name="path"/>, for the log.</summary>
    public static string Describe(string path)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
            return $"{certificate.Subject}, serial {certificate.SerialNumber}, valid to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm}Z";
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            // Replaced since the connection read it: the next check of the files reconnects with the new one.
            return $"{path} (not readable now: {e.Message})";
        }
    }

    private static (string Path, DateTime Written, long Length) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (path, info.LastWriteTimeUtc, info.Length) : (path, default, -1);
    }
}
