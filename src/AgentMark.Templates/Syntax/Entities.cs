using System.Net;
using System.Text;

namespace AgentMark.Templates.Syntax;

/// <summary>HTML character references as CommonMark decodes them (named, decimal, hexadecimal).</summary>
internal static class Entities
{
    /// <summary>Tries to read a character reference at <paramref name="index"/> (which holds <c>&amp;</c>).</summary>
    public static bool TryDecodeAt(string text, int index, out string decoded, out int length)
    {
        decoded = "";
        length = 0;
        var semicolon = text.IndexOf(';', index + 1);
        if (semicolon < 0 || semicolon - index > 40) return false;
        var body = text.AsSpan(index + 1, semicolon - index - 1);
        if (body.Length == 0) return false;
        if (body[0] == '#')
        {
            int code;
            if (body.Length > 1 && body[1] is 'x' or 'X')
            {
                var digits = body[2..];
                if (digits.Length is < 1 or > 6) return false;
                foreach (var c in digits) if (!char.IsAsciiHexDigit(c)) return false;
                code = int.Parse(digits, System.Globalization.NumberStyles.HexNumber);
            }
            else
            {
                var digits = body[1..];
                if (digits.Length is < 1 or > 7) return false;
                foreach (var c in digits) if (!char.IsAsciiDigit(c)) return false;
                code = int.Parse(digits);
            }
            decoded = code == 0 || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF ? "\uFFFD" : char.ConvertFromUtf32(code);
            length = semicolon - index + 1;
            return true;
        }
        foreach (var c in body) if (!char.IsAsciiLetterOrDigit(c)) return false;
        var reference = text.Substring(index, semicolon - index + 1);
        var result = WebUtility.HtmlDecode(reference);
        if (result == reference) return false;
        decoded = result;
        length = reference.Length;
        return true;
    }

    public static string Decode(string value)
    {
        if (!value.Contains('&')) return value;
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '&' && TryDecodeAt(value, i, out var decoded, out var length))
            {
                sb.Append(decoded);
                i += length - 1;
            }
            else sb.Append(value[i]);
        }
        return sb.ToString();
    }

    /// <summary>Backslash escapes and character references (link destinations, titles, code info strings).</summary>
    public static string DecodeString(string value)
    {
        if (!value.Contains('\\') && !value.Contains('&')) return value;
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length && Ascii.IsPunctuation(value[i + 1]))
            {
                sb.Append(value[++i]);
            }
            else if (c == '&' && TryDecodeAt(value, i, out var decoded, out var length))
            {
                sb.Append(decoded);
                i += length - 1;
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
