namespace AgentMark.Gateway.Http.Templates;

/// <summary>
/// The commit id checked out in the project (what <c>git rev-parse HEAD</c> prints), read from the
/// repository files directly so the hot path never starts a process. Null outside git.
/// </summary>
public static class GitCommitReader
{
    public static string? ReadHead(string projectDir)
    {
        try
        {
            var gitDir = FindGitDir(projectDir);
            if (gitDir is null) return null;
            var head = File.ReadAllText(Path.Combine(gitDir, "HEAD")).Trim();
            if (!head.StartsWith("ref:", StringComparison.Ordinal)) return IsSha(head) ? head : null;
            var reference = head[4..].Trim();
            var commonDir = CommonDir(gitDir);
            foreach (var dir in new[] { gitDir, commonDir })
            {
                var refFile = Path.Combine(dir, reference.Replace('/', Path.DirectorySeparatorChar));
                if (File.Exists(refFile))
                {
                    var sha = File.ReadAllText(refFile).Trim();
                    return IsSha(sha) ? sha : null;
                }
            }
            var packed = Path.Combine(commonDir, "packed-refs");
            if (!File.Exists(packed)) return null;
            foreach (var line in File.ReadLines(packed))
            {
                var parts = line.Split(' ', 2);
                if (parts.Length == 2 && parts[1].Trim() == reference && IsSha(parts[0])) return parts[0];
            }
            return null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static string? FindGitDir(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(candidate)) return candidate;
            if (File.Exists(candidate))
            {
                // Worktrees and submodules: "gitdir: <path>".
                var text = File.ReadAllText(candidate).Trim();
                if (!text.StartsWith("gitdir:", StringComparison.Ordinal)) return null;
                var target = text[7..].Trim();
                return Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(dir.FullName, target));
            }
        }
        return null;
    }

    private static string CommonDir(string gitDir)
    {
        var file = Path.Combine(gitDir, "commondir");
        if (!File.Exists(file)) return gitDir;
        var target = File.ReadAllText(file).Trim();
        return Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(gitDir, target));
    }

    private static bool IsSha(string value) => value.Length is 40 or 64 && value.All(char.IsAsciiHexDigitLower);
}
