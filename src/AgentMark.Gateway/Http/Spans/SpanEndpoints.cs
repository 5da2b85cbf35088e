using AgentMark.Core.Filtering;
using AgentMark.Core.Spans;
using AgentMark.Gateway.Auth;
using AgentMark.Gateway.Http.Filters;
using AgentMark.Gateway.Http.Traces;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Spans;

/// <summary>GET /v1/spans (wire-contract §7.1).</summary>
public static class SpanEndpoints
{
    public static IEndpointRouteBuilder MapSpanEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/spans", ListSpans);
        return routes;
    }

    private static async Task<IResult> ListSpans(HttpContext context, ITraceStore store, CancellationToken ct)
    {
        var q = new QueryReader(context.Request.Query);
        var status = q.OneOf("status", "UNSET", "OK", "ERROR");
        var startDate = q.DateTime("start_date");
        var endDate = q.DateTime("end_date");
        var query = new SpanQuery(context.GetAppId())
        {
            Limit = q.Int("limit", 100, 1, 500),
            Offset = q.Int("offset", 0, 0, int.MaxValue),
            TraceId = q.Filter("trace_id"),
            Type = q.OneOf("type", SpanTypes.Span, SpanTypes.Generation, SpanTypes.Event),
            Status = status is null ? null : SpanStatus.FromName(status),
            Name = q.Filter("name"),
            Model = q.Filter("model"),
            MinDurationMs = q.OptionalLong("min_duration", 0),
            MaxDurationMs = q.OptionalLong("max_duration", 0),
            StartFromNs = startDate is { } from ? QueryReader.UnixNanos(from) : null,
            // Inclusive at millisecond precision: a span at .999 of the bound still matches.
            StartToNs = endDate is { } to ? QueryReader.UnixNanos(to) + 999_999 : null,
            UserId = q.SafeFilter("user_id"),
            SessionId = q.SafeFilter("session_id"),
        };
        var filterError = FilterQuery.Read(q, FilterSurface.Spans, out var filter);
        if (q.Error is { } error) return error;
        if (filterError is not null) return filterError;
        return await ListPage(store, query with { Filter = filter }, ct);
    }

    /// <summary>One page of the span list envelope; shared by GET /v1/spans and POST /v1/spans/search.</summary>
    internal static async Task<IResult> ListPage(ITraceStore store, SpanQuery query, CancellationToken ct)
    {
        var page = await store.ListSpansAsync(query, ct);
        var items = page.Items.Select(SpanWire.InList).ToList();
        return Results.Json(new ListResponse<TraceSpan>(items, new Pagination(page.Total, page.Limit, page.Offset)),
            TraceJson.Default.ListResponseTraceSpan);
    }
}
