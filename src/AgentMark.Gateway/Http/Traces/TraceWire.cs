using System.Text.Json.Serialization;

namespace AgentMark.Gateway.Http.Traces;

// Optional-vs-nullable is per field (wire-contract §1.3): [JsonIgnore(WhenWritingNull)] marks
// "omit when absent"; every other property is always written, null included.

/// <summary>Trace list item (wire-contract §6.2, ingestion §6.6).</summary>
public sealed record TraceListItem
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Status { get; init; }
    public required string Start { get; init; }
    public required string End { get; init; }
    public long LatencyMs { get; init; }
    public double Cost { get; init; }
    public long Tokens { get; init; }
    public int SpanCount { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? InputPreview { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? OutputPreview { get; init; }
}

/// <summary>Trace detail (wire-contract §6.3).</summary>
public sealed record TraceDetail
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Status { get; init; }
    public required string Start { get; init; }
    public required string End { get; init; }
    public long LatencyMs { get; init; }
    public double Cost { get; init; }
    public long Tokens { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Input { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Output { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, string>? Metadata { get; init; }
    public required IReadOnlyList<SpanInTrace> Spans { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<GraphNode>? Graph { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<TraceScore>? Scores { get; init; }
}

/// <summary>A span inside a trace detail (ingestion §6.3).</summary>
public sealed record SpanInTrace
{
    public required string Id { get; init; }
    public required string TraceId { get; init; }
    public string? ParentId { get; init; }
    public required string Name { get; init; }
    public required string Status { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? StatusMessage { get; init; }
    public long DurationMs { get; init; }
    public required string Timestamp { get; init; }
    public required string Type { get; init; }
    public string? Model { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long Tokens { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? ReasoningTokens { get; init; }
    public double Cost { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Input { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Output { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? OutputObject { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ToolCalls { get; init; }
    public string? PromptName { get; init; }
    public string? Props { get; init; }
    public string? FinishReason { get; init; }
    public string? Settings { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, string>? Metadata { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? SpanKind { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ServiceName { get; init; }
}

/// <summary>A span in span lists (ingestion §6.4): every field present.</summary>
public sealed record TraceSpan
{
    public required string Id { get; init; }
    public required string TraceId { get; init; }
    public string? ParentId { get; init; }
    public required string Name { get; init; }
    public required string Status { get; init; }
    public required string StatusMessage { get; init; }
    public long DurationMs { get; init; }
    public required string Timestamp { get; init; }
    public required string Type { get; init; }
    public string? Model { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long Tokens { get; init; }
    public double Cost { get; init; }
    public required string SpanKind { get; init; }
    public required string ServiceName { get; init; }
    public string? PromptName { get; init; }
    public required Dictionary<string, string> Metadata { get; init; }
}

/// <summary>GET /v1/traces/{traceId}/spans/{spanId} (ingestion §6.5): every key present.</summary>
public sealed record SpanIo(string Input, string Output, string? OutputObject, string? ToolCalls, Dictionary<string, string> Metadata);

/// <summary>Graph row (ingestion §5.7); camelCase on the wire.</summary>
public sealed record GraphNode
{
    [JsonPropertyName("parentNodeId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ParentNodeId { get; init; }
    [JsonPropertyName("nodeId")] public required string NodeId { get; init; }
    [JsonPropertyName("spanId")] public required string SpanId { get; init; }
    [JsonPropertyName("nodeType")] public required string NodeType { get; init; }
    [JsonPropertyName("displayName")] public required string DisplayName { get; init; }
    [JsonPropertyName("spanName")] public required string SpanName { get; init; }
}

/// <summary>Score object as attached to a trace (wire-contract §11).</summary>
public sealed record TraceScore
{
    public required string Id { get; init; }
    public required string ResourceId { get; init; }
    public required string Name { get; init; }
    public double Score { get; init; }
    public string Label { get; init; } = "";
    public string Reason { get; init; } = "";
    public required string Source { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? UserId { get; init; }
    public required string CreatedAt { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ListResponse<TraceListItem>))]
[JsonSerializable(typeof(ItemResponse<TraceDetail>))]
[JsonSerializable(typeof(ItemResponse<IReadOnlyList<TraceSpan>>))]
[JsonSerializable(typeof(ListResponse<TraceSpan>))]
[JsonSerializable(typeof(ItemResponse<SpanIo>))]
[JsonSerializable(typeof(ItemResponse<IReadOnlyList<GraphNode>>))]
internal sealed partial class TraceJson : JsonSerializerContext;
