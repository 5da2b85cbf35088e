namespace AgentMark.Gateway.Http.Templates;

/// <summary>Templates, prompts and config (wire-contract §13). Filled in by the templates work.</summary>
public static class TemplateEndpoints
{
    public static IServiceCollection AddTemplates(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapTemplateEndpoints(this IEndpointRouteBuilder routes) => routes;
}
