using System.Text.Json;
using AgentMark.Gateway.Errors;
using AgentMark.Templates.Bundling;
using AgentMark.Templates.Syntax;

namespace AgentMark.Gateway.Http.Templates;

/// <summary>Templates, prompts and config (wire-contract §13, templates-and-evals §1–§2).</summary>
public static class TemplateEndpoints
{
    private const int MaxPromptNameLength = 255;

    public static IServiceCollection AddTemplates(this IServiceCollection services)
    {
        services.AddSingleton<TemplateProject>();
        services.AddSingleton<TemplateCache>();
        return services;
    }

    public static IEndpointRouteBuilder MapTemplateEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/config", GetConfig);
        routes.MapGet("/v1/prompts", GetPrompts);
        routes.MapGet("/v1/templates", (HttpContext context, TemplateProject project, TemplateCache cache) =>
            GetTemplate(context, project, cache, null));
        // [X] path form, URL-decoded; the query parameter wins when both are given.
        routes.MapGet("/v1/templates/{**templatePath}", (HttpContext context, string? templatePath, TemplateProject project, TemplateCache cache) =>
            GetTemplate(context, project, cache, templatePath is null ? null : Uri.UnescapeDataString(templatePath)));
        return routes;
    }

    private static IResult GetConfig(TemplateProject project)
    {
        var (state, config) = project.ReadConfig();
        return state switch
        {
            ProjectConfigState.Missing or ProjectConfigState.NotAnObject => new ApiError(StatusCodes.Status404NotFound, "config_not_found", "Config not found"),
            ProjectConfigState.Invalid => ApiError.Internal("Failed to read config"),
            _ => new JsonBody(writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartObject("data");
                var sha = project.CommitSha();
                if (sha is null) writer.WriteNull("commit_sha"); else writer.WriteString("commit_sha", sha);
                writer.WritePropertyName("config");
                config!.WriteTo(writer);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }),
        };
    }

    private static IResult GetPrompts(HttpContext context, TemplateProject project)
    {
        var names = context.Request.Query["name"];
        if (names.Count > 1) return ApiError.InvalidQuery("name", "Expected a single value");
        var root = project.TemplatesRoot();
        if (root is null) return ApiError.Internal("agentmarkPath points outside the project directory");
        List<string> paths;
        if (names.Count == 1)
        {
            var name = (names[0] ?? "").Replace("\0", "");
            if (name.Length is 0 or > MaxPromptNameLength)
                return ApiError.InvalidQuery("name", name.Length == 0 ? "String must contain at least 1 character(s)" : "String must contain at most 255 character(s)");
            paths = PromptCatalog.FindByName(root, name);
        }
        else paths = PromptCatalog.List(root);
        return new JsonBody(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("data");
            writer.WriteStartArray("paths");
            foreach (var path in paths) writer.WriteStringValue(path);
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    private static IResult GetTemplate(HttpContext context, TemplateProject project, TemplateCache cache, string? routePath)
    {
        var query = context.Request.Query;
        string? requested;
        if (query.ContainsKey("path"))
        {
            var values = query["path"];
            if (values.Count != 1) return Invalid("Path query parameter must be a single string value");
            requested = values[0];
        }
        else requested = routePath;
        var (normalized, error) = TemplatePathValidator.Normalize(requested);
        if (error is not null) return error;

        var root = project.TemplatesRoot();
        if (root is null) return ApiError.Internal("agentmarkPath points outside the project directory");
        var fullPath = Path.GetFullPath(Path.Combine(root, normalized!));
        if (!TemplatePathValidator.IsInsideRoot(root, fullPath)) return TemplatePathValidator.Forbidden();
        var isDataset = normalized!.EndsWith(".jsonl", StringComparison.Ordinal);
        if (!isDataset && !normalized.EndsWith(".mdx", StringComparison.Ordinal))
            return Invalid("Templates must have a .mdx or .jsonl extension");

        return isDataset ? Dataset(context, root, fullPath) : Prompt(context, project, cache, root, fullPath);
    }

    private static IResult Prompt(HttpContext context, TemplateProject project, TemplateCache cache, string root, string fullPath)
    {
        if (!File.Exists(fullPath)) return ApiError.NotFound("File not found");
        byte[] data;
        try
        {
            data = cache.GetOrCompile(root, fullPath, context.Request.Query["promptKind"].FirstOrDefault(), project.CommitSha());
        }
        catch (TemplateSyntaxException failure)
        {
            return ParseError(failure.Message, failure.Line, failure.Column);
        }
        catch (TemplateFileException failure)
        {
            if (!File.Exists(fullPath)) return ApiError.NotFound("File not found");
            return ParseError(failure.Message, null, null);
        }
        return new JsonBody(writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("data");
            writer.WriteRawValue(data, skipInputValidation: true);
            writer.WriteEndObject();
        });
    }

    private static ApiError ParseError(string message, int? line, int? column)
    {
        var details = line is { } l ? new Dictionary<string, string> { ["line"] = l.ToString(), ["column"] = (column ?? 1).ToString() } : null;
        return new ApiError(StatusCodes.Status400BadRequest, "template_parse_error", "Failed to parse template: " + message) { Details = details };
    }

    private static IResult Dataset(HttpContext context, string root, string fullPath)
    {
        if (!File.Exists(fullPath))
        {
            // Legacy location: <root>/templates/<file name>.
            var legacy = Path.GetFullPath(Path.Combine(root, "templates", Path.GetFileName(fullPath)));
            if (!TemplatePathValidator.IsInsideRoot(root, legacy) || !File.Exists(legacy)) return ApiError.NotFound("Dataset not found");
            fullPath = legacy;
        }
        var format = context.Request.Query["format"].FirstOrDefault();
        var accept = context.Request.Headers.Accept.ToString();
        if (format != "json" && accept.Contains("application/x-ndjson", StringComparison.OrdinalIgnoreCase))
            return Results.File(fullPath, "application/x-ndjson; charset=utf-8");

        byte[] bytes;
        try { bytes = File.ReadAllBytes(fullPath); }
        catch (IOException) { return ApiError.Internal("Failed to read dataset"); }
        var text = System.Text.Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF');
        var rows = new List<JsonDocument>();
        try
        {
            foreach (var line in text.Split('\n'))
            {
                var trimmed = line.TrimEnd('\r');
                // [X] whitespace-only lines are skipped too.
                if (trimmed.Trim().Length == 0) continue;
                rows.Add(JsonDocument.Parse(trimmed));
            }
        }
        catch (JsonException)
        {
            foreach (var row in rows) row.Dispose();
            return ApiError.Internal("Failed to read dataset");
        }
        return new JsonBody(writer =>
        {
            writer.WriteStartArray();
            foreach (var row in rows)
            {
                row.WriteTo(writer);
                row.Dispose();
            }
            writer.WriteEndArray();
        });
    }

    private static ApiError Invalid(string message) =>
        new(StatusCodes.Status400BadRequest, "invalid_query_params", message)
        {
            Details = new Dictionary<string, string> { ["path"] = message },
        };

    /// <summary>A 200 JSON body written straight to the response.</summary>
    private sealed class JsonBody(Action<Utf8JsonWriter> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            await using var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter);
            write(writer);
            await writer.FlushAsync(httpContext.RequestAborted);
        }
    }
}
