using System.Text.Json.Serialization;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Scores;

/// <summary>The Score object (wire-contract §11): label and reason always present, user_id omitted when none.</summary>
public sealed record ScoreItem
{
    public required string Id { get; init; }
    public required string ResourceId { get; init; }
    public required string Name { get; init; }
    public double Score { get; init; }
    public required string Label { get; init; }
    public required string Reason { get; init; }
    public required string Source { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? UserId { get; init; }
    public required string CreatedAt { get; init; }

    public static ScoreItem From(ScoreRecord score) => new()
    {
        Id = score.Id,
        ResourceId = score.ResourceId,
        Name = score.Name,
        Score = score.Score,
        Label = score.Label,
        Reason = score.Reason,
        Source = score.Source,
        UserId = WireFormat.EmptyToNull(score.UserId),
        CreatedAt = WireFormat.Iso(score.CreatedAtMs),
    };
}

public sealed record ScoreCreated(string Id, string Message);

/// <summary>
/// POST /v1/scores answer: the flat <c>{id, message}</c> clients read, plus the same pair under
/// <c>data</c> for the SDKs that return <c>response.data</c> (wire-contract §11.1).
/// </summary>
public sealed record ScoreCreatedResponse(string Id, string Message, ScoreCreated Data);

/// <summary>One line of a batch answer, in input order (wire-contract §11.2).</summary>
public sealed record BatchItemResult
{
    public required string Status { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ClientId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Id { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public BatchItemError? Error { get; init; }
}

public sealed record BatchItemError(string Code, string Message);

public sealed record BatchSummary(int Total, int Succeeded, int Failed);

public sealed record BatchOutcome(IReadOnlyList<BatchItemResult> Results, BatchSummary Summary);

/// <summary>One line of GET /v1/scores/aggregations (wire-contract §11.5, with the optional data_type).</summary>
public sealed record ScoreAggregation(string Name, double AvgScore, long Count, double MinScore, double MaxScore, string DataType);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ListResponse<ScoreItem>))]
[JsonSerializable(typeof(ItemResponse<ScoreItem>))]
[JsonSerializable(typeof(ScoreCreatedResponse))]
[JsonSerializable(typeof(ItemResponse<BatchOutcome>))]
[JsonSerializable(typeof(ItemResponse<IReadOnlyList<string>>))]
[JsonSerializable(typeof(ItemResponse<IReadOnlyList<ScoreAggregation>>))]
internal sealed partial class ScoreJson : JsonSerializerContext;
