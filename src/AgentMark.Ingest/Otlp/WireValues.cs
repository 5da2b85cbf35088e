using System.Buffers.Text;
using System.Globalization;
using System.Text.Json.Nodes;

namespace AgentMark.Ingest.Otlp;

/// <summary>Conversions shared by the decoders: status and kind tables, nanosecond times, parseInt.</summary>
internal static class WireValues
{
    private static readonly string[] SmallIntegers = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>Decimal text of an integer, without allocating for the common 0–9.</summary>
    public static string IntegerText(long value) =>
        (ulong)value < (ulong)SmallIntegers.Length ? SmallIntegers[value] : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Status code given as a string (ingestion §1.12); numbers are stored as JsString(n).</summary>
    public static string StatusFromString(string code) => code switch
    {
        "" or "0" or "STATUS_CODE_UNSET" or "UNSET" or "Unset" => "0",
        "1" or "STATUS_CODE_OK" or "OK" or "Ok" => "1",
        "2" or "STATUS_CODE_ERROR" or "ERROR" or "Error" => "2",
        _ => code,
    };

    /// <summary>Span kind given as a string (ingestion §1.13): enum names map to their number.</summary>
    public static string KindFromString(string kind) => kind switch
    {
        "" or "SPAN_KIND_UNSPECIFIED" => "0",
        "SPAN_KIND_INTERNAL" => "1",
        "SPAN_KIND_SERVER" => "2",
        "SPAN_KIND_CLIENT" => "3",
        "SPAN_KIND_PRODUCER" => "4",
        "SPAN_KIND_CONSUMER" => "5",
        _ => kind,
    };

    /// <summary>
    /// Nanoseconds written as a JSON string: ASCII digits only, within int64 (the stored column).
    /// </summary>
    public static bool TryParseNanosDigits(ReadOnlySpan<byte> text, out long nanos)
    {
        nanos = 0;
        if (text.IsEmpty || text.ContainsAnyExceptInRange((byte)'0', (byte)'9')) return false;
        return Utf8Parser.TryParse(text, out nanos, out var consumed) && consumed == text.Length;
    }

    /// <summary>
    /// An exact integral value within [0, long.MaxValue] from a decimal (a JSON number read without
    /// going through double, so 19-digit nanosecond times stay exact).
    /// </summary>
    public static bool TryNanosFromDecimal(decimal value, out long nanos)
    {
        nanos = 0;
        if (value < 0 || value > long.MaxValue || value != decimal.Truncate(value)) return false;
        nanos = (long)value;
        return true;
    }

    /// <summary>
    /// JavaScript <c>parseInt(s, 10)</c> for an OTLP/JSON string <c>intValue</c> (ingestion §1.9):
    /// leading whitespace, an optional sign, then the leading digits (<c>"12abc"</c> → 12). No digits →
    /// NaN (what the reference stores). Digits beyond int64 become the nearest double, as in JavaScript.
    /// </summary>
    public static JsonValue ParseIntLikeJavaScript(string s)
    {
        var i = 0;
        while (i < s.Length && IsJsWhitespace(s[i])) i++;
        var negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-'))
        {
            negative = s[i] == '-';
            i++;
        }
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i == start) return JsonValue.Create(double.NaN);

        var digits = s.AsSpan(start, i - start);
        if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var magnitude))
        {
            return JsonValue.Create(negative ? -magnitude : magnitude);
        }
        if (negative && digits.TrimStart('0').SequenceEqual("9223372036854775808")) return JsonValue.Create(long.MinValue);
        var approx = double.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return JsonValue.Create(negative ? -approx : approx);
    }

    /// <summary>ECMAScript WhiteSpace and LineTerminator (what parseInt and trim skip).</summary>
    private static bool IsJsWhitespace(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00A0' or '\uFEFF' or '\u2028' or '\u2029' => true,
        _ => c > '\u00FF' && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator,
    };
}
