using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using AgentMark.Gateway.Http.Traces;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Datasets;

/// <summary>
/// The source documents that import paths run against (templates-and-evals §6.4.1), built from
/// stored spans with the same values the trace and span reads show.
/// </summary>
public static class DatasetSources
{
    /// <param name="spans">Every span of the trace, start ascending, with I/O.</param>
    public static JsonObject Trace(string traceId, IReadOnlyList<SpanRecord> spans)
    {
        var summary = TraceSummarizer.Summarize(traceId, spans);
        var root = spans.FirstOrDefault(s => string.IsNullOrEmpty(s.ParentSpanId)) ?? spans[0];
        JsonNode? props = null;
        foreach (var span in spans)
        {
            if (ParseJson(span.Props) is JsonObject { Count: > 0 } candidate) { props = candidate; break; }
        }
        var source = new JsonObject
        {
            ["id"] = summary.Id,
            ["name"] = summary.Name,
            ["status"] = SpanStatus.Name(summary.Status),
            ["start"] = WireFormat.IsoFromNanos(summary.StartNs),
            ["end"] = WireFormat.IsoFromMs(summary.EndMs),
            ["latency_ms"] = summary.LatencyMs,
            ["cost"] = summary.Cost,
            ["tokens"] = summary.Tokens,
        };
        // Trace I/O: absent (not null) when nothing was found.
        if (summary.Input is not null) source["input"] = ParseJson(summary.Input);
        if (summary.Output is not null) source["output"] = ParseJson(summary.Output);
        source["props"] = props;
        source["metadata"] = Metadata(root);
        source["root_span"] = Span(root);
        source["spans"] = new JsonArray(spans.Select(s => (JsonNode?)Span(s)).ToArray());
        return source;
    }

    /// <summary>A span document: an element of a trace's <c>spans</c>, and the from-spans source.</summary>
    public static JsonObject Span(SpanRecord span) => new()
    {
        ["id"] = span.SpanId,
        ["trace_id"] = span.TraceId,
        ["parent_id"] = WireFormat.EmptyToNull(span.ParentSpanId),
        ["name"] = span.SpanName,
        ["status"] = SpanStatus.Name(span.StatusCode),
        ["status_message"] = WireFormat.EmptyToNull(span.StatusMessage),
        ["duration_ms"] = span.Duration,
        ["timestamp"] = WireFormat.IsoFromNanos(span.StartTimeUnixNano),
        ["type"] = string.IsNullOrEmpty(span.Type) ? SpanTypes.Span : span.Type,
        ["model"] = WireFormat.EmptyToNull(span.Model),
        ["input_tokens"] = span.InputTokens,
        ["output_tokens"] = span.OutputTokens,
        ["tokens"] = SpanWire.Tokens(span),
        ["cost"] = span.Cost,
        ["prompt_name"] = WireFormat.EmptyToNull(span.PromptName),
        ["span_kind"] = WireFormat.EmptyToNull(span.SemanticKind),
        ["service_name"] = WireFormat.EmptyToNull(span.ServiceName),
        ["metadata"] = Metadata(span),
        ["input"] = ParseJson(span.Input),
        ["output"] = ParseJson(span.Output),
        // [X] span sources carry props too (wire-contract §14.3), so $.props wins as the default input.
        ["props"] = ParseJson(span.Props),
    };

    private static JsonObject Metadata(SpanRecord span)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in WireFormat.Metadata(span.Metadata)) metadata[key] = value;
        return metadata;
    }

    /// <summary>A stored string JSON-parsed when it parses (like JSON.parse), else the raw string; null stays null.</summary>
    private static JsonNode? ParseJson(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
