using AgentMark.Gateway.Http.Ingest;
using AgentMark.Normalization;
using AgentMark.Normalization.Pricing;

namespace AgentMark.Gateway.Hosting;

public static class IngestServices
{
    public static IServiceCollection AddIngest(this IServiceCollection services)
    {
        services.AddSingleton(_ => PricingRegistry.LoadBundled());
        services.AddSingleton<SpanNormalizer>();
        services.AddSingleton<SpanIngestService>();
        return services;
    }
}
