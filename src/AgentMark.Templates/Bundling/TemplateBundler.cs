using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentMark.Templates.Estree;
using AgentMark.Templates.Syntax;

namespace AgentMark.Templates.Bundling;

/// <summary>The bundled tree and every file it was built from (for cache invalidation).</summary>
public sealed record BundleResult(MdNode Root, IReadOnlyCollection<string> Files);

/// <summary>
/// TemplateDX bundling (templates-and-evals §4.9): comments removed, default imports of components
/// resolved relative to the importing file and inlined with their props substituted, tags checked
/// against the prompt kind's tag set. Where the reference is buggy the spec's [X] rules apply:
/// diamond imports reuse one parse, <c>{ props.children }</c> is trimmed, attribute expressions of
/// kept elements are substituted, rewritten expressions get a fresh <c>data.estree</c>.
/// </summary>
public sealed partial class TemplateBundler
{
    private const int MaxImportDepth = 32;
    private const int MaxInlinedNodes = 200_000;
    private const int MaxPasses = 64;

    private readonly ITemplateFileSource _files;
    private readonly TagSet _tags;
    private readonly Dictionary<string, ProcessedFile> _processed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Component> _components = new(StringComparer.Ordinal);
    private int _inlinedNodes;

    private sealed record ProcessedFile(MdNode Tree, string Source);
    private sealed record Component(List<MdNode> Nodes, string Source);

    public TemplateBundler(ITemplateFileSource files, TagSet tags)
    {
        _files = files;
        _tags = tags;
    }

    public BundleResult Bundle(string mainPath, string? mainContent = null)
    {
        mainPath = Path.GetFullPath(mainPath);
        var content = mainContent ?? _files.Read(mainPath);
        var main = Process(mainPath, content, []);
        // The main tree is used once per bundle: no copy needed (components are copied per use).
        var tree = main.Tree;
        ValidateTags(tree.Children!);
        var passes = 0;
        while (InlineChildren(tree.Children!, new Dictionary<string, string>()))
        {
            if (++passes > MaxPasses) throw new TemplateSyntaxException($"Component inlining did not settle after {MaxPasses} passes");
        }
        return new BundleResult(tree, _processed.Keys.ToArray());
    }

    // ---- files and imports ------------------------------------------------------------------

    private ProcessedFile Process(string path, string content, List<string> chain)
    {
        if (chain.Contains(path))
        {
            var cycle = string.Join(" -> ", chain.Append(path).Select(_files.DisplayPath));
            throw new TemplateSyntaxException($"Circular import detected: {cycle}");
        }
        if (_processed.TryGetValue(path, out var done)) return done;
        if (chain.Count >= MaxImportDepth)
            throw new TemplateSyntaxException($"Imports nested deeper than {MaxImportDepth} levels");

        MdNode tree;
        try { tree = MdxParser.Parse(content); }
        catch (TemplateSyntaxException error) when (chain.Count > 0)
        {
            throw new TemplateSyntaxException($"{error.Message} (in {_files.DisplayPath(path)})", error.Position, _files.DisplayPath(path), error);
        }
        RemoveComments(tree);
        var directory = Path.GetDirectoryName(path)!;
        var nextChain = new List<string>(chain) { path };
        foreach (var esm in tree.Children!.Where(n => n.Type == NodeTypes.MdxjsEsm).ToList())
        {
            foreach (var statement in esm.Esm?.Statements ?? [])
            {
                var text = esm.Value!.Trim();
                if (!statement.IsImport)
                    throw new TemplateSyntaxException($"Exports are not supported. Found in {_files.DisplayPath(path)}: {text}", esm.Position);
                if (statement.HasOtherSpecifiers)
                    throw new TemplateSyntaxException($"Only default imports are supported. Invalid import in {_files.DisplayPath(path)}: {text}", esm.Position);
                if (statement.DefaultName is null)
                    throw new TemplateSyntaxException($"Invalid import in {_files.DisplayPath(path)}: {text}", esm.Position);
                var source = statement.Source ?? "";
                var target = ResolveImport(directory, source);
                string imported;
                try { imported = _files.Read(target); }
                catch (TemplateFileException error)
                {
                    throw new TemplateSyntaxException($"Failed to load import \"{source}\": {error.Message}", esm.Position);
                }
                var component = Process(target, imported, nextChain);
                _components[statement.DefaultName] = new Component(component.Tree.Children!, imported);
            }
        }
        tree.Children!.RemoveAll(n => n.Type == NodeTypes.MdxjsEsm);
        var processed = new ProcessedFile(tree, content);
        _processed[path] = processed;
        return processed;
    }

    /// <summary>Import specifiers are paths relative to the importing file (a bare name too).</summary>
    private static string ResolveImport(string directory, string specifier)
    {
        var normalized = specifier.Replace('\\', '/');
        return normalized.StartsWith('/') || Regex.IsMatch(normalized, "^[a-zA-Z]:/")
            ? Path.GetFullPath(normalized)
            : Path.GetFullPath(Path.Combine(directory, normalized));
    }

    private static void RemoveComments(MdNode node)
    {
        if (node.Children is null) return;
        node.Children.RemoveAll(IsComment);
        foreach (var child in node.Children) RemoveComments(child);
    }

    private static bool IsComment(MdNode node)
    {
        if (!node.IsExpression) return false;
        var value = node.Value!.Trim();
        return (value.StartsWith("/*", StringComparison.Ordinal) && value.EndsWith("*/", StringComparison.Ordinal)) || value.StartsWith("//", StringComparison.Ordinal);
    }

    // ---- tag admission ------------------------------------------------------------------------

    private void ValidateTags(List<MdNode> nodes)
    {
        foreach (var node in nodes)
        {
            if (node.IsJsxElement && node.Name is { } name)
            {
                if (name == "Raw") continue;
                if (!_components.ContainsKey(name) && !_tags.IsRegistered(name) && !TagSet.IsHtmlTag(name) && !StartsLowercase(name))
                {
                    var registered = _tags.SortedNames.Count > 0 ? $" Registered tags: {string.Join(", ", _tags.SortedNames)}." : "";
                    throw new TemplateSyntaxException(
                        $"Unsupported tag '<{name}>'. Only native MDX elements, and registered tags are supported.{registered}", node.Position);
                }
            }
            if (node.Children is not null) ValidateTags(node.Children);
        }
    }

    private static bool StartsLowercase(string name)
    {
        var first = name[0];
        return char.ToLowerInvariant(first) == first && char.ToUpperInvariant(first) != first;
    }

    // ---- inlining ---------------------------------------------------------------------------

    /// <summary>One pass over <paramref name="children"/>: replaces component elements in place.</summary>
    private bool InlineChildren(List<MdNode> children, Dictionary<string, string> props)
    {
        var replaced = false;
        for (var i = 0; i < children.Count; i++)
        {
            var child = children[i];
            if (child.IsJsxElement && child.Name is { } name && _components.TryGetValue(name, out var component))
            {
                var expanded = Expand(component, ExtractRawProps(child, props), child.Children ?? []);
                children.RemoveAt(i);
                children.InsertRange(i, expanded);
                i += expanded.Count - 1;
                replaced = true;
                continue;
            }
            if (child.IsExpression && RewriteComponentsInExpression(child)) replaced = true;
            if (child.Children is not null && InlineChildren(child.Children, props)) replaced = true;
        }
        return replaced;
    }

    private List<MdNode> Expand(Component component, Dictionary<string, string> props, List<MdNode> callSiteChildren)
    {
        var result = new List<MdNode>();
        foreach (var node in component.Nodes)
        {
            _inlinedNodes++;
            if (_inlinedNodes > MaxInlinedNodes)
                throw new TemplateSyntaxException($"Component inlining produced more than {MaxInlinedNodes} nodes");
            result.AddRange(Resolve(node.Clone(), props, callSiteChildren));
        }
        return result;
    }

    private List<MdNode> Resolve(MdNode node, Dictionary<string, string> props, List<MdNode> callSiteChildren)
    {
        if (node.IsExpression)
        {
            var value = node.Value!;
            if (value.Trim() == "props.children")
            {
                var children = callSiteChildren.Select(c => c.Clone()).ToList();
                var passes = 0;
                while (InlineChildren(children, new Dictionary<string, string>()))
                    if (++passes > MaxPasses) throw new TemplateSyntaxException("Component inlining did not settle");
                return CombineIntoParagraph(children);
            }
            if (value.Contains("props.", StringComparison.Ordinal)) return [Substituted(node, props)];
            return [node];
        }
        if (node.IsJsxElement)
        {
            if (node.Name is { } name && _components.TryGetValue(name, out var component))
                return Expand(component, ExtractRawProps(node, props), node.Children ?? []);
            SubstituteAttributes(node, props);
        }
        if (node.Children is not null)
        {
            var resolved = new List<MdNode>(node.Children.Count);
            foreach (var child in node.Children) resolved.AddRange(Resolve(child, props, callSiteChildren));
            node.Children = resolved;
        }
        return [node];
    }

    /// <summary>Call-site children as one paragraph (reference <c>combinedNodesIntoParagraph</c>).</summary>
    private static List<MdNode> CombineIntoParagraph(List<MdNode> nodes)
    {
        var content = new List<MdNode>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            if (node.Type is NodeTypes.Paragraph or NodeTypes.List) content.AddRange(node.Children!);
            else content.Add(node);
            if (i != nodes.Count - 1) content.Add(MdNode.Text("\n"));
        }
        return content.Count == 0 ? [] : [new MdNode(NodeTypes.Paragraph) { Children = content }];
    }

    private MdNode Substituted(MdNode node, Dictionary<string, string> props)
    {
        var value = SubstituteProps(node.Value!, props);
        if (value == node.Value) return node;
        if (TryDecodeLiteral(value, out var literal)) return MdNode.Text(literal);
        return new MdNode(node.Type) { Value = value, Estree = Reparse(value) };
    }

    /// <summary>[X] step 5: attribute expressions of elements kept inside a component see its props.</summary>
    private static void SubstituteAttributes(MdNode element, Dictionary<string, string> props)
    {
        if (element.Attributes is null || props.Count == 0) return;
        foreach (var attribute in element.Attributes)
        {
            if (attribute.ExpressionValue is not { } expression || !expression.Value.Contains("props.", StringComparison.Ordinal)) continue;
            var value = SubstituteProps(expression.Value, props);
            if (value != expression.Value) attribute.ExpressionValue = new MdxAttributeValueExpression(value, Reparse(value));
        }
    }

    private static Dictionary<string, string> ExtractRawProps(MdNode element, Dictionary<string, string> parentProps)
    {
        var props = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in element.Attributes ?? [])
        {
            if (attribute.IsSpread)
                throw new TemplateSyntaxException(
                    $"Only literal attribute values are supported. Invalid attribute in component <{element.Name}>.", attribute.Position ?? element.Position);
            props[attribute.Name!] = attribute.ExpressionValue is { } expression
                ? SubstituteProps(expression.Value, parentProps)
                : JsonSerializer.Serialize(attribute.Value ?? "");
        }
        return props;
    }

    [GeneratedRegex(@"props\.([A-Za-z0-9_]+)")]
    private static partial Regex PropReference();

    /// <summary>
    /// Replaces <c>props.name</c> by the passed prop's text. [X] One level only: a prop's text was
    /// already resolved against the enclosing scope when it was extracted, so re-substituting it (as
    /// the reference does) would read the parent's <c>props.x</c> as the component's own <c>x</c> and
    /// turn the common <c>name={props.name}</c> into a "circular reference" error.
    /// </summary>
    internal static string SubstituteProps(string expression, Dictionary<string, string> props)
    {
        if (props.Count == 0) return expression;
        return PropReference().Replace(expression, match =>
            props.TryGetValue(match.Groups[1].Value, out var value) ? value : match.Value);
    }

    /// <summary>A substituted expression that is just a string or number literal becomes text.</summary>
    private static bool TryDecodeLiteral(string value, out string text)
    {
        text = "";
        if (Regex.IsMatch(value, @"^\d+(\.\d+)?$"))
        {
            text = JsonNode.Parse(value)!.ToJsonString();
            return true;
        }
        if (value.Length < 2 || value[0] is not ('"' or '\'') || value[^1] != value[0]) return false;
        try
        {
            var program = JsExpressionParser.ParseProgram(value, EstreeJson.Synthetic);
            var expression = program["body"]![0]!["expression"]!;
            if ((string)expression["type"]! != "Literal" || expression["value"] is not JsonValue literal || !literal.TryGetValue<string>(out var s)) return false;
            text = s;
            return true;
        }
        catch (JsSyntaxException) { return false; }
        catch (JsUnsupportedException) { return false; }
    }


    /// <summary>ESTree for text the bundler wrote (positions are relative to that text).</summary>
    private static JsonObject? Reparse(string value)
    {
        try { return JsExpressionParser.ParseProgram(value, EstreeJson.Synthetic); }
        catch (JsSyntaxException) { return null; }
        catch (JsUnsupportedException)
        {
            return AcornimaFallback.TryParse(value, false, EstreeJson.Synthetic, out var estree, out _) ? estree : null;
        }
    }

    // ---- components inside expressions (ForEach bodies) ---------------------------------------

    /// <summary>
    /// [X] A component used in an arrow-function body (text the SDK re-parses as MDX) is spliced in as
    /// its source text wrapped in a fragment, with props substituted textually.
    /// </summary>
    private bool RewriteComponentsInExpression(MdNode node)
    {
        var value = node.Value!;
        if (!_components.Keys.Any(name => value.Contains("<" + name, StringComparison.Ordinal))) return false;
        JsonObject program;
        try { program = JsExpressionParser.ParseProgram(value, EstreeJson.Synthetic); }
        catch (Exception error) when (error is JsSyntaxException or JsUnsupportedException) { return false; }
        var replacements = new List<(int Start, int End, string Text)>();
        CollectComponentElements(program, value, replacements);
        if (replacements.Count == 0) return false;
        var sb = new StringBuilder(value);
        foreach (var (start, end, text) in replacements.OrderByDescending(r => r.Start))
        {
            sb.Remove(start, end - start);
            sb.Insert(start, text);
        }
        node.Value = sb.ToString();
        node.Estree = Reparse(node.Value);
        node.EstreePoints = null;
        return true;
    }

    private void CollectComponentElements(JsonNode? node, string source, List<(int, int, string)> replacements)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array) CollectComponentElements(item, source, replacements);
                return;
            case JsonObject obj:
                if ((string?)obj["type"] == "JSXElement"
                    && obj["openingElement"]!["name"] is JsonObject name && (string?)name["type"] == "JSXIdentifier"
                    && _components.TryGetValue((string)name["name"]!, out var component))
                {
                    var props = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var attribute in obj["openingElement"]!["attributes"]!.AsArray())
                    {
                        if ((string?)attribute!["type"] != "JSXAttribute") continue;
                        var attrName = (string)attribute["name"]!["name"]!;
                        var attrValue = attribute["value"];
                        props[attrName] = attrValue switch
                        {
                            null => "\"\"",
                            JsonObject v when (string?)v["type"] == "Literal" => JsonSerializer.Serialize((string?)v["value"] ?? ""),
                            JsonObject v when (string?)v["type"] == "JSXExpressionContainer" =>
                                source[v["expression"]!["start"]!.GetValue<int>()..v["expression"]!["end"]!.GetValue<int>()],
                            _ => "\"\"",
                        };
                    }
                    var text = "<>\n" + SubstituteProps(ComponentBody(component.Source), props) + "\n</>";
                    replacements.Add((obj["start"]!.GetValue<int>(), obj["end"]!.GetValue<int>(), text));
                    return;
                }
                foreach (var (_, child) in obj) CollectComponentElements(child, source, replacements);
                return;
        }
    }

    /// <summary>A component's source without its import lines and comments, trimmed.</summary>
    private static string ComponentBody(string source)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n')
            .Where(line => !line.StartsWith("import ", StringComparison.Ordinal) && !line.StartsWith("export ", StringComparison.Ordinal));
        var body = string.Join("\n", lines);
        body = Regex.Replace(body, @"\{\s*/\*[\s\S]*?\*/\s*\}", "");
        return body.Trim();
    }
}
