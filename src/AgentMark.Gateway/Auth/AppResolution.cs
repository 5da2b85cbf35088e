using AgentMark.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace AgentMark.Gateway.Auth;

/// <summary>
/// Resolves the app (tenant) a request acts on, once, before any endpoint runs. In local mode
/// (wire-contract §2.3) an app-id header that names a known app selects it; anything else — no
/// header, a blank value, "undefined", an app unknown here — falls back to the local app.
/// Every stored record carries the id resolved here.
/// </summary>
public static class AppResolution
{
    public const string LocalAppId = "local";

    private sealed record AppFeature(string AppId);

    public static string GetAppId(this HttpContext context) =>
        context.Features.Get<AppFeature>()?.AppId ?? LocalAppId;

    public static void UseAppResolution(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var knownApps = new HashSet<string>(options.Apps, StringComparer.Ordinal);
        app.Use((context, next) =>
        {
            var requested = Credential(context.Request.Headers["X-Agentmark-App-Id"])
                ?? Credential(context.Request.Headers["X-Puzzlet-App-Id"])
                ?? Credential(context.Request.Query["appId"]);
            var appId = requested is not null && knownApps.Contains(requested) ? requested : LocalAppId;
            context.Features.Set(new AppFeature(appId));
            return next(context);
        });
    }

    /// <summary>Blank credentials count as absent (wire-contract §2.1).</summary>
    public static string? Credential(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var trimmed = value.Trim();
        return trimmed is "undefined" or "null" ? null : trimmed;
    }
}
