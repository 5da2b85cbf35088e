using AgentMark.Core.Spans;
using AgentMark.Gateway.Auth;
using AgentMark.Gateway.Http.Traces;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Sessions;

/// <summary>Sessions (wire-contract §8): the list from the summary kept at ingest, and the deprecated per-session traces.</summary>
public static class SessionEndpoints
{
    private static readonly string[] SortFields = ["name", "start", "end", "trace_count", "total_cost", "total_tokens", "latency_ms"];

    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/sessions", ListSessions);
        routes.MapGet("/v1/sessions/{sessionId}/traces", GetSessionTraces);
        return routes;
    }

    private static async Task<IResult> ListSessions(HttpContext context, ISessionStore store, CancellationToken ct)
    {
        var q = new QueryReader(context.Request.Query);
        var startDate = q.DateTime("start_date");
        var endDate = q.DateTime("end_date");
        var sortBy = q.OneOf("sort_by", SortFields);
        var query = new SessionQuery(context.GetAppId())
        {
            Limit = q.Int("limit", 50, 1, 1000),
            Offset = q.Int("offset", 0, 0, int.MaxValue),
            StartFromNs = startDate is { } from ? QueryReader.UnixNanos(from) : null,
            // Inclusive at millisecond precision, like the spans list.
            StartToNs = endDate is { } to ? QueryReader.UnixNanos(to) + 999_999 : null,
            Search = q.Filter("search"),
            UserId = q.SafeFilter("user_id"),
            SortBy = sortBy switch
            {
                "name" => SessionSortField.Name,
                "end" => SessionSortField.End,
                "trace_count" => SessionSortField.TraceCount,
                "total_cost" => SessionSortField.TotalCost,
                "total_tokens" => SessionSortField.TotalTokens,
                "latency_ms" => SessionSortField.Latency,
                _ => SessionSortField.Start,
            },
            // The one list besides requests whose schema defaults sort_order to desc.
            Descending = q.OneOf("sort_order", "asc", "desc") != "asc",
        };
        if (q.Error is { } error) return error;

        var page = await store.ListSessionsAsync(query, ct);
        var items = page.Items.Select(s => new SessionItem
        {
            Id = s.Id,
            Name = s.Name,
            Start = WireFormat.IsoFromNanos(s.StartNs),
            End = WireFormat.IsoFromNanos(s.EndNs),
            TraceCount = s.TraceCount,
            TotalCost = s.TotalCost,
            TotalTokens = s.TotalTokens,
            LatencyMs = s.LatencyMs,
            Tags = s.Tags.Count > 0 ? s.Tags : null,
        }).ToList();
        return Results.Json(new ListResponse<SessionItem>(items, new Pagination(page.Total, page.Limit, page.Offset)),
            SessionJson.Default.ListResponseSessionItem);
    }

    /// <summary>
    /// Deprecated (successor: GET /v1/traces?session_id=). One entry per trace with a span whose
    /// session id is exactly the path value, by trace start; each with its own enriched spans and no
    /// session stitching, since the answer already lists every trace of the session. limit/offset are
    /// accepted and ignored; an unknown session is an empty list.
    /// </summary>
    private static async Task<IResult> GetSessionTraces(string sessionId, HttpContext context, ISessionStore store, CancellationToken ct)
    {
        Deprecation.Mark(context.Response, $"/v1/traces?session_id={Uri.EscapeDataString(sessionId)}");
        var spans = await store.GetSessionSpansAsync(context.GetAppId(), sessionId, null, SpanDetail.WithIo, ct);
        // Spans come start ascending, so traces are first seen in the order of their start.
        var traces = new List<SessionTrace>();
        foreach (var group in spans.GroupBy(s => s.TraceId, StringComparer.Ordinal))
        {
            var own = group.ToList();
            var summary = TraceSummarizer.Summarize(group.Key, own);
            ParentEnrichment.Apply(own);
            traces.Add(new SessionTrace
            {
                Id = summary.Id,
                Name = summary.Name,
                Status = SpanStatus.Name(summary.Status),
                Start = WireFormat.IsoFromNanos(summary.StartNs),
                End = WireFormat.IsoFromMs(summary.EndMs),
                LatencyMs = summary.LatencyMs,
                Cost = summary.Cost,
                Tokens = summary.Tokens,
                Spans = own.Select(SpanWire.InTrace).ToList(),
            });
        }
        return Results.Json(new ItemResponse<IReadOnlyList<SessionTrace>>(traces), SessionJson.Default.ItemResponseIReadOnlyListSessionTrace);
    }
}
