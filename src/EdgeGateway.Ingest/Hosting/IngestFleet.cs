using System.Text;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Hosting;

namespace EdgeGateway.Ingest.Hosting;

/// <summary>
/// The fleet of <c>Ingest:FleetFile</c>, read once, when the service is composed and before anything runs, so that a
/// file that cannot be read or is invalid stops the start with its <c>FILE:LINE</c> (exit code 2), and an ingest never
/// runs with another fleet than the one it checked. Read with the one parser of <c>edgegw pki broker-config</c>
/// (<see cref="FleetFile"/>): the ACL the broker enforces and the checks behind it read the same file the same way.
/// </summary>
internal sealed class IngestFleet
{
    /// <summary>Reads the fleet file at <paramref name="path"/>; none when the path is null or empty. Throws <see cref="InputException"/>.</summary>
    public IngestFleet(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, 0, $"cannot read the fleet file: {InputText.Quote(StorageErrors.ReadProblem(path, e), 200)}");
        }

        Fleet = Fleet.Parse(text, path);
    }

    /// <summary>The fleet, or null when <c>Ingest:FleetFile</c> is not set.</summary>
    public Fleet? Fleet { get; }
}
