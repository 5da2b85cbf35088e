using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentMark.Core.Json;

namespace AgentMark.Gateway.Http.Experiments;

/// <summary>
/// <c>hashRowInput</c> (templates-and-evals §7.6, wire-contract §15.3): the join key between a live
/// experiment row and a baseline row, bit-identical to the clients' <c>hash-input.ts</c>. A canonical
/// text (keys sorted by UTF-16 code units, JavaScript <c>JSON.stringify</c> scalars, no whitespace)
/// hashed with 64-bit FNV-1a over its UTF-16 code units.
/// </summary>
public static class RowInputHash
{
    private const ulong OffsetBasis = 0xcbf29ce484222325;
    private const ulong Prime = 0x100000001b3;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 256 };

    /// <summary>The hash of a JSON text, or null when it is empty or not JSON (the row is then skipped).</summary>
    public static string? FromJsonText(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        try
        {
            using var document = JsonDocument.Parse(text, ParseOptions);
            return Hash(Canonical(document.RootElement));
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string .NET cannot decode (an unpaired surrogate escape).
            return null;
        }
    }

    public static string Canonical(JsonElement value)
    {
        var text = new StringBuilder();
        Write(text, value);
        return text.ToString();
    }

    /// <summary>FNV-1a 64 over UTF-16 code units, lowercase hex, 16 characters.</summary>
    public static string Hash(string canonical)
    {
        var hash = OffsetBasis;
        foreach (var unit in canonical)
        {
            hash ^= unit;
            hash = unchecked(hash * Prime);
        }
        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }

    private static void Write(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                // JSON.parse keeps the last of duplicate keys.
                var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject()) properties[property.Name] = property.Value;
                var keys = properties.Keys.ToArray();
                Array.Sort(keys, string.CompareOrdinal);
                text.Append('{');
                for (var i = 0; i < keys.Length; i++)
                {
                    if (i > 0) text.Append(',');
                    WriteString(text, keys[i]);
                    text.Append(':');
                    Write(text, properties[keys[i]]);
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var element in value.EnumerateArray())
                {
                    if (!first) text.Append(',');
                    first = false;
                    Write(text, element);
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(text, value.GetString()!);
                break;
            case JsonValueKind.Number:
                // Numbers are IEEE doubles, as in JavaScript; one too large is Infinity, which stringifies as null.
                var number = value.TryGetDouble(out var parsed) ? parsed : double.Parse(value.GetRawText(), CultureInfo.InvariantCulture);
                text.Append(double.IsFinite(number) ? JsFormat.NumberToString(number) : "null");
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    /// <summary>JavaScript <c>JSON.stringify</c> of a string: only quotes, backslashes, controls and lone surrogates escaped.</summary>
    public static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < 0x20) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) text.Append(c).Append(value[++i]);
                    else if (char.IsSurrogate(c)) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }
}
