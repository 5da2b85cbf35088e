namespace AgentMark.Templates.Syntax;

internal enum BlockKind { Document, BlockQuote, List, ListItem, Paragraph, Heading, ThematicBreak, Code, Yaml, FlowMdx, Esm }

/// <summary>One item of a line of flow JSX: a tag or an expression.</summary>
internal abstract record FlowItem;
internal sealed record FlowTagItem(JsxTag Tag) : FlowItem;
internal sealed record FlowExpressionItem(ScannedExpression Expression, SourceSpan Span) : FlowItem;

/// <summary>A block of the document structure, built line by line before inline parsing.</summary>
internal sealed class Block(BlockKind kind, Block? parent, int start)
{
    public BlockKind Kind { get; } = kind;
    public Block? Parent { get; } = parent;
    public List<Block> Children { get; } = [];
    public bool Open { get; set; } = true;
    public int Start { get; set; } = start;
    public int End { get; set; } = start;

    public bool IsContainer => Kind is BlockKind.Document or BlockKind.BlockQuote or BlockKind.List or BlockKind.ListItem;
    public Block? LastChild => Children.Count > 0 ? Children[^1] : null;

    // Paragraph / heading content: line ranges (first starts at content, later ones keep their indentation).
    public List<(int Start, int End)> Lines { get; } = [];
    public int HeadingDepth { get; set; }
    public bool Setext { get; set; }

    // Code
    public char FenceChar { get; set; }
    public int FenceLength { get; set; }
    public int FenceIndent { get; set; }
    public string? Info { get; set; }
    public bool Closed { get; set; }

    // List / item
    public bool Ordered { get; set; }
    public char ListMarker { get; set; }
    public int ListStart { get; set; }
    public int ContentColumn { get; set; }
    public bool InitialBlankLine { get; set; }
    public bool FurtherBlankLines { get; set; }
    public bool Spread { get; set; }

    // Yaml / ESM
    public string? Value { get; set; }
    public EsmModule? Esm { get; set; }

    public List<FlowItem>? Items { get; set; }
}

/// <summary>What the bundler needs from an ESM block: its statements, already classified.</summary>
public sealed record EsmModule(IReadOnlyList<EsmStatement> Statements);

/// <summary>An import (with its default name, the other specifier kinds, its source) or an export.</summary>
public sealed record EsmStatement(bool IsImport, string? DefaultName, bool HasOtherSpecifiers, string? Source);
