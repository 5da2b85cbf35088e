using System.Text.Json.Nodes;
using AgentMark.Gateway.Auth;
using AgentMark.Gateway.Errors;
using AgentMark.Gateway.Hosting;
using AgentMark.Gateway.Http.Templates;
using AgentMark.Storage;
using AgentMark.Storage.Experiments;
using Microsoft.Extensions.Options;

namespace AgentMark.Gateway.Http.Datasets;

/// <summary>Datasets: JSONL files under the templates root (wire-contract §14, templates-and-evals §6).</summary>
public static class DatasetEndpoints
{
    public static IServiceCollection AddDatasets(this IServiceCollection services)
    {
        services.AddSingleton<DatasetFiles>();
        return services;
    }

    public static IEndpointRouteBuilder MapDatasetEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/datasets", ListDatasets);
        routes.MapPost("/v1/datasets/{datasetName}/rows", AppendRow);
        routes.MapPost("/v1/datasets/{datasetName}/rows/from-traces", (string datasetName, HttpContext context, TemplateProject project,
            DatasetFiles files, IOptions<GatewayOptions> options, ITraceStore traces, CancellationToken ct) =>
            Import(datasetName, "trace_ids", context, project, files, options.Value, async (ids, app) =>
            {
                var sources = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
                foreach (var id in ids.Distinct(StringComparer.Ordinal))
                {
                    var spans = await traces.GetTraceSpansAsync(app, id, SpanDetail.WithIo, ct);
                    if (spans.Count > 0) sources[id] = DatasetSources.Trace(id, spans);
                }
                return sources;
            }, ct));
        routes.MapPost("/v1/datasets/{datasetName}/rows/from-spans", (string datasetName, HttpContext context, TemplateProject project,
            DatasetFiles files, IOptions<GatewayOptions> options, IExperimentStore store, CancellationToken ct) =>
            Import(datasetName, "span_ids", context, project, files, options.Value, async (ids, app) =>
            {
                var spans = await store.FindSpansByIdAsync(app, ids, ct);
                return spans.ToDictionary(pair => pair.Key, pair => DatasetSources.Span(pair.Value), StringComparer.Ordinal);
            }, ct));
        return routes;
    }

    private static IResult ListDatasets(HttpContext context, TemplateProject project, DatasetFiles files)
    {
        var q = new QueryReader(context.Request.Query);
        var limit = q.Int("limit", 50, 1, 1000);
        var offset = q.Int("offset", 0, 0, int.MaxValue);
        var name = q.String("name");
        if (q.Error is { } error) return error;
        var root = project.TemplatesRoot();
        if (root is null) return ApiError.Internal("agentmarkPath points outside the project directory");

        var all = files.List(root);
        // Exact, case-sensitive match on the leaf name: last segment without .jsonl (case-insensitive).
        if (name is not null) all = all.Where(d => LeafName(d.Name) == name).ToList();
        all.Sort((a, b) => RootCollation.Instance.Compare(a.Name, b.Name));
        var page = all.Skip(offset).Take(limit)
            .Select(d => new DatasetListItem(d.Name, d.RowCount, WireFormat.Iso(new DateTimeOffset(d.CreatedUtc, TimeSpan.Zero).ToUnixTimeMilliseconds())))
            .ToList();
        return Results.Json(new ListResponse<DatasetListItem>(page, new Pagination(all.Count, limit, offset)), DatasetJson.Default.ListResponseDatasetListItem);
    }

    private static string LeafName(string name)
    {
        var leaf = name[(name.LastIndexOf('/') + 1)..];
        return leaf.EndsWith(DatasetName.Extension, StringComparison.OrdinalIgnoreCase) ? leaf[..^DatasetName.Extension.Length] : leaf;
    }

    private static async Task<IResult> AppendRow(string datasetName, HttpContext context, TemplateProject project, DatasetFiles files,
        IOptions<GatewayOptions> options, CancellationToken ct)
    {
        var (file, error) = Target(DatasetName.Decode(context, datasetName), project);
        if (error is not null) return error;
        var (body, bodyError) = await JsonRequestBody.ReadAsync(context.Request, options.Value.MaxBodyBytes, ct, requireJson: true);
        if (bodyError is not null) return bodyError;
        byte[]? line;
        using (body)
        {
            (line, bodyError) = DatasetRows.FromBody(body!.Root);
        }
        if (bodyError is not null) return bodyError;
        var (lineNumber, writeError) = await WriteAsync(context, files, file!, line!, 1, ct);
        if (writeError is not null) return writeError;
        return Results.Json(new ItemResponse<AppendedRow>(new AppendedRow(lineNumber)), DatasetJson.Default.ItemResponseAppendedRow,
            statusCode: StatusCodes.Status201Created);
    }

    /// <summary>
    /// from-traces / from-spans (§6.4): sources are read first, rows built in request order, then every
    /// created row goes to the file in one durable write, so the line numbers are contiguous.
    /// </summary>
    private static async Task<IResult> Import(string datasetName, string idsKey, HttpContext context, TemplateProject project, DatasetFiles files,
        GatewayOptions options, Func<IReadOnlyList<string>, string, Task<Dictionary<string, JsonObject>>> loadSources, CancellationToken ct)
    {
        var (file, error) = Target(DatasetName.Decode(context, datasetName), project);
        if (error is not null) return error;
        var (body, bodyError) = await JsonRequestBody.ReadAsync(context.Request, options.MaxBodyBytes, ct, requireJson: true);
        if (bodyError is not null) return bodyError;
        ImportRequest? request;
        using (body)
        {
            (request, bodyError) = DatasetImport.Parse(body!.Root, idsKey);
        }
        if (bodyError is not null) return bodyError;

        var sources = await loadSources(request!.SourceIds, context.GetAppId());
        var rows = new List<byte[]>();
        var outcomes = new List<(string Id, int? Row, string? Error)>();
        foreach (var id in request.SourceIds)
        {
            if (!sources.TryGetValue(id, out var source)) { outcomes.Add((id, null, "Source not found")); continue; }
            byte[]? line;
            string? failure;
            try
            {
                (line, failure) = DatasetImport.BuildRow(source, request.Mapping);
            }
            catch (Exception invalid) when (invalid is ArgumentException or InvalidOperationException)
            {
                (line, failure) = (null, "Source could not be converted: " + invalid.Message);
            }
            if (line is null) { outcomes.Add((id, null, failure)); continue; }
            outcomes.Add((id, rows.Count, null));
            rows.Add(line);
        }

        long first = 0;
        if (rows.Count > 0)
        {
            (first, var writeError) = await WriteAsync(context, files, file!, rows.SelectMany(r => r).ToArray(), rows.Count, ct);
            if (writeError is not null) return writeError;
        }
        var results = outcomes.Select(o => o.Row is { } row
            ? new ImportItemResult { SourceId = o.Id, Status = "created", LineNumber = first + row }
            : new ImportItemResult { SourceId = o.Id, Status = "failed", Error = o.Error }).ToList();
        return Results.Json(new ItemResponse<ImportResult>(new ImportResult(rows.Count, results)), DatasetJson.Default.ItemResponseImportResult,
            statusCode: rows.Count == results.Count ? StatusCodes.Status201Created : StatusCodes.Status207MultiStatus);
    }

    private static (DatasetFile? File, ApiError? Error) Target(string datasetName, TemplateProject project)
    {
        var root = project.TemplatesRoot();
        if (root is null) return (null, ApiError.Internal("agentmarkPath points outside the project directory"));
        return DatasetName.Resolve(datasetName, root);
    }

    /// <summary>The first row index, or the error when the file could not be written (nothing was kept).</summary>
    private static async Task<(long FirstRow, ApiError? Error)> WriteAsync(HttpContext context, DatasetFiles files, DatasetFile file, byte[] lines, int count, CancellationToken ct)
    {
        try
        {
            return (await files.AppendAsync(file.FullPath, lines, count, ct), null);
        }
        catch (DatasetBusyException busy)
        {
            return (0, new ApiError(StatusCodes.Status503ServiceUnavailable, "service_unavailable", busy.Message) { RetryAfterSeconds = 1 });
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Disk full, permissions, a folder where the file should be: the server's problem, logged.
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AgentMark.Datasets")
                .LogError(error, "Appending to dataset {Dataset} failed", file.Name);
            return (0, ApiError.Internal("Failed to write dataset"));
        }
    }
}
