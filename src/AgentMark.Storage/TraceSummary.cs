namespace AgentMark.Storage;

/// <summary>Trace-level properties derived from a trace's spans (ingestion §5.2, §5.3).</summary>
public sealed record TraceSummary
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    /// <summary>Normalized status "0" | "1" | "2".</summary>
    public string Status { get; init; } = "0";
    public long StartNs { get; init; }
    /// <summary>Latest span end, ms.</summary>
    public double EndMs { get; init; }
    public long LatencyMs { get; init; }
    public double Cost { get; init; }
    public long Tokens { get; init; }
    public int SpanCount { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>Trace input (full), only when derived from complete rows.</summary>
    public string? Input { get; init; }
    public string? Output { get; init; }
    public string? InputPreview { get; init; }
    public string? OutputPreview { get; init; }
    public string DatasetRunId { get; init; } = "";
    public string DatasetPath { get; init; } = "";
}
