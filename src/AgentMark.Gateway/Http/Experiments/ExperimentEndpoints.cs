using AgentMark.Gateway.Auth;
using AgentMark.Gateway.Errors;
using AgentMark.Storage;
using AgentMark.Storage.Experiments;

namespace AgentMark.Gateway.Http.Experiments;

/// <summary>Experiments and the regression-gate baseline (wire-contract §15.1–§15.3, templates-and-evals §7).</summary>
public static class ExperimentEndpoints
{
    public static IServiceCollection AddExperiments(this IServiceCollection services)
    {
        // The embedded store implements the experiment reads next to the trace reads.
        services.AddSingleton(sp => (IExperimentStore)sp.GetRequiredService<ITraceStore>());
        return services;
    }

    public static IEndpointRouteBuilder MapExperimentEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/experiments", ListExperiments);
        // A literal segment wins over the {experimentId} template in ASP.NET Core routing.
        routes.MapGet("/v1/experiments/baseline", GetBaseline);
        routes.MapGet("/v1/experiments/{experimentId}", GetExperiment);
        return routes;
    }

    private static async Task<IResult> ListExperiments(HttpContext context, IExperimentStore store, CancellationToken ct)
    {
        var q = new QueryReader(context.Request.Query);
        var limit = q.Int("limit", 50, 1, 200);
        var offset = q.Int("offset", 0, 0, int.MaxValue);
        var startDate = q.Date("start_date");
        var endDate = q.Date("end_date");
        var query = new ExperimentQuery(context.GetAppId())
        {
            Limit = limit,
            Offset = offset,
            // [X] the filters are applied (the reference ignores them by a naming slip, §7.2).
            CreatedFromMs = startDate is { } from ? QueryReader.UnixMs(from) : null,
            CreatedBeforeMs = endDate is { } to ? QueryReader.UnixMs(to.AddDays(1)) : null,
            PromptName = q.Filter("prompt_name"),
            DatasetPath = q.Filter("dataset_path"),
        };
        if (q.Error is { } error) return error;
        var page = await store.ListExperimentsAsync(query, ct);
        IReadOnlyList<ExperimentSummaryWire> items = page.Items.Select(Summary).ToList();
        return Results.Json(new ListResponse<ExperimentSummaryWire>(items, new Pagination(page.Total, page.Limit, page.Offset)),
            ExperimentJson.Default.ListResponseExperimentSummaryWire);
    }

    private static async Task<IResult> GetExperiment(string experimentId, HttpContext context, IExperimentStore store, CancellationToken ct)
    {
        var detail = await store.GetExperimentAsync(context.GetAppId(), experimentId, ct);
        if (detail is null) return ApiError.NotFound("Experiment not found");
        var wire = new ExperimentDetailWire(Summary(detail.Summary), detail.Items.Select(item => new ExperimentItemWire(item.TraceId,
            item.ItemName, item.ExpectedOutput, item.Input, item.Output, item.LatencyMs, item.Cost, item.Tokens, item.Model,
            Scores(item.Scores))).ToList());
        return Results.Json(new ItemResponse<ExperimentDetailWire>(wire), ExperimentJson.Default.ItemResponseExperimentDetailWire);
    }

    private static async Task<IResult> GetBaseline(HttpContext context, IExperimentStore store, CancellationToken ct)
    {
        var q = new QueryReader(context.Request.Query);
        var experimentKey = Required(q, "experiment_key");
        // [X] commit_sha is accepted in place of tree_hash (wire-contract §15.3, §23 #13).
        var treeHash = context.Request.Query.ContainsKey("tree_hash") || !context.Request.Query.ContainsKey("commit_sha")
            ? Required(q, "tree_hash")
            : Required(q, "commit_sha");
        q.String("dataset_path"); // accepted, a soft signal only: rows match by input hash
        if (q.Error is { } error) return error;

        var baseline = await store.GetBaselineAsync(context.GetAppId(), experimentKey!, treeHash!, ct);
        if (baseline is null) return Results.Json(new ItemResponse<BaselineWire>(new BaselineWire(null, [])), ExperimentJson.Default.ItemResponseBaselineWire);
        var rows = new List<BaselineRowWire>();
        foreach (var item in baseline.Items)
        {
            if (RowInputHash.FromJsonText(item.InputText) is not { } inputHash) continue;
            foreach (var score in item.Scores) rows.Add(new BaselineRowWire(inputHash, score.Name, score.Score));
        }
        var resolved = new BaselineResolvedWire(baseline.RunId, baseline.TreeHash, baseline.MatchedExactCommit);
        return Results.Json(new ItemResponse<BaselineWire>(new BaselineWire(resolved, rows)), ExperimentJson.Default.ItemResponseBaselineWire);
    }

    private static string? Required(QueryReader q, string name)
    {
        var value = q.String(name);
        if (value is null) q.Reject(name, "Required");
        else if (value.Length == 0) q.Reject(name, "String must contain at least 1 character(s)");
        return value;
    }

    private static ExperimentSummaryWire Summary(ExperimentSummary s) => new()
    {
        Id = s.Id,
        Name = s.Name,
        DatasetPath = s.DatasetPath,
        PromptName = s.PromptName,
        // start = createdAt, end = the latest ingestion time of the run roots (§7.2).
        Start = WireFormat.Iso(s.CreatedAtMs),
        End = WireFormat.Iso(s.EndMs),
        ItemCount = s.ItemCount,
        // JavaScript Math.round: halves towards +infinity.
        AvgLatencyMs = (long)Math.Floor(s.AvgLatencyMs + 0.5),
        TotalCost = s.TotalCost,
        TotalTokens = s.TotalTokens,
        AvgScore = s.AvgScore,
        CommitSha = s.CommitSha,
        CreatedAt = WireFormat.Iso(s.CreatedAtMs),
    };

    private static IReadOnlyList<ExperimentScoreWire> Scores(IReadOnlyList<ExperimentScore> scores) =>
        scores.Select(s => new ExperimentScoreWire(s.Name, s.Score, s.Label, s.Reason)).ToList();
}
