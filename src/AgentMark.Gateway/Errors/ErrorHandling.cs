using Microsoft.AspNetCore.Diagnostics;

namespace AgentMark.Gateway.Errors;

/// <summary>
/// Turns everything that would otherwise produce an empty or HTML error into the canonical
/// envelope: unknown routes (404), wrong methods (405), Kestrel's request errors (oversized
/// bodies, malformed requests) and unexpected exceptions (500).
/// </summary>
public static class ErrorHandling
{
    public static void UseCanonicalErrors(this WebApplication app)
    {
        app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var error = exception switch
            {
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                    new ApiError(413, "payload_too_large", "Request body too large"),
                BadHttpRequestException bad =>
                    new ApiError(bad.StatusCode, "invalid_request_body", bad.Message),
                OperationCanceledException when context.RequestAborted.IsCancellationRequested =>
                    new ApiError(499, "client_closed_request", "Client closed the request"),
                _ => ApiError.Internal("Internal server error"),
            };
            await error.WriteAsync(context.Response);
        }));

        app.UseStatusCodePages(async statusContext =>
        {
            var context = statusContext.HttpContext;
            var request = context.Request;
            var error = context.Response.StatusCode switch
            {
                404 => ApiError.NotFound($"Cannot {request.Method} {request.Path}"),
                405 => new ApiError(405, "method_not_allowed", $"Method {request.Method} is not allowed on {request.Path}"),
                var status => new ApiError(status, status >= 500 ? "internal_error" : "invalid_request", $"Request failed with status {status}"),
            };
            await error.WriteAsync(context.Response);
        });
    }
}
