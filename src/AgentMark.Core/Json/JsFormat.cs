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

    /// <summary>Room for any double in ECMAScript form ("-1.2345678901234567e-308" is 24 characters).</summary>
    public const int MaxNumberLength = 32;

    /// <summary>ECMAScript Number::toString(10).</summary>
    public static string NumberToString(double x)
    {
        if (double.IsNaN(x)) return "NaN";
        if (double.IsPositiveInfinity(x)) return "Infinity";
        if (double.IsNegativeInfinity(x)) return "-Infinity";
        if (x == 0) return "0";
        Span<char> text = stackalloc char[MaxNumberLength];
        FormatFiniteNumber(x, text, out var length);
        return new string(text[..length]);
    }

    /// <summary>
    /// ECMAScript Number::toString(10) of a finite, non-zero double into <paramref name="destination"/>
    /// (at least <see cref="MaxNumberLength"/> characters), without allocating.
    /// </summary>
    public static void FormatFiniteNumber(double x, Span<char> destination, out int written)
    {
        var at = 0;
        if (x < 0)
        {
            destination[at++] = '-';
            x = -x;
        }

        // Shortest round-trip form, e.g. "123.45", "1.5E-07", "1E+21".
        Span<char> text = stackalloc char[MaxNumberLength];
        x.TryFormat(text, out var length, "R", CultureInfo.InvariantCulture);
        text = text[..length];

        // Split into significant digits and n, with value = 0.d1d2..dk × 10^n.
        Span<char> digits = stackalloc char[MaxNumberLength];
        var k = 0;
        var exponent = 0;
        var pointSeen = false;
        var integerDigits = 0;
        var leadingZeros = true;
        var skippedFractionZeros = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is 'E' or 'e')
            {
                exponent = int.Parse(text[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            if (c == '.')
            {
                pointSeen = true;
                continue;
            }
            if (leadingZeros && c == '0')
            {
                if (pointSeen) skippedFractionZeros++;
                continue;
            }
            leadingZeros = false;
            digits[k++] = c;
            if (!pointSeen) integerDigits++;
        }
        while (k > 1 && digits[k - 1] == '0') k--;
        var n = (integerDigits > 0 ? integerDigits : -skippedFractionZeros) + exponent;

        if (k <= n && n <= 21)
        {
            Append(destination, ref at, digits[..k]);
            for (var i = k; i < n; i++) destination[at++] = '0';
        }
        else if (0 < n && n <= 21)
        {
            Append(destination, ref at, digits[..n]);
            destination[at++] = '.';
            Append(destination, ref at, digits[n..k]);
        }
        else if (-6 < n && n <= 0)
        {
            destination[at++] = '0';
            destination[at++] = '.';
            for (var i = 0; i < -n; i++) destination[at++] = '0';
            Append(destination, ref at, digits[..k]);
        }
        else
        {
            var e = n - 1;
            destination[at++] = digits[0];
            if (k > 1)
            {
                destination[at++] = '.';
                Append(destination, ref at, digits[1..k]);
            }
            destination[at++] = 'e';
            destination[at++] = e >= 0 ? '+' : '-';
            Math.Abs(e).TryFormat(destination[at..], out var exponentLength, provider: CultureInfo.InvariantCulture);
            at += exponentLength;
        }
        written = at;
    }

    private static void Append(Span<char> destination, ref int at, ReadOnlySpan<char> text)
    {
        text.CopyTo(destination[at..]);
        at += text.Length;
    }
}
