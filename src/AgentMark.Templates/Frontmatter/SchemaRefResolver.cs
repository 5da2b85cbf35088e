using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Templates.Bundling;
using AgentMark.Templates.Syntax;

namespace AgentMark.Templates.Frontmatter;

/// <summary>
/// Resolves JSON-Schema <c>$ref</c>s to files in frontmatter <c>input_schema</c> and
/// <c>object_config.schema</c> (templates-and-evals §4.11): relative to the referring file, through
/// the confined file source (never fetched from a URL), RFC 6901 fragments, cycle detection per
/// reference chain and a depth limit of 50.
/// </summary>
public sealed class SchemaRefResolver(ITemplateFileSource files)
{
    public const int MaxResolutionDepth = 50;

    /// <summary>Resolves refs in the tree's frontmatter; returns the files read.</summary>
    public IReadOnlyCollection<string> Apply(MdNode root, string promptPath)
    {
        var read = new HashSet<string>(StringComparer.Ordinal);
        var yaml = root.Children?.FirstOrDefault(n => n.Type == NodeTypes.Yaml);
        if (yaml?.Value is not { Length: > 0 } text) return read;
        if (FrontmatterYaml.TryParse(text, out var valid) is not JsonObject frontmatter || !valid) return read;
        var directory = Path.GetDirectoryName(Path.GetFullPath(promptPath))!;
        var updated = text;
        if (frontmatter["input_schema"] is JsonObject inputSchema && ContainsRef(inputSchema))
        {
            var resolved = ResolveValue(inputSchema, directory, [], read);
            updated = FrontmatterYaml.ReplaceTopLevelKey(updated, "input_schema", resolved);
        }
        if (frontmatter["object_config"] is JsonObject objectConfig && objectConfig["schema"] is JsonObject schema && ContainsRef(schema))
        {
            var resolved = ResolveValue(schema, directory, [], read);
            var config = objectConfig.DeepClone().AsObject();
            config["schema"] = resolved;
            updated = FrontmatterYaml.ReplaceTopLevelKey(updated, "object_config", config);
        }
        yaml.Value = updated;
        return read;
    }

    public static bool ContainsRef(JsonNode? node) => node switch
    {
        JsonObject obj => (obj["$ref"] is JsonValue v && v.TryGetValue<string>(out _)) || obj.Any(p => ContainsRef(p.Value)),
        JsonArray array => array.Any(ContainsRef),
        _ => false,
    };

    public JsonNode? ResolveValue(JsonNode? value, string baseDirectory, List<string> chain, HashSet<string> read)
    {
        switch (value)
        {
            case JsonArray array:
                return new JsonArray(array.Select(item => ResolveValue(item, baseDirectory, chain, read)).ToArray());
            case JsonObject obj when obj["$ref"] is JsonValue refValue && refValue.TryGetValue<string>(out var reference):
                return ResolveRef(reference, baseDirectory, chain, read);
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, child) in obj) result[key] = ResolveValue(child, baseDirectory, chain, read);
                return result;
            default:
                return value?.DeepClone();
        }
    }

    private JsonNode? ResolveRef(string reference, string baseDirectory, List<string> chain, HashSet<string> read)
    {
        var hash = reference.IndexOf('#');
        var filePart = hash < 0 ? reference : reference[..hash];
        var fragment = hash < 0 ? null : reference[(hash + 1)..];
        if (filePart.Length == 0) return new JsonObject { ["$ref"] = reference };
        var resolvedPath = Path.GetFullPath(Path.Combine(baseDirectory, filePart.Replace('\\', '/').TrimStart('/')));
        if (filePart.StartsWith('/')) resolvedPath = Path.GetFullPath(filePart);
        var display = files.DisplayPath(resolvedPath);
        var key = string.IsNullOrEmpty(fragment) ? display : display + "#" + fragment;
        if (chain.Contains(key))
            throw new TemplateSyntaxException($"Schema $ref error: circular reference detected: {string.Join(" -> ", chain.Append(key))}");
        if (chain.Count >= MaxResolutionDepth)
            throw new TemplateSyntaxException($"Schema $ref error: maximum resolution depth ({MaxResolutionDepth}) exceeded");
        string content;
        try
        {
            content = files.Read(resolvedPath);
            read.Add(resolvedPath);
        }
        catch (TemplateFileException)
        {
            throw new TemplateSyntaxException($"Schema $ref error: file not found \"{display}\" (referenced from \"{DisplayDirectory(baseDirectory)}\")");
        }
        JsonNode? parsed;
        try { parsed = JsonNode.Parse(content); }
        catch (JsonException) { throw new TemplateSyntaxException($"Schema $ref error: \"{display}\" is not valid JSON"); }
        if (parsed is not JsonObject) throw new TemplateSyntaxException($"Schema $ref error: \"{display}\" must be a JSON object");
        JsonNode? target = parsed;
        if (!string.IsNullOrEmpty(fragment))
        {
            foreach (var segment in fragment.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var decoded = segment.Replace("~1", "/").Replace("~0", "~");
                if (target is not JsonObject obj || !obj.ContainsKey(decoded))
                    throw new TemplateSyntaxException($"Schema $ref error: JSON pointer \"{fragment}\" not found in \"{display}\"");
                target = obj[decoded];
            }
        }
        return ResolveValue(target, Path.GetDirectoryName(resolvedPath)!, [.. chain, key], read);
    }

    private string DisplayDirectory(string directory)
    {
        var display = files.DisplayPath(directory);
        return display == "." ? "." : display;
    }
}
