using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentMark.Normalization.Json;

/// <summary>
/// Writes JSON exactly as JavaScript's <c>JSON.stringify</c> does (ingestion §0): compact, keys in
/// insertion order, numbers as ECMAScript <c>Number::toString</c>, non-finite numbers as <c>null</c>,
/// only <c>"</c>, <c>\</c>, control characters and lone surrogates escaped (non-ASCII stays raw).
/// System.Text.Json's writer differs on all of these (e.g. <c>1E-05</c>, escaped <c>+</c> and
/// non-BMP characters), so stored columns go through this writer instead.
/// </summary>
/// <remarks>
/// Appends into a caller-supplied <see cref="JsonTextBuilder"/> so the normalizer can reuse one
/// thread-static buffer for every column of every span.
/// </remarks>
internal static class JsJsonWriter
{
    /// <summary>
    /// How a null inside a <see cref="JsonObject"/> is written. Decoded attribute maps use null for an
    /// AnyValue with no field set, which JavaScript holds as <c>undefined</c> and omits; parsed JSON
    /// uses null for a real JSON <c>null</c>, which is written.
    /// </summary>
    public enum NullProperties { Write, Omit }

    /// <summary>
    /// A value of the normalizer's value model (JsDom.cs): undefined (null) properties are omitted,
    /// undefined array elements and <see cref="JsNull"/> are written as <c>null</c>.
    /// </summary>
    public static void WriteValue(JsonTextBuilder sb, object? value)
    {
        switch (value)
        {
            case null or JsNull:
                sb.Append("null");
                return;
            case string s:
                WriteString(sb, s);
                return;
            case double d:
                WriteNumber(sb, d);
                return;
            case long l:
                sb.Append(l);
                return;
            case int i:
                sb.Append(i);
                return;
            case bool b:
                sb.Append(b ? "true" : "false");
                return;
            case JsArray array:
                sb.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    WriteValue(sb, array[i]);
                }
                sb.Append(']');
                return;
            case JsObject obj:
                sb.Append('{');
                var first = true;
                for (var i = 0; i < obj.Count; i++)
                {
                    var (key, property) = obj.GetAt(i);
                    if (property is null) continue;
                    if (!first) sb.Append(',');
                    first = false;
                    WriteString(sb, key);
                    sb.Append(':');
                    WriteValue(sb, property);
                }
                sb.Append('}');
                return;
            case JsonNode node:
                WriteNode(sb, node);
                return;
            default:
                WriteString(sb, JsValue.ToJsString(value));
                return;
        }
    }

    public static void WriteNode(JsonTextBuilder sb, JsonNode? node, NullProperties nulls = NullProperties.Write)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                return;
            case JsonObject obj:
                WriteObject(sb, obj, nulls);
                return;
            case JsonArray array:
                sb.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    // Array holes and undefined elements are written as null by JSON.stringify too.
                    WriteNode(sb, array[i], nulls);
                }
                sb.Append(']');
                return;
            case JsonValue value:
                WriteValue(sb, value);
                return;
        }
    }

    private static void WriteObject(JsonTextBuilder sb, JsonObject obj, NullProperties nulls)
    {
        sb.Append('{');
        var first = true;
        foreach (var (key, value) in obj)
        {
            if (value is null && nulls == NullProperties.Omit) continue;
            if (!first) sb.Append(',');
            first = false;
            WriteString(sb, key);
            sb.Append(':');
            WriteNode(sb, value, nulls);
        }
        sb.Append('}');
    }

    /// <summary>An attribute map as stored (ingestion §6.1): absent values omitted.</summary>
    public static void WriteAttributeMap(JsonTextBuilder sb, IReadOnlyDictionary<string, JsonNode?> map)
    {
        sb.Append('{');
        var first = true;
        foreach (var (key, value) in map)
        {
            if (value is null) continue;
            if (!first) sb.Append(',');
            first = false;
            WriteString(sb, key);
            sb.Append(':');
            WriteNode(sb, value, NullProperties.Omit);
        }
        sb.Append('}');
    }

    private static void WriteValue(JsonTextBuilder sb, JsonValue value)
    {
        if (JsonNodeValues.TryGetString(value, out var s)) { WriteString(sb, s); return; }
        if (JsonNodeValues.TryGetInt64(value, out var l)) { sb.Append(l); return; }
        if (JsonNodeValues.TryGetNumber(value, out var d)) { WriteNumber(sb, d); return; }
        if (JsonNodeValues.TryGetBool(value, out var b)) { sb.Append(b ? "true" : "false"); return; }
        if (value.TryGetValue<JsonElement>(out var e))
        {
            WriteElement(sb, e);
            return;
        }
        sb.Append("null");
    }

    private static void WriteElement(JsonTextBuilder sb, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String: WriteString(sb, e.GetString()!); break;
            case JsonValueKind.Number:
                if (e.TryGetInt64(out var l)) sb.Append(l);
                else WriteNumber(sb, e.GetDouble());
                break;
            case JsonValueKind.True: sb.Append("true"); break;
            case JsonValueKind.False: sb.Append("false"); break;
            case JsonValueKind.Object:
            case JsonValueKind.Array:
                // Rare (a JsonElement-backed value holding a container): go through the node model.
                WriteNode(sb, JsonNode.Parse(e.GetRawText()));
                break;
            default: sb.Append("null"); break;
        }
    }

    /// <summary>A double the way JSON.stringify writes it: non-finite → null, -0 → 0.</summary>
    public static void WriteNumber(JsonTextBuilder sb, double d)
    {
        if (!double.IsFinite(d)) { sb.Append("null"); return; }
        // Integral values below 2^53 print as plain digits in JavaScript; skip the generic path.
        if (d == Math.Floor(d) && Math.Abs(d) < 9007199254740992d)
        {
            sb.Append((long)d);
            return;
        }
        JsNumberFormatter.Write(sb, d);
    }

    private static void AppendHex4(JsonTextBuilder sb, char c)
    {
        const string hex = "0123456789abcdef";
        sb.Append(hex[(c >> 12) & 0xF]).Append(hex[(c >> 8) & 0xF]).Append(hex[(c >> 4) & 0xF]).Append(hex[c & 0xF]);
    }

    /// <summary>A JSON string literal, escaped as ES2019 <c>JSON.stringify</c> (QuoteJSONString) does.</summary>
    public static void WriteString(JsonTextBuilder sb, string s) => WriteString(sb, s.AsSpan());

    /// <summary>A JSON string literal, escaped as ES2019 <c>JSON.stringify</c> (QuoteJSONString) does:
    /// <c>"</c>, <c>\</c> and control characters escaped, lone surrogates escaped, everything else raw.</summary>
    /// <remarks>
    /// Printable ASCII (the common case, JSON text inside attributes included) only needs its quotes and
    /// backslashes escaped, found with one packed vectorized search. Other text searches for the next quote
    /// or backslash and for the next character below U+0020 or above U+D7FF, each search repeated only once
    /// its previous hit is passed. These searches are precompiled in the framework, unlike a
    /// <c>SearchValues</c> search, whose generic code runs unoptimized — tens of times slower — until the
    /// JIT has recompiled it, which made the first seconds of ingestion several times slower than the rest.
    /// <para>
    /// Every attribute key and value of every span goes through here from the first request on, so it is
    /// compiled optimized straight away instead of running its unoptimized and instrumented tiers for the
    /// first second or so of ingestion (several times slower; measured neutral once tiered up).
    /// </para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteString(JsonTextBuilder sb, ReadOnlySpan<char> s)
    {
        sb.Append('"');
        if (!s.ContainsAnyExceptInRange(' ', '~'))
        {
            // Printable ASCII: a backslash before each quote and backslash is all there is to do.
            while (true)
            {
                var i = s.IndexOfAny('"', '\\');
                if (i < 0) break;
                sb.Append(s[..i]).Append('\\').Append(s[i]);
                s = s[(i + 1)..];
            }
            sb.Append(s).Append('"');
            return;
        }
        var pos = 0;
        var quote = NextIndex(s, 0, s.IndexOfAny('"', '\\'));
        // Control characters and surrogates, plus U+E000–U+FFFF, which are skipped when met.
        var other = NextIndex(s, 0, s.IndexOfAnyExceptInRange(' ', '\uD7FF'));
        while (true)
        {
            var next = quote < other ? quote : other;
            if (next == s.Length)
            {
                sb.Append(s[pos..]);
                break;
            }
            var c = s[next];
            if (c >= '\uE000')
            {
                // Not special: leave it in the run and look further.
                other = NextIndex(s, next + 1, s[(next + 1)..].IndexOfAnyExceptInRange(' ', '\uD7FF'));
                continue;
            }
            sb.Append(s[pos..next]);
            if (char.IsHighSurrogate(c) && next + 1 < s.Length && char.IsLowSurrogate(s[next + 1]))
            {
                sb.Append(s.Slice(next, 2)); // a well-formed pair is written raw
                pos = next + 2;
            }
            else
            {
                WriteEscape(sb, c);
                pos = next + 1;
            }
            if (quote < pos) quote = NextIndex(s, pos, s[pos..].IndexOfAny('"', '\\'));
            if (other < pos) other = NextIndex(s, pos, s[pos..].IndexOfAnyExceptInRange(' ', '\uD7FF'));
        }
        sb.Append('"');
    }

    /// <summary>An index found in <c>s[offset..]</c> as an index of <paramref name="s"/>; its length when not found.</summary>
    private static int NextIndex(ReadOnlySpan<char> s, int offset, int found) => found < 0 ? s.Length : offset + found;

    private static void WriteEscape(JsonTextBuilder sb, char c)
    {
        switch (c)
        {
            case '"': sb.Append("\\\""); break;
            case '\\': sb.Append("\\\\"); break;
            case '\b': sb.Append("\\b"); break;
            case '\f': sb.Append("\\f"); break;
            case '\n': sb.Append("\\n"); break;
            case '\r': sb.Append("\\r"); break;
            case '\t': sb.Append("\\t"); break;
            default:
                // Other control characters and lone surrogates: \u with lower-case hex.
                sb.Append("\\u");
                AppendHex4(sb, c);
                break;
        }
    }
}
