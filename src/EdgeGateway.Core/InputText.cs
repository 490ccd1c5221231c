using System.Globalization;
using System.Text;

namespace EdgeGateway.Core;

/// <summary>
/// Input text quoted in an error message or a dead letter's reason: clipped (never between the halves of a surrogate
/// pair, then ending in …), and every character that would not show as itself escaped as <c>\uXXXX</c>: controls (a NUL
/// after a value is seen, an escape sequence is not acted on by the terminal), format characters (bidirectional
/// overrides, zero-width characters, tags), line and paragraph separators (a line break cannot split a one-line error),
/// lone surrogates; a backslash as <c>\\</c>, so that an escape always is one.
/// </summary>
public static class InputText
{
    /// <summary>How many characters of an input are quoted by default.</summary>
    public const int DefaultMax = 60;

    /// <summary><paramref name="text"/> with invisible characters escaped, clipped to <paramref name="max"/> characters.</summary>
    public static string Quote(ReadOnlySpan<char> text, int max = DefaultMax)
    {
        var clipped = text.Length > max;
        var length = clipped ? max - (char.IsHighSurrogate(text[max - 1]) ? 1 : 0) : text.Length;
        var builder = new StringBuilder(length + 1);
        var rest = text[..length];
        while (!rest.IsEmpty)
        {
            var decoded = Rune.DecodeFromUtf16(rest, out var rune, out var consumed) == System.Buffers.OperationStatus.Done;
            if (rune.Value == '\\')
            {
                builder.Append(@"\\");
            }
            else if (decoded && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator))
            {
                builder.Append(rest[..consumed]);
            }
            else
            {
                foreach (var c in rest[..consumed])
                {
                    builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                }
            }

            rest = rest[consumed..];
        }

        return clipped ? builder.Append('…').ToString() : builder.ToString();
    }

    /// <summary>UTF-8 <paramref name="utf8"/> (invalid bytes become U+FFFD) quoted as by <see cref="Quote(ReadOnlySpan{char}, int)"/>.</summary>
    public static string Quote(ReadOnlySpan<byte> utf8, int max = DefaultMax)
    {
        // Four bytes per character at most: decoding a bounded prefix keeps a 64 KiB line cheap to quote.
        var bytes = (int)Math.Min(utf8.Length, (max + 1L) * 4);
        var prefix = utf8[..bytes];
        return Quote(Encoding.UTF8.GetString(prefix), max);
    }
}
