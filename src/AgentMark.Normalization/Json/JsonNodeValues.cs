using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Core.Json;

namespace AgentMark.Normalization.Json;

/// <summary>
/// Reads decoded attribute values (<see cref="JsonNode"/>, ingestion §1.9) and converts them to the
/// normalizer's value model (JsDom.cs).
/// </summary>
/// <remarks>
/// <c>JsonValue.TryGetValue&lt;T&gt;</c> is a generic virtual call (tens of ns each); comparing the runtime
/// type with the node types the decoder creates keeps the common cases to one type check. Other
/// backings (JsonElement, int, decimal, Guid, ...) take the general path.
/// </remarks>
internal static class JsonNodeValues
{
    private static readonly Type StringValueType = JsonValue.Create("").GetType();
    private static readonly Type LongValueType = JsonValue.Create(0L).GetType();
    private static readonly Type DoubleValueType = JsonValue.Create(0.0).GetType();
    private static readonly Type BoolValueType = JsonValue.Create(false).GetType();

    public static bool TryGetString(JsonNode? node, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (node is null) return false;
        var type = node.GetType();
        if (type == StringValueType)
        {
            value = node.ToString(); // the raw string, without quotes, for this exact node type
            return true;
        }
        if (type == LongValueType || type == DoubleValueType || type == BoolValueType || node is not JsonValue v) return false;
        if (v.TryGetValue(out value)) return true;
        // Any other value that serializes as a JSON string (Guid, DateTime, char, ...): its JSON text, unquoted.
        if (v.GetValueKind() != JsonValueKind.String) return false;
        value = JsonSerializer.Deserialize<string>(v.ToJsonString())!;
        return true;
    }

    /// <summary>An exact 64-bit integer when the value is held as one.</summary>
    public static bool TryGetInt64(JsonNode? node, out long value)
    {
        value = 0;
        if (node is null) return false;
        var type = node.GetType();
        if (type == LongValueType) { value = node.GetValue<long>(); return true; }
        if (type == StringValueType || type == DoubleValueType || type == BoolValueType || node is not JsonValue v) return false;
        if (v.TryGetValue(out JsonElement e)) return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out value);
        if (v.TryGetValue(out int i)) { value = i; return true; }
        return v.TryGetValue(out value);
    }

    /// <summary><c>typeof v === 'number'</c> (any numeric backing type, NaN and infinities included).</summary>
    public static bool TryGetNumber(JsonNode? node, out double value)
    {
        value = 0;
        if (node is null) return false;
        var type = node.GetType();
        if (type == LongValueType) { value = node.GetValue<long>(); return true; }
        if (type == DoubleValueType) { value = node.GetValue<double>(); return true; }
        if (type == StringValueType || type == BoolValueType || node is not JsonValue v) return false;
        if (v.TryGetValue(out JsonElement e))
        {
            if (e.ValueKind != JsonValueKind.Number) return false;
            value = e.GetDouble();
            return true;
        }
        if (v.TryGetValue(out long l)) { value = l; return true; }
        if (v.TryGetValue(out double d)) { value = d; return true; }
        if (v.TryGetValue(out int i)) { value = i; return true; }
        if (v.TryGetValue(out float f)) { value = f; return true; }
        if (v.TryGetValue(out decimal m)) { value = (double)m; return true; }
        if (v.TryGetValue(out ulong ul)) { value = ul; return true; }
        if (v.TryGetValue(out uint ui)) { value = ui; return true; }
        if (v.TryGetValue(out short sh)) { value = sh; return true; }
        if (v.TryGetValue(out byte by)) { value = by; return true; }
        return false;
    }

    public static bool TryGetBool(JsonNode? node, out bool value)
    {
        value = false;
        if (node is null) return false;
        var type = node.GetType();
        if (type == StringValueType || type == LongValueType || type == DoubleValueType || node is not JsonValue) return false;
        switch (node.GetValueKind())
        {
            case JsonValueKind.True: value = true; return true;
            case JsonValueKind.False: return true;
            default: return false;
        }
    }

    /// <summary>JavaScript <c>String(v)</c> of a decoded value; absent → "".</summary>
    public static string ToJsString(JsonNode? node) => TryGetString(node, out var s) ? s : JsFormat.JsString(node);

    /// <summary>
    /// The normalizer's value for a decoded attribute value: strings stay strings, integers are boxed
    /// <see cref="long"/> (exact), doubles boxed <see cref="double"/>, arrays and kvlists are copied into
    /// <see cref="JsArray"/>/<see cref="JsObject"/> (a kvlist entry with no value is left out, as
    /// JavaScript's <c>undefined</c> is). Null stays null (absent).
    /// </summary>
    public static object? ToJs(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonArray array:
                var items = new JsArray(array.Count);
                foreach (var element in array) items.Add(ToJs(element));
                return items;
            case JsonObject obj:
                var copy = new JsObject(obj.Count);
                foreach (var (key, value) in obj)
                {
                    if (value is not null) copy.Set(key, ToJs(value));
                }
                return copy;
        }
        if (TryGetString(node, out var s)) return s;
        if (TryGetInt64(node, out var l)) return l;
        if (TryGetNumber(node, out var d)) return d;
        if (TryGetBool(node, out var b)) return JsBoxes.Bool(b);
        return null;
    }
}
