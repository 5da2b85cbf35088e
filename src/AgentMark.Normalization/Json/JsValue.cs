using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Core.Json;

namespace AgentMark.Normalization.Json;

/// <summary>
/// JavaScript's view of a decoded or parsed value (<c>typeof</c>, truthiness, <c>String(v)</c>).
/// A null node is JavaScript's <c>undefined</c>/<c>null</c>.
/// </summary>
internal static class JsValue
{
    public static bool TryGetString(JsonNode? node, [NotNullWhen(true)] out string? value)
    {
        if (node is JsonValue v && v.TryGetValue(out value)) return true;
        value = null;
        return false;
    }

    /// <summary><c>typeof v === 'number'</c> (any numeric backing type, NaN and infinities included).</summary>
    public static bool TryGetNumber(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v) return false;
        if (v.TryGetValue(out long l)) { value = l; return true; }
        if (v.TryGetValue(out double d)) { value = d; return true; }
        if (v.TryGetValue(out int i)) { value = i; return true; }
        if (v.TryGetValue(out JsonElement e))
        {
            if (e.ValueKind != JsonValueKind.Number) return false;
            value = e.GetDouble();
            return true;
        }
        if (v.TryGetValue(out float f)) { value = f; return true; }
        if (v.TryGetValue(out decimal m)) { value = (double)m; return true; }
        if (v.TryGetValue(out ulong ul)) { value = ul; return true; }
        if (v.TryGetValue(out uint ui)) { value = ui; return true; }
        if (v.TryGetValue(out short sh)) { value = sh; return true; }
        if (v.TryGetValue(out byte by)) { value = by; return true; }
        return false;
    }

    public static bool IsNumber(JsonNode? node) => TryGetNumber(node, out _);

    public static bool IsString(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out _);

    /// <summary>A non-empty string (the common "truthy string" test of ingestion §2).</summary>
    public static bool TryGetTruthyString(JsonNode? node, [NotNullWhen(true)] out string? value)
    {
        if (TryGetString(node, out value) && value.Length > 0) return true;
        value = null; // callers use the out value as "absent" after a false return
        return false;
    }

    /// <summary>JavaScript truthiness (ingestion §0).</summary>
    public static bool IsTruthy(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return false;
            case JsonObject or JsonArray:
                return true;
            case JsonValue v:
                if (v.TryGetValue(out string? s)) return s.Length > 0;
                if (v.TryGetValue(out bool b)) return b;
                if (TryGetNumber(v, out var d)) return d != 0 && !double.IsNaN(d);
                return v.GetValueKind() switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.String => JsFormat.JsString(v).Length > 0,
                    _ => false,
                };
            default:
                return false;
        }
    }

    /// <summary>JavaScript <c>String(v)</c>; absent → "".</summary>
    public static string ToJsString(JsonNode? node)
        => TryGetString(node, out var s) ? s : JsFormat.JsString(node);

    /// <summary>
    /// A copy that can be placed inside another node. Attribute values belong to the decoded span (a
    /// node can have only one parent, and the span may be normalized again), and parsed values may
    /// already sit inside a discarded container.
    /// </summary>
    public static JsonNode? Detached(JsonNode? node) => node?.DeepClone();

    /// <summary>Removes <paramref name="key"/> from <paramref name="obj"/> and returns its value,
    /// ready to be re-parented without a copy.</summary>
    public static bool TryTake(JsonObject obj, string key, out JsonNode? value)
    {
        if (!obj.TryGetPropertyValue(key, out value)) return false;
        obj.Remove(key);
        return true;
    }

    /// <summary>Detaches every property of a parsed object that is about to be rebuilt.</summary>
    public static KeyValuePair<string, JsonNode?>[] TakeAll(JsonObject obj)
    {
        var items = new KeyValuePair<string, JsonNode?>[obj.Count];
        var i = 0;
        foreach (var item in obj) items[i++] = item;
        obj.Clear();
        return items;
    }

    /// <summary>Detaches every element of a parsed array.</summary>
    public static JsonNode?[] TakeAll(JsonArray array)
    {
        var items = new JsonNode?[array.Count];
        for (var i = 0; i < items.Length; i++) items[i] = array[i];
        array.Clear();
        return items;
    }

    /// <summary>Value of a property when <paramref name="node"/> is an object; JavaScript <c>o.key</c>.</summary>
    public static JsonNode? Prop(JsonNode? node, string key)
        => node is JsonObject o && o.TryGetPropertyValue(key, out var v) ? v : null;

    public static bool HasProp(JsonNode? node, string key) => node is JsonObject o && o.ContainsKey(key);
}
