using AgentMark.Gateway.Hosting;
using AgentMark.Normalization.Pricing;

namespace AgentMark.Gateway.Http.Meta;

/// <summary>Public, unauthenticated routes: health, capabilities and the landing page (wire-contract §5).</summary>
public static class MetaEndpoints
{
    private static readonly IReadOnlyDictionary<string, bool> Endpoints = new[]
    {
        "traces", "spans", "sessions", "scores", "score_analytics", "metrics", "experiments",
        "datasets", "prompts", "runs", "pricing",
    }.ToDictionary(key => key, _ => true);

    public static IEndpointRouteBuilder MapMetaEndpoints(this IEndpointRouteBuilder routes)
    {
        // Liveness only: no store access, so it answers even while the store is busy.
        routes.MapGet("/health", () => Results.Json(new HealthResponse("ok", "agentmark-gateway", GatewayInfo.Version), MetaJson.Default.HealthResponse));

        routes.MapGet("/v1/capabilities", (HttpContext context) =>
        {
            var url = $"{context.Request.Scheme}://{context.Request.Host}";
            return Results.Json(new CapabilitiesResponse("local", url, Endpoints), MetaJson.Default.CapabilitiesResponse);
        });

        // Model prices in USD per 1,000 tokens, bare map (wire-contract §5.3); built once at start-up.
        routes.MapGet("/v1/pricing", (HttpContext context, PricingRegistry pricing) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Content(pricing.PricingJson, "application/json; charset=utf-8");
        });

        routes.MapMethods("/", ["GET", "HEAD"], (HttpContext context) =>
            Results.Content(LandingPage(context), "text/html; charset=utf-8"));
        return routes;
    }

    private static string LandingPage(HttpContext context)
    {
        var baseUrl = System.Net.WebUtility.HtmlEncode($"{context.Request.Scheme}://{context.Request.Host}");
        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>AgentMark Gateway</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem}code{background:#f2f2f2;padding:0 .25rem}</style>
            </head><body>
            <h1>AgentMark Gateway {{GatewayInfo.Version}}</h1>
            <p>An AgentMark-compatible <code>/v1</code> API for LLM traces, evaluation and prompt templates.</p>
            <ul>
              <li>Send OTLP traces to <code>POST {{baseUrl}}/v1/traces</code> (JSON or protobuf, gzip).</li>
              <li>Read them at <code>GET {{baseUrl}}/v1/traces</code>, <code>/v1/spans</code>.</li>
              <li>Health: <code>GET {{baseUrl}}/health</code>; capabilities: <code>GET {{baseUrl}}/v1/capabilities</code>.</li>
            </ul>
            </body></html>
            """;
    }
}
