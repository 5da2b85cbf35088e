using System.IO.Compression;
using System.Text;
using Google.Protobuf;
using AgentMark.Ingest.Otlp.Proto.Collector.Trace.V1;
using AgentMark.Ingest.Otlp.Proto.Common.V1;
using AgentMark.Ingest.Otlp.Proto.Resource.V1;
using AgentMark.Ingest.Otlp.Proto.Trace.V1;

namespace AgentMark.Gateway.Tests;

/// <summary>Builds OTLP request bodies for tests.</summary>
internal static class Otlp
{
    public const long BaseNs = 1_767_225_600_000_000_000; // 2026-01-01T00:00:00Z

    public static string TraceId(int n) => n.ToString("x32");
    public static string SpanId(int n) => n.ToString("x16");

    /// <summary>One OTLP/JSON span.</summary>
    public static string JsonSpan(string traceId, string spanId, string? parent = null, string name = "step",
        long startMs = 0, long durationMs = 100, string attributes = "", int status = 0)
    {
        var start = BaseNs + startMs * 1_000_000;
        var parentField = parent is null ? "" : "\"parentSpanId\":\"" + parent + "\",";
        return "{\"traceId\":\"" + traceId + "\",\"spanId\":\"" + spanId + "\"," + parentField +
               "\"name\":\"" + name + "\",\"kind\":1,\"startTimeUnixNano\":\"" + start +
               "\",\"endTimeUnixNano\":\"" + (start + durationMs * 1_000_000) + "\",\"attributes\":[" + attributes +
               "],\"status\":{\"code\":" + status + "}}";
    }

    public static string StringAttr(string key, string value) =>
        $"{{\"key\":\"{key}\",\"value\":{{\"stringValue\":{System.Text.Json.JsonSerializer.Serialize(value)}}}}}";

    public static string IntAttr(string key, long value) => $"{{\"key\":\"{key}\",\"value\":{{\"intValue\":\"{value}\"}}}}";

    public static byte[] JsonBody(string scope, params string[] spans) => Encoding.UTF8.GetBytes(
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"tests\"}}]}," +
        "\"scopeSpans\":[{\"scope\":{\"name\":\"" + scope + "\"},\"spans\":[" + string.Join(",", spans) + "]}]}]}");

    /// <summary>A protobuf ExportTraceServiceRequest of generation spans, one per id pair.</summary>
    public static byte[] ProtobufBody(int traceNumber, int spanCount, string scope = "ai")
    {
        var scopeSpans = new ScopeSpans { Scope = new InstrumentationScope { Name = scope } };
        for (var i = 0; i < spanCount; i++)
        {
            var start = (ulong)(BaseNs + i * 1_000_000L);
            var span = new Span
            {
                TraceId = ByteString.CopyFrom(Convert.FromHexString(TraceId(traceNumber))),
                SpanId = ByteString.CopyFrom(Convert.FromHexString(SpanId(i + 1))),
                Name = "ai.generateText.doGenerate",
                Kind = Span.Types.SpanKind.Client,
                StartTimeUnixNano = start,
                EndTimeUnixNano = start + 250_000_000,
                Status = new Status { Code = Status.Types.StatusCode.Ok },
            };
            if (i > 0) span.ParentSpanId = ByteString.CopyFrom(Convert.FromHexString(SpanId(1)));
            span.Attributes.Add(new KeyValue { Key = "gen_ai.request.model", Value = new AnyValue { StringValue = "gpt-4o" } });
            span.Attributes.Add(new KeyValue { Key = "gen_ai.usage.input_tokens", Value = new AnyValue { IntValue = 100 } });
            span.Attributes.Add(new KeyValue { Key = "gen_ai.usage.output_tokens", Value = new AnyValue { IntValue = 20 } });
            span.Attributes.Add(new KeyValue { Key = "ai.response.text", Value = new AnyValue { StringValue = "hello" } });
            scopeSpans.Spans.Add(span);
        }
        var request = new ExportTraceServiceRequest();
        var resource = new ResourceSpans { Resource = new Resource() };
        resource.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "proto-tests" } });
        resource.ScopeSpans.Add(scopeSpans);
        request.ResourceSpans.Add(resource);
        return request.ToByteArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(data);
        return output.ToArray();
    }

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);
}
