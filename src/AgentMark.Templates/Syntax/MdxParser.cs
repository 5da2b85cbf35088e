namespace AgentMark.Templates.Syntax;

/// <summary>
/// Parses TemplateDX source (CommonMark + YAML frontmatter + MDX: JSX, expressions, ESM; no GFM)
/// into the mdast tree that <c>remark-parse</c> + <c>remark-mdx</c> + <c>remark-frontmatter</c> produce.
/// </summary>
public static class MdxParser
{
    /// <summary>Files larger than this are refused before parsing (the gateway serves prompts, not books).</summary>
    public const int MaxSourceLength = 4 * 1024 * 1024;

    public static MdNode Parse(string source)
    {
        if (source.Length > 0 && source[0] == '\uFEFF') source = source[1..];
        if (source.Length > MaxSourceLength)
            throw new TemplateSyntaxException($"Template is too large ({source.Length} characters, limit {MaxSourceLength})");
        if (source.Contains('\0'))
        {
            var at = new SourceText(source).Point(source.IndexOf('\0'));
            throw new TemplateSyntaxException("Template contains a NUL character (binary file?)", new SourceSpan(at, at));
        }
        var text = new SourceText(source);
        var document = new BlockParser(text).Parse();
        return new MdastBuilder(text).Build(document);
    }
}
