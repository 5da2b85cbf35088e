namespace AgentMark.Templates.Bundling;

/// <summary>The tags registered for a prompt kind (templates-and-evals §4.7) and the HTML allow-list.</summary>
public sealed class TagSet
{
    private static readonly string[] BuiltIns = ["ForEach", "If", "ElseIf", "Else", "Raw"];

    public static readonly TagSet Language = new("language", [.. BuiltIns, "System", "User", "Assistant", "ImageAttachment", "FileAttachment"]);
    public static readonly TagSet Image = new("image", [.. BuiltIns, "ImagePrompt"]);
    public static readonly TagSet Speech = new("speech", [.. BuiltIns, "SpeechPrompt", "System"]);
    /// <summary>Only the engine's built-in tags (fixtures of the reference engine itself).</summary>
    public static readonly TagSet BuiltInOnly = new("builtin", BuiltIns);

    private readonly HashSet<string> _names;

    private TagSet(string name, IEnumerable<string> tags)
    {
        Name = name;
        _names = new HashSet<string>(tags, StringComparer.Ordinal);
        SortedNames = _names.OrderBy(n => n, StringComparer.Ordinal).ToArray();
    }

    public string Name { get; }
    public IReadOnlyList<string> SortedNames { get; }
    public bool IsRegistered(string name) => _names.Contains(name);

    /// <summary>The engine's own control tags, whose children the bundler still searches for components.</summary>
    public static bool IsBuiltIn(string name) => Array.IndexOf(BuiltIns, name) >= 0;

    /// <summary>
    /// <c>promptKind</c> → tag set; anything but the four kinds (absent, empty, <c>undefined</c>) means
    /// "detect from the frontmatter text" (templates-and-evals §2.1).
    /// </summary>
    public static TagSet ForKind(string? promptKind, string source) => promptKind switch
    {
        "text" or "object" => Language,
        "image" => Image,
        "speech" => Speech,
        _ => Detect(source),
    };

    private static TagSet Detect(string source)
    {
        var frontmatter = FrontmatterText(source);
        if (frontmatter.Contains("image_config:", StringComparison.Ordinal)) return Image;
        if (frontmatter.Contains("speech_config:", StringComparison.Ordinal)) return Speech;
        return Language;
    }

    /// <summary>Text between an opening <c>---</c> line at the very start and the next <c>---</c> line.</summary>
    public static string FrontmatterText(string source)
    {
        if (source.StartsWith('\uFEFF')) source = source[1..];
        if (!source.StartsWith("---", StringComparison.Ordinal)) return "";
        var firstBreak = source.IndexOf('\n');
        if (firstBreak < 0) return "";
        var close = source.IndexOf("\n---", firstBreak, StringComparison.Ordinal);
        return close < 0 ? "" : source[(firstBreak + 1)..close];
    }

    private static readonly HashSet<string> HtmlTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "base", "head", "link", "meta", "style", "title", "body", "address", "article", "aside", "footer", "header", "h1", "h2", "h3",
        "h4", "h5", "h6", "hgroup", "main", "nav", "section", "search", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure",
        "hr", "li", "menu", "ol", "p", "pre", "ul", "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "i",
        "kbd", "mark", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
        "area", "audio", "img", "map", "track", "video", "embed", "fencedframe", "iframe", "object", "picture", "source", "canvas",
        "noscript", "script", "del", "ins", "caption", "col", "colgroup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        "button", "datalist", "fieldset", "form", "input", "label", "legend", "meter", "optgroup", "option", "output", "progress",
        "select", "selectedcontent", "textarea", "details", "dialog", "summary", "slot", "template", "svg", "math", "center",
        "font", "strike", "tt",
    };

    public static bool IsHtmlTag(string name) => HtmlTags.Contains(name);
}
