using System.Text.Json.Nodes;
using AgentMark.Templates.Syntax;

namespace AgentMark.Templates.Frontmatter;

/// <summary>
/// Stamps <c>agentmark_meta.commit_sha</c> into the first frontmatter node (templates-and-evals §2.4):
/// a minimal textual edit with the sha double-quoted, re-checked by parsing; any failure leaves the
/// tree unstamped rather than failing the request.
/// </summary>
public static class CommitStamp
{
    public static void Apply(MdNode root, string? commitSha)
    {
        if (string.IsNullOrEmpty(commitSha)) return;
        var yaml = FirstYaml(root);
        if (yaml?.Value is not { Length: > 0 } value) return;
        var stamped = Stamp(value, commitSha);
        if (stamped is not null) yaml.Value = stamped;
    }

    public static MdNode? FirstYaml(MdNode node)
    {
        if (node.Type == NodeTypes.Yaml) return node;
        if (node.Children is null) return null;
        foreach (var child in node.Children)
            if (FirstYaml(child) is { } found) return found;
        return null;
    }

    /// <summary>The stamped YAML, or null when the frontmatter is not a mapping (or not YAML).</summary>
    public static string? Stamp(string yaml, string commitSha)
    {
        var parsed = FrontmatterYaml.TryParse(yaml, out var valid);
        if (!valid || parsed is not JsonObject mapping) return null;
        var ending = FrontmatterYaml.LineEnding(yaml);
        var line = "  commit_sha: " + FrontmatterYaml.Quote(commitSha);
        string result;
        if (!mapping.ContainsKey("agentmark_meta"))
        {
            result = FrontmatterYaml.AppendBlock(yaml, "agentmark_meta:" + ending + line);
        }
        else
        {
            // Keep the other keys of an existing block mapping; anything else is replaced.
            var lines = FrontmatterYaml.SplitLines(yaml);
            var start = lines.FindIndex(l => FrontmatterYaml.IsTopLevelKeyLine(l, "agentmark_meta"));
            if (start < 0) return null;
            var end = start + 1;
            while (end < lines.Count && (lines[end].Length == 0 || lines[end][0] is ' ' or '\t')) end++;
            var kept = new List<string>();
            if (mapping["agentmark_meta"] is JsonObject && lines[start].TrimEnd().EndsWith(':'))
            {
                var skipping = false;
                var childIndent = -1;
                for (var i = start + 1; i < end; i++)
                {
                    var l = lines[i];
                    var indent = l.Length - l.TrimStart().Length;
                    if (l.Trim().Length == 0) { if (!skipping) kept.Add(l); continue; }
                    if (childIndent < 0) childIndent = indent;
                    if (indent == childIndent) skipping = l.TrimStart().StartsWith("commit_sha:", StringComparison.Ordinal);
                    if (!skipping) kept.Add(indent == childIndent ? "  " + l.TrimStart() : l);
                }
            }
            while (kept.Count > 0 && kept[^1].Trim().Length == 0) kept.RemoveAt(kept.Count - 1);
            lines.RemoveRange(start, end - start);
            lines.InsertRange(start, ["agentmark_meta:", line, .. kept]);
            result = string.Join(ending, lines).TrimEnd('\r', '\n');
        }
        var check = FrontmatterYaml.TryParse(result, out var ok);
        return ok && check?["agentmark_meta"]?["commit_sha"]?.GetValue<string>() == commitSha ? result : null;
    }
}
