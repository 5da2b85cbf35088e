using System.Text.Json.Nodes;

namespace AgentMark.Templates.Syntax;

/// <summary>A point in a source file: 1-based line and column, 0-based offset (UTF-16 units).</summary>
public readonly record struct SourcePoint(int Line, int Column, int Offset);

/// <summary>A source range; <see cref="End"/> is exclusive.</summary>
public readonly record struct SourceSpan(SourcePoint Start, SourcePoint End);

/// <summary>
/// One mdast node (unist/mdast with the MDX extensions). A single mutable class instead of one type
/// per node kind because the bundler rewrites trees in place (replacing elements by component
/// bodies, expressions by text) and the serializer only needs to know which fields a type carries.
/// </summary>
public sealed class MdNode
{
    public MdNode(string type) => Type = type;

    public string Type { get; set; }
    public List<MdNode>? Children { get; set; }
    public string? Value { get; set; }
    public SourceSpan? Position { get; set; }

    /// <summary>ESTree <c>Program</c> of an expression or ESM node (never attached to another JSON parent).</summary>
    public JsonObject? Estree { get; set; }
    /// <summary>Offset → point for <see cref="Estree"/> (its file's line index); null for text the bundler wrote.</summary>
    public Func<int, SourcePoint>? EstreePoints { get; set; }

    // heading
    public int Depth { get; set; }
    // list / listItem
    public bool Ordered { get; set; }
    public int? Start { get; set; }
    public bool Spread { get; set; }
    // code
    public string? Lang { get; set; }
    public string? Meta { get; set; }
    // link / image / definition / references
    public string? Url { get; set; }
    public string? Title { get; set; }
    public string? Alt { get; set; }
    public string? Identifier { get; set; }
    public string? Label { get; set; }
    public string? ReferenceType { get; set; }
    // mdx jsx elements
    public string? Name { get; set; }
    public List<MdxAttribute>? Attributes { get; set; }

    /// <summary>Classified statements of an <c>mdxjsEsm</c> node (imports for the bundler).</summary>
    public EsmModule? Esm { get; set; }

    public bool IsJsxElement => Type is NodeTypes.MdxJsxFlowElement or NodeTypes.MdxJsxTextElement;
    public bool IsExpression => Type is NodeTypes.MdxFlowExpression or NodeTypes.MdxTextExpression;

    public static MdNode Parent(string type, SourceSpan? position = null) => new(type) { Children = [], Position = position };
    public static MdNode Literal(string type, string value, SourceSpan? position = null) => new(type) { Value = value, Position = position };
    public static MdNode Text(string value, SourceSpan? position = null) => Literal(NodeTypes.Text, value, position);

    /// <summary>Deep copy. ESTree objects are shared: they are treated as immutable once built.</summary>
    public MdNode Clone()
    {
        var copy = (MdNode)MemberwiseClone();
        if (Children is not null)
        {
            copy.Children = new List<MdNode>(Children.Count);
            foreach (var child in Children) copy.Children.Add(child.Clone());
        }
        if (Attributes is not null)
        {
            copy.Attributes = new List<MdxAttribute>(Attributes.Count);
            foreach (var attribute in Attributes) copy.Attributes.Add(attribute.Clone());
        }
        return copy;
    }

    public override string ToString() => Value is null ? $"{Type}({Children?.Count ?? 0})" : $"{Type}: {Value}";
}

/// <summary>
/// A JSX attribute: <c>mdxJsxAttribute</c> (Name, and a string <see cref="Value"/>, an
/// <see cref="ExpressionValue"/> or neither for a boolean attribute) or <c>mdxJsxExpressionAttribute</c>
/// (a spread: <see cref="Value"/> is the source, <see cref="Estree"/> its program).
/// </summary>
public sealed class MdxAttribute
{
    public const string AttributeType = "mdxJsxAttribute";
    public const string ExpressionAttributeType = "mdxJsxExpressionAttribute";

    public required string Type { get; init; }
    public string? Name { get; set; }
    public string? Value { get; set; }
    public MdxAttributeValueExpression? ExpressionValue { get; set; }
    public JsonObject? Estree { get; set; }
    public Func<int, SourcePoint>? EstreePoints { get; set; }
    public SourceSpan? Position { get; set; }

    public bool IsSpread => Type == ExpressionAttributeType;

    public MdxAttribute Clone()
    {
        var copy = (MdxAttribute)MemberwiseClone();
        copy.ExpressionValue = ExpressionValue is null ? null : ExpressionValue with { };
        return copy;
    }
}

/// <summary><c>{"type":"mdxJsxAttributeValueExpression","value":…,"data":{"estree":…}}</c>.</summary>
public sealed record MdxAttributeValueExpression(string Value, JsonObject? Estree, Func<int, SourcePoint>? EstreePoints = null);

public static class NodeTypes
{
    public const string Root = "root";
    public const string Yaml = "yaml";
    public const string Paragraph = "paragraph";
    public const string Heading = "heading";
    public const string ThematicBreak = "thematicBreak";
    public const string Blockquote = "blockquote";
    public const string List = "list";
    public const string ListItem = "listItem";
    public const string Code = "code";
    public const string Definition = "definition";
    public const string Text = "text";
    public const string Emphasis = "emphasis";
    public const string Strong = "strong";
    public const string InlineCode = "inlineCode";
    public const string Break = "break";
    public const string Link = "link";
    public const string Image = "image";
    public const string LinkReference = "linkReference";
    public const string ImageReference = "imageReference";
    public const string MdxJsxFlowElement = "mdxJsxFlowElement";
    public const string MdxJsxTextElement = "mdxJsxTextElement";
    public const string MdxFlowExpression = "mdxFlowExpression";
    public const string MdxTextExpression = "mdxTextExpression";
    public const string MdxjsEsm = "mdxjsEsm";
}
