using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace AgentMark.Gateway.Http.Experiments;

// Experiment payloads are camelCase (wire-contract §1.3, §15). Every field is always written:
// `avgScore` and `resolved` as null when there is none, `commitSha` as "" (wire-contract §25 #26).

/// <summary>ExperimentSummary (wire-contract §15.1); <c>status</c> is never sent (this server dispatches no runs).</summary>
public record ExperimentSummaryWire
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string DatasetPath { get; init; }
    public required string PromptName { get; init; }
    public required string Start { get; init; }
    public required string End { get; init; }
    public long ItemCount { get; init; }
    public long AvgLatencyMs { get; init; }
    public double TotalCost { get; init; }
    public long TotalTokens { get; init; }
    public double? AvgScore { get; init; }
    public required string CommitSha { get; init; }
    public required string CreatedAt { get; init; }
}

/// <summary>ExperimentDetail (wire-contract §15.2) = summary + items.</summary>
public sealed record ExperimentDetailWire : ExperimentSummaryWire
{
    [SetsRequiredMembers]
    public ExperimentDetailWire(ExperimentSummaryWire summary, IReadOnlyList<ExperimentItemWire> items) : base(summary) => Items = items;

    public IReadOnlyList<ExperimentItemWire> Items { get; init; }
}

/// <summary>ExperimentItem (wire-contract §15.2); <c>blobRefs</c> omitted (full I/O is always returned).</summary>
public sealed record ExperimentItemWire(
    string TraceId, string ItemName, string ExpectedOutput, string Input, string Output,
    long LatencyMs, double Cost, long Tokens, string Model, IReadOnlyList<ExperimentScoreWire> Scores);

public sealed record ExperimentScoreWire(string Name, double Score, string Label, string Reason);

/// <summary>GET /v1/experiments/baseline (wire-contract §15.3).</summary>
public sealed record BaselineWire(BaselineResolvedWire? Resolved, IReadOnlyList<BaselineRowWire> Rows);

public sealed record BaselineResolvedWire(string RunId, string TreeHash, bool MatchedExactCommit);

public sealed record BaselineRowWire(string InputHash, string Scorer, double Score);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ListResponse<ExperimentSummaryWire>))]
[JsonSerializable(typeof(ItemResponse<ExperimentDetailWire>))]
[JsonSerializable(typeof(ItemResponse<BaselineWire>))]
internal sealed partial class ExperimentJson : JsonSerializerContext;
