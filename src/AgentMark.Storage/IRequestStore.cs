using AgentMark.Core.Filtering;
using AgentMark.Core.Spans;

namespace AgentMark.Storage;

/// <summary>LLM-call records (wire-contract §9): one per GENERATION span.</summary>
public interface IRequestStore
{
    /// <summary>GENERATION spans with their I/O (<see cref="SpanDetail.WithIo"/>), with the true total.</summary>
    Task<Page<SpanRecord>> ListRequestsAsync(RequestQuery query, CancellationToken cancellationToken);
}

public enum RequestSortField { Timestamp, Cost, Latency, PromptTokens, CompletionTokens }

/// <summary>GET /v1/requests parameters (wire-contract §9), already validated.</summary>
public sealed record RequestQuery(string AppId)
{
    /// <summary>The filter language on the spans surface (wire-contract §9, §10).</summary>
    public FilterExpression Filter { get; init; } = FilterExpression.Empty;
    public int Limit { get; init; } = 50;
    public int Offset { get; init; }
    /// <summary>Inclusive bounds on the span start, Unix ns.</summary>
    public long? StartFromNs { get; init; }
    public long? StartToNs { get; init; }
    /// <summary>True: ERROR only; false: OK, where UNSET counts as OK; null: both.</summary>
    public bool? Error { get; init; }
    public string? UserId { get; init; }
    /// <summary>Exact model.</summary>
    public string? Model { get; init; }
    public RequestSortField SortBy { get; init; } = RequestSortField.Timestamp;
    public bool Descending { get; init; } = true;
}
