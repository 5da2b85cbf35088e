using System.Text.Json.Serialization;

namespace AgentMark.Gateway.Http.ScoreConfigs;

/// <summary>A score config (wire-contract §11.9): <c>min</c>/<c>max</c> only for numeric, <c>categories</c> only for categorical.</summary>
public sealed record ScoreConfig
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Description { get; init; }
    public required string CommitSha { get; init; }
    public required string DataType { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Min { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Max { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<ScoreCategory>? Categories { get; init; }
}

public sealed record ScoreCategory(string Label, double Value);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ListResponse<ScoreConfig>))]
[JsonSerializable(typeof(ItemResponse<ScoreConfig>))]
internal sealed partial class ScoreConfigJson : JsonSerializerContext;
