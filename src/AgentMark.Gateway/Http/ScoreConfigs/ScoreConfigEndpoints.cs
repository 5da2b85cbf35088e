using AgentMark.Gateway.Auth;
using AgentMark.Gateway.Errors;
using AgentMark.Gateway.Http.Templates;

namespace AgentMark.Gateway.Http.ScoreConfigs;

/// <summary>
/// Score configs (wire-contract §11.9–§11.10): read-only, from the served project's agentmark.json,
/// re-read whenever the file changes (<see cref="TemplateProject.ReadConfig"/> caches by timestamp).
/// </summary>
public static class ScoreConfigEndpoints
{
    public static IEndpointRouteBuilder MapScoreConfigEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/score-configs", List);
        routes.MapGet("/v1/score-configs/{name}", Get);
        return routes;
    }

    private static IResult List(HttpContext context, TemplateProject project)
    {
        var q = new QueryReader(context.Request.Query);
        var limit = q.Int("limit", 50, 1, 1000);
        var offset = q.Int("offset", 0, 0, int.MaxValue);
        if (q.Error is { } error) return error;
        var configs = Configs(context, project);
        var page = configs.Skip(offset).Take(limit).ToList();
        return Results.Json(new ListResponse<ScoreConfig>(page, new Pagination(configs.Count, limit, offset)), ScoreConfigJson.Default.ListResponseScoreConfig);
    }

    private static IResult Get(string name, HttpContext context, TemplateProject project)
    {
        // Routing decodes every escape but %2F; a score name may hold a slash.
        name = name.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        if (name.Length == 0)
            return new ApiError(StatusCodes.Status400BadRequest, "invalid_path_params", "Invalid path parameters")
            {
                Details = new Dictionary<string, string> { ["name"] = "name is required" },
            };
        var config = Configs(context, project).Find(c => c.Name == name);
        return config is null
            ? new ApiError(StatusCodes.Status404NotFound, "score_config_not_found", $"Score config '{name}' not found")
            : Results.Json(new ItemResponse<ScoreConfig>(config), ScoreConfigJson.Default.ItemResponseScoreConfig);
    }

    private static List<ScoreConfig> Configs(HttpContext context, TemplateProject project)
    {
        var (state, config) = project.ReadConfig();
        // A missing or unreadable file simply declares no configs (templates-and-evals §8).
        return state == ProjectConfigState.Ok
            ? ScoreConfigCatalog.Project(config, context.GetAppId(), project.CommitSha() ?? "")
            : [];
    }
}
