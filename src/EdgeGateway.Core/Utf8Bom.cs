namespace EdgeGateway.Core;

/// <summary>
/// The UTF-8 byte order mark that Windows editors put in front of a file. It is not JSON or CSV, but it is not the
/// user's mistake either: every input reader skips it here.
/// </summary>
public static class Utf8Bom
{
    /// <summary><paramref name="utf8"/> without a leading byte order mark.</summary>
    public static ReadOnlySpan<byte> Skip(ReadOnlySpan<byte> utf8) => utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;

    /// <summary><paramref name="utf8"/> without a leading byte order mark.</summary>
    public static ReadOnlyMemory<byte> Skip(ReadOnlyMemory<byte> utf8) => utf8.Span.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;
}
