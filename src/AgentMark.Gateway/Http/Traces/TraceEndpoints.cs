using AgentMark.Core.Filtering;
using AgentMark.Core.Spans;
using AgentMark.Gateway.Auth;
using AgentMark.Gateway.Errors;
using AgentMark.Gateway.Http.Scores;
using AgentMark.Gateway.Http.Filters;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Traces;

/// <summary>Trace reads (wire-contract §6.2–§6.6).</summary>
public static class TraceEndpoints
{
    internal static readonly string[] SortFields = ["name", "status", "latency", "cost", "tokens", "start_time"];

    public static IEndpointRouteBuilder MapTraceEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/traces", ListTraces);
        routes.MapGet("/v1/traces/{traceId}", GetTrace);
        routes.MapGet("/v1/traces/{traceId}/spans", GetTraceSpans);
        routes.MapGet("/v1/traces/{traceId}/spans/{spanId}", GetSpanIo);
        routes.MapGet("/v1/traces/{traceId}/graph", GetGraph);
        return routes;
    }

    private static async Task<IResult> ListTraces(HttpContext context, ITraceStore store, CancellationToken ct)
    {
        var q = new QueryReader(context.Request.Query);
        var limit = q.Int("limit", 50, 1, 1000);
        var offset = q.Int("offset", 0, 0, int.MaxValue);
        var startDate = q.Date("start_date");
        var endDate = q.Date("end_date");
        var sortBy = q.OneOf("sort_by", SortFields);
        var sortOrder = q.OneOf("sort_order", "asc", "desc");
        var status = q.OneOf("status", "OK", "ERROR");
        var query = new TraceQuery(context.GetAppId())
        {
            Limit = limit,
            Offset = offset,
            StartFromNs = startDate is { } from ? QueryReader.UnixNanos(from) : null,
            StartBeforeNs = endDate is { } to ? QueryReader.UnixNanos(to.AddDays(1)) : null,
            Status = status is null ? null : SpanStatus.FromName(status),
            UserId = q.SafeFilter("user_id"),
            Model = q.Filter("model"),
            DatasetRunId = q.Filter("dataset_run_id"),
            SessionId = q.SafeFilter("session_id"),
            Name = q.Filter("name"),
            Tags = q.Strings("tag"),
            CommitSha = q.Filter("commit_sha"),
            SortBy = SortField(sortBy),
            Descending = sortOrder != "asc",
        };
        var filterError = FilterQuery.Read(q, FilterSurface.Traces, out var filter);
        if (q.Error is { } error) return error;
        if (filterError is not null) return filterError;
        return await ListPage(store, query with { Filter = filter }, ct);
    }

    /// <summary>One page of the trace list envelope; shared by GET /v1/traces and POST /v1/traces/search.</summary>
    internal static async Task<IResult> ListPage(ITraceStore store, TraceQuery query, CancellationToken ct)
    {
        var page = await store.ListTracesAsync(query, ct);
        var items = page.Items.Select(ListItem).ToList();
        return Results.Json(new ListResponse<TraceListItem>(items, new Pagination(page.Total, page.Limit, page.Offset)),
            TraceJson.Default.ListResponseTraceListItem);
    }

    internal static TraceSortField SortField(string? sortBy) => sortBy switch
    {
        "name" => TraceSortField.Name,
        "status" => TraceSortField.Status,
        "latency" => TraceSortField.Latency,
        "cost" => TraceSortField.Cost,
        "tokens" => TraceSortField.Tokens,
        _ => TraceSortField.StartTime,
    };

    public static TraceListItem ListItem(TraceSummary t) => new()
    {
        Id = t.Id,
        Name = t.Name,
        Status = SpanStatus.Name(t.Status),
        Start = WireFormat.IsoFromNanos(t.StartNs),
        End = WireFormat.IsoFromMs(t.EndMs),
        LatencyMs = t.LatencyMs,
        Cost = t.Cost,
        Tokens = t.Tokens,
        SpanCount = t.SpanCount,
        Tags = t.Tags,
        InputPreview = t.InputPreview,
        OutputPreview = t.OutputPreview,
    };

    private static async Task<IResult> GetTrace(string traceId, HttpContext context, ITraceStore store, ISessionStore sessions, IScoreStore scoreStore, CancellationToken ct)
    {
        var spans = await store.GetTraceSpansAsync(context.GetAppId(), traceId, SpanDetail.WithIo, ct);
        if (spans.Count == 0) return ApiError.NotFound("Trace not found");

        var fields = (context.Request.Query["fields"].ToString() ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // Summary numbers come from the stored values; enrichment only changes the span rows shown.
        var summary = TraceSummarizer.Summarize(traceId, spans);
        var graph = fields.Contains("graph") ? TraceGraph.Build(spans) : null;
        var root = spans.FirstOrDefault(s => string.IsNullOrEmpty(s.ParentSpanId));
        var metadata = root is null ? null : WireFormat.Metadata(root.Metadata);
        ParentEnrichment.Apply(spans);
        var stitched = await SessionStitching.StitchAsync(sessions, context.GetAppId(), traceId, spans, ct);

        var detail = new TraceDetail
        {
            Id = summary.Id,
            Name = summary.Name,
            Status = SpanStatus.Name(summary.Status),
            Start = WireFormat.IsoFromNanos(summary.StartNs),
            End = WireFormat.IsoFromMs(summary.EndMs),
            LatencyMs = summary.LatencyMs,
            Cost = summary.Cost,
            Tokens = summary.Tokens,
            Input = stitched.Input,
            Output = stitched.Output,
            Metadata = metadata is { Count: > 0 } ? metadata : null,
            Spans = stitched.Spans.Select(SpanWire.InTrace).ToList(),
            Graph = graph,
            Scores = fields.Contains("scores") ? await TraceScores.ReadAsync(scoreStore, context.GetAppId(), traceId, spans, ct) : null,
        };
        return Results.Json(new ItemResponse<TraceDetail>(detail), TraceJson.Default.ItemResponseTraceDetail);
    }

    private static async Task<IResult> GetTraceSpans(string traceId, HttpContext context, ITraceStore store, CancellationToken ct)
    {
        var spans = await store.GetTraceSpansAsync(context.GetAppId(), traceId, SpanDetail.Summary, ct);
        if (spans.Count == 0) return ApiError.NotFound("Trace not found");
        ParentEnrichment.Apply(spans);
        IReadOnlyList<TraceSpan> items = spans.Select(SpanWire.InList).ToList();
        return Results.Json(new ItemResponse<IReadOnlyList<TraceSpan>>(items), TraceJson.Default.ItemResponseIReadOnlyListTraceSpan);
    }

    private static async Task<IResult> GetSpanIo(string traceId, string spanId, HttpContext context, ITraceStore store, CancellationToken ct)
    {
        var span = await store.GetSpanAsync(context.GetAppId(), traceId, spanId, ct);
        if (span is null) return ApiError.NotFound("Span not found");
        return Results.Json(new ItemResponse<SpanIo>(SpanWire.Io(span)), TraceJson.Default.ItemResponseSpanIo);
    }

    private static async Task<IResult> GetGraph(string traceId, HttpContext context, ITraceStore store, CancellationToken ct)
    {
        var spans = await store.GetTraceSpansAsync(context.GetAppId(), traceId, SpanDetail.Summary, ct);
        Deprecation.Mark(context.Response, $"/v1/traces/{Uri.EscapeDataString(traceId)}?fields=graph");
        IReadOnlyList<GraphNode> nodes = TraceGraph.Build(spans);
        return Results.Json(new ItemResponse<IReadOnlyList<GraphNode>>(nodes), TraceJson.Default.ItemResponseIReadOnlyListGraphNode);
    }
}
