using System.Globalization;
using System.Text.Json;
using AgentMark.Gateway.Errors;

namespace AgentMark.Gateway.Http.Scores;

/// <summary>
/// The strict body of POST /v1/scores/search (wire-contract §11.8, window rules of §6.8): only
/// <c>filters</c>, <c>limit</c>, <c>offset</c>, <c>start_date</c>, <c>end_date</c>; the window
/// defaults to the last 30 days and may span at most 90.
/// </summary>
internal sealed record ScoreSearchRequest(JsonElement? Filters, int Limit, int Offset, long CreatedFromMs, long CreatedBeforeMs)
{
    public const int MaxFilterNodes = 20;
    private static readonly string[] Keys = ["filters", "limit", "offset", "start_date", "end_date"];
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);
    private static readonly TimeSpan MaxWindow = TimeSpan.FromDays(90);

    public static (ScoreSearchRequest? Request, ApiError? Error) Read(JsonElement root, DateTimeOffset now)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object) return (null, ApiError.InvalidBody("_", $"Expected object, received {ScoreRequestReader.Kind(root)}"));
        if (ScoreRequestReader.HasUndecodableKey(root)) return (null, ApiError.InvalidBody("_", ScoreRequestReader.LoneSurrogate));
        var unknown = root.EnumerateObject().Select(p => p.Name).Where(name => Array.IndexOf(Keys, name) < 0).Distinct().ToList();
        if (unknown.Count > 0) problems["_"] = $"Unrecognized key(s) in object: {string.Join(", ", unknown.Select(k => $"'{k}'"))}";

        JsonElement? filters = null;
        if (root.TryGetProperty("filters", out var filterValue))
        {
            if (filterValue.ValueKind != JsonValueKind.Array) problems.TryAdd("filters", $"Expected array, received {ScoreRequestReader.Kind(filterValue)}");
            else if (filterValue.GetArrayLength() > MaxFilterNodes) problems.TryAdd("filters", $"Array must contain at most {MaxFilterNodes} element(s)");
            else filters = filterValue;
        }
        var limit = Integer(root, "limit", 50, 1, 1000, problems);
        var offset = Integer(root, "offset", 0, 0, int.MaxValue, problems);
        var start = DateTime(root, "start_date", problems);
        var end = DateTime(root, "end_date", problems);

        if (problems.Count == 0)
        {
            var to = end ?? now;
            var from = start ?? to - DefaultWindow;
            if (from > to) problems["end_date"] = "end_date must not be before start_date";
            else if (to - from > MaxWindow) problems["end_date"] = "Date range must not exceed 90 days";
            else return (new ScoreSearchRequest(filters, limit, offset, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds() + 1), null);
        }
        return (null, new ApiError(StatusCodes.Status400BadRequest, "invalid_request_body", "Invalid request body") { Details = problems });
    }

    private static int Integer(JsonElement root, string key, int defaultValue, int min, int max, Dictionary<string, string> problems)
    {
        if (!root.TryGetProperty(key, out var value)) return defaultValue;
        if (value.ValueKind != JsonValueKind.Number) problems.TryAdd(key, $"Expected number, received {ScoreRequestReader.Kind(value)}");
        else if (!value.TryGetDouble(out var number) || Math.Floor(number) != number) problems.TryAdd(key, "Expected integer, received float");
        else if (number < min) problems.TryAdd(key, $"Number must be greater than or equal to {min}");
        else if (number > max) problems.TryAdd(key, $"Number must be less than or equal to {max}");
        else return (int)number;
        return defaultValue;
    }

    /// <summary>An ISO-8601 datetime ending in Z within 1970..2200 (offsets are refused, as Zod's datetime() does).</summary>
    private static DateTimeOffset? DateTime(JsonElement root, string key, Dictionary<string, string> problems)
    {
        if (!root.TryGetProperty(key, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            problems.TryAdd(key, $"Expected string, received {ScoreRequestReader.Kind(value)}");
            return null;
        }
        if (!ScoreRequestReader.TryText(value, out var text) || text.Length < 20 || text[10] != 'T' || !text.EndsWith('Z')
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            problems.TryAdd(key, "Invalid datetime");
            return null;
        }
        if (parsed < DateTimeOffset.UnixEpoch || parsed > new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero))
        {
            problems.TryAdd(key, "Date must be between 1970-01-01 and 2200-01-01");
            return null;
        }
        return parsed;
    }
}

/// <summary>
/// SEAM for the filter language (wire-contract §10.3, score fields of §10.5): the filter parser and
/// its SQLite compiler are being built separately. Until they are wired in here, an empty filter
/// list is accepted and any filter is refused with <c>400 invalid_filter</c> — never ignored.
/// </summary>
internal static class ScoreSearchFilters
{
    public static ApiError? Check(JsonElement? filters) =>
        filters is { } array && array.GetArrayLength() > 0
            ? new ApiError(StatusCodes.Status400BadRequest, "invalid_filter", "Score filters are not supported yet")
            {
                Details = new Dictionary<string, string> { ["filters.0"] = "Score filters are not supported yet" },
            }
            : null;
}
