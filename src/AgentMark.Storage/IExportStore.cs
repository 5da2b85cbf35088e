using AgentMark.Core.Spans;

namespace AgentMark.Storage;

/// <summary>Span export (wire-contract §6.7): pages of spans, newest first, read as a stream.</summary>
public interface IExportStore
{
    /// <summary>
    /// Fixes one page of matching spans: its row count and the cursor of the next page are known
    /// before any row is read, and <see cref="ExportPage.ReadRowsAsync"/> streams exactly those rows
    /// from the same snapshot. Dispose the page to release the snapshot.
    /// </summary>
    Task<ExportPage> OpenExportPageAsync(ExportQuery query, CancellationToken cancellationToken);
}

/// <summary>Export parameters, already validated.</summary>
public sealed record ExportQuery(string AppId)
{
    /// <summary>Inclusive lower bound on span start, Unix ns.</summary>
    public long FromNs { get; init; }
    /// <summary>Exclusive upper bound on span start, Unix ns (the end of the window or the cursor).</summary>
    public long ToNs { get; init; }
    public int Limit { get; init; } = 500;
    public string? Type { get; init; }
    /// <summary>Exact model.</summary>
    public string? Model { get; init; }
    /// <summary>"0" (UNSET), "1" (OK) or "2" (ERROR), compared on the normalized status.</summary>
    public string? Status { get; init; }
    /// <summary>Case-insensitive substring of the span name.</summary>
    public string? Name { get; init; }
    /// <summary>Exact user id of the span.</summary>
    public string? UserId { get; init; }
    /// <summary>The span's trace carries this tag.</summary>
    public string? Tag { get; init; }
    /// <summary>The span's metadata maps this key to this value (both or neither).</summary>
    public string? MetadataKey { get; init; }
    public string? MetadataValue { get; init; }
    /// <summary>
    /// The span's trace has a score (on the trace or on any of its spans) within [MinScore, MaxScore];
    /// with both bounds, one score must satisfy both.
    /// </summary>
    public double? MinScore { get; init; }
    public double? MaxScore { get; init; }
    /// <summary>Read input, output, output object and tool calls (false for lightweight exports).</summary>
    public bool IncludeIo { get; init; } = true;
}

/// <summary>One page of an export. Rows: start descending; a page never splits a millisecond.</summary>
public abstract class ExportPage : IAsyncDisposable
{
    /// <summary>Rows in this page.</summary>
    public long Total { get; protected init; }

    /// <summary>Start (Unix ms) of the page's last row when older rows may follow, else null.</summary>
    public long? NextCursorMs { get; protected init; }

    /// <summary>Streams the page's rows; may be enumerated more than once (same snapshot, same rows).</summary>
    public abstract IAsyncEnumerable<ExportedSpan> ReadRowsAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}

/// <param name="TraceName">The trace's summary name ("" when unknown).</param>
/// <param name="Scores">Scores on the span itself and on its trace, oldest first.</param>
public sealed record ExportedSpan(SpanRecord Span, string TraceName, IReadOnlyList<ExportScore> Scores);

public sealed record ExportScore(string Name, double Score, string Label, string Reason, string Source);
