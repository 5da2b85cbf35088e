using AgentMark.Core.Spans;

namespace AgentMark.Storage;

/// <summary>
/// The store contract: every backend (embedded SQLite today, ClickHouse later) implements it and
/// passes the same contract test suite. All reads are scoped to one app.
/// </summary>
public interface ITraceStore : IAsyncDisposable
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores spans idempotently on (AppId, TraceId, SpanId), last write wins. The task completes
    /// only once the spans are durable. Throws <see cref="StoreOverloadedException"/> when the
    /// write queue is full (the caller answers 503 with Retry-After).
    /// </summary>
    Task AppendAsync(IReadOnlyList<SpanRecord> spans, CancellationToken cancellationToken);

    Task<Page<TraceSummary>> ListTracesAsync(TraceQuery query, CancellationToken cancellationToken);

    /// <summary>The trace's spans, start ascending; empty when the trace is unknown.</summary>
    Task<IReadOnlyList<SpanRecord>> GetTraceSpansAsync(string appId, string traceId, SpanDetail detail, CancellationToken cancellationToken);

    Task<SpanRecord?> GetSpanAsync(string appId, string traceId, string spanId, CancellationToken cancellationToken);

    Task<Page<SpanRecord>> ListSpansAsync(SpanQuery query, CancellationToken cancellationToken);
}

/// <summary>How much of a span row a read needs.</summary>
public enum SpanDetail
{
    /// <summary>Everything but I/O, raw attribute maps, events and links.</summary>
    Summary,
    /// <summary>Summary plus input, output, output object, tool calls, settings and props.</summary>
    WithIo,
    /// <summary>Every column.</summary>
    Full,
}

/// <summary>The write queue is full; retry after a moment.</summary>
public sealed class StoreOverloadedException() : Exception("The ingest queue is full; retry shortly.");
