using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using AgentMark.Core.Json;

namespace AgentMark.Normalization.Json;

/// <summary>
/// JavaScript's view of a value of the normalizer's value model (JsDom.cs): <c>typeof</c>,
/// truthiness, <c>String(v)</c>, property access. Null is <c>undefined</c>.
/// </summary>
internal static class JsValue
{
    public static bool TryGetString(object? value, [NotNullWhen(true)] out string? text)
    {
        text = value as string;
        return text is not null;
    }

    /// <summary>A non-empty string (the common "truthy string" test of ingestion §2).</summary>
    public static bool TryGetTruthyString(object? value, [NotNullWhen(true)] out string? text)
    {
        text = value as string;
        if (text is { Length: > 0 }) return true;
        text = null; // callers use the out value as "absent" after a false return
        return false;
    }

    /// <summary><c>typeof v === 'number'</c> (NaN and infinities included).</summary>
    public static bool TryGetNumber(object? value, out double number)
    {
        switch (value)
        {
            case double d: number = d; return true;
            case long l: number = l; return true;
            case int i: number = i; return true;
            default: number = 0; return false;
        }
    }

    public static bool IsNumber(object? value) => value is double or long or int;

    /// <summary>JavaScript truthiness (ingestion §0).</summary>
    public static bool IsTruthy(object? value) => value switch
    {
        null or JsNull => false,
        string s => s.Length > 0,
        double d => d != 0 && !double.IsNaN(d),
        long l => l != 0,
        int i => i != 0,
        bool b => b,
        _ => true, // arrays and objects, even empty
    };

    /// <summary>JavaScript <c>String(v)</c>; absent → "" (ingestion §0 <c>JsString</c>).</summary>
    public static string ToJsString(object? value)
    {
        switch (value)
        {
            case null: return "";
            case string s: return s;
            case double d: return JsFormat.NumberToString(d);
            case long l: return l.ToString(CultureInfo.InvariantCulture);
            case int i: return i.ToString(CultureInfo.InvariantCulture);
            case bool b: return b ? "true" : "false";
            case JsNull: return "null";
            case JsArray array:
                var sb = new StringBuilder();
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    // Array.prototype.join writes null and undefined elements as "".
                    if (array[i] is not (null or JsNull)) sb.Append(ToJsString(array[i]));
                }
                return sb.ToString();
            default: return "[object Object]";
        }
    }

    /// <summary>JavaScript <c>v.key</c> when <paramref name="value"/> is an object, else undefined.</summary>
    public static object? Prop(object? value, string key)
        => value is JsObject o && o.TryGetValue(key, out var property) ? property : null;

    /// <summary>JavaScript <c>'key' in v</c> for objects.</summary>
    public static bool HasProp(object? value, string key) => value is JsObject o && o.ContainsKey(key);
}
