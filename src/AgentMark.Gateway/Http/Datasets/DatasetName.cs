using AgentMark.Gateway.Errors;
using AgentMark.Gateway.Http.Templates;

namespace AgentMark.Gateway.Http.Datasets;

/// <summary>A dataset file addressed by the API: its root-relative name (with <c>.jsonl</c>) and its full path.</summary>
public sealed record DatasetFile(string Name, string FullPath);

/// <summary>
/// The <c>{datasetName}</c> path parameter (templates-and-evals §6.3): the dataset path without
/// <c>.jsonl</c>, URL-encoded. Kestrel decodes the path except <c>%2F</c>, which route values keep, and
/// decodes <c>%25</c> too, so <c>%252F</c> would look like <c>%2F</c>: the segment is taken from the raw
/// request target and decoded exactly once. The traversal and absolute-path checks are the templates endpoint's
/// (<see cref="TemplatePathValidator"/>), reported as <c>invalid_path_params</c>.
/// </summary>
public static class DatasetName
{
    public const string Extension = ".jsonl";

    private const string RoutePrefix = "/v1/datasets/";

    /// <summary>The <c>{datasetName}</c> segment of the raw target, decoded once; the route value when the target has another form.</summary>
    public static string Decode(HttpContext context, string routeValue)
    {
        var raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (raw is null || !raw.StartsWith(RoutePrefix, StringComparison.Ordinal))
            return routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var segment = raw[RoutePrefix.Length..];
        var end = segment.IndexOfAny(['/', '?']);
        if (end >= 0) segment = segment[..end];
        return Uri.UnescapeDataString(segment);
    }

    public static (DatasetFile? File, ApiError? Error) Resolve(string name, string root)
    {
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
