using System.Text.Json.Serialization;

namespace AgentMark.Gateway.Http.Requests;

/// <summary>One LLM call (wire-contract §9): every key always present; the CLI UI reads them directly.</summary>
public sealed record RequestRecord
{
    public required string Id { get; init; }
    public string TenantId { get; init; } = "";
    public required string AppId { get; init; }
    public double Cost { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long LatencyMs { get; init; }
    public required string ModelUsed { get; init; }
    /// <summary>OK or ERROR; UNSET reads as OK.</summary>
    public required string Status { get; init; }
    public required string Input { get; init; }
    /// <summary>Output, else the output object, else null (key present).</summary>
    public string? Output { get; init; }
    public required string Ts { get; init; }
    public required string UserId { get; init; }
    public required string PromptName { get; init; }
    public required string TraceId { get; init; }
    public required string StatusMessage { get; init; }
    public required string Props { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ListResponse<RequestRecord>))]
internal sealed partial class RequestJson : JsonSerializerContext;
