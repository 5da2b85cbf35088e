using System.Text.Json.Serialization;
using AgentMark.Gateway.Http.Traces;

namespace AgentMark.Gateway.Http.Sessions;

/// <summary>Session list item (wire-contract §8.1, ingestion §6.7).</summary>
public sealed record SessionItem
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Start { get; init; }
    public required string End { get; init; }
    public long TraceCount { get; init; }
    public double TotalCost { get; init; }
    public long TotalTokens { get; init; }
    public long LatencyMs { get; init; }
    /// <summary>Omitted when the session has no tags.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>
/// One trace of GET /v1/sessions/{sessionId}/traces (wire-contract §8.2): exactly these fields,
/// snake_case, no input/output/metadata.
/// </summary>
public sealed record SessionTrace
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Status { get; init; }
    public required string Start { get; init; }
    public required string End { get; init; }
    public long LatencyMs { get; init; }
    public double Cost { get; init; }
    public long Tokens { get; init; }
    public required IReadOnlyList<SpanInTrace> Spans { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ListResponse<SessionItem>))]
[JsonSerializable(typeof(ItemResponse<IReadOnlyList<SessionTrace>>))]
internal sealed partial class SessionJson : JsonSerializerContext;
