namespace AgentMark.Gateway.Http;

/// <summary>Headers of deprecated-but-served routes (wire-contract §1.7).</summary>
public static class Deprecation
{
    public static void Mark(HttpResponse response, string successor)
    {
        response.Headers["Deprecation"] = "true";
        response.Headers["Sunset"] = "Tue, 21 Oct 2026 00:00:00 GMT";
        response.Headers["Link"] = $"<{successor}>; rel=\"successor-version\"";
    }
}
