namespace EdgeGateway.Agent.Outbox;

/// <summary>Logging of the outbox.</summary>
public sealed partial class SegmentOutbox
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Outbox {Directory} opened: {Segments} segments ({ReadInFull} read in full, the others sealed and indexed), {Depth} records ({Bytes} bytes) waiting, next sequence {NextSequence}; {Dropped} dropped and {Corrupt} corrupt since it was created; {TornBytes} bytes of a cut-off write removed")]
        public static partial void Recovered(ILogger logger, string directory, int segments, int readInFull, long depth, long bytes, long nextSequence, long dropped, long corrupt, long tornBytes);

        [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Outbox segment {Segment}: removed {Bytes} bytes of a write cut off at offset {Offset} (power lost within the flush interval)")]
        public static partial void TornTail(ILogger logger, string segment, long offset, long bytes);

        [LoggerMessage(EventId = 502, Level = LogLevel.Error, Message = "Outbox segment {Segment}: skipped {Bytes} corrupt bytes at offset {Offset}")]
        public static partial void CorruptBytes(ILogger logger, string segment, long offset, long bytes);

        [LoggerMessage(EventId = 503, Level = LogLevel.Error, Message = "Outbox lost {Count} records to corruption (sequences {First} to {Last}); {Corrupt} corrupt in all")]
        public static partial void CorruptRecords(ILogger logger, long count, long first, long last, long corrupt);

        [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "Outbox segment {Segment}: ignored record {Sequence} at offset {Offset}, out of order after {Previous}")]
        public static partial void OutOfOrder(ILogger logger, string segment, long offset, long sequence, long previous);

        [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "Outbox full (bound {MaxBytes} bytes): dropped the {Count} oldest records (sequences {First} to {Last}); {Dropped} dropped in all")]
        public static partial void DroppedForSpace(ILogger logger, long count, long first, long last, long maxBytes, long dropped);

        [LoggerMessage(EventId = 506, Level = LogLevel.Warning, Message = "Outbox dropped {Count} records older than {MaxAge} (sequences {First} to {Last}); {Dropped} dropped in all")]
        public static partial void DroppedForAge(ILogger logger, long count, long first, long last, TimeSpan maxAge, long dropped);

        [LoggerMessage(EventId = 507, Level = LogLevel.Error, Message = "Outbox {Directory}: the checkpoint is unreadable; every record held will be sent again")]
        public static partial void CheckpointUnreadable(ILogger logger, string directory);

        [LoggerMessage(EventId = 508, Level = LogLevel.Error, Message = "Outbox {Directory}: flushing to disk failed ({Reason}); retried with every batch")]
        public static partial void FlushFailed(ILogger logger, string directory, string reason);

        [LoggerMessage(EventId = 509, Level = LogLevel.Information, Message = "Outbox {Directory}: flushing to disk works again")]
        public static partial void FlushRecovered(ILogger logger, string directory);

        [LoggerMessage(EventId = 510, Level = LogLevel.Error, Message = "Outbox {Directory}: {Reason}; records are dropped and counted until space returns")]
        public static partial void DiskFull(ILogger logger, string directory, string reason);

        [LoggerMessage(EventId = 511, Level = LogLevel.Warning, Message = "Outbox {Directory}: space returned; {Count} records were dropped while the disk was full, {Dropped} dropped in all")]
        public static partial void DiskSpaceReturned(ILogger logger, string directory, long count, long dropped);

        [LoggerMessage(EventId = 512, Level = LogLevel.Warning, Message = "Outbox {Directory}: Outbox:MaxBytes ({MaxBytes} bytes) is more than its disk has room for ({Room} bytes free with the outbox's own): when the disk fills, new records are dropped instead of the oldest")]
        public static partial void BoundBeyondDisk(ILogger logger, string directory, long maxBytes, long room);

        [LoggerMessage(EventId = 513, Level = LogLevel.Warning, Message = "Outbox {Directory}: the segment index could not be written ({Reason}); the segments it would list are read in full at the next start")]
        public static partial void IndexNotWritten(ILogger logger, string directory, string reason);
    }
}
