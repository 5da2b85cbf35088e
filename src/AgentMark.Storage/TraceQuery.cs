using AgentMark.Core.Filtering;

namespace AgentMark.Storage;

public enum TraceSortField { StartTime, Name, Status, Latency, Cost, Tokens }

/// <summary>GET /v1/traces parameters (wire-contract §6.2), already validated.</summary>
public sealed record TraceQuery(string AppId)
{
    public int Limit { get; init; } = 50;
    public int Offset { get; init; }
    /// <summary>Inclusive lower bound on trace start, Unix ns.</summary>
    public long? StartFromNs { get; init; }
    /// <summary>Exclusive upper bound on trace start, Unix ns.</summary>
    public long? StartBeforeNs { get; init; }
    /// <summary>"1" (OK) or "2" (ERROR).</summary>
    public string? Status { get; init; }
    public string? UserId { get; init; }
    public string? Model { get; init; }
    public string? DatasetRunId { get; init; }
    public string? SessionId { get; init; }
    /// <summary>Case-insensitive substring of the trace name.</summary>
    public string? Name { get; init; }
    /// <summary>Any of these tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? CommitSha { get; init; }
    /// <summary>The filter language (wire-contract §10), traces surface; empty = none.</summary>
    public FilterExpression Filter { get; init; } = FilterExpression.Empty;
    public TraceSortField SortBy { get; init; } = TraceSortField.StartTime;
    public bool Descending { get; init; } = true;
}

/// <summary>GET /v1/spans parameters (wire-contract §7.1), already validated.</summary>
public sealed record SpanQuery(string AppId)
{
    public int Limit { get; init; } = 100;
    public int Offset { get; init; }
    public string? TraceId { get; init; }
    public string? Type { get; init; }
    /// <summary>"0" (UNSET), "1" (OK) or "2" (ERROR), compared on the normalized status.</summary>
    public string? Status { get; init; }
    /// <summary>Case-insensitive substring of the span name.</summary>
    public string? Name { get; init; }
    /// <summary>Case-insensitive substring of the model.</summary>
    public string? Model { get; init; }
    public long? MinDurationMs { get; init; }
    public long? MaxDurationMs { get; init; }
    /// <summary>Inclusive bounds on span start, Unix ns.</summary>
    public long? StartFromNs { get; init; }
    public long? StartToNs { get; init; }
    public string? UserId { get; init; }
    public string? SessionId { get; init; }
    /// <summary>The filter language (wire-contract §10), spans surface; empty = none.</summary>
    public FilterExpression Filter { get; init; } = FilterExpression.Empty;
}
