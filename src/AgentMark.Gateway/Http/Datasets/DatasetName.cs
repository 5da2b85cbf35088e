using AgentMark.Gateway.Errors;
using AgentMark.Gateway.Http.Templates;

namespace AgentMark.Gateway.Http.Datasets;

/// <summary>A dataset file addressed by the API: its root-relative name (with <c>.jsonl</c>) and its full path.</summary>
public sealed record DatasetFile(string Name, string FullPath);

/// <summary>
/// The <c>{datasetName}</c> path parameter (templates-and-evals §6.3): the dataset path without
/// <c>.jsonl</c>, URL-encoded. ASP.NET Core leaves <c>%2F</c> encoded in route values, so the value is
/// decoded here. The traversal and absolute-path checks are the templates endpoint's
/// (<see cref="TemplatePathValidator"/>), reported as <c>invalid_path_params</c>.
/// </summary>
public static class DatasetName
{
    public const string Extension = ".jsonl";

    public static (DatasetFile? File, ApiError? Error) Resolve(string? routeValue, string root)
    {
        var name = routeValue is null ? "" : Uri.UnescapeDataString(routeValue);
        // [X] the cloud's pattern ^[\w./-]+$ (ASCII), and a file name after the last '/'.
        if (name.Length == 0 || !name.All(IsAllowed) || name.EndsWith('/')) return (null, Invalid());
        var (normalized, error) = TemplatePathValidator.Normalize(name + Extension);
        if (error is not null) return (null, Invalid());
        var fullPath = Path.GetFullPath(Path.Combine(root, normalized!));
        if (!TemplatePathValidator.IsInsideRoot(root, fullPath)) return (null, TemplatePathValidator.Forbidden());
        return (new DatasetFile(normalized!, fullPath), null);
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '-';

    private static ApiError Invalid() =>
        new(StatusCodes.Status400BadRequest, "invalid_path_params", "Invalid path parameters")
        {
            Details = new Dictionary<string, string> { ["datasetName"] = "Invalid dataset name" },
        };
}
