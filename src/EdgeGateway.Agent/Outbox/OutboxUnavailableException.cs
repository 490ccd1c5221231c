namespace EdgeGateway.Agent.Outbox;

/// <summary>
/// The outbox's folder cannot be used (a file, not writable, a read-only file system, locked by another process, an
/// I/O error): its message names the folder and the reason in one line. A full disk is not this: records that do not
/// fit are dropped and counted, and the outbox goes on once space returns.
/// </summary>
public sealed class OutboxUnavailableException : IOException
{
    /// <summary>The outbox in <paramref name="directory"/> cannot be used because of <paramref name="reason"/>.</summary>
    public OutboxUnavailableException(string directory, string reason, Exception? innerException = null)
        : base($"the outbox {directory} cannot be used: {reason}", innerException)
    {
        Directory = directory;
    }

    /// <summary>The outbox's folder.</summary>
    public string Directory { get; }
}
