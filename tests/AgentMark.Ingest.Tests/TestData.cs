using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using AgentMark.Ingest.Otlp;

namespace AgentMark.Ingest.Tests;

internal static class TestData
{
    /// <summary>shared/ sits beside the repository (locally and in CI); found from this source file.</summary>
    public static string SharedPath(string relative, [CallerFilePath] string thisFile = "")
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(thisFile)!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AgentMark.slnx"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", relative));
    }

    public static byte[] Fixture(string name) => File.ReadAllBytes(SharedPath(Path.Combine("fixtures", "otlp", name)));

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>An OTLP/JSON document with one resource and one scope around the given span objects.</summary>
    public static string OtlpJson(params string[] spans) =>
        """{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"test"},"spans":[""" +
        string.Join(",", spans) + "]}]}]}";

    /// <summary>A valid span object; <paramref name="extra"/> is spliced in (later keys win).</summary>
    public static string Span(string extra = "", string spanId = "1111111111111111") =>
        $$"""{"traceId":"0123456789abcdef0123456789abcdef","spanId":"{{spanId}}","name":"s","kind":1,"startTimeUnixNano":"1000","endTimeUnixNano":"2000"{{(extra.Length > 0 ? "," + extra : "")}}}""";

    public static DecodedSpan SingleSpan(string json)
    {
        var result = OtlpJsonDecoder.Decode(Utf8(json));
        Assert.Equal(0, result.RejectedCount);
        return Assert.Single(result.Spans);
    }

    /// <summary>A span with the single attribute <c>k</c> whose AnyValue JSON is given.</summary>
    public static JsonNode? AttributeValue(string anyValueJson)
    {
        var span = SingleSpan(OtlpJson(Span("\"attributes\":[{\"key\":\"k\",\"value\":" + anyValueJson + "}]")));
        Assert.True(span.SpanAttributes.ContainsKey("k"));
        return span.SpanAttributes["k"];
    }

    public static long AsLong(JsonNode? node)
    {
        var value = Assert.IsAssignableFrom<JsonValue>(node);
        Assert.True(value.TryGetValue<long>(out var l), $"expected a long, got {value.GetValueKind()} {value}");
        return l;
    }

    public static double AsDouble(JsonNode? node)
    {
        var value = Assert.IsAssignableFrom<JsonValue>(node);
        Assert.False(value.TryGetValue<long>(out _), "expected a double, got a long");
        Assert.True(value.TryGetValue<double>(out var d));
        return d;
    }

    public static string AsString(JsonNode? node)
    {
        var value = Assert.IsAssignableFrom<JsonValue>(node);
        Assert.Equal(JsonValueKind.String, value.GetValueKind());
        return value.GetValue<string>();
    }

    public static bool AsBool(JsonNode? node)
    {
        var value = Assert.IsAssignableFrom<JsonValue>(node);
        return value.GetValue<bool>();
    }

    public static IngestException Fails(Action action, int status, string code)
    {
        var e = Assert.Throws<IngestException>(action);
        Assert.Equal(status, e.Status);
        Assert.Equal(code, e.Code);
        return e;
    }

    /// <summary>Canonical text of a decoded span, for comparing two decodes field by field.</summary>
    public static string Describe(DecodedSpan s)
    {
        var o = new JsonObject
        {
            ["traceId"] = s.TraceId, ["spanId"] = s.SpanId, ["parent"] = s.ParentSpanId, ["traceState"] = s.TraceState,
            ["name"] = s.Name, ["kind"] = s.Kind, ["start"] = s.StartTimeUnixNano, ["end"] = s.EndTimeUnixNano,
            ["status"] = s.StatusCode, ["statusMessage"] = s.StatusMessage, ["scope"] = s.ScopeName, ["scopeVersion"] = s.ScopeVersion,
            ["resource"] = Map(s.ResourceAttributes), ["attributes"] = Map(s.SpanAttributes),
        };
        var events = new JsonArray();
        foreach (var e in s.Events) events.Add(new JsonObject { ["t"] = e.TimeUnixNano, ["name"] = e.Name, ["attributes"] = Map(e.Attributes) });
        var links = new JsonArray();
        foreach (var l in s.Links) links.Add(new JsonObject { ["traceId"] = l.TraceId, ["spanId"] = l.SpanId, ["traceState"] = l.TraceState, ["attributes"] = Map(l.Attributes) });
        o["events"] = events;
        o["links"] = links;
        return o.ToJsonString();
    }

    private static JsonObject Map(IReadOnlyDictionary<string, JsonNode?> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map) o[k] = v is null ? "<absent>" : TypeTagged(v);
        return o;
    }

    // Keeps long vs double visible in the comparison text.
    private static JsonNode TypeTagged(JsonNode v) => v switch
    {
        JsonValue value when value.TryGetValue<long>(out var l) => "long:" + l,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => "double:" + value.GetValue<double>().ToString("R"),
        _ => v.DeepClone(),
    };
}
