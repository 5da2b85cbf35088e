using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentMark.Templates.Frontmatter;

namespace AgentMark.Gateway.Http.Templates;

/// <summary>The <c>*.prompt.mdx</c> files under the templates root (templates-and-evals §2.6).</summary>
public static partial class PromptCatalog
{
    private const int FrontmatterProbeBytes = 4096;

    /// <summary>Root-relative paths, ordinal order, skipping <c>node_modules</c> and dot-folders ([X]).</summary>
    public static List<string> List(string root)
    {
        var result = new List<string>();
        if (!Directory.Exists(root)) return result;
        Walk(new DirectoryInfo(root), root, result);
        result.Sort(StringComparer.Ordinal);
        return result;
    }

    private static void Walk(DirectoryInfo directory, string root, List<string> result)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            if (entry.Name.StartsWith('.')) continue;
            if (entry is DirectoryInfo child)
            {
                if (child.Name == "node_modules" || child.LinkTarget is not null) continue;
                Walk(child, root, result);
            }
            else if (entry.Name.EndsWith(".prompt.mdx", StringComparison.Ordinal))
            {
                result.Add(Path.GetRelativePath(root, entry.FullName).Replace('\\', '/'));
            }
        }
    }

    /// <summary>Prompts whose frontmatter <c>name</c> equals <paramref name="name"/> exactly.</summary>
    public static List<string> FindByName(string root, string name)
    {
        var matches = new List<string>();
        foreach (var path in List(root))
        {
            var head = ReadHead(Path.Combine(root, path));
            var match = Frontmatter().Match(head);
            if (!match.Success) continue;
            if (FrontmatterYaml.TryParse(match.Groups[1].Value, out var valid) is JsonObject mapping && valid
                && mapping["name"] is JsonValue value && value.TryGetValue<string>(out var promptName) && promptName == name)
                matches.Add(path);
        }
        return matches;
    }

    private static string ReadHead(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var buffer = new byte[FrontmatterProbeBytes];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return Encoding.UTF8.GetString(buffer, 0, read).TrimStart('\uFEFF');
        }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    [GeneratedRegex(@"^---\r?\n([\s\S]*?)\r?\n---")]
    private static partial Regex Frontmatter();
}
