using System.Text.Json.Nodes;

namespace AgentMark.Core.Spans;

/// <summary>
/// One span as decoded from the wire (OTLP/JSON, OTLP protobuf or legacy SDK rows), before
/// normalization. Ids, timestamps, status and kind are already in their canonical stored form
/// (ingestion §1.10–§1.13); attribute maps keep the decoded value kinds (ingestion §1.9).
/// </summary>
public sealed class DecodedSpan
{
    /// <summary>Lower-case hex for well-formed ids, any other non-empty string verbatim.</summary>
    public required string TraceId { get; init; }
    public required string SpanId { get; init; }
    /// <summary>Null for a root span (missing, empty or all-zero parent).</summary>
    public string? ParentSpanId { get; init; }
    /// <summary>Null when empty.</summary>
    public string? TraceState { get; init; }
    public string Name { get; init; } = "";
    /// <summary>OTel span kind as the string of its OTLP integer, "0".."5" (ingestion §1.13).</summary>
    public string Kind { get; init; } = "0";
    public long StartTimeUnixNano { get; init; }
    public long EndTimeUnixNano { get; init; }
    /// <summary>"0", "1", "2", or JsString of an unknown value (ingestion §1.12).</summary>
    public string StatusCode { get; init; } = "0";
    /// <summary>Null when empty.</summary>
    public string? StatusMessage { get; init; }
    /// <summary>Instrumentation scope name; null when missing. Legacy SDK rows use "ai".</summary>
    public string? ScopeName { get; init; }
    public string? ScopeVersion { get; init; }

    /// <summary>
    /// Resource attributes. Values: JsonValue holding string / long / double / bool, JsonArray,
    /// JsonObject (kvlist), or null for an AnyValue with no field set (kept in memory, omitted from
    /// stored JSON). Insertion order is the wire order (last duplicate wins, in its first position).
    /// </summary>
    public required IReadOnlyDictionary<string, JsonNode?> ResourceAttributes { get; init; }
    /// <summary>Span attributes, same value rules as <see cref="ResourceAttributes"/>.</summary>
    public required IReadOnlyDictionary<string, JsonNode?> SpanAttributes { get; init; }
    public IReadOnlyList<SpanEvent> Events { get; init; } = [];
    public IReadOnlyList<SpanLink> Links { get; init; } = [];
}

/// <summary>A span event (ingestion §1.14).</summary>
public sealed record SpanEvent(long TimeUnixNano, string Name, IReadOnlyDictionary<string, JsonNode?> Attributes);

/// <summary>A span link; ids follow the same rules as span ids (ingestion §1.10).</summary>
public sealed record SpanLink(string TraceId, string SpanId, string? TraceState, IReadOnlyDictionary<string, JsonNode?> Attributes);
