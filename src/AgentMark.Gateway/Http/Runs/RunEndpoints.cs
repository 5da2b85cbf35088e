using AgentMark.Gateway.Auth;
using AgentMark.Gateway.Errors;
using AgentMark.Gateway.Http.Traces;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Runs;

/// <summary>
/// GET /v1/runs/{runId}/traces (wire-contract §15.5, deprecated): the trace list of one dataset run,
/// i.e. GET /v1/traces?dataset_run_id={runId} with its list envelope, limit at most 200.
/// </summary>
public static class RunEndpoints
{
    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/runs/{runId}/traces", GetRunTraces);
        return routes;
    }

    private static async Task<IResult> GetRunTraces(string runId, HttpContext context, ITraceStore store, CancellationToken ct)
    {
        Deprecation.Mark(context.Response, $"/v1/traces?dataset_run_id={Uri.EscapeDataString(runId)}");
        var q = new QueryReader(context.Request.Query);
        var query = new TraceQuery(context.GetAppId())
        {
            Limit = q.Int("limit", 50, 1, 200),
            Offset = q.Int("offset", 0, 0, int.MaxValue),
            DatasetRunId = runId,
        };
        if (q.Error is { } error) return error;

        var page = await store.ListTracesAsync(query, ct);
        if (page.Total == 0) return ApiError.NotFound("Run not found");
        var items = page.Items.Select(TraceEndpoints.ListItem).ToList();
        return Results.Json(new ListResponse<TraceListItem>(items, new Pagination(page.Total, page.Limit, page.Offset)),
            TraceJson.Default.ListResponseTraceListItem);
    }
}
