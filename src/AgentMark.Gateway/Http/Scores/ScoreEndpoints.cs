using AgentMark.Core.Filtering;
using AgentMark.Gateway.Auth;
using AgentMark.Gateway.Errors;
using AgentMark.Gateway.Hosting;
using AgentMark.Gateway.Http.Filters;
using AgentMark.Storage;
using Microsoft.Extensions.Options;

namespace AgentMark.Gateway.Http.Scores;

/// <summary>Scores (wire-contract §11.1–§11.8) and the published SDK's legacy <c>POST /v1/score</c>.</summary>
public static class ScoreEndpoints
{
    private const string Created = "Score created successfully";

    /// <summary>The score store is the embedded store itself (it implements both contracts).</summary>
    public static IServiceCollection AddScores(this IServiceCollection services) =>
        services.AddSingleton(sp => (IScoreStore)sp.GetRequiredService<ITraceStore>());

    public static IEndpointRouteBuilder MapScoreEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/scores", CreateScore);
        routes.MapPost("/v1/score", CreateScore); // legacy-sdk-endpoints.md: same route, same answer
        routes.MapPost("/v1/scores/batch", CreateBatch);
        routes.MapPost("/v1/scores/search", Search);
        routes.MapGet("/v1/scores", ListScores);
        routes.MapGet("/v1/scores/names", GetNames);
        routes.MapGet("/v1/scores/aggregations", GetAggregations);
        routes.MapGet("/v1/scores/{scoreId}", GetScore);
        routes.MapDelete("/v1/scores/{scoreId}", DeleteScore);
        return routes;
    }

    private static async Task<IResult> CreateScore(HttpContext context, IScoreStore store, IOptions<GatewayOptions> options, CancellationToken ct)
    {
        var (body, bodyError) = await JsonRequestBody.ReadAsync(context.Request, options.Value.MaxBodyBytes, ct);
        if (bodyError is not null) return bodyError;
        NewScore? score;
        using (body)
        {
            var problems = new List<ScoreProblem>();
            score = ScoreRequestReader.Read(body!.Root, strictDataType: false, problems);
            if (score is null) return InvalidBody(problems);
        }
        var stored = await Store(context, () => store.AddScoresAsync(context.GetAppId(), [score], CancellationToken.None));
        if (stored.Error is not null) return stored.Error;
        var id = stored.Scores![0].Id;
        return Results.Json(new ScoreCreatedResponse(id, Created, new ScoreCreated(id, Created)), ScoreJson.Default.ScoreCreatedResponse,
            statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> CreateBatch(HttpContext context, IScoreStore store, IOptions<GatewayOptions> options, CancellationToken ct)
    {
        var (body, bodyError) = await JsonRequestBody.ReadAsync(context.Request, options.Value.MaxBodyBytes, ct);
        if (bodyError is not null) return bodyError;
        ScoreBatch batch;
        using (body)
        {
            var (read, error) = ScoreBatch.Read(body!.Root);
            if (error is not null) return error;
            batch = read!;
        }
        IReadOnlyList<ScoreRecord> stored = [];
        if (batch.Valid.Count > 0)
        {
            var result = await Store(context, () => store.AddScoresAsync(context.GetAppId(), batch.Valid, CancellationToken.None));
            if (result.Error is not null) return result.Error;
            stored = result.Scores!;
        }
        var (status, outcome) = batch.Complete(stored);
        return Results.Json(new ItemResponse<BatchOutcome>(outcome), ScoreJson.Default.ItemResponseBatchOutcome, statusCode: status);
    }

    private static async Task<IResult> Search(HttpContext context, IScoreStore store, TimeProvider time, CancellationToken ct)
    {
        var (search, error) = await SearchRequestReader.ReadAsync(context.Request, FilterSurface.Scores, null, time, ct);
        if (error is not null) return error;
        var query = new ScoreQuery(context.GetAppId())
        {
            Limit = search!.Limit,
            Offset = search.Offset,
            CreatedFromMs = search.From.ToUnixTimeMilliseconds(),
            // The window's end is inclusive to the millisecond.
            CreatedBeforeMs = search.To.ToUnixTimeMilliseconds() + 1,
            Filter = search.Filter,
        };
        return List(await store.ListScoresAsync(query, ct));
    }

    private static async Task<IResult> ListScores(HttpContext context, IScoreStore store, CancellationToken ct)
    {
        var q = new QueryReader(context.Request.Query);
        var limit = q.Int("limit", 50, 1, 1000);
        var offset = q.Int("offset", 0, 0, int.MaxValue);
        var startDate = q.Date("start_date");
        var endDate = q.Date("end_date");
        var query = new ScoreQuery(context.GetAppId())
        {
            Limit = limit,
            Offset = offset,
            CreatedFromMs = StartMs(startDate),
            CreatedBeforeMs = EndMs(endDate),
            ResourceId = q.SafeFilter("resource_id"),
            ResourceType = q.OneOf("resource_type", ScoreResourceTypes.Trace, ScoreResourceTypes.Span),
            Name = q.SafeFilter("name"),
            Source = q.OneOf("source", "experiment", "annotation", "api"),
            SessionId = q.SafeFilter("session_id"),
        };
        if (q.Error is { } error) return error;
        return List(await store.ListScoresAsync(query, ct));
    }

    private static IResult List(Page<ScoreRecord> page) =>
        Results.Json(new ListResponse<ScoreItem>(page.Items.Select(ScoreItem.From).ToList(), new Pagination(page.Total, page.Limit, page.Offset)),
            ScoreJson.Default.ListResponseScoreItem);

    private static async Task<IResult> GetNames(HttpContext context, IScoreStore store, CancellationToken ct) =>
        Results.Json(new ItemResponse<IReadOnlyList<string>>(await store.ListScoreNamesAsync(context.GetAppId(), ct)),
            ScoreJson.Default.ItemResponseIReadOnlyListString);

    private static async Task<IResult> GetAggregations(HttpContext context, IScoreStore store, CancellationToken ct)
    {
        var q = new QueryReader(context.Request.Query);
        var startDate = q.Date("start_date");
        var endDate = q.Date("end_date");
        if (q.Error is { } error) return error;
        var aggregates = await store.AggregateScoresAsync(context.GetAppId(), StartMs(startDate), EndMs(endDate), ct);
        IReadOnlyList<ScoreAggregation> data = aggregates
            .Select(a => new ScoreAggregation(a.Name, a.AverageScore, a.Count, a.MinScore, a.MaxScore, a.DataType)).ToList();
        return Results.Json(new ItemResponse<IReadOnlyList<ScoreAggregation>>(data), ScoreJson.Default.ItemResponseIReadOnlyListScoreAggregation);
    }

    private static async Task<IResult> GetScore(string scoreId, HttpContext context, IScoreStore store, CancellationToken ct)
    {
        var score = await store.GetScoreAsync(context.GetAppId(), scoreId, ct);
        return score is null
            ? ApiError.NotFound("Score not found")
            : Results.Json(new ItemResponse<ScoreItem>(ScoreItem.From(score)), ScoreJson.Default.ItemResponseScoreItem);
    }

    private static async Task<IResult> DeleteScore(string scoreId, HttpContext context, IScoreStore store) =>
        // Not cancellable: once started, the delete is either committed or not, and the answer says which.
        await store.DeleteScoreAsync(context.GetAppId(), scoreId, CancellationToken.None)
            ? Results.NoContent()
            : ApiError.NotFound("Score not found");

    /// <summary>Whole days, UTC: start of <c>start_date</c> inclusive, end of <c>end_date</c> inclusive.</summary>
    private static long? StartMs(DateOnly? date) => date is { } d ? QueryReader.UnixMs(d) : null;

    private static long? EndMs(DateOnly? date) => date is { } d ? StartMs(d.AddDays(1)) : null;

    private static ApiError InvalidBody(List<ScoreProblem> problems)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var problem in problems) details.TryAdd(problem.Field, problem.Message);
        return new ApiError(StatusCodes.Status400BadRequest, "invalid_request_body", "Invalid request body") { Details = details };
    }

    /// <summary>Runs a durable write; a storage failure is a logged 500 with nothing acknowledged.</summary>
    private static async Task<(IReadOnlyList<ScoreRecord>? Scores, ApiError? Error)> Store(HttpContext context, Func<Task<IReadOnlyList<ScoreRecord>>> write)
    {
        try
        {
            return (await write(), null);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AgentMark.Scores").LogError(error, "Storing scores failed");
            return (null, ApiError.Internal("Failed to store scores"));
        }
    }
}
