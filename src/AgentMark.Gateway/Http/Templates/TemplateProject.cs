using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace AgentMark.Gateway.Http.Templates;

/// <summary>Outcome of reading agentmark.json.</summary>
public enum ProjectConfigState { Ok, Missing, NotAnObject, Invalid }

/// <summary>
/// The served project: agentmark.json, the templates root (<c>&lt;project&gt;/&lt;agentmarkPath&gt;/agentmark</c>,
/// templates-and-evals §1.1) and the commit id. agentmark.json is re-read when its timestamp changes.
/// </summary>
public sealed class TemplateProject(IOptions<GatewayOptions> options)
{
    private readonly object _gate = new();
    private (DateTime Stamp, long Length, ProjectConfigState State, JsonObject? Config)? _config;

    public string ProjectDir { get; } = options.Value.ResolvedProjectDir;

    public string ConfigPath => Path.Combine(ProjectDir, "agentmark.json");

    public (ProjectConfigState State, JsonObject? Config) ReadConfig()
    {
        var info = new FileInfo(ConfigPath);
        if (!info.Exists) return (ProjectConfigState.Missing, null);
        lock (_gate)
        {
            if (_config is { } cached && cached.Stamp == info.LastWriteTimeUtc && cached.Length == info.Length)
                return (cached.State, cached.Config);
        }
        (ProjectConfigState, JsonObject?) result;
        try
        {
            var node = JsonNode.Parse(File.ReadAllBytes(ConfigPath));
            result = node is JsonObject obj ? (ProjectConfigState.Ok, obj) : (ProjectConfigState.NotAnObject, null);
        }
        catch (JsonException) { result = (ProjectConfigState.Invalid, null); }
        catch (IOException) { return (ProjectConfigState.Missing, null); }
        lock (_gate) _config = (info.LastWriteTimeUtc, info.Length, result.Item1, result.Item2);
        return result;
    }

    /// <summary>The templates root, or null when agentmarkPath points outside the project.</summary>
    public string? TemplatesRoot()
    {
        var (state, config) = ReadConfig();
        var agentmarkPath = state == ProjectConfigState.Ok && config!["agentmarkPath"] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text : ".";
        // [X] relative to the project root even when written with a leading slash.
        agentmarkPath = agentmarkPath.TrimStart('/', '\\');
        if (agentmarkPath.Length == 0) agentmarkPath = ".";
        var baseDir = Path.GetFullPath(Path.Combine(ProjectDir, agentmarkPath));
        var project = ProjectDir.TrimEnd(Path.DirectorySeparatorChar);
        if (baseDir != project && !baseDir.StartsWith(project + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return null;
        return Path.Combine(baseDir, "agentmark");
    }

    public string? CommitSha() => GitCommitReader.ReadHead(ProjectDir);
}
