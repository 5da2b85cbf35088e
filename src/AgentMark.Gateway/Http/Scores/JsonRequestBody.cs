using System.Text.Json;
using AgentMark.Gateway.Errors;
using AgentMark.Ingest.Otlp;

namespace AgentMark.Gateway.Http.Scores;

/// <summary>
/// A JSON request body read with the ingest reader (gzip/deflate, 10 MiB after inflation) and
/// parsed in place. The document points into the pooled buffer, so both live and die together.
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
    public static async Task<(JsonRequestBody? Body, ApiError? Error)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        PooledBody body;
        try
        {
            body = await RequestBodyReader.ReadAsync(request.Body, request.Headers.ContentEncoding, maxBytes, "invalid_request_body", ct);
        }
        catch (IngestException error)
        {
            return (null, new ApiError(error.Status, error.Code, error.Message));
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

    public void Dispose()
    {
        Document.Dispose();
        _body.Dispose();
    }
}
