using System.Text.Encodings.Web;
using System.Text.Json;
using AgentMark.Core.Filtering;
using AgentMark.Gateway.Auth;
using AgentMark.Gateway.Http.Spans;
using AgentMark.Gateway.Http.Traces;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Filters;

/// <summary>
/// The filter language's own routes: the machine-readable schema (wire-contract §10.7) and the search
/// endpoints for traces and spans (§6.8, §7.2), which answer exactly like their GET lists.
/// </summary>
public static class FilterEndpoints
{
    /// <summary>
    /// Serialized once. The relaxed encoder keeps the patterns readable (<c>metadata.&lt;key&gt;</c> rather
    /// than <c>\u003Ckey\u003E</c>); the body is only ever sent as JSON, never embedded in HTML.
    /// </summary>
    private static readonly string SchemaJson = JsonSerializer.Serialize(new ItemResponse<FilterSchema>(FilterSchema.FromCatalog()),
        new JsonSerializerOptions(FilterJson.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }
            .GetTypeInfo(typeof(ItemResponse<FilterSchema>)));

    public static IEndpointRouteBuilder MapFilterEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/filter-schema", () => Results.Content(SchemaJson, "application/json; charset=utf-8"));
        routes.MapPost("/v1/traces/search", SearchTraces);
        routes.MapPost("/v1/spans/search", SearchSpans);
        return routes;
    }

    private static async Task<IResult> SearchTraces(HttpContext context, ITraceStore store, TimeProvider time, CancellationToken ct)
    {
        var (search, error) = await SearchRequestReader.ReadAsync(context.Request, FilterSurface.Traces, TraceEndpoints.SortFields, time, ct);
        if (error is not null) return error;
        var query = new TraceQuery(context.GetAppId())
        {
            Limit = search!.Limit,
            Offset = search.Offset,
            StartFromNs = QueryReader.UnixNanos(search.From),
            // The window's end is inclusive to the millisecond.
            StartBeforeNs = QueryReader.UnixNanos(search.To) + 1_000_000,
            Filter = search.Filter,
            SortBy = TraceEndpoints.SortField(search.SortBy),
            Descending = search.SortOrder != "asc",
        };
        return await TraceEndpoints.ListPage(store, query, ct);
    }

    private static async Task<IResult> SearchSpans(HttpContext context, ITraceStore store, TimeProvider time, CancellationToken ct)
    {
        var (search, error) = await SearchRequestReader.ReadAsync(context.Request, FilterSurface.Spans, null, time, ct);
        if (error is not null) return error;
        var query = new SpanQuery(context.GetAppId())
        {
            Limit = search!.Limit,
            Offset = search.Offset,
            StartFromNs = QueryReader.UnixNanos(search.From),
            StartToNs = QueryReader.UnixNanos(search.To) + 999_999,
            Filter = search.Filter,
        };
        return await SpanEndpoints.ListPage(store, query, ct);
    }
}
