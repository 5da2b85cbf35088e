using AgentMark.Core.Spans;
using AgentMark.Core.Filtering;
using AgentMark.Gateway.Auth;
using AgentMark.Gateway.Http.Filters;
using AgentMark.Gateway.Http.Traces;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Requests;

/// <summary>GET /v1/requests (wire-contract §9): one record per GENERATION span.</summary>
public static class RequestEndpoints
{
    private static readonly string[] SortFields = ["ts", "cost", "latency_ms", "prompt_tokens", "completion_tokens"];

    public static IEndpointRouteBuilder MapRequestEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/requests", ListRequests);
        return routes;
    }

    private static async Task<IResult> ListRequests(HttpContext context, IRequestStore store, CancellationToken ct)
    {
        var q = new QueryReader(context.Request.Query);
        var startDate = q.DateTime("start_date");
        var endDate = q.DateTime("end_date");
        var status = q.OneOf("status", "OK", "ERROR");
        var query = new RequestQuery(context.GetAppId())
        {
            Limit = q.Int("limit", 50, 1, 1000),
            Offset = q.Int("offset", 0, 0, int.MaxValue),
            StartFromNs = startDate is { } from ? QueryReader.UnixNanos(from) : null,
            StartToNs = endDate is { } to ? QueryReader.UnixNanos(to) + 999_999 : null,
            Error = status is null ? null : status == "ERROR",
            UserId = q.SafeFilter("user_id"),
            Model = q.Filter("model"),
            // The schema types sort_by as a free string and names these values; anything else is
            // refused like on the other lists rather than silently ignored.
            SortBy = q.OneOf("sort_by", SortFields) switch
            {
                "cost" => RequestSortField.Cost,
                "latency_ms" => RequestSortField.Latency,
                "prompt_tokens" => RequestSortField.PromptTokens,
                "completion_tokens" => RequestSortField.CompletionTokens,
                _ => RequestSortField.Timestamp,
            },
            Descending = q.OneOf("sort_order", "asc", "desc") != "asc",
        };
        if (q.Error is { } error) return error;
        if (FilterQuery.Read(q, FilterSurface.Spans, out var filter) is { } filterError) return filterError;
        query = query with { Filter = filter };

        var page = await store.ListRequestsAsync(query, ct);
        var items = page.Items.Select(Record).ToList();
        return Results.Json(new ListResponse<RequestRecord>(items, new Pagination(page.Total, page.Limit, page.Offset)),
            RequestJson.Default.ListResponseRequestRecord);
    }

    private static RequestRecord Record(SpanRecord span) => new()
    {
        Id = span.SpanId,
        AppId = span.AppId,
        Cost = span.Cost,
        PromptTokens = span.InputTokens,
        CompletionTokens = span.OutputTokens,
        LatencyMs = span.Duration,
        ModelUsed = span.Model,
        Status = SpanStatus.Normalize(span.StatusCode) == "2" ? "ERROR" : "OK",
        Input = span.Input ?? "",
        Output = WireFormat.EmptyToNull(span.Output) ?? WireFormat.EmptyToNull(span.OutputObject),
        Ts = WireFormat.IsoFromNanos(span.StartTimeUnixNano),
        UserId = span.UserId,
        PromptName = span.PromptName,
        TraceId = span.TraceId,
        StatusMessage = span.StatusMessage ?? "",
        Props = span.Props ?? "",
    };
}
