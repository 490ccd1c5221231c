namespace EdgeGateway.Ingest;

/// <summary>The backend's ingest worker (placeholder until it lands).</summary>
public static class Program
{
    public static int Main() => 0;
}
