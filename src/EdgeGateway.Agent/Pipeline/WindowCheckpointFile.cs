using System.Text.Json;
using EdgeGateway.Core;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Hosting;

namespace EdgeGateway.Agent.Pipeline;

/// <summary>
/// The engine's windows in progress, kept in the outbox folder as <c>windows.json</c> (src/docs/agent.md, "Restarts"),
/// so that a restarted agent goes on with its shift and day instead of throwing them away. Written whole to a new file
/// and renamed over the old one, only after the outbox flushed: a checkpoint never says a window closed whose record
/// the outbox could still lose. A file that cannot be read or written costs the windows in progress, never a record:
/// it is logged, and the agent goes on.
/// </summary>
internal sealed partial class WindowCheckpointFile(string directory, ILogger logger)
{
    /// <summary>The file's name in the outbox folder.</summary>
    public const string FileName = "windows.json";

    private const string TempFileName = "windows.json.tmp";
    private bool _failing;

    /// <summary>The file's path.</summary>
    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>The checkpoint of the last run, or null when there is none or it cannot be used (logged).</summary>
    public EngineCheckpoint? Read()
    {
        try
        {
            return File.Exists(Path) ? EngineCheckpointJson.Read(File.ReadAllBytes(Path), Path) : null;
        }
        catch (InputException e)
        {
            Log.Unusable(logger, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Unusable(logger, StorageErrors.ReadProblem(Path, e));
        }

        return null;
    }

    /// <summary>Replaces the file with <paramref name="checkpoint"/>, durably; a failure is logged once until a write succeeds.</summary>
    public void Write(EngineCheckpoint checkpoint)
    {
        var temp = System.IO.Path.Combine(directory, TempFileName);
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                using (var json = new Utf8JsonWriter(stream))
                {
                    EngineCheckpointJson.Write(json, checkpoint);
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path, overwrite: true);
            DirectorySync.Flush(directory);
            if (_failing)
            {
                _failing = false;
                Log.Written(logger, Path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!_failing)
            {
                _failing = true;
                Log.NotWritten(logger, Path, StorageErrors.Reason(e));
            }

            StorageErrors.TryDelete(temp);
        }
    }

    /// <summary>Removes the file: the run ended and emitted every window.</summary>
    public void Delete() => StorageErrors.TryDelete(Path);

    private static partial class Log
    {
        [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "The windows in progress of the last run cannot be used, every cell starts afresh: {Problem}")]
        public static partial void Unusable(ILogger logger, string problem);

        [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Cannot save the windows in progress to {Path} (in Agent:Outbox:Directory): {Reason}. Records are not affected; after a restart the windows in progress would start afresh")]
        public static partial void NotWritten(ILogger logger, string path, string reason);

        [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "The windows in progress are saved to {Path} again")]
        public static partial void Written(ILogger logger, string path);
    }
}
