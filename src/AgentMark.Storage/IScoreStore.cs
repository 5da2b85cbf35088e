using AgentMark.Core.Filtering;

namespace AgentMark.Storage;

/// <summary>
/// Scores attached to a trace or span id (wire-contract §11). Every backend implements it beside
/// <see cref="ITraceStore"/> and passes the score contract suite. All calls are scoped to one app.
/// </summary>
public interface IScoreStore
{
    /// <summary>
    /// Stores the scores in one transaction (all or none) and returns them as stored, in input
    /// order, with their new ids and the resource type decided now (<see cref="ScoreResourceTypes"/>).
    /// The task completes only once the scores are durable.
    /// </summary>
    Task<IReadOnlyList<ScoreRecord>> AddScoresAsync(string appId, IReadOnlyList<NewScore> scores, CancellationToken cancellationToken);

    Task<ScoreRecord?> GetScoreAsync(string appId, string scoreId, CancellationToken cancellationToken);

    /// <summary>Deletes durably; false when the app has no score with that id.</summary>
    Task<bool> DeleteScoreAsync(string appId, string scoreId, CancellationToken cancellationToken);

    /// <summary>Matching scores, newest first, with the total match count.</summary>
    Task<Page<ScoreRecord>> ListScoresAsync(ScoreQuery query, CancellationToken cancellationToken);

    /// <summary>Every score whose resource id is one of <paramref name="resourceIds"/>, newest first.</summary>
    Task<IReadOnlyList<ScoreRecord>> GetScoresForResourcesAsync(string appId, IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken);

    /// <summary>Distinct score names, ordinal ascending.</summary>
    Task<IReadOnlyList<string>> ListScoreNamesAsync(string appId, CancellationToken cancellationToken);

    /// <summary>Per-name statistics of the scores created in [from, before), ordered by name.</summary>
    Task<IReadOnlyList<ScoreAggregate>> AggregateScoresAsync(string appId, long? createdFromMs, long? createdBeforeMs, CancellationToken cancellationToken);
}

/// <summary>A validated score to store. Strings are stored as given ("" when absent).</summary>
public sealed record NewScore
{
    public required string ResourceId { get; init; }
    public required string Name { get; init; }
    public required double Score { get; init; }
    public string Label { get; init; } = "";
    public string Reason { get; init; } = "";
    /// <summary><c>experiment</c>, <c>annotation</c> or <c>api</c>.</summary>
    public string Source { get; init; } = "api";
    /// <summary>The client's free-form <c>type</c>, "" when not sent.</summary>
    public string ScoreType { get; init; } = "";
    /// <summary><c>boolean</c>, <c>numeric</c>, <c>categorical</c> or "".</summary>
    public string DataType { get; init; } = "";
    /// <summary>The annotating user, "" for API and experiment scores.</summary>
    public string UserId { get; init; } = "";
}

/// <summary>A stored score.</summary>
public sealed record ScoreRecord
{
    public required string Id { get; init; }
    public required string ResourceId { get; init; }
    /// <summary><see cref="ScoreResourceTypes.Trace"/> or <see cref="ScoreResourceTypes.Span"/>.</summary>
    public required string ResourceType { get; init; }
    public required string Name { get; init; }
    public double Score { get; init; }
    public string Label { get; init; } = "";
    public string Reason { get; init; } = "";
    public string Source { get; init; } = "api";
    public string ScoreType { get; init; } = "";
    public string DataType { get; init; } = "";
    public string UserId { get; init; } = "";
    public long CreatedAtMs { get; init; }
}

/// <summary>GET /v1/scores and POST /v1/scores/search parameters (wire-contract §11.3, §11.8), already validated.</summary>
public sealed record ScoreQuery(string AppId)
{
    public int Limit { get; init; } = 50;
    public int Offset { get; init; }
    /// <summary>Inclusive lower bound on created_at, Unix ms.</summary>
    public long? CreatedFromMs { get; init; }
    /// <summary>Exclusive upper bound on created_at, Unix ms.</summary>
    public long? CreatedBeforeMs { get; init; }
    public string? ResourceId { get; init; }
    public string? ResourceType { get; init; }
    public string? Name { get; init; }
    public string? Source { get; init; }
    /// <summary>Scores on the traces of this session and on those traces' spans.</summary>
    public string? SessionId { get; init; }
    /// <summary>The filter language over the score fields (wire-contract §10.5), already validated.</summary>
    public FilterExpression Filter { get; init; } = FilterExpression.Empty;
}

/// <summary>
/// One line of GET /v1/scores/aggregations. <see cref="DataType"/> is the data type recorded with the
/// name's scores ("" when none was; the greatest when they disagree).
/// </summary>
public sealed record ScoreAggregate(string Name, double AverageScore, long Count, double MinScore, double MaxScore, string DataType);

/// <summary>
/// What a score's resource id names, decided once at write time (wire-contract §11.3): a known
/// trace id is a trace; otherwise the id's shape decides (32 hex digits = trace, 16 = span); an id
/// of neither shape is a span when some stored span has it, else a trace.
/// </summary>
public static class ScoreResourceTypes
{
    public const string Trace = "trace";
    public const string Span = "span";

    /// <summary>The type the id's shape implies, or null when the shape says nothing.</summary>
    public static string? ByShape(string resourceId) => resourceId.Length switch
    {
        32 when IsHex(resourceId) => Trace,
        16 when IsHex(resourceId) => Span,
        _ => null,
    };

    private static bool IsHex(string value)
    {
        foreach (var c in value) if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }
}
