using System.Text.Json;
using AgentMark.Gateway.Errors;
using AgentMark.Ingest.Otlp;
using Microsoft.Net.Http.Headers;

namespace AgentMark.Gateway.Http;

/// <summary>
/// A JSON request body (wire-contract §1.2) read with the ingest reader (gzip/deflate, 10 MiB after
/// inflation) and parsed in place; malformed JSON is <c>400 invalid_request_body</c> with the
/// parser's message under <c>details._</c>. The document points into the pooled buffer, so both live
/// and die together.
/// </summary>
internal sealed class JsonRequestBody : IDisposable
{
    private readonly PooledBody _body;
    public JsonDocument Document { get; }
    public JsonElement Root => Document.RootElement;

    private JsonRequestBody(PooledBody body, JsonDocument document)
    {
        _body = body;
        Document = document;
    }

    /// <summary>The parsed body, or the canonical error for an unreadable one (400, 413, 415).</summary>
    /// <param name="requireJson">
    /// Also refuse a Content-Type other than JSON (an absent one is accepted) and an empty body
    /// ("Required"), as the dataset routes do.
    /// </param>
    public static async Task<(JsonRequestBody? Body, ApiError? Error)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct,
        bool requireJson = false)
    {
        if (requireJson && request.ContentType is { Length: > 0 } contentType && !IsJson(contentType))
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
        if (requireJson && body.Memory.Length == 0)
        {
            body.Dispose();
            return (null, ApiError.InvalidBody("_", "Required"));
        }
        try
        {
            return (new JsonRequestBody(body, JsonDocument.Parse(body.Memory)), null);
        }
        catch (JsonException error)
        {
            body.Dispose();
            return (null, ApiError.InvalidBody("_", error.Message));
        }
    }

    private static bool IsJson(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && (parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || parsed.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    public void Dispose()
    {
        Document.Dispose();
        _body.Dispose();
    }
}
