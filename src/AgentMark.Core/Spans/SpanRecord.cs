namespace AgentMark.Core.Spans;

/// <summary>
/// The stored span: one row per span, exactly the columns of ingestion §6.1. Conventions produce
/// it, stores persist it, queries read it back. JSON-valued columns hold compact JSON text
/// (JavaScript <c>JSON.stringify</c> form) so every store writes them unchanged.
/// </summary>
public sealed class SpanRecord
{
    /// <summary>Tenant; every query is scoped by it.</summary>
    public string AppId { get; set; } = "";
    public string TraceId { get; set; } = "";
    public string SpanId { get; set; } = "";
    /// <summary>Null for root spans.</summary>
    public string? ParentSpanId { get; set; }
    public string? TraceState { get; set; }
    /// <summary>GENERATION | SPAN (| EVENT, never produced).</summary>
    public string Type { get; set; } = SpanTypes.Span;
    /// <summary>Exact start in nanoseconds.</summary>
    public long StartTimeUnixNano { get; set; }
    /// <summary>End in milliseconds, fractional.</summary>
    public double EndTime { get; set; }
    /// <summary>floor(end ms − start ms); may be negative when end precedes start.</summary>
    public long Duration { get; set; }
    /// <summary>Normalized name (tool spans renamed to the tool).</summary>
    public string SpanName { get; set; } = "";
    /// <summary>OTel kind "0".."5".</summary>
    public string SpanKind { get; set; } = "0";
    /// <summary>function | llm | tool | agent | retrieval | embedding | guardrail (ingestion §3.2).</summary>
    public string SemanticKind { get; set; } = "function";
    public string? ServiceName { get; set; }
    public string? ScopeName { get; set; }
    public string? ScopeVersion { get; set; }
    /// <summary>"0" | "1" | "2" or an unknown value verbatim (ingestion §1.12).</summary>
    public string StatusCode { get; set; } = "0";
    public string? StatusMessage { get; set; }
    public string Model { get; set; } = "";
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    public long TotalTokens { get; set; }
    public long ReasoningTokens { get; set; }
    /// <summary>USD.</summary>
    public double Cost { get; set; }
    /// <summary>Compact JSON of the message array, or null.</summary>
    public string? Input { get; set; }
    /// <summary>Plain text; null when unset or empty.</summary>
    public string? Output { get; set; }
    /// <summary>Compact JSON of the output value when truthy, else null.</summary>
    public string? OutputObject { get; set; }
    /// <summary>Compact JSON array of tool calls, or null.</summary>
    public string? ToolCalls { get; set; }
    public string? FinishReason { get; set; }
    /// <summary>Compact JSON object, or null.</summary>
    public string? Settings { get; set; }
    public string SessionId { get; set; } = "";
    public string SessionName { get; set; } = "";
    public string UserId { get; set; } = "";
    public string TraceName { get; set; } = "";
    public string DatasetRunId { get; set; } = "";
    public string DatasetRunName { get; set; } = "";
    public string DatasetPath { get; set; } = "";
    public string DatasetItemName { get; set; } = "";
    public string DatasetExpectedOutput { get; set; } = "";
    public string DatasetInput { get; set; } = "";
    public string ExperimentKey { get; set; } = "";
    public string SourceTreeHash { get; set; } = "";
    public string CommitSha { get; set; } = "";
    public string PromptName { get; set; } = "";
    /// <summary>Usually JSON text; null when empty.</summary>
    public string? Props { get; set; }
    /// <summary>Compact JSON object string→string, or null.</summary>
    public string? Metadata { get; set; }
    /// <summary>Compact JSON array of tags (ingestion §2.13); "[]" when none.</summary>
    public string Tags { get; set; } = "[]";
    public string ResourceAttributes { get; set; } = "{}";
    /// <summary>Span attributes plus the injected <c>gen_ai.usage.cost</c> (ingestion §4.4).</summary>
    public string SpanAttributes { get; set; } = "{}";
    /// <summary>[{timestamp:&lt;ns&gt;, name, attributes}]</summary>
    public string Events { get; set; } = "[]";
    /// <summary>[{traceId, spanId, traceState, attributes}]</summary>
    public string Links { get; set; } = "[]";

    /// <summary>Start in milliseconds without losing the sub-millisecond part (ingestion §1.11).</summary>
    public double StartTimeMs => NanosToMs(StartTimeUnixNano);

    public static double NanosToMs(long ns) => ns / 1_000_000 + (ns % 1_000_000) / 1_000_000.0;
}

public static class SpanTypes
{
    public const string Generation = "GENERATION";
    public const string Span = "SPAN";
    public const string Event = "EVENT";
}
