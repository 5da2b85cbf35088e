using AgentMark.Core.Spans;

namespace AgentMark.Storage;

/// <summary>
/// Sessions (ingestion §5.6): traces grouped by the session id their spans carry. Implemented by a
/// store next to <see cref="ITraceStore"/>; every read is scoped to one app.
/// </summary>
public interface ISessionStore
{
    /// <summary>The sessions list of wire-contract §8.1, with the true total.</summary>
    Task<Page<SessionSummary>> ListSessionsAsync(SessionQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Every span of every trace having a span whose session id is exactly <paramref name="sessionId"/>
    /// (untrimmed, as the trace filter compares it), start ascending; the spans of
    /// <paramref name="exceptTraceId"/> left out. Empty when the session is unknown.
    /// </summary>
    Task<IReadOnlyList<SpanRecord>> GetSessionSpansAsync(string appId, string sessionId, string? exceptTraceId, SpanDetail detail, CancellationToken cancellationToken);
}

public enum SessionSortField { Start, Name, End, TraceCount, TotalCost, TotalTokens, Latency }

/// <summary>GET /v1/sessions parameters (wire-contract §8.1), already validated.</summary>
public sealed record SessionQuery(string AppId)
{
    public int Limit { get; init; } = 50;
    public int Offset { get; init; }
    /// <summary>Inclusive bounds on the session start, Unix ns.</summary>
    public long? StartFromNs { get; init; }
    public long? StartToNs { get; init; }
    /// <summary>Case-insensitive substring of the session id or name.</summary>
    public string? Search { get; init; }
    /// <summary>Sessions having any trace of this user.</summary>
    public string? UserId { get; init; }
    public SessionSortField SortBy { get; init; } = SessionSortField.Start;
    public bool Descending { get; init; } = true;
}

/// <summary>One session's fields (ingestion §5.6): aggregates over all spans of its traces.</summary>
public sealed record SessionSummary
{
    /// <summary>The trimmed session id.</summary>
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    /// <summary>Earliest and latest span start (not end), Unix ns.</summary>
    public long StartNs { get; init; }
    public long EndNs { get; init; }
    public long TraceCount { get; init; }
    /// <summary>Sum of span costs (traces use the maximum).</summary>
    public double TotalCost { get; init; }
    /// <summary>Sum of span total tokens.</summary>
    public long TotalTokens { get; init; }
    /// <summary>Longest span duration.</summary>
    public long LatencyMs { get; init; }
    /// <summary>Distinct union of the traces' tags, by trace start.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}
