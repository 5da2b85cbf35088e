using AgentMark.Gateway.Http.Ingest;
using AgentMark.Normalization;
using AgentMark.Normalization.Pricing;
using AgentMark.Storage;
using AgentMark.Storage.Embedded;

namespace AgentMark.Gateway.Hosting;

public static class GatewayServices
{
    /// <summary>The embedded store under the data folder. Disposed (queue drained, committed) at shutdown.</summary>
    public static IServiceCollection AddGatewayStore(this IServiceCollection services, GatewayOptions options)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ITraceStore>(sp => new SqliteTraceStore(
            options.ResolvedDataDir,
            options.IngestQueueCapacity,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SqliteTraceStore>>()));
        services.AddSingleton(sp => (ISessionStore)sp.GetRequiredService<ITraceStore>());
        services.AddSingleton(sp => (IRequestStore)sp.GetRequiredService<ITraceStore>());
        return services;
    }

    public static IServiceCollection AddIngest(this IServiceCollection services)
    {
        services.AddSingleton(_ => PricingRegistry.LoadBundled());
        services.AddSingleton<SpanNormalizer>();
        services.AddSingleton<SpanIngestService>();
        return services;
    }
}
