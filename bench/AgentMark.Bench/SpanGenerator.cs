using System.Text;
using AgentMark.Ingest.Otlp.Proto.Collector.Trace.V1;
using AgentMark.Ingest.Otlp.Proto.Common.V1;
using AgentMark.Ingest.Otlp.Proto.Resource.V1;
using AgentMark.Ingest.Otlp.Proto.Trace.V1;
using Google.Protobuf;

namespace AgentMark.Bench;

/// <summary>
/// Realistic AI SDK traces: an <c>ai.generateText</c> wrapper, three <c>doGenerate</c> generation
/// spans with ~1.5 KB of prompt and response each, and one tool call. Deterministic per trace number.
/// </summary>
internal static class SpanGenerator
{
    public const int SpansPerTrace = 5;
    private static readonly string[] Models = ["gpt-4o-mini", "gpt-4o", "claude-3-5-sonnet-20241022", "gemini-1.5-pro"];
    private static long BaseNs = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds() * 1_000_000;
    private static long SpacingNs = 2_000_000; // 2 ms apart by default, so traces spread over time

    /// <summary>Spreads <paramref name="traces"/> traces evenly over the last <paramref name="days"/> days (realistic date-range selectivity).</summary>
    public static void SpreadOver(int days, long traces)
    {
        BaseNs = DateTimeOffset.UtcNow.AddDays(-days).ToUnixTimeMilliseconds() * 1_000_000;
        SpacingNs = (long)days * 86_400_000_000_000L / Math.Max(1, traces);
    }

    /// <summary>
    /// Random-looking like real exporters' ids (a mix of the trace number, so still deterministic):
    /// sequential ids would make every index insert an append and flatter the store.
    /// </summary>
    public static string TraceId(long trace) => Mix((ulong)trace).ToString("x16") + Mix((ulong)trace ^ 0x9E3779B97F4A7C15).ToString("x16");

    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        return x ^ (x >> 31);
    }

    public static byte[] Request(long firstTrace, int traces)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "ai", Version = "6.0.0" } };
        for (var t = 0; t < traces; t++) AddTrace(scope, firstTrace + t);
        var resource = new ResourceSpans { Resource = new Resource() };
        resource.Resource.Attributes.Add(Attr("service.name", "bench-app"));
        resource.Resource.Attributes.Add(Attr("telemetry.sdk.language", "nodejs"));
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return request.ToByteArray();
    }

    private static void AddTrace(ScopeSpans scope, long trace)
    {
        var traceId = ByteString.CopyFrom(Convert.FromHexString(TraceId(trace)));
        var start = (ulong)(BaseNs + trace * SpacingNs);
        var model = Models[trace % Models.Length];
        var user = $"user-{trace % 97}";
        var session = $"session-{trace / 4}";
        var root = NewSpan(traceId, 1, 0, "ai.generateText", start, 2_400);
        root.Attributes.Add(Attr("ai.prompt", "{\"prompt\":\"Plan a three day trip to Lisbon for a family of four.\"}"));
        root.Attributes.Add(Attr("ai.telemetry.metadata.user_id", user));
        root.Attributes.Add(Attr("ai.telemetry.metadata.session_id", session));
        root.Attributes.Add(Attr("ai.response.text", Response(trace)));
        scope.Spans.Add(root);
        for (var step = 0; step < 3; step++)
        {
            var generation = NewSpan(traceId, (ulong)(2 + step), 1, "ai.generateText.doGenerate", start + (ulong)(step * 700_000_000), 650);
            generation.Attributes.Add(Attr("gen_ai.request.model", model));
            generation.Attributes.Add(Attr("gen_ai.system", "openai.chat"));
            generation.Attributes.Add(Attr("gen_ai.usage.input_tokens", 350 + trace % 50));
            generation.Attributes.Add(Attr("gen_ai.usage.output_tokens", 120 + step));
            generation.Attributes.Add(Attr("gen_ai.response.finish_reasons", "[\"stop\"]"));
            generation.Attributes.Add(Attr("ai.prompt.messages", Messages(trace, step)));
            generation.Attributes.Add(Attr("ai.response.text", Response(trace)));
            generation.Attributes.Add(Attr("ai.telemetry.metadata.user_id", user));
            generation.Attributes.Add(Attr("ai.telemetry.metadata.session_id", session));
            generation.Attributes.Add(Attr("ai.settings.temperature", 0.7));
            scope.Spans.Add(generation);
        }
        var tool = NewSpan(traceId, 5, 1, "ai.toolCall", start + 700_000_000, 30);
        tool.Attributes.Add(Attr("ai.toolCall.name", "search_hotels"));
        tool.Attributes.Add(Attr("ai.toolCall.id", $"call_{trace}"));
        tool.Attributes.Add(Attr("ai.toolCall.args", "{\"city\":\"Lisbon\",\"nights\":3}"));
        tool.Attributes.Add(Attr("ai.toolCall.result", "[{\"name\":\"Hotel Avenida\",\"price\":180}]"));
        scope.Spans.Add(tool);
    }

    private static Span NewSpan(ByteString traceId, ulong spanNumber, ulong parent, string name, ulong start, int durationMs)
    {
        var span = new Span
        {
            TraceId = traceId,
            SpanId = ByteString.CopyFrom(BitConverter.GetBytes(spanNumber + ((ulong)traceId.GetHashCode() << 8))),
            Name = name,
            Kind = Span.Types.SpanKind.Internal,
            StartTimeUnixNano = start,
            EndTimeUnixNano = start + (ulong)durationMs * 1_000_000,
            Status = new Status { Code = Status.Types.StatusCode.Ok },
        };
        if (parent != 0) span.ParentSpanId = ByteString.CopyFrom(BitConverter.GetBytes(parent + ((ulong)traceId.GetHashCode() << 8)));
        return span;
    }

    private static string Messages(long trace, int step)
    {
        var sb = new StringBuilder("[{\"role\":\"system\",\"content\":\"You are a helpful travel planner. Answer concisely, list options with prices, and ask before booking anything. Prefer public transport, note opening hours and closing days, warn about pickpockets in crowded trams, and keep each day under 12 km of walking for young children. Use metric units and euros.\"},");
        sb.Append("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Plan a three day trip to Lisbon for a family of four. We like museums, food markets and short walks; budget around 2500 EUR including hotel. Trip ")
          .Append(trace).Append(".\"}]}");
        for (var i = 0; i < step; i++)
            sb.Append(",{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Day ").Append(i + 1)
              .Append(": Belem Tower in the morning, pastel de nata at the famous bakery, then the Coach Museum. Lunch at Time Out Market.\"}]}");
        return sb.Append(']').ToString();
    }

    private static string Response(long trace) =>
        $"Here is a plan for trip {trace}: Day 1 Alfama and the castle with a tram ride; Day 2 Belem with the monastery and the riverside; " +
        "Day 3 Sintra by train. Hotel Avenida fits the budget at 180 EUR per night for a family room. " +
        "Book the Jeronimos Monastery tickets online to skip the queue, and try the Time Out Market for an easy family lunch with many choices.";

    private static KeyValue Attr(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
    private static KeyValue Attr(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };
    private static KeyValue Attr(string key, double value) => new() { Key = key, Value = new AnyValue { DoubleValue = value } };
}
