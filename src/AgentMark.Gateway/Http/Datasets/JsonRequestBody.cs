using System.Text.Json;
using AgentMark.Gateway.Errors;
using AgentMark.Ingest.Otlp;
using Microsoft.Net.Http.Headers;

namespace AgentMark.Gateway.Http.Datasets;

/// <summary>
/// Reads a JSON request body (wire-contract §1.2): gzip/deflate accepted, 10 MiB after inflation,
/// malformed JSON → <c>400 invalid_request_body</c> with the parser's message under <c>details._</c>.
/// </summary>
internal static class JsonRequestBody
{
    public static async Task<(JsonDocument? Document, ApiError? Error)> ReadAsync(HttpContext context, int maxBytes, CancellationToken ct)
    {
        var request = context.Request;
        if (request.ContentType is { Length: > 0 } contentType && !IsJson(contentType))
            return (null, ApiError.InvalidBody("_", "Expected Content-Type application/json"));
        PooledBody body;
        try
        {
            body = await RequestBodyReader.ReadAsync(request.Body, request.Headers.ContentEncoding, maxBytes, "invalid_request_body", ct);
        }
        catch (IngestException error)
        {
            return (null, new ApiError(error.Status, error.Code, error.Message));
        }
        using (body)
        {
            if (body.Memory.Length == 0) return (null, ApiError.InvalidBody("_", "Required"));
            try
            {
                // A document keeps the memory it parsed, and the pooled buffer goes back to the pool: copy.
                return (JsonDocument.Parse(body.Memory.ToArray()), null);
            }
            catch (JsonException error)
            {
                return (null, ApiError.InvalidBody("_", error.Message));
            }
        }
    }

    private static bool IsJson(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && (parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || parsed.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>Zod's wording for a value of the wrong JSON type.</summary>
    public static string Received(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.Null => "null",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Object => "object",
        _ => "undefined",
    };
}
