using AgentMark.Gateway.Auth;
using AgentMark.Gateway.Errors;
using AgentMark.Gateway.Http.Export;
using AgentMark.Gateway.Http.Datasets;
using AgentMark.Gateway.Http.Experiments;
using AgentMark.Gateway.Http.Filters;
using AgentMark.Gateway.Http.Ingest;
using AgentMark.Gateway.Http.Meta;
using AgentMark.Gateway.Http.Metrics;
using AgentMark.Gateway.Http.ScoreConfigs;
using AgentMark.Gateway.Http.Scores;
using AgentMark.Gateway.Http.Requests;
using AgentMark.Gateway.Http.Runs;
using AgentMark.Gateway.Http.Sessions;
using AgentMark.Gateway.Http.Spans;
using AgentMark.Gateway.Http.Traces;
using AgentMark.Gateway.Http.Templates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AgentMark.Gateway.Hosting;

/// <summary>Composition of the gateway: services, middleware and routes. Program.cs only calls this.</summary>
public static class GatewayApp
{
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddGatewaySources(args);
        builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.Section));
        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();

        builder.WebHost.UseKestrel(kestrel =>
        {
            // Compressed bodies are limited after inflation by the ingest reader; this bounds the wire.
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes + 1;
            kestrel.AddServerHeader = false;
        });
        builder.WebHost.UseUrls($"http://{FormatHost(options.Host)}:{options.Port}");
        builder.Services.AddProblemDetails();
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .SetIsOriginAllowed(IsLocalOrigin).AllowAnyHeader().AllowAnyMethod()));

        builder.Services.AddGatewayStore(options);
        builder.Services.AddIngest();
        builder.Services.AddTemplates();
        builder.Services.AddScores();
        builder.Services.AddDatasets();
        builder.Services.AddExperiments();

        var app = builder.Build();
        // Migrate before listening, so the first request never races the schema.
        app.Services.GetRequiredService<AgentMark.Storage.ITraceStore>().InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        app.UseCanonicalErrors();
        app.UseCors();
        app.UseAppResolution();

        app.MapMetaEndpoints();
        app.MapIngestEndpoints();
        app.MapTraceEndpoints();
        app.MapSpanEndpoints();
        app.MapFilterEndpoints();
        app.MapSessionEndpoints();
        app.MapRequestEndpoints();
        app.MapRunEndpoints();
        app.MapTemplateEndpoints();
        app.MapMetricsEndpoints();
        app.MapExportEndpoints();
        app.MapScoreEndpoints();
        app.MapScoreConfigEndpoints();
        app.MapDatasetEndpoints();
        app.MapExperimentEndpoints();

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AgentMark.Gateway");
            logger.LogInformation("AgentMark gateway listening on {Urls} (data {DataDir}, project {ProjectDir})",
                string.Join(", ", app.Urls), options.ResolvedDataDir, options.ResolvedProjectDir);
        });
        return app;
    }

    /// <summary>The address Kestrel actually bound (useful with port 0).</summary>
    public static string BoundAddress(this WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    private static string FormatHost(string host) => host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;

    private static bool IsLocalOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.Host is "localhost" or "127.0.0.1";
}
