using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentMark.Core.Json;

/// <summary>
/// JavaScript's string conversions, which the reference implementation's behaviour depends on
/// (ingestion §0 <c>JsString</c>): numbers as ECMAScript <c>Number::toString</c>, arrays joined by
/// commas, objects as <c>[object Object]</c>.
/// </summary>
public static class JsFormat
{
    /// <summary>JavaScript <c>String(v)</c> of a decoded attribute value. Null (absent) → "".</summary>
    public static string JsString(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "";
            case JsonArray array:
                var sb = new StringBuilder();
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    if (array[i] is { } element) sb.Append(JsString(element));
                }
                return sb.ToString();
            case JsonObject:
                return "[object Object]";
            case JsonValue value:
                return value.GetValueKind() switch
                {
                    JsonValueKind.String => value.GetValue<string>(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Number => NumberToString(value),
                    _ => "",
                };
            default:
                return "";
        }
    }

    private static string NumberToString(JsonValue value)
    {
        if (value.TryGetValue<long>(out var l)) return l.ToString(CultureInfo.InvariantCulture);
        if (value.TryGetValue<int>(out var i)) return i.ToString(CultureInfo.InvariantCulture);
        if (value.TryGetValue<ulong>(out var ul)) return ul.ToString(CultureInfo.InvariantCulture);
        if (value.TryGetValue<double>(out var d)) return NumberToString(d);
        if (value.TryGetValue<decimal>(out var m)) return NumberToString((double)m);
        // A JsonValue backed by a JsonElement number.
        if (value.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number)
        {
            if (e.TryGetInt64(out var el)) return el.ToString(CultureInfo.InvariantCulture);
            return NumberToString(e.GetDouble());
        }
        return value.ToJsonString();
    }

    /// <summary>ECMAScript Number::toString(10).</summary>
    public static string NumberToString(double x)
    {
        if (double.IsNaN(x)) return "NaN";
        if (double.IsPositiveInfinity(x)) return "Infinity";
        if (double.IsNegativeInfinity(x)) return "-Infinity";
        if (x == 0) return "0";
        if (x < 0) return "-" + NumberToString(-x);

        // Shortest round-trip digits, e.g. "1.5E-07" → digits "15", point position -6.
        var shortest = x.ToString("R", CultureInfo.InvariantCulture);
        ExtractDigits(shortest, out var digits, out var pointPos);
        var k = digits.Length;
        var n = pointPos; // value = 0.d1d2..dk × 10^n

        if (k <= n && n <= 21) return digits + new string('0', n - k);
        if (0 < n && n <= 21) return digits[..n] + "." + digits[n..];
        if (-6 < n && n <= 0) return "0." + new string('0', -n) + digits;
        var e = n - 1;
        var mantissa = k == 1 ? digits : digits[0] + "." + digits[1..];
        return mantissa + "e" + (e >= 0 ? "+" : "-") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Splits a .NET round-trip string ("123.45", "1.5E-07") into significant digits and
    /// the decimal point position n such that value = 0.digits × 10^n.</summary>
    private static void ExtractDigits(string s, out string digits, out int pointPos)
    {
        var exp = 0;
        var ePos = s.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exp = int.Parse(s.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..ePos];
        }
        var dot = s.IndexOf('.');
        string intPart = dot >= 0 ? s[..dot] : s;
        string fracPart = dot >= 0 ? s[(dot + 1)..] : "";
        var all = intPart + fracPart;
        var point = intPart.Length + exp;
        // strip leading zeros
        var lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0') { lead++; }
        all = all[lead..];
        point -= lead;
        digits = all.TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        pointPos = point;
    }

    /// <summary>JavaScript truthiness of a decoded value (ingestion §0).</summary>
    public static bool IsTruthy(JsonNode? node) => node switch
    {
        null => false,
        JsonArray or JsonObject => true,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>().Length > 0,
            JsonValueKind.False => false,
            JsonValueKind.True => true,
            JsonValueKind.Number => v.TryGetValue<double>(out var d) ? d != 0 && !double.IsNaN(d) : JsString(v) != "0",
            _ => false,
        },
        _ => false,
    };
}
