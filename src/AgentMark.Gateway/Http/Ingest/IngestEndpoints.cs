using AgentMark.Gateway.Auth;
using AgentMark.Gateway.Errors;
using AgentMark.Gateway.Hosting;
using AgentMark.Ingest.Legacy;
using AgentMark.Ingest.Otlp;
using AgentMark.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AgentMark.Gateway.Http.Ingest;

/// <summary>
/// POST /v1/traces (OTLP/HTTP, wire-contract §6.1, ingestion §1) and POST /v1/export-traces (the
/// published SDK's row format, legacy-sdk-endpoints.md). Both answer 200 only after the spans
/// are durably committed.
/// </summary>
public static class IngestEndpoints
{
    public static IEndpointRouteBuilder MapIngestEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/traces", IngestOtlp);
        routes.MapPost("/v1/export-traces", IngestLegacyRows);
        return routes;
    }

    private enum BodyFormat { Json, Protobuf }

    private static async Task<IResult> IngestOtlp(HttpContext context, SpanIngestService ingest, IOptions<GatewayOptions> options, CancellationToken ct)
    {
        BodyFormat format;
        switch (MediaType(context.Request.ContentType))
        {
            case "application/json": format = BodyFormat.Json; break;
            case "application/x-protobuf" or "application/protobuf": format = BodyFormat.Protobuf; break;
            default:
                return new ApiError(StatusCodes.Status400BadRequest, "invalid_request_body",
                    "Unsupported Content-Type: expected application/json or application/x-protobuf");
        }
        return await RunAsync(context, ingest, async () =>
        {
            var failureCode = format == BodyFormat.Json ? "invalid_otlp_payload" : "protobuf_decode_failed";
            using var body = await RequestBodyReader.ReadAsync(context.Request.Body, context.Request.Headers.ContentEncoding,
                options.Value.MaxBodyBytes, failureCode, ct);
            return format == BodyFormat.Json ? OtlpJsonDecoder.Decode(body.Memory.Span) : OtlpProtobufDecoder.Decode(body.Memory);
        }, ct);
    }

    private static async Task<IResult> IngestLegacyRows(HttpContext context, SpanIngestService ingest, IOptions<GatewayOptions> options, CancellationToken ct)
    {
        // The SDK always sends JSON; the content type is not checked so a mislabelled body still lands.
        return await RunAsync(context, ingest, async () =>
        {
            using var body = await RequestBodyReader.ReadAsync(context.Request.Body, context.Request.Headers.ContentEncoding,
                options.Value.MaxBodyBytes, "invalid_request_body", ct);
            return LegacyRowDecoder.Decode(body.Memory.Span);
        }, ct);
    }

    private static async Task<IResult> RunAsync(HttpContext context, SpanIngestService ingest, Func<Task<DecodeResult>> decode, CancellationToken ct)
    {
        SpanIngestService.Outcome outcome;
        try
        {
            var decoded = await decode();
            outcome = await ingest.IngestAsync(decoded, context.GetAppId(), ct);
        }
        catch (IngestException error)
        {
            return new ApiError(error.Status, error.Code, error.Message);
        }
        catch (StoreOverloadedException error)
        {
            return new ApiError(StatusCodes.Status503ServiceUnavailable, "service_unavailable", error.Message) { RetryAfterSeconds = 1 };
        }
        catch (Exception error) when (error is not OperationCanceledException and not BadHttpRequestException)
        {
            // A storage failure (disk full, I/O error): nothing was acknowledged, the exporter retries.
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AgentMark.Ingest")
                .LogError(error, "Storing spans failed");
            return ApiError.Internal("Failed to export traces");
        }

        // Echoed verbatim when present (ingestion §1.6).
        var requestHeader = context.Request.Headers["X-Request-Id"].ToString();
        var requestId = requestHeader.Length > 0 ? requestHeader : Guid.NewGuid().ToString();
        var partial = outcome.Rejected > 0
            ? new PartialSuccess(outcome.Rejected.ToString(), outcome.RejectionMessage ?? $"{outcome.Rejected} span(s) rejected")
            : null;
        return Results.Json(new IngestResponse(new IngestData(requestId), partial), IngestJson.Default.IngestResponse, statusCode: 200);
    }

    private static string? MediaType(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            ? parsed.MediaType.Value?.ToLowerInvariant()
            : null;
}
