using System.Globalization;
using System.Text;

namespace EdgeGateway.Core;

/// <summary>
/// Input text quoted in an error message. Control and other invisible characters are written as <c>\uXXXX</c>, so a
/// NUL or an escape sequence after a value is seen rather than silently shown (or acted on by the terminal), and a
/// line break inside a value cannot split the one-line error. Long text is clipped.
/// </summary>
public static class InputText
{
    /// <summary>How many characters of an input are quoted by default.</summary>
    public const int DefaultMax = 60;

    /// <summary><paramref name="text"/> with invisible characters escaped, clipped to <paramref name="max"/> characters (then ending in …).</summary>
    public static string Quote(ReadOnlySpan<char> text, int max = DefaultMax)
    {
        var clipped = text.Length > max ? text[..max] : text;
        var builder = new StringBuilder(clipped.Length + 1);
        foreach (var c in clipped)
        {
            if (char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return text.Length > max ? builder.Append('…').ToString() : builder.ToString();
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
