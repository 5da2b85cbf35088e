using AgentMark.Core.Spans;

namespace AgentMark.Storage.Experiments;

/// <summary>
/// Experiments (= dataset runs) derived from ingested spans (templates-and-evals §7.1): nothing is
/// stored as an experiment, every value is computed from the run roots, their traces' model spans
/// and the scores attached to those traces. All reads are scoped to one app.
/// </summary>
public interface IExperimentStore
{
    /// <summary>Experiments after filtering, newest first (§7.2).</summary>
    Task<Page<ExperimentSummary>> ListExperimentsAsync(ExperimentQuery query, CancellationToken cancellationToken);

    /// <summary>One experiment with its items (§7.3); null when the run has no root span.</summary>
    Task<ExperimentDetail?> GetExperimentAsync(string appId, string experimentId, CancellationToken cancellationToken);

    /// <summary>The baseline run for an experiment key and tree hash, with its items (§7.5); null when no run carries the key.</summary>
    Task<Baseline?> GetBaselineAsync(string appId, string experimentKey, string treeHash, CancellationToken cancellationToken);

    /// <summary>
    /// Spans by span id alone (dataset imports from spans, §6.4.1): for each id the most recent span
    /// carrying it, with its I/O. Ids not found are absent from the result.
    /// </summary>
    Task<IReadOnlyDictionary<string, SpanRecord>> FindSpansByIdAsync(string appId, IReadOnlyCollection<string> spanIds, CancellationToken cancellationToken);
}

/// <summary>GET /v1/experiments parameters, already validated.</summary>
public sealed record ExperimentQuery(string AppId)
{
    public int Limit { get; init; } = 50;
    public int Offset { get; init; }
    /// <summary>Inclusive lower bound on the experiment's creation time, Unix ms.</summary>
    public long? CreatedFromMs { get; init; }
    /// <summary>Exclusive upper bound on the experiment's creation time, Unix ms.</summary>
    public long? CreatedBeforeMs { get; init; }
    /// <summary>Exact match on the derived prompt name.</summary>
    public string? PromptName { get; init; }
    /// <summary>Exact match on the derived dataset path.</summary>
    public string? DatasetPath { get; init; }
}

/// <summary>Per-experiment aggregates (templates-and-evals §7.2).</summary>
public sealed record ExperimentSummary
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string PromptName { get; init; } = "";
    public string DatasetPath { get; init; } = "";
    public long ItemCount { get; init; }
    /// <summary>Mean root duration, ms, unrounded.</summary>
    public double AvgLatencyMs { get; init; }
    public double TotalCost { get; init; }
    public long TotalTokens { get; init; }
    /// <summary>Mean of every score on the run's traces; null when there is none.</summary>
    public double? AvgScore { get; init; }
    public string CommitSha { get; init; } = "";
    /// <summary>Earliest ingestion time of the run roots, Unix ms.</summary>
    public long CreatedAtMs { get; init; }
    /// <summary>Latest ingestion time of the run roots, Unix ms.</summary>
    public long EndMs { get; init; }
}

public sealed record ExperimentDetail(ExperimentSummary Summary, IReadOnlyList<ExperimentItem> Items);

/// <summary>One run root (templates-and-evals §7.3); every string is "" when absent.</summary>
public sealed record ExperimentItem
{
    public required string TraceId { get; init; }
    public required string ItemName { get; init; }
    public string Input { get; init; } = "";
    public string ExpectedOutput { get; init; } = "";
    public string Output { get; init; } = "";
    public long LatencyMs { get; init; }
    public double Cost { get; init; }
    public long Tokens { get; init; }
    public string Model { get; init; } = "";
    public IReadOnlyList<ExperimentScore> Scores { get; init; } = [];
}

public sealed record ExperimentScore(string Name, double Score, string Label, string Reason);

/// <summary>The resolved baseline run (§7.5): the most recent run at the tree hash, else the most recent run.</summary>
public sealed record Baseline(string RunId, string TreeHash, bool MatchedExactCommit, IReadOnlyList<BaselineItem> Items);

/// <summary>One root of the baseline run: its dataset input text (else its input; "" when neither) and its scores.</summary>
public sealed record BaselineItem(string TraceId, string InputText, IReadOnlyList<ExperimentScore> Scores);
