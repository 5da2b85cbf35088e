using System.Text;

namespace AgentMark.Templates.Syntax;

/// <summary>
/// Turns the block structure and inline items into the mdast tree, nesting JSX elements the way
/// mdast-util-mdx-jsx does: one stack of open nodes for the whole document, so a tag must be closed
/// inside the same paragraph/block it was opened in, with the reference's error messages otherwise.
/// </summary>
internal sealed class MdastBuilder
{
    private readonly SourceText _src;
    private readonly Dictionary<string, MdNode> _definitions = new(StringComparer.Ordinal);
    private readonly List<Open> _stack = [];
    private readonly List<JsxTag> _tags = [];

    private sealed record Open(MdNode Node, string TokenType, SourceSpan Span, JsxTag? Tag);

    public MdastBuilder(SourceText source) => _src = source;

    public MdNode Build(Block document)
    {
        CollectDefinitions(document);
        var root = MdNode.Parent(NodeTypes.Root, _src.Span(0, _src.Length));
        _stack.Add(new Open(root, "root", root.Position!.Value, null));
        foreach (var block in document.Children) BuildBlock(block);
        if (_stack.Count > 1)
        {
            var open = _stack[^1];
            if (open.Tag is not null) throw UnclosedTag(null, open);
        }
        return root;
    }

    private MdNode Current => _stack[^1].Node;

    private void Append(MdNode node) => Current.Children!.Add(node);

    /// <summary>Deeper trees are refused: clients walk them recursively.</summary>
    public const int MaxDepth = 256;

    private void Enter(MdNode node, string tokenType, SourceSpan span, JsxTag? tag = null)
    {
        if (_stack.Count >= MaxDepth)
            throw new TemplateSyntaxException($"Template nested deeper than {MaxDepth} levels", span);
        node.Position ??= span;
        Append(node);
        _stack.Add(new Open(node, tokenType, span, tag));
    }

    private void Exit(string tokenType, SourceSpan span)
    {
        var open = _stack[^1];
        if (open.Tag is not null && open.TokenType != tokenType) throw UnclosedTag(new Open(open.Node, tokenType, span, null), open);
        _stack.RemoveAt(_stack.Count - 1);
    }

    private TemplateSyntaxException UnclosedTag(Open? closing, Open open)
    {
        var tag = _tags.Count > 0 ? _tags[^1] : open.Tag!;
        var place = closing is null ? "" : $" before the end of `{closing.TokenType}`";
        var message = $"Expected a closing tag for `{Abbreviated(tag)}` ({Stringify(open.Span)}){place}";
        // At the end of the document the reference only names the opening tag; use its range.
        return new TemplateSyntaxException(message, closing?.Span ?? open.Span);
    }

    private static string Abbreviated(JsxTag tag) => "<" + (tag.Close ? "/" : "") + (tag.Name ?? "") + ">";

    private static string Stringify(SourceSpan span) =>
        $"{span.Start.Line}:{span.Start.Column}-{span.End.Line}:{span.End.Column}";

    private static string Stringify(SourcePoint point) => $"{point.Line}:{point.Column}";

    // ---- blocks -----------------------------------------------------------------------------

    private void BuildBlock(Block block)
    {
        var span = _src.Span(block.Start, block.End);
        switch (block.Kind)
        {
            case BlockKind.Yaml:
                Append(MdNode.Literal(NodeTypes.Yaml, block.Value!, span));
                break;
            case BlockKind.Paragraph when block.Setext:
                BuildHeading(block, span, "setextHeading");
                break;
            case BlockKind.Paragraph:
                BuildParagraph(block);
                break;
            case BlockKind.Heading:
                BuildHeading(block, span, "atxHeading");
                break;
            case BlockKind.ThematicBreak:
                Append(new MdNode(NodeTypes.ThematicBreak) { Position = span });
                break;
            case BlockKind.Code:
                BuildCode(block, span);
                break;
            case BlockKind.BlockQuote:
                Enter(MdNode.Parent(NodeTypes.Blockquote), "blockQuote", span);
                foreach (var child in block.Children) BuildBlock(child);
                Exit("blockQuote", span);
                break;
            case BlockKind.List:
            {
                var token = block.Ordered ? "listOrdered" : "listUnordered";
                Enter(new MdNode(NodeTypes.List) { Children = [], Ordered = block.Ordered, Start = block.Ordered ? block.ListStart : null, Spread = block.Spread }, token, span);
                foreach (var child in block.Children) BuildBlock(child);
                Exit(token, span);
                break;
            }
            case BlockKind.ListItem:
                Enter(new MdNode(NodeTypes.ListItem) { Children = [], Spread = block.Spread }, "listItem", span);
                foreach (var child in block.Children) BuildBlock(child);
                Exit("listItem", span);
                break;
            case BlockKind.FlowMdx:
                foreach (var item in block.Items!)
                {
                    switch (item)
                    {
                        case FlowTagItem tag:
                            HandleTag(tag.Tag, text: false);
                            break;
                        case DefinitionItem definition:
                            Append(definition.Definition);
                            break;
                        case FlowExpressionItem expression:
                            Append(new MdNode(NodeTypes.MdxFlowExpression)
                            {
                                Value = expression.Expression.Value, Estree = expression.Expression.Estree, EstreePoints = _src.Point, Position = expression.Span,
                            });
                            break;
                    }
                }
                break;
            case BlockKind.Esm:
                Append(new MdNode(NodeTypes.MdxjsEsm) { Value = block.Value, Position = span, Esm = block.Esm });
                break;
        }
    }

    private void BuildHeading(Block block, SourceSpan span, string token)
    {
        Enter(new MdNode(NodeTypes.Heading) { Children = [], Depth = block.HeadingDepth }, token, span);
        if (block.Lines.Count > 0)
        {
            var lines = block.Setext ? TrimmedLines(block.Lines) : block.Lines;
            EmitInlines(InlineParser.Parse(SegmentedText.FromSegments(_src, lines), _definitions));
        }
        Exit(token, span);
    }

    private List<(int Start, int End)> TrimmedLines(List<(int Start, int End)> lines)
    {
        var result = new List<(int, int)>(lines);
        var (start, end) = result[^1];
        while (end > start && _src.Text[end - 1] is ' ' or '\t') end--;
        result[^1] = (start, end);
        return result;
    }

    private void BuildParagraph(Block block)
    {
        var lines = block.Lines;
        if (lines.Count == 0) return;
        var span = _src.Span(lines[0].Start, block.End);
        Enter(MdNode.Parent(NodeTypes.Paragraph), "paragraph", span);
        EmitInlines(InlineParser.Parse(SegmentedText.FromSegments(_src, lines), _definitions));
        Exit("paragraph", span);
    }

    private void BuildCode(Block block, SourceSpan span)
    {
        var value = new StringBuilder();
        for (var i = 0; i < block.Lines.Count; i++)
        {
            if (i > 0) value.Append(LineEndingBefore(block.Lines[i].Start, block.Lines[i - 1].End));
            value.Append(_src.Text, block.Lines[i].Start, block.Lines[i].End - block.Lines[i].Start);
        }
        string? lang = null, meta = null;
        if (block.Info is { } info)
        {
            var split = info.IndexOfAny([' ', '\t']);
            lang = Entities.DecodeString(split < 0 ? info : info[..split]);
            if (split >= 0)
            {
                var rest = info[split..].Trim(' ', '\t');
                meta = rest.Length == 0 ? null : Entities.DecodeString(rest);
            }
        }
        Append(new MdNode(NodeTypes.Code) { Lang = lang, Meta = meta, Value = value.ToString(), Position = span });
    }

    private string LineEndingBefore(int lineStart, int previousEnd)
    {
        var t = _src.Text;
        return previousEnd + 1 < t.Length && t[previousEnd] == '\r' && t[previousEnd + 1] == '\n' ? "\r\n"
            : previousEnd < t.Length && t[previousEnd] == '\r' ? "\r" : "\n";
    }

    // ---- JSX tags ---------------------------------------------------------------------------

    private void HandleTag(JsxTag tag, bool text)
    {
        var tokenType = text ? "mdxJsxTextTag" : "mdxJsxFlowTag";
        if (tag.Close)
        {
            if (_tags.Count == 0)
                throw new TemplateSyntaxException("Unexpected closing slash `/` in tag, expected an open tag first", tag.ClosingSlash);
            var tail = _tags[^1];
            if (tail.Name != tag.Name)
                throw new TemplateSyntaxException(
                    $"Unexpected closing tag `{Abbreviated(tag)}`, expected corresponding closing tag for `{Abbreviated(tail)}` ({Stringify(tail.Span)})",
                    tag.Span);
            _tags.RemoveAt(_tags.Count - 1);
            var top = _stack[^1];
            if (top.Tag is null)
                throw new TemplateSyntaxException(
                    $"Expected the closing tag `{Abbreviated(tag)}` either after the end of `{top.TokenType}` ({Stringify(top.Span.End)}) or another opening tag after the start of `{top.TokenType}` ({Stringify(top.Span.Start)})",
                    tag.Span);
            top.Node.Position = new SourceSpan(top.Node.Position!.Value.Start, tag.Span.End);
            _stack.RemoveAt(_stack.Count - 1);
            return;
        }
        var element = new MdNode(text ? NodeTypes.MdxJsxTextElement : NodeTypes.MdxJsxFlowElement)
        {
            Name = tag.Name, Attributes = tag.Attributes, Children = [], Position = tag.Span,
        };
        if (tag.SelfClosing)
        {
            Append(element);
            return;
        }
        Enter(element, tokenType, tag.Span, tag);
        _tags.Add(tag);
    }

    // ---- inlines ------------------------------------------------------------------------------

    private void EmitInlines(List<Inline> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            switch (item.Kind)
            {
                case InlineKind.Text or InlineKind.Delimiter or InlineKind.Bracket:
                {
                    // Adjacent text merges into one node, as in mdast-util-from-markdown.
                    var sb = new StringBuilder(item.Text);
                    var start = item.Start;
                    var end = item.End;
                    while (i + 1 < items.Count && items[i + 1].Kind is InlineKind.Text or InlineKind.Delimiter or InlineKind.Bracket)
                    {
                        i++;
                        sb.Append(items[i].Text);
                        end = items[i].End;
                    }
                    if (sb.Length > 0) Append(MdNode.Text(sb.ToString(), _src.Span(start, end)));
                    break;
                }
                case InlineKind.Leaf:
                    Append(item.Node!);
                    break;
                case InlineKind.Tag:
                    HandleTag(item.Tag!, text: true);
                    break;
                case InlineKind.Container:
                {
                    var node = item.Node!;
                    var span = _src.Span(item.Start, item.End);
                    node.Position = span;
                    node.Children ??= node.Type is NodeTypes.Image or NodeTypes.ImageReference ? null : [];
                    if (node.Children is null)
                    {
                        Append(node);
                        break;
                    }
                    var token = node.Type is NodeTypes.LinkReference ? "link" : node.Type;
                    Enter(node, token, span);
                    EmitInlines(item.Children!);
                    Exit(token, span);
                    break;
                }
            }
        }
    }

    // ---- definitions --------------------------------------------------------------------------

    /// <summary>Link reference definitions at the start of paragraphs, collected before inline parsing
    /// (references may come before their definition).</summary>
    private void CollectDefinitions(Block block)
    {
        for (var index = 0; index < block.Children.Count; index++)
        {
            var child = block.Children[index];
            if (child.IsContainer) { CollectDefinitions(child); continue; }
            if (child.Kind != BlockKind.Paragraph || child.Lines.Count == 0 || _src.Text[child.Lines[0].Start] != '[') continue;
            var definitions = DefinitionParser.Parse(_src, child.Lines, out var consumedLines);
            if (definitions.Count == 0) continue;
            foreach (var definition in definitions) _definitions.TryAdd(definition.Identifier!, definition);
            var nodes = definitions.Select(d => new Block(BlockKind.FlowMdx, block, d.Position!.Value.Start.Offset)
            {
                Open = false, End = d.Position!.Value.End.Offset, Items = [new DefinitionItem(d)],
            }).ToList();
            child.Lines.RemoveRange(0, consumedLines);
            if (child.Lines.Count > 0)
            {
                // What remains starts at the content of its first line.
                var (start, end) = child.Lines[0];
                while (start < end && _src.Text[start] is ' ' or '\t') start++;
                child.Lines[0] = (start, end);
                child.Start = start;
            }
            else if (child.Setext)
            {
                // A setext underline below only definitions is a paragraph of its own; keep it simple: drop.
                child.Setext = false;
            }
            block.Children.InsertRange(index, nodes);
            index += nodes.Count;
        }
    }
}

/// <summary>A link reference definition carried through the flow items of a synthetic block.</summary>
internal sealed record DefinitionItem(MdNode Definition) : FlowItem;
