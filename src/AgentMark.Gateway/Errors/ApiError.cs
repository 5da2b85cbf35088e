using System.Text.Json;

namespace AgentMark.Gateway.Errors;

/// <summary>
/// The canonical error envelope (wire-contract §3.1):
/// <c>{"error":{"code","message", details?, ...extras}}</c>. Every 4xx/5xx the gateway sends goes
/// through here, so no client ever sees a flat string or an HTML page.
/// </summary>
public sealed class ApiError(int status, string code, string message) : IResult
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public string Message { get; } = message;
    /// <summary>Per-field messages keyed by dotted path, "_" for root issues (wire-contract §3.2).</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }
    /// <summary>Extra context written next to code/message (e.g. required_permission).</summary>
    public IReadOnlyList<KeyValuePair<string, object>>? Extras { get; init; }
    /// <summary>Seconds for a Retry-After header (429/503).</summary>
    public int? RetryAfterSeconds { get; init; }

    public static ApiError NotFound(string message) => new(StatusCodes.Status404NotFound, "not_found", message);

    public static ApiError InvalidQuery(string field, string problem) =>
        new(StatusCodes.Status400BadRequest, "invalid_query_params", "Invalid query parameters")
        {
            Details = new Dictionary<string, string> { [field] = problem },
        };

    public static ApiError InvalidBody(string field, string problem) =>
        new(StatusCodes.Status400BadRequest, "invalid_request_body", "Invalid request body")
        {
            Details = new Dictionary<string, string> { [field] = problem },
        };

    public static ApiError Internal(string message) =>
        new(StatusCodes.Status500InternalServerError, "internal_error", message);

    public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext.Response);

    public async Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        response.ContentType = "application/json; charset=utf-8";
        if (RetryAfterSeconds is { } seconds) response.Headers.RetryAfter = seconds.ToString();
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("code", Code);
        writer.WriteString("message", Message);
        if (Details is { Count: > 0 })
        {
            writer.WriteStartObject("details");
            foreach (var (key, value) in Details) writer.WriteString(key, value);
            writer.WriteEndObject();
        }
        if (RetryAfterSeconds is { } retry) writer.WriteNumber("retry_after_seconds", retry);
        if (Extras is not null)
        {
            foreach (var (key, value) in Extras)
            {
                writer.WritePropertyName(key);
                JsonSerializer.Serialize(writer, value, value.GetType(), ErrorJsonContext.Default);
            }
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync();
    }
}
