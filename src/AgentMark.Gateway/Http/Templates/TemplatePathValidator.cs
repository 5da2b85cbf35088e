using AgentMark.Gateway.Errors;

namespace AgentMark.Gateway.Http.Templates;

/// <summary>The path checks of templates-and-evals §2.2, in order.</summary>
public static class TemplatePathValidator
{
    /// <summary>Returns the normalised root-relative path, or the error to send.</summary>
    public static (string? Path, ApiError? Error) Normalize(string? path)
    {
        if (string.IsNullOrEmpty(path)) return (null, Invalid("Path query parameter must be a single string value"));
        if (path[0] is '/' or '\\' || (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':'))
            return (null, Invalid("Absolute paths are not allowed"));
        if (path.Contains('\0')) return (null, Invalid("Invalid path"));
        var normalized = path.StartsWith("./", StringComparison.Ordinal) ? path[2..] : path;
        normalized = normalized.Replace('\\', '/');
        var segments = normalized.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        normalized = string.Join('/', segments);
        // A plain substring test, as the reference does (so `a..b.mdx` is refused too).
        if (normalized.Contains("..", StringComparison.Ordinal) || normalized.StartsWith('/') || normalized.Length == 0)
            return (null, Invalid("Invalid path: path traversal detected"));
        return (normalized, null);
    }

    /// <summary>Step 5: the joined path, and its real path after symlinks, must stay under the root.</summary>
    public static bool IsInsideRoot(string root, string fullPath)
    {
        var rootFull = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        if (!Within(rootFull, Path.GetFullPath(fullPath))) return false;
        try
        {
            var realRoot = RealPath(rootFull);
            var real = RealPath(fullPath);
            return Within(realRoot, real);
        }
        catch (IOException) { return true; }
        catch (UnauthorizedAccessException) { return false; }
    }

    private static bool Within(string root, string path) =>
        path == root || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Resolves symlinks in every existing component of <paramref name="path"/>.</summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                next = target.FullName;
            current = next;
        }
        return current;
    }

    public static ApiError Forbidden() =>
        new(StatusCodes.Status403Forbidden, "forbidden", "Access denied: path outside allowed directory");

    private static ApiError Invalid(string message) =>
        new(StatusCodes.Status400BadRequest, "invalid_query_params", message)
        {
            Details = new Dictionary<string, string> { ["path"] = message },
        };
}
