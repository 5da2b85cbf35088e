using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Core.Spans;

namespace AgentMark.Normalization.Tests.Support;

/// <summary>
/// A small OTLP/JSON reader for tests: turns export bodies (the real captured fixture, the worked examples
/// of the spec) into <see cref="DecodedSpan"/>s the way the decoder does (ingestion §1.8–§1.14), without
/// depending on the decoder project.
/// </summary>
public static class OtlpJson
{
    public static List<DecodedSpan> Read(string json)
    {
        var spans = new List<DecodedSpan>();
        using var document = JsonDocument.Parse(json);
        foreach (var resourceSpans in document.RootElement.GetProperty("resourceSpans").EnumerateArray())
        {
            var resource = resourceSpans.TryGetProperty("resource", out var r) && r.TryGetProperty("attributes", out var ra)
                ? Attributes(ra) : new Dictionary<string, JsonNode?>();
            foreach (var scopeSpans in resourceSpans.GetProperty("scopeSpans").EnumerateArray())
            {
                string? scopeName = null, scopeVersion = null;
                if (scopeSpans.TryGetProperty("scope", out var scope))
                {
                    if (scope.TryGetProperty("name", out var n)) scopeName = n.GetString();
                    if (scope.TryGetProperty("version", out var v)) scopeVersion = v.GetString();
                }
                foreach (var span in scopeSpans.GetProperty("spans").EnumerateArray())
                {
                    spans.Add(Span(span, resource, scopeName, scopeVersion));
                }
            }
        }
        return spans;
    }

    public static List<DecodedSpan> ReadFixture(string fileName)
        => Read(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", fileName)));

    private static DecodedSpan Span(JsonElement span, Dictionary<string, JsonNode?> resource, string? scopeName, string? scopeVersion)
    {
        string? parent = span.TryGetProperty("parentSpanId", out var p) ? p.GetString() : null;
        if (string.IsNullOrEmpty(parent) || parent.All(c => c == '0')) parent = null;
        string statusCode = "0";
        string? statusMessage = null;
        if (span.TryGetProperty("status", out var status))
        {
            if (status.TryGetProperty("code", out var code)) statusCode = StatusCode(code);
            if (status.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } m) statusMessage = m;
        }
        return new DecodedSpan
        {
            TraceId = span.GetProperty("traceId").GetString()!.ToLowerInvariant(),
            SpanId = span.GetProperty("spanId").GetString()!.ToLowerInvariant(),
            ParentSpanId = parent?.ToLowerInvariant(),
            TraceState = span.TryGetProperty("traceState", out var ts) && ts.GetString() is { Length: > 0 } t ? t : null,
            Name = span.TryGetProperty("name", out var name) ? name.GetString()! : "",
            Kind = span.TryGetProperty("kind", out var kind) ? kind.ToString() : "0",
            StartTimeUnixNano = Nanos(span.GetProperty("startTimeUnixNano")),
            EndTimeUnixNano = Nanos(span.GetProperty("endTimeUnixNano")),
            StatusCode = statusCode,
            StatusMessage = statusMessage,
            ScopeName = scopeName,
            ScopeVersion = scopeVersion,
            ResourceAttributes = resource,
            SpanAttributes = span.TryGetProperty("attributes", out var a) ? Attributes(a) : new Dictionary<string, JsonNode?>(),
            Events = span.TryGetProperty("events", out var events)
                ? events.EnumerateArray().Select(e => new SpanEvent(
                    Nanos(e.GetProperty("timeUnixNano")), e.GetProperty("name").GetString()!,
                    e.TryGetProperty("attributes", out var ea) ? Attributes(ea) : new Dictionary<string, JsonNode?>())).ToList()
                : [],
            Links = span.TryGetProperty("links", out var links)
                ? links.EnumerateArray().Select(l => new SpanLink(
                    l.GetProperty("traceId").GetString()!, l.GetProperty("spanId").GetString()!,
                    l.TryGetProperty("traceState", out var lts) && lts.GetString() is { Length: > 0 } s ? s : null,
                    l.TryGetProperty("attributes", out var la) ? Attributes(la) : new Dictionary<string, JsonNode?>())).ToList()
                : [],
        };
    }

    private static string StatusCode(JsonElement code) => code.ValueKind switch
    {
        JsonValueKind.Number => code.GetDouble().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.String => code.GetString() switch
        {
            "STATUS_CODE_UNSET" or "UNSET" or "Unset" or "0" or "" => "0",
            "STATUS_CODE_OK" or "OK" or "Ok" or "1" => "1",
            "STATUS_CODE_ERROR" or "ERROR" or "Error" or "2" => "2",
            var other => other!,
        },
        _ => "0",
    };

    private static long Nanos(JsonElement value)
        => value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt64();

    public static Dictionary<string, JsonNode?> Attributes(JsonElement list)
    {
        var map = new Dictionary<string, JsonNode?>();
        foreach (var kv in list.EnumerateArray())
        {
            var key = kv.GetProperty("key").GetString();
            if (string.IsNullOrEmpty(key)) continue;
            map[key] = kv.TryGetProperty("value", out var v) ? AnyValue(v) : null;
        }
        return map;
    }

    private static JsonNode? AnyValue(JsonElement v)
    {
        if (v.TryGetProperty("stringValue", out var s)) return JsonValue.Create(s.GetString());
        if (v.TryGetProperty("intValue", out var i))
        {
            return JsonValue.Create(i.ValueKind == JsonValueKind.String
                ? long.Parse(i.GetString()!, CultureInfo.InvariantCulture) : i.GetInt64());
        }
        if (v.TryGetProperty("doubleValue", out var d)) return JsonValue.Create(d.GetDouble());
        if (v.TryGetProperty("boolValue", out var b)) return JsonValue.Create(b.GetBoolean());
        if (v.TryGetProperty("arrayValue", out var arr) && arr.TryGetProperty("values", out var values))
        {
            var array = new JsonArray();
            foreach (var element in values.EnumerateArray()) array.Add(AnyValue(element));
            return array;
        }
        if (v.TryGetProperty("kvlistValue", out var kv) && kv.TryGetProperty("values", out var kvs))
        {
            var obj = new JsonObject();
            foreach (var (key, value) in Attributes(kvs)) obj[key] = value;
            return obj;
        }
        return null;
    }
}
