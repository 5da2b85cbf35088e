using System.Globalization;
using System.Text.Json;
using AgentMark.Core.Filtering;
using AgentMark.Gateway.Errors;

namespace AgentMark.Gateway.Http.Filters;

/// <summary>A validated search body (wire-contract §6.8, §7.2, §11.8).</summary>
/// <param name="From">Inclusive start of the date window.</param>
/// <param name="To">Inclusive end of the date window (millisecond precision).</param>
public sealed record SearchRequest(FilterExpression Filter, int Limit, int Offset, DateTimeOffset From, DateTimeOffset To, string? SortBy, string? SortOrder);

/// <summary>
/// Reads the strict JSON body shared by <c>POST /v1/traces/search</c>, <c>/v1/spans/search</c> and
/// <c>/v1/scores/search</c>: <c>filters</c>, <c>limit</c>, <c>offset</c>, <c>start_date</c>,
/// <c>end_date</c> (and <c>sort_by</c>/<c>sort_order</c> where sorting exists). Unknown keys and
/// wrong types are <c>400 invalid_request_body</c> with one message per field path, filter shape
/// problems included; semantic filter problems are <c>400 invalid_filter</c>.
/// </summary>
public static class SearchRequestReader
{
    public const int DefaultWindowDays = 30;
    public const int MaxWindowDays = 90;
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    private static readonly DateTimeOffset MinDate = DateTimeOffset.UnixEpoch;
    private static readonly DateTimeOffset MaxDate = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <param name="sortFields">The allowed <c>sort_by</c> values, or null when the endpoint has no sorting.</param>
    public static async Task<(SearchRequest? Request, ApiError? Error)> ReadAsync(
        HttpRequest request, FilterSurface surface, IReadOnlyList<string>? sortFields, TimeProvider time, CancellationToken ct)
    {
        JsonDocument document;
        try
        {
            // An empty body is an empty search: every field is optional.
            document = request.ContentLength == 0 ? JsonDocument.Parse("{}") : await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException json)
        {
            return (null, ApiError.InvalidBody("_", json.Message));
        }
        using (document)
        {
            try
            {
                return Read(document.RootElement, surface, sortFields, time.GetUtcNow());
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json refuses to decode a key or string holding an unpaired surrogate.
                return (null, ApiError.InvalidBody("_", "String contains invalid UTF-8 (unpaired surrogate characters)."));
            }
        }
    }

    public static (SearchRequest? Request, ApiError? Error) Read(JsonElement body, FilterSurface surface, IReadOnlyList<string>? sortFields, DateTimeOffset now)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.ValueKind != JsonValueKind.Object)
            return (null, ApiError.InvalidBody("_", $"Expected object, received {KindName(body)}"));

        string[] allowed = sortFields is null
            ? ["filters", "limit", "offset", "start_date", "end_date"]
            : ["filters", "limit", "offset", "start_date", "end_date", "sort_by", "sort_order"];
        var unknown = body.EnumerateObject().Where(p => Array.IndexOf(allowed, p.Name) < 0).Select(p => $"'{p.Name}'").ToList();
        if (unknown.Count > 0) problems["_"] = $"Unrecognized key(s) in object: {string.Join(", ", unknown)}";

        var limit = Integer(body, "limit", DefaultLimit, 1, MaxLimit, problems);
        var offset = Integer(body, "offset", 0, 0, int.MaxValue, problems);
        var start = Date(body, "start_date", problems);
        var end = Date(body, "end_date", problems);
        string? sortBy = null, sortOrder = null;
        if (sortFields is not null)
        {
            sortBy = Enum(body, "sort_by", sortFields, problems);
            sortOrder = Enum(body, "sort_order", ["asc", "desc"], problems);
        }

        var filter = FilterExpression.Empty;
        FilterError? semantic = null;
        if (body.TryGetProperty("filters", out var filters))
        {
            var parsed = FilterParser.ParseSearchFilters(filters, surface);
            if (parsed.Error is { IsShapeError: true } shape)
            {
                foreach (var (key, message) in shape.Details) problems.TryAdd(key, message);
            }
            else if (parsed.Error is { } error) semantic = error;
            else filter = parsed.Expression!;
        }

        // The window: end defaults to now, start to 30 days before the end; at most 90 days (§6.8).
        var to = end ?? now;
        var from = start ?? to.AddDays(-DefaultWindowDays);
        if (!problems.ContainsKey("start_date") && !problems.ContainsKey("end_date"))
        {
            if (from > to) problems["end_date"] = "end_date must not be before start_date";
            else if (to - from > TimeSpan.FromDays(MaxWindowDays)) problems["start_date"] = $"The date range must not exceed {MaxWindowDays} days";
        }

        if (problems.Count > 0)
            return (null, new ApiError(StatusCodes.Status400BadRequest, "invalid_request_body", "Invalid request body") { Details = problems });
        if (semantic is not null) return (null, FilterQuery.ToApiError(semantic));
        return (new SearchRequest(filter, limit, offset, from, to, sortBy, sortOrder), null);
    }

    private static int Integer(JsonElement body, string name, int fallback, int min, int max, Dictionary<string, string> problems)
    {
        if (!body.TryGetProperty(name, out var value)) return fallback;
        if (value.ValueKind != JsonValueKind.Number) { problems[name] = $"Expected number, received {KindName(value)}"; return fallback; }
        if (!value.TryGetDouble(out var number) || Math.Floor(number) != number) { problems[name] = "Expected integer, received float"; return fallback; }
        if (number < min) { problems[name] = $"Number must be greater than or equal to {min}"; return fallback; }
        if (number > max) { problems[name] = $"Number must be less than or equal to {max}"; return fallback; }
        return (int)number;
    }

    /// <summary>An ISO-8601 datetime ending in Z, as Zod's datetime() accepts.</summary>
    private static DateTimeOffset? Date(JsonElement body, string name, Dictionary<string, string> problems)
    {
        if (!body.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String) { problems[name] = $"Expected string, received {KindName(value)}"; return null; }
        var raw = value.GetString()!;
        if (raw.Length < 20 || raw[10] != 'T' || !raw.EndsWith('Z')
            || !DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
        {
            problems[name] = "Invalid datetime, expected ISO 8601 UTC such as 2026-01-01T00:00:00.000Z";
            return null;
        }
        if (at < MinDate || at > MaxDate) { problems[name] = "Date must be between 1970-01-01 and 2200-01-01"; return null; }
        return at;
    }

    private static string? Enum(JsonElement body, string name, IReadOnlyList<string> allowed, Dictionary<string, string> problems)
    {
        if (!body.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.String && allowed.Contains(value.GetString()!)) return value.GetString();
        var received = value.ValueKind == JsonValueKind.String ? $"'{value.GetString()}'" : KindName(value);
        problems[name] = $"Invalid enum value. Expected {string.Join(" | ", allowed.Select(a => $"'{a}'"))}, received {received}";
        return null;
    }

    private static string KindName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    /// <summary>Unix nanoseconds of a window bound.</summary>
    public static long UnixNanos(DateTimeOffset value) => QueryReader.UnixNanos(value);
}
