namespace EdgeGateway.Core;

/// <summary>
/// Byte order marks in front of input files. The UTF-8 one that Windows editors write is not JSON or CSV, but it is not
/// the user's mistake either: every input reader skips it here. UTF-16 is refused with a line saying so.
/// </summary>
public static class ByteOrderMark
{
    /// <summary><paramref name="utf8"/> without a leading byte order mark.</summary>
    public static ReadOnlySpan<byte> SkipUtf8(ReadOnlySpan<byte> utf8) => utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;

    /// <summary><paramref name="utf8"/> without a leading byte order mark.</summary>
    public static ReadOnlyMemory<byte> SkipUtf8(ReadOnlyMemory<byte> utf8) => utf8.Span.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;

    /// <summary>
    /// Whether <paramref name="bytes"/> start with a UTF-16 byte order mark (what Windows Notepad calls "Unicode"): such a
    /// file is readable text to its author and byte soup to a UTF-8 reader, so it gets its own error.
    /// </summary>
    public static bool IsUtf16(ReadOnlySpan<byte> bytes) => bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]);

    /// <summary>The error for a UTF-16 file.</summary>
    public const string Utf16Problem = "the file is UTF-16 text; save it as UTF-8";
}
