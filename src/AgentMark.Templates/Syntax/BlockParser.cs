using Acornima;
using Acornima.Ast;

namespace AgentMark.Templates.Syntax;

/// <summary>
/// Block structure of an MDX document, line by line (the CommonMark container/leaf algorithm) with
/// the MDX changes micromark makes: no indented code, no HTML blocks, flow JSX tags and flow
/// expressions that may span lines, and top-level ESM. Inline content is parsed later.
/// </summary>
internal sealed class BlockParser
{
    private const int MaxNesting = 256;

    private readonly SourceText _src;
    private readonly Block _doc;
    private readonly List<int> _pendingBlankLines = [];
    private int _lastLine;

    public BlockParser(SourceText source)
    {
        _src = source;
        _doc = new Block(BlockKind.Document, null, 0);
    }

    public Block Parse()
    {
        var li = 0;
        var lineCount = _src.LineCount;
        // A final line ending does not start another (empty) line.
        _lastLine = lineCount > 1 && _src.LineStart(lineCount - 1) == _src.Length ? lineCount - 2 : lineCount - 1;
        if (TryFrontmatter(out var yaml, out var next))
        {
            _doc.Children.Add(yaml!);
            li = next;
        }
        for (; li <= _lastLine; li++) li = ProcessLine(li);
        CloseDescendants(_doc);
        _doc.End = _src.Length;
        return _doc;
    }

    // ---- frontmatter ----------------------------------------------------------------------

    private bool TryFrontmatter(out Block? yaml, out int nextLine)
    {
        yaml = null;
        nextLine = 0;
        if (!IsFence(0)) return false;
        for (var li = 1; li <= _lastLine; li++)
        {
            if (!IsFence(li)) continue;
            var valueStart = _src.NextLineStart(0);
            var valueEnd = li == 1 ? valueStart : _src.LineEnd(li - 1);
            yaml = new Block(BlockKind.Yaml, _doc, 0) { Value = _src.Text[valueStart..Math.Max(valueStart, valueEnd)], End = _src.LineEnd(li), Open = false };
            nextLine = li + 1;
            return true;
        }
        return false;

        bool IsFence(int line)
        {
            var start = _src.LineStart(line);
            var end = _src.LineEnd(line);
            if (end - start < 3 || string.CompareOrdinal(_src.Text, start, "---", 0, 3) != 0) return false;
            for (var i = start + 3; i < end; i++) if (_src.Text[i] is not (' ' or '\t')) return false;
            return true;
        }
    }

    // ---- line processing -------------------------------------------------------------------

    private int ProcessLine(int li)
    {
        var text = _src.Text;
        var lineStart = _src.LineStart(li);
        var lineEnd = _src.LineEnd(li);
        var pos = lineStart;
        var col = 0;

        var container = _doc;
        var chain = new List<Block> { _doc };
        var allMatched = true;
        while (container.LastChild is { Open: true, IsContainer: true } child)
        {
            if (child.Kind != BlockKind.List && !TryContinue(child, ref pos, ref col, lineEnd))
            {
                allMatched = false;
                break;
            }
            container = child;
            chain.Add(child);
        }
        var lastMatched = container;
        var matchedCount = chain.Count;
        var tip = DeepestOpen();

        if (tip.Kind == BlockKind.Code && tip.Parent == lastMatched)
        {
            var (ns, _) = SkipSpaces(pos, col, lineEnd);
            if (IsClosingFence(tip, ns, lineEnd))
            {
                tip.Closed = true;
                tip.End = TrimEnd(ns, lineEnd);
                Close(tip);
            }
            else
            {
                var p = pos;
                for (var n = 0; n < tip.FenceIndent && p < lineEnd && text[p] == ' '; n++) p++;
                tip.Lines.Add((p, lineEnd));
                tip.End = lineEnd;
            }
            return li;
        }

        var startedContainer = false;
        var lastLine = li;
        while (true)
        {
            if (chain.Count > MaxNesting)
                throw new TemplateSyntaxException($"Blocks nested deeper than {MaxNesting} levels", _src.Span(pos, pos));
            var (ns, nsCol) = SkipSpaces(pos, col, lineEnd);
            if (ns >= lineEnd) break;
            var ch = text[ns];
            var paragraphOpen = tip is { Kind: BlockKind.Paragraph, Open: true } && tip.Parent == container;

            if (ch == '>')
            {
                CloseUnmatched(lastMatched);
                container = AddChild(container, BlockKind.BlockQuote, ns);
                pos = ns + 1;
                col = nsCol + 1;
                if (pos < lineEnd && text[pos] is ' ' or '\t') { pos++; col++; }
                chain.Add(container);
                lastMatched = container;
                startedContainer = true;
                tip = container;
                continue;
            }
            if (ch == '#' && TryAtxHeading(ns, lineEnd, out var depth, out var contentStart, out var contentEnd))
            {
                CloseUnmatched(lastMatched);
                var heading = AddChild(container, BlockKind.Heading, ns);
                heading.HeadingDepth = depth;
                if (contentEnd > contentStart) heading.Lines.Add((contentStart, contentEnd));
                heading.End = lineEnd;
                Close(heading);
                AttributeBlankLines(chain, matchedCount);
                return li;
            }
            if (ch is '`' or '~' && TryFenceOpen(ns, lineEnd, out var fenceLength, out var info))
            {
                CloseUnmatched(lastMatched);
                var code = AddChild(container, BlockKind.Code, ns);
                code.FenceChar = ch;
                code.FenceLength = fenceLength;
                code.FenceIndent = nsCol - col;
                code.Info = info;
                code.End = TrimEnd(ns, lineEnd);
                AttributeBlankLines(chain, matchedCount);
                return li;
            }
            if (paragraphOpen && ch is '=' or '-' && allMatched && IsSetextUnderline(ns, lineEnd))
            {
                tip.Kind2Heading(ch == '=' ? 1 : 2);
                tip.End = TrimEnd(ns, lineEnd);
                Close(tip);
                return li;
            }
            if (ch is '*' or '-' or '_' && IsThematicBreak(ns, lineEnd))
            {
                CloseUnmatched(lastMatched);
                var rule = AddChild(container, BlockKind.ThematicBreak, ns);
                rule.End = TrimEnd(ns, lineEnd);
                Close(rule);
                AttributeBlankLines(chain, matchedCount);
                return li;
            }
            if (TryListMarker(ns, nsCol, lineEnd, paragraphOpen, out var marker))
            {
                CloseUnmatched(lastMatched);
                if (!(container.Kind == BlockKind.List && container.Open && container.Ordered == marker.Ordered && container.ListMarker == marker.Char))
                {
                    if (container.Kind == BlockKind.List) { Close(container); container = container.Parent!; }
                    var list = AddChild(container, BlockKind.List, ns);
                    list.Ordered = marker.Ordered;
                    list.ListMarker = marker.Char;
                    list.ListStart = marker.Start;
                    container = list;
                    chain.Add(list);
                }
                var item = AddChild(container, BlockKind.ListItem, ns);
                item.ContentColumn = marker.ContentColumn;
                item.InitialBlankLine = marker.Blank;
                item.End = marker.MarkerEnd;
                pos = marker.ContentStart;
                col = marker.ContentColumn;
                container = item;
                chain.Add(item);
                lastMatched = item;
                startedContainer = true;
                tip = item;
                continue;
            }
            if (container == _doc && ns == lineStart && !paragraphOpen && ch is 'i' or 'e' && StartsEsm(ns, lineEnd))
            {
                CloseUnmatched(lastMatched);
                lastLine = AddEsm(li, ns);
                AttributeBlankLines(chain, matchedCount);
                return lastLine;
            }
            if (ch is '<' or '{')
            {
                var flow = TryFlowMdx(li, ns, chain);
                if (flow is not null)
                {
                    CloseUnmatched(lastMatched);
                    var block = AddChild(container, BlockKind.FlowMdx, ns);
                    block.Items = flow.Value.Items;
                    block.End = flow.Value.End;
                    Close(block);
                    AttributeBlankLines(chain, matchedCount);
                    return flow.Value.LastLine;
                }
            }
            break;
        }

        var (first, _) = SkipSpaces(pos, col, lineEnd);
        if (first >= lineEnd)
        {
            // Blank line: closes paragraphs and anything that did not continue.
            CloseUnmatched(lastMatched);
            var deepest = DeepestOpen();
            if (deepest.Kind == BlockKind.Paragraph) Close(deepest);
            if (!startedContainer) _pendingBlankLines.Add(lineStart);
            return li;
        }

        if (!startedContainer && tip is { Kind: BlockKind.Paragraph, Open: true } && (tip.Parent == container || !allMatched))
        {
            tip.Lines.Add((pos, lineEnd));
            tip.End = lineEnd;
            AttributeBlankLines(chain, matchedCount);
            return li;
        }

        CloseUnmatched(lastMatched);
        var paragraph = AddChild(container, BlockKind.Paragraph, first);
        paragraph.Lines.Add((first, lineEnd));
        paragraph.End = lineEnd;
        AttributeBlankLines(chain, matchedCount);
        return li;
    }

    /// <summary>Blank lines before this line belong to the deepest container that continued through it
    /// (containers that closed end before them). They make a list item, or a list, spread.</summary>
    private void AttributeBlankLines(List<Block> chain, int matchedCount)
    {
        if (_pendingBlankLines.Count == 0) return;
        _pendingBlankLines.Clear();
        for (var i = matchedCount - 1; i >= 0; i--)
        {
            var block = chain[i];
            if (!block.Open) continue;
            if (block.Kind is BlockKind.ListItem or BlockKind.List) block.Spread = true;
            return;
        }
    }

    private bool TryContinue(Block block, ref int pos, ref int col, int lineEnd)
    {
        var (ns, nsCol) = SkipSpaces(pos, col, lineEnd);
        switch (block.Kind)
        {
            case BlockKind.BlockQuote:
                if (ns < lineEnd && _src.Text[ns] == '>')
                {
                    pos = ns + 1;
                    col = nsCol + 1;
                    if (pos < lineEnd && _src.Text[pos] is ' ' or '\t') { pos++; col++; }
                    return true;
                }
                return false;
            case BlockKind.ListItem:
                if (ns >= lineEnd)
                {
                    block.FurtherBlankLines = block.FurtherBlankLines || block.InitialBlankLine;
                    ConsumeColumns(ref pos, ref col, lineEnd, block.ContentColumn);
                    return true;
                }
                var further = block.FurtherBlankLines;
                block.FurtherBlankLines = false;
                block.InitialBlankLine = false;
                if (further || nsCol < block.ContentColumn) return false;
                ConsumeColumns(ref pos, ref col, lineEnd, block.ContentColumn);
                return true;
            default:
                return false;
        }
    }

    private void ConsumeColumns(ref int pos, ref int col, int lineEnd, int targetColumn)
    {
        while (pos < lineEnd && col < targetColumn && _src.Text[pos] is ' ' or '\t')
        {
            col = _src.Text[pos] == '\t' ? col + 4 - col % 4 : col + 1;
            pos++;
        }
    }

    /// <summary>Where the content of line <paramref name="li"/> starts inside <paramref name="chain"/>'s
    /// containers, or null when the line does not continue them (a lazy line).</summary>
    private (int Start, int End)? ContinuationContent(int li, List<Block> chain)
    {
        if (li > _lastLine) return null;
        var pos = _src.LineStart(li);
        var lineEnd = _src.LineEnd(li);
        var col = 0;
        foreach (var block in chain)
        {
            var (ns, nsCol) = SkipSpaces(pos, col, lineEnd);
            switch (block.Kind)
            {
                case BlockKind.BlockQuote:
                    if (ns >= lineEnd || _src.Text[ns] != '>') return null;
                    pos = ns + 1;
                    col = nsCol + 1;
                    if (pos < lineEnd && _src.Text[pos] is ' ' or '\t') { pos++; col++; }
                    break;
                case BlockKind.ListItem:
                    if (ns < lineEnd && nsCol < block.ContentColumn) return null;
                    ConsumeColumns(ref pos, ref col, lineEnd, block.ContentColumn);
                    break;
            }
        }
        return (pos, lineEnd);
    }

    private (List<FlowItem> Items, int End, int LastLine)? TryFlowMdx(int li, int start, List<Block> chain)
    {
        var containers = chain.ToList();
        var text = SegmentedText.Growing(_src, li, start, next => ContinuationContent(next, containers));
        var items = new List<FlowItem>();
        var i = 0;
        while (true)
        {
            var c = text.At(i);
            if (c == '<')
            {
                var tag = JsxTagScanner.Scan(text, i, allowLazy: false);
                if (tag is null) return null;
                items.Add(new FlowTagItem(tag));
                i = tag.EndIndex;
            }
            else if (c == '{')
            {
                var expression = ExpressionScanner.Scan(text, i, allowLazy: false);
                var span = _src.Span(text.SourceOffset(i), text.SourceEndOffset(expression.End));
                items.Add(new FlowExpressionItem(expression, span));
                i = expression.End;
            }
            else return null;
            var end = text.SourceEndOffset(i);
            while (text.At(i) is ' ' or '\t') i++;
            c = text.At(i);
            if (c < 0 || (c == '\n' && text.IsSeparator(i)))
                return (items, end, _src.LineIndexOf(end));
            // After a tag another tag or an expression may follow; after an expression only a tag.
            if (c != '<' && !(c == '{' && items[^1] is FlowTagItem)) return null;
        }
    }

    // ---- ESM ----------------------------------------------------------------------------------

    private bool StartsEsm(int ns, int lineEnd)
    {
        foreach (var word in (ReadOnlySpan<string>)["import ", "export "])
            if (lineEnd - ns >= word.Length && string.CompareOrdinal(_src.Text, ns, word, 0, word.Length) == 0) return true;
        return false;
    }

    private int AddEsm(int li, int start)
    {
        var last = li;
        while (true)
        {
            while (last + 1 <= _lastLine && !IsBlank(last + 1)) last++;
            var end = _src.LineEnd(last);
            var value = _src.Text[start..end];
            try
            {
                var module = new Parser(new ParserOptions { EcmaVersion = EcmaVersion.Latest }).ParseModule(value);
                var statements = new List<EsmStatement>();
                foreach (var statement in module.Body)
                {
                    switch (statement)
                    {
                        case ImportDeclaration import:
                            string? defaultName = null;
                            var other = false;
                            foreach (var specifier in import.Specifiers)
                            {
                                if (specifier is ImportDefaultSpecifier d) defaultName = d.Local.Name;
                                else other = true;
                            }
                            statements.Add(new EsmStatement(true, defaultName, other, import.Source.Value));
                            break;
                        case ExportAllDeclaration or ExportDefaultDeclaration or ExportNamedDeclaration:
                            statements.Add(new EsmStatement(false, null, false, null));
                            break;
                        default:
                            var at = _src.Point(start + statement.Start);
                            throw new TemplateSyntaxException($"Unexpected `{statement.Type}` in code: only import/exports are supported", new SourceSpan(at, at));
                    }
                }
                var esm = AddChild(_doc, BlockKind.Esm, start);
                esm.Value = value;
                esm.Esm = new EsmModule(statements);
                esm.End = end;
                Close(esm);
                return last;
            }
            catch (ParseErrorException error)
            {
                // Like the reference: an error at the very end may just mean the statement goes on after a blank line.
                if (error.Error.Index >= value.Length && last + 1 <= _lastLine)
                {
                    last++;
                    continue;
                }
                var at = _src.Point(start + Math.Min(error.Error.Index, value.Length));
                throw new TemplateSyntaxException("Could not parse import/exports with acorn", new SourceSpan(at, at));
            }
        }
    }

    private bool IsBlank(int li)
    {
        for (var i = _src.LineStart(li); i < _src.LineEnd(li); i++) if (_src.Text[i] is not (' ' or '\t')) return false;
        return true;
    }

    // ---- leaf recognisers ---------------------------------------------------------------------

    private bool TryAtxHeading(int ns, int lineEnd, out int depth, out int contentStart, out int contentEnd)
    {
        var t = _src.Text;
        var p = ns;
        while (p < lineEnd && t[p] == '#') p++;
        depth = p - ns;
        contentStart = contentEnd = p;
        if (depth is < 1 or > 6 || (p < lineEnd && t[p] is not (' ' or '\t'))) return false;
        while (p < lineEnd && t[p] is ' ' or '\t') p++;
        contentStart = p;
        var e = lineEnd;
        while (e > contentStart && t[e - 1] is ' ' or '\t') e--;
        // Optional closing sequence, preceded by whitespace.
        var hashes = e;
        while (hashes > contentStart && t[hashes - 1] == '#') hashes--;
        if (hashes < e && (hashes == contentStart || t[hashes - 1] is ' ' or '\t'))
        {
            e = hashes;
            while (e > contentStart && t[e - 1] is ' ' or '\t') e--;
        }
        contentEnd = e;
        return true;
    }

    private bool TryFenceOpen(int ns, int lineEnd, out int length, out string? info)
    {
        var t = _src.Text;
        var ch = t[ns];
        var p = ns;
        while (p < lineEnd && t[p] == ch) p++;
        length = p - ns;
        info = null;
        if (length < 3) return false;
        var rest = t[p..lineEnd].Trim(' ', '\t');
        if (ch == '`' && rest.Contains('`')) return false;
        info = rest.Length == 0 ? null : rest;
        return true;
    }

    private bool IsClosingFence(Block code, int ns, int lineEnd)
    {
        var t = _src.Text;
        var p = ns;
        while (p < lineEnd && t[p] == code.FenceChar) p++;
        if (p - ns < code.FenceLength) return false;
        while (p < lineEnd && t[p] is ' ' or '\t') p++;
        return p == lineEnd;
    }

    private bool IsSetextUnderline(int ns, int lineEnd)
    {
        var t = _src.Text;
        var ch = t[ns];
        var p = ns;
        while (p < lineEnd && t[p] == ch) p++;
        while (p < lineEnd && t[p] is ' ' or '\t') p++;
        return p == lineEnd;
    }

    private bool IsThematicBreak(int ns, int lineEnd)
    {
        var t = _src.Text;
        var ch = t[ns];
        var count = 0;
        for (var p = ns; p < lineEnd; p++)
        {
            if (t[p] == ch) count++;
            else if (t[p] is not (' ' or '\t')) return false;
        }
        return count >= 3;
    }

    private readonly record struct ListMarker(bool Ordered, char Char, int Start, int MarkerEnd, int ContentStart, int ContentColumn, bool Blank);

    private bool TryListMarker(int ns, int nsCol, int lineEnd, bool interruptsParagraph, out ListMarker marker)
    {
        marker = default;
        var t = _src.Text;
        var p = ns;
        var ordered = false;
        var number = 0;
        char ch;
        if (t[p] is '*' or '-' or '+')
        {
            ch = t[p];
            p++;
        }
        else
        {
            while (p < lineEnd && char.IsAsciiDigit(t[p]) && p - ns < 10) p++;
            if (p == ns || p - ns > 9 || p >= lineEnd || t[p] is not ('.' or ')')) return false;
            number = int.Parse(t.AsSpan(ns, p - ns));
            ch = t[p];
            p++;
            ordered = true;
        }
        var markerEnd = p;
        if (p < lineEnd && t[p] is not (' ' or '\t')) return false;
        var col = nsCol + (markerEnd - ns);
        var q = p;
        var qCol = col;
        while (q < lineEnd && t[q] is ' ' or '\t')
        {
            qCol = t[q] == '\t' ? qCol + 4 - qCol % 4 : qCol + 1;
            q++;
        }
        var blank = q >= lineEnd;
        if (interruptsParagraph && (blank || (ordered && number != 1))) return false;
        var contentColumn = blank ? col + 1 : qCol;
        marker = new ListMarker(ordered, ch, number, markerEnd, blank ? lineEnd : q, contentColumn, blank);
        return true;
    }

    // ---- tree maintenance ---------------------------------------------------------------------

    private (int Pos, int Col) SkipSpaces(int pos, int col, int lineEnd)
    {
        while (pos < lineEnd && _src.Text[pos] is ' ' or '\t')
        {
            col = _src.Text[pos] == '\t' ? col + 4 - col % 4 : col + 1;
            pos++;
        }
        return (pos, col);
    }

    private int TrimEnd(int start, int end)
    {
        while (end > start && _src.Text[end - 1] is ' ' or '\t') end--;
        return end;
    }

    private Block DeepestOpen()
    {
        var block = _doc;
        while (block.LastChild is { Open: true } child) block = child;
        return block;
    }

    private Block AddChild(Block container, BlockKind kind, int start)
    {
        while (!CanContain(container, kind))
        {
            Close(container);
            container = container.Parent!;
        }
        if (container.LastChild is { Open: true } previous) CloseTree(previous);
        var block = new Block(kind, container, start) { End = start };
        container.Children.Add(block);
        return block;
    }

    private static bool CanContain(Block container, BlockKind kind) => container.Kind switch
    {
        BlockKind.List => kind == BlockKind.ListItem,
        BlockKind.Document or BlockKind.BlockQuote or BlockKind.ListItem => kind != BlockKind.ListItem,
        _ => false,
    };

    /// <summary>Closes every open block below <paramref name="lastMatched"/>.</summary>
    private void CloseUnmatched(Block lastMatched)
    {
        if (lastMatched.LastChild is { Open: true } child) CloseTree(child);
    }

    private void CloseDescendants(Block block)
    {
        if (block.LastChild is { Open: true } child) CloseTree(child);
    }

    private void CloseTree(Block block)
    {
        if (block.LastChild is { Open: true } child) CloseTree(child);
        Close(block);
    }

    private static void Close(Block block)
    {
        if (!block.Open) return;
        block.Open = false;
        if (block.IsContainer && block.Children.Count > 0) block.End = Math.Max(block.End, block.Children[^1].End);
    }
}

internal static class BlockExtensions
{
    /// <summary>A paragraph followed by a setext underline becomes a heading (same lines).</summary>
    public static void Kind2Heading(this Block paragraph, int depth)
    {
        paragraph.HeadingDepth = depth;
        paragraph.Setext = true;
    }
}
