using AgentMark.Core.Spans;
using AgentMark.Gateway.Auth;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Export;

/// <summary>
/// GET /v1/traces/export (wire-contract §6.7): one cursor page of spans as JSONL, CSV or OpenAI
/// fine-tuning JSONL, streamed from the store's reader straight into the response body. The literal
/// route segment wins over <c>/v1/traces/{traceId}</c> by routing precedence.
/// </summary>
public static class ExportEndpoints
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 2000;
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    private static readonly string[] Statuses = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"];

    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/traces/export", ExportTraces);
        return routes;
    }

    private static async Task<IResult> ExportTraces(HttpContext context, IExportStore store, TimeProvider time, CancellationToken ct)
    {
        var (query, format, error) = Bind(context, time);
        if (error is not null) return error;

        await using var page = await store.OpenExportPageAsync(query!, ct);
        var response = context.Response;
        var nextCursor = page.NextCursorMs is { } next ? WireFormat.Iso(next) : null;
        try
        {
            switch (format)
            {
                case "csv":
                    response.ContentType = "text/csv; charset=utf-8";
                    SetMetaHeaders(response, new ExportMeta(page.Total, page.Total, 0, nextCursor));
                    await WriteCsvAsync(response, page, query!.IncludeIo, ct);
                    break;
                case "openai":
                    // Whether a span converts is only known from its input: count first (same snapshot), so the
                    // headers can carry the numbers before the body starts.
                    var exported = await CountConvertibleAsync(page, ct);
                    var meta = new ExportMeta(page.Total, exported, page.Total - exported, nextCursor);
                    response.ContentType = "application/x-ndjson";
                    SetMetaHeaders(response, meta);
                    await WriteOpenAiAsync(response, page, meta, ct);
                    break;
                default:
                    var jsonl = new ExportMeta(page.Total, page.Total, 0, nextCursor);
                    response.ContentType = "application/x-ndjson";
                    SetMetaHeaders(response, jsonl);
                    await WriteJsonlAsync(response, page, jsonl, query!.IncludeIo, ct);
                    break;
            }
            await response.BodyWriter.FlushAsync(ct);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || response.HasStarted)
        {
            // The client went away mid-stream: nothing left to answer.
            context.Abort();
        }
        return Results.Empty;
    }

    private static (ExportQuery? Query, string Format, IResult? Error) Bind(HttpContext context, TimeProvider time)
    {
        var q = new QueryReader(context.Request.Query);
        var format = q.OneOf("format", "jsonl", "csv", "openai") ?? "jsonl";
        var limit = q.Int("limit", DefaultLimit, 1, MaxLimit);
        var lightweight = q.Bool("lightweight", false);
        var startDate = q.DateTime("startDate");
        var endDate = q.DateTime("endDate");
        var cursor = q.DateTime("cursor");
        var type = q.OneOf("type", SpanTypes.Generation, SpanTypes.Span, SpanTypes.Event, "all");
        var status = q.OneOf("status", Statuses);
        var minScore = q.OptionalNumber("minScore");
        var maxScore = q.OptionalNumber("maxScore");
        var metadataKey = q.String("metadata_key");
        var metadataValue = q.String("metadata_value");
        if (metadataKey is not null && metadataValue is null) q.Reject("metadata_value", "metadata_value is required with metadata_key");
        if (metadataValue is not null && string.IsNullOrEmpty(metadataKey)) q.Reject("metadata_key", "metadata_key is required with metadata_value");

        // Defaults: the last 30 days. An explicit endDate alone means the 30 days before it.
        var end = endDate ?? time.GetUtcNow();
        var start = startDate ?? end - DefaultWindow;
        if (end < start) q.Reject("endDate", "endDate must not be before startDate");
        if (minScore > maxScore) q.Reject("maxScore", "maxScore must not be less than minScore");

        var query = new ExportQuery(context.GetAppId())
        {
            FromNs = QueryReader.UnixNanos(start),
            // endDate is inclusive at millisecond precision; the cursor is exclusive (strictly older rows).
            ToNs = Math.Min(QueryReader.UnixNanos(end) + 1_000_000, cursor is { } c ? QueryReader.UnixNanos(c) : long.MaxValue),
            Limit = limit,
            IncludeIo = !lightweight,
            Type = type is null or "all" ? null : type,
            Model = q.Filter("model"),
            Status = status is null ? null : SpanStatus.Normalize(status),
            Name = q.Filter("name"),
            UserId = q.SafeFilter("userId"),
            Tag = q.Filter("tag"),
            MetadataKey = metadataKey,
            MetadataValue = metadataValue,
            MinScore = minScore,
            MaxScore = maxScore,
        };
        return q.Error is { } error ? (null, format, error) : (query, format, null);
    }

    private static void SetMetaHeaders(HttpResponse response, ExportMeta meta)
    {
        response.Headers["X-Export-Total"] = meta.Total.ToString();
        response.Headers["X-Export-Exported"] = meta.Exported.ToString();
        response.Headers["X-Export-Skipped"] = meta.Skipped.ToString();
        if (meta.NextCursor is not null) response.Headers["X-Export-Next-Cursor"] = meta.NextCursor;
    }

    private static async Task WriteJsonlAsync(HttpResponse response, ExportPage page, ExportMeta meta, bool includeIo, CancellationToken ct)
    {
        await using var lines = new NdjsonStream(response.BodyWriter);
        await foreach (var row in page.ReadRowsAsync(ct))
        {
            ExportRowJson.Write(lines.Json, row, includeIo);
            await lines.EndLineAsync(ct);
        }
        ExportRowJson.WriteMeta(lines.Json, meta);
        await lines.EndLineAsync(ct);
    }

    private static async Task WriteCsvAsync(HttpResponse response, ExportPage page, bool includeIo, CancellationToken ct)
    {
        await using var csv = new CsvExportWriter(response.BodyWriter, includeIo);
        await csv.WriteHeaderAsync(ct);
        await foreach (var row in page.ReadRowsAsync(ct)) await csv.WriteRowAsync(row, ct);
    }

    private static async Task<long> CountConvertibleAsync(ExportPage page, CancellationToken ct)
    {
        long convertible = 0;
        await foreach (var row in page.ReadRowsAsync(ct))
        {
            using var input = OpenAiExamples.TryParse(row);
            if (input is not null) convertible++;
        }
        return convertible;
    }

    private static async Task WriteOpenAiAsync(HttpResponse response, ExportPage page, ExportMeta meta, CancellationToken ct)
    {
        await using var lines = new NdjsonStream(response.BodyWriter);
        await foreach (var row in page.ReadRowsAsync(ct))
        {
            using var input = OpenAiExamples.TryParse(row);
            if (input is null) continue;
            OpenAiExamples.Write(lines.Json, input, row);
            await lines.EndLineAsync(ct);
        }
        ExportRowJson.WriteMeta(lines.Json, meta);
        await lines.EndLineAsync(ct);
    }
}
