using System.Text;

namespace AgentMark.Templates.Syntax;

/// <summary>An inline item before the mdast is built: text, a finished node, a JSX tag, a container
/// (emphasis, strong, link, image and references) or a pending delimiter/bracket.</summary>
internal sealed class Inline
{
    public InlineKind Kind;
    public string Text = "";
    public int Start;   // source offsets
    public int End;
    public MdNode? Node;         // leaf nodes and containers
    public List<Inline>? Children;
    public JsxTag? Tag;
    // delimiter runs
    public char DelimiterChar;
    public int Count;
    public int OriginalCount;
    public bool CanOpen;
    public bool CanClose;
    // brackets
    public bool IsImage;
    public bool Active = true;
    public int TextIndex;        // index in the segmented text just after the bracket
}

internal enum InlineKind { Text, Leaf, Tag, Container, Delimiter, Bracket }

/// <summary>
/// CommonMark inline parsing (escapes, character references, code spans, emphasis with the
/// delimiter algorithm, links, images and references, hard breaks) plus MDX text expressions and
/// JSX text tags, over the lines of one paragraph or heading.
/// </summary>
internal sealed class InlineParser
{
    private readonly SegmentedText _text;
    private readonly SourceText _src;
    private readonly IReadOnlyDictionary<string, MdNode> _definitions;
    private readonly List<Inline> _items = [];
    private readonly List<int> _brackets = [];
    private readonly StringBuilder _pending = new();
    private int _pendingStart = -1;
    private int _pendingEnd;

    // Past these, further `*`/`_` runs and `[` are plain text: no real prompt comes near them, and
    // they keep adversarial paragraphs (hundreds of thousands of markers) linear and small.
    private const int MaxDelimiterRuns = 20_000;
    private const int MaxOpenBrackets = 5_000;
    private int _delimiterRuns;

    private InlineParser(SegmentedText text, IReadOnlyDictionary<string, MdNode> definitions)
    {
        _text = text;
        _src = text.Source;
        _definitions = definitions;
    }

    public static List<Inline> Parse(SegmentedText text, IReadOnlyDictionary<string, MdNode> definitions)
    {
        var parser = new InlineParser(text, definitions);
        parser.Run();
        return parser._items;
    }

    private int Offset(int index) => _text.SourceOffset(index);

    private void AddText(string value, int start, int end)
    {
        if (_pendingStart < 0) _pendingStart = start;
        _pending.Append(value);
        _pendingEnd = end;
    }

    private void FlushText()
    {
        if (_pendingStart < 0) return;
        _items.Add(new Inline { Kind = InlineKind.Text, Text = _pending.ToString(), Start = _pendingStart, End = _pendingEnd });
        _pending.Clear();
        _pendingStart = -1;
    }

    private void Add(Inline item)
    {
        FlushText();
        _items.Add(item);
    }

    private void Run()
    {
        var i = 0;
        // Leading whitespace of the first line is not content.
        while (_text.At(i) is ' ' or '\t') i++;
        while (true)
        {
            var c = _text.At(i);
            if (c < 0) break;
            switch (c)
            {
                case '\n' when _text.IsSeparator(i):
                    i = LineEnding(i);
                    continue;
                case '\\':
                    i = Backslash(i);
                    continue;
                case '`':
                    i = CodeSpan(i);
                    continue;
                case '&':
                    i = Reference(i);
                    continue;
                case '*' or '_' when _delimiterRuns < MaxDelimiterRuns:
                    _delimiterRuns++;
                    i = DelimiterRun(i, (char)c);
                    continue;
                case '[' when _brackets.Count < MaxOpenBrackets:
                    Add(new Inline { Kind = InlineKind.Bracket, Text = "[", Start = Offset(i), End = Offset(i) + 1, TextIndex = i + 1 });
                    _brackets.Add(_items.Count - 1);
                    i++;
                    continue;
                case '!' when _text.At(i + 1) == '[' && _brackets.Count < MaxOpenBrackets:
                    Add(new Inline { Kind = InlineKind.Bracket, Text = "![", IsImage = true, Start = Offset(i), End = Offset(i) + 2, TextIndex = i + 2 });
                    _brackets.Add(_items.Count - 1);
                    i += 2;
                    continue;
                case ']':
                    i = CloseBracket(i);
                    continue;
                case '<':
                {
                    var tag = JsxTagScanner.Scan(_text, i, allowLazy: true);
                    if (tag is null) break;
                    Add(new Inline { Kind = InlineKind.Tag, Tag = tag, Start = tag.Span.Start.Offset, End = tag.Span.End.Offset });
                    i = tag.EndIndex;
                    continue;
                }
                case '{':
                {
                    var expression = ExpressionScanner.Scan(_text, i, allowLazy: true);
                    var span = _src.Span(Offset(i), _text.SourceEndOffset(expression.End));
                    var node = new MdNode(NodeTypes.MdxTextExpression) { Value = expression.Value, Estree = expression.Estree, EstreePoints = _src.Point, Position = span };
                    Add(new Inline { Kind = InlineKind.Leaf, Node = node, Start = span.Start.Offset, End = span.End.Offset });
                    i = expression.End;
                    continue;
                }
            }
            if (_pendingStart < 0) _pendingStart = Offset(i);
            _pending.Append((char)c);
            _pendingEnd = Offset(i) + 1;
            i++;
        }
        FlushText();
        ProcessEmphasis(_items, 0);
        TrimTrailingWhitespace();
    }

    /// <summary>Trailing spaces at the end of the content are not part of the last text.</summary>
    private void TrimTrailingWhitespace()
    {
        if (_items.Count == 0 || _items[^1].Kind != InlineKind.Text) return;
        var last = _items[^1];
        var trimmed = last.Text.TrimEnd(' ', '\t');
        if (trimmed.Length == last.Text.Length) return;
        if (trimmed.Length == 0) { _items.RemoveAt(_items.Count - 1); return; }
        last.End -= last.Text.Length - trimmed.Length;
        last.Text = trimmed;
    }

    private int LineEnding(int i)
    {
        // Count trailing spaces of the text so far on this line.
        var spaces = 0;
        for (var k = _pending.Length - 1; k >= 0 && _pending[k] == ' '; k--) spaces++;
        var tabs = 0;
        for (var k = _pending.Length - 1; k >= 0 && _pending[k] is ' ' or '\t'; k--) tabs++;
        var next = i + 1;
        while (_text.At(next) is ' ' or '\t') next++;
        if (spaces >= 2)
        {
            var breakStart = _pendingEnd - tabs;
            _pending.Length -= tabs;
            _pendingEnd -= tabs;
            if (_pending.Length == 0) { _pendingStart = -1; }
            var node = new MdNode(NodeTypes.Break) { Position = _src.Span(breakStart, Offset(i + 1)) };
            Add(new Inline { Kind = InlineKind.Leaf, Node = node, Start = breakStart, End = Offset(i + 1) });
            return next;
        }
        if (tabs > 0)
        {
            _pending.Length -= tabs;
            _pendingEnd -= tabs;
            if (_pending.Length == 0) _pendingStart = -1;
        }
        // A soft line break stays in the text, with the source's own line ending.
        var ending = _text.LineEnding(i);
        if (_pendingStart < 0) _pendingStart = Offset(i);
        _pending.Append(ending);
        _pendingEnd = Offset(i) + ending.Length;
        return next;
    }

    private int Backslash(int i)
    {
        var next = _text.At(i + 1);
        if (next == '\n' && _text.IsSeparator(i + 1))
        {
            var node = new MdNode(NodeTypes.Break) { Position = _src.Span(Offset(i), Offset(i + 2)) };
            Add(new Inline { Kind = InlineKind.Leaf, Node = node, Start = Offset(i), End = Offset(i + 2) });
            var p = i + 2;
            while (_text.At(p) is ' ' or '\t') p++;
            return p;
        }
        if (next >= 0 && next < 128 && Ascii.IsPunctuation((char)next))
        {
            AddText(((char)next).ToString(), Offset(i), Offset(i) + 2);
            return i + 2;
        }
        AddText("\\", Offset(i), Offset(i) + 1);
        return i + 1;
    }

    private int Reference(int i)
    {
        // Read a candidate `&…;` from the text (references never span lines).
        var sb = new StringBuilder();
        for (var k = i; k < i + 40; k++)
        {
            var c = _text.At(k);
            if (c < 0 || c == '\n') break;
            sb.Append((char)c);
            if (c == ';') break;
        }
        var candidate = sb.ToString();
        if (Entities.TryDecodeAt(candidate, 0, out var decoded, out var length))
        {
            AddText(decoded, Offset(i), Offset(i) + length);
            return i + length;
        }
        AddText("&", Offset(i), Offset(i) + 1);
        return i + 1;
    }

    // Backtick run lengths known to have no closing run further on (keeps many openers linear).
    private readonly HashSet<int> _unclosedRunLengths = [];

    private int CodeSpan(int i)
    {
        var runEnd = i;
        while (_text.At(runEnd) == '`') runEnd++;
        var length = runEnd - i;
        if (_unclosedRunLengths.Contains(length))
        {
            AddText(new string('`', length), Offset(i), Offset(i) + length);
            return runEnd;
        }
        // Find a closing run of the same length.
        var k = runEnd;
        while (true)
        {
            var c = _text.At(k);
            if (c < 0)
            {
                _unclosedRunLengths.Add(length);
                AddText(new string('`', length), Offset(i), Offset(i) + length);
                return runEnd;
            }
            if (c == '`')
            {
                var closeStart = k;
                while (_text.At(k) == '`') k++;
                if (k - closeStart != length) continue;
                var content = new StringBuilder();
                for (var p = runEnd; p < closeStart; p++)
                    content.Append(_text.IsSeparator(p) ? _text.LineEnding(p) : (char)_text.At(p));
                var value = content.ToString();
                if (value.Length >= 2 && IsPad(value[0]) && IsPad(value[^1]) && value.Any(ch => !IsPad(ch)))
                    value = value[(value[0] == '\r' && value.Length > 2 && value[1] == '\n' ? 2 : 1)..^1];
                var node = new MdNode(NodeTypes.InlineCode) { Value = value, Position = _src.Span(Offset(i), Offset(k - 1) + 1) };
                Add(new Inline { Kind = InlineKind.Leaf, Node = node, Start = Offset(i), End = Offset(k - 1) + 1 });
                return k;
            }
            k++;
        }
        static bool IsPad(char ch) => ch is ' ' or '\n' or '\r';
    }

    private int DelimiterRun(int i, char ch)
    {
        var end = i;
        while (_text.At(end) == ch) end++;
        var before = i > 0 ? _text.At(i - 1) : '\n';
        var after = _text.At(end);
        if (after < 0) after = '\n';
        var beforeWhite = IsWhitespace(before);
        var afterWhite = IsWhitespace(after);
        var beforePunct = IsPunctuation(before);
        var afterPunct = IsPunctuation(after);
        var left = !afterWhite && (!afterPunct || beforeWhite || beforePunct);
        var right = !beforeWhite && (!beforePunct || afterWhite || afterPunct);
        bool canOpen, canClose;
        if (ch == '*') { canOpen = left; canClose = right; }
        else
        {
            canOpen = left && (!right || beforePunct);
            canClose = right && (!left || afterPunct);
        }
        var count = end - i;
        Add(new Inline
        {
            Kind = InlineKind.Delimiter, DelimiterChar = ch, Count = count, OriginalCount = count,
            CanOpen = canOpen, CanClose = canClose, Start = Offset(i), End = Offset(i) + count, Text = new string(ch, count),
        });
        return end;
    }

    private static bool IsWhitespace(int c) => c is ' ' or '\t' or '\n' or '\r' or '\f' || (c > 127 && char.IsWhiteSpace((char)c));

    private static bool IsPunctuation(int c) =>
        c >= 0 && (c < 128 ? Ascii.IsPunctuation((char)c) || char.IsSymbol((char)c) : char.IsPunctuation((char)c) || char.IsSymbol((char)c));

    // ---- links ------------------------------------------------------------------------------

    private int CloseBracket(int i)
    {
        FlushText();
        if (_brackets.Count == 0)
        {
            AddText("]", Offset(i), Offset(i) + 1);
            return i + 1;
        }
        var openerIndex = _brackets[^1];
        var opener = _items[openerIndex];
        if (!opener.Active)
        {
            _brackets.RemoveAt(_brackets.Count - 1);
            ConvertToText(opener);
            AddText("]", Offset(i), Offset(i) + 1);
            return i + 1;
        }
        var after = i + 1;
        MdNode? node = null;
        var endIndex = after;
        if (_text.At(after) == '(' && TryInlineResource(after, out var url, out var title, out var resourceEnd))
        {
            node = new MdNode(opener.IsImage ? NodeTypes.Image : NodeTypes.Link) { Url = url, Title = title };
            endIndex = resourceEnd;
        }
        else
        {
            var rawLabel = _text.Slice(opener.TextIndex, Math.Min(i, _text.Length)).Replace('\n', '\n');
            string? referenceLabel = null;
            var referenceType = "shortcut";
            if (_text.At(after) == '[' && TryLabel(after, out var label, out var labelEnd))
            {
                if (label.Length == 0)
                {
                    referenceLabel = rawLabel;
                    referenceType = "collapsed";
                }
                else
                {
                    referenceLabel = label;
                    referenceType = "full";
                }
                if (_definitions.ContainsKey(NormalizeIdentifier(referenceLabel))) endIndex = labelEnd;
                else referenceLabel = null;
            }
            else if (_definitions.ContainsKey(NormalizeIdentifier(rawLabel))) referenceLabel = rawLabel;
            if (referenceLabel is not null)
            {
                node = new MdNode(opener.IsImage ? NodeTypes.ImageReference : NodeTypes.LinkReference)
                {
                    Identifier = NormalizeIdentifier(referenceLabel), Label = referenceLabel, ReferenceType = referenceType,
                };
            }
        }
        if (node is null)
        {
            _brackets.RemoveAt(_brackets.Count - 1);
            ConvertToText(opener);
            AddText("]", Offset(i), Offset(i) + 1);
            return i + 1;
        }

        var children = _items.GetRange(openerIndex + 1, _items.Count - openerIndex - 1);
        _items.RemoveRange(openerIndex, _items.Count - openerIndex);
        ProcessEmphasis(children, 0);
        foreach (var child in children) if (child.Kind is InlineKind.Delimiter or InlineKind.Bracket) ConvertToText(child);
        var start = opener.Start;
        var end = _text.SourceEndOffset(endIndex);
        node.Position = _src.Span(start, end);
        _brackets.RemoveAt(_brackets.Count - 1);
        if (!opener.IsImage)
        {
            // No links inside links.
            foreach (var index in _brackets) if (!_items[index].IsImage) _items[index].Active = false;
        }
        else
        {
            node.Alt = PlainText(children);
        }
        _items.Add(new Inline { Kind = InlineKind.Container, Node = node, Children = opener.IsImage ? [] : children, Start = start, End = end });
        return endIndex;
    }

    private static string PlainText(List<Inline> items)
    {
        var sb = new StringBuilder();
        foreach (var item in items)
        {
            switch (item.Kind)
            {
                case InlineKind.Text or InlineKind.Delimiter or InlineKind.Bracket: sb.Append(item.Text); break;
                case InlineKind.Leaf when item.Node!.Type is NodeTypes.InlineCode or NodeTypes.MdxTextExpression: sb.Append(item.Node.Value); break;
                case InlineKind.Container when item.Node!.Type is NodeTypes.Image or NodeTypes.ImageReference: sb.Append(item.Node.Alt); break;
                case InlineKind.Container: sb.Append(PlainText(item.Children!)); break;
            }
        }
        return sb.ToString();
    }

    private static void ConvertToText(Inline item)
    {
        item.Kind = InlineKind.Text;
        if (item.DelimiterChar != 0) item.Text = new string(item.DelimiterChar, item.Count);
    }

    public static string NormalizeIdentifier(string label)
    {
        var sb = new StringBuilder();
        var space = false;
        foreach (var c in label.Trim(' ', '\t', '\n', '\r'))
        {
            if (c is ' ' or '\t' or '\n' or '\r') { space = true; continue; }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(c);
        }
        return sb.ToString().ToLowerInvariant().ToUpperInvariant().ToLowerInvariant();
    }

    private bool TryLabel(int i, out string label, out int end)
    {
        label = "";
        end = i;
        var sb = new StringBuilder();
        var k = i + 1;
        while (true)
        {
            var c = _text.At(k);
            if (c < 0 || c == '[' || k - i > 1000) return false;
            if (c == ']') break;
            if (c == '\\' && _text.At(k + 1) is '[' or ']' or '\\') { sb.Append((char)c).Append((char)_text.At(k + 1)); k += 2; continue; }
            sb.Append((char)c);
            k++;
        }
        label = sb.ToString();
        if (label.Length > 0 && string.IsNullOrWhiteSpace(label)) return false;
        end = k + 1;
        return true;
    }

    private bool TryInlineResource(int i, out string url, out string? title, out int end)
    {
        url = "";
        title = null;
        end = i;
        var k = SkipSpaceAndOneLine(i + 1);
        var c = _text.At(k);
        if (c == '<')
        {
            var sb = new StringBuilder();
            k++;
            while (true)
            {
                c = _text.At(k);
                if (c < 0 || c == '\n' || c == '<') return false;
                if (c == '>') { k++; break; }
                if (c == '\\' && Ascii.IsPunctuation(_text.At(k + 1))) { sb.Append('\\').Append((char)_text.At(k + 1)); k += 2; continue; }
                sb.Append((char)c);
                k++;
            }
            url = Entities.DecodeString(sb.ToString());
        }
        else if (c != ')')
        {
            var sb = new StringBuilder();
            var depth = 0;
            while (true)
            {
                c = _text.At(k);
                if (c < 0 || c is ' ' or '\t' or '\n' || c < 32) break;
                if (c == '\\' && Ascii.IsPunctuation(_text.At(k + 1))) { sb.Append('\\').Append((char)_text.At(k + 1)); k += 2; continue; }
                if (c == '(') { depth++; if (depth > 32) return false; }
                if (c == ')') { if (depth == 0) break; depth--; }
                sb.Append((char)c);
                k++;
            }
            if (depth != 0) return false;
            url = Entities.DecodeString(sb.ToString());
        }
        var beforeTitle = k;
        k = SkipSpaceAndOneLine(k);
        c = _text.At(k);
        if (k > beforeTitle && c is '"' or '\'' or '(')
        {
            var close = c == '(' ? ')' : c;
            var sb = new StringBuilder();
            var p = k + 1;
            while (true)
            {
                var t = _text.At(p);
                if (t < 0) return false;
                if (t == close) { p++; break; }
                if (c == '(' && t == '(') return false;
                if (t == '\\' && Ascii.IsPunctuation(_text.At(p + 1))) { sb.Append('\\').Append((char)_text.At(p + 1)); p += 2; continue; }
                sb.Append(_text.IsSeparator(p) ? _text.LineEnding(p) : ((char)t).ToString());
                p++;
            }
            title = Entities.DecodeString(sb.ToString());
            k = SkipSpaceAndOneLine(p);
        }
        if (_text.At(k) != ')') return false;
        end = k + 1;
        return true;
    }

    private int SkipSpaceAndOneLine(int k)
    {
        var lines = 0;
        while (true)
        {
            var c = _text.At(k);
            if (c is ' ' or '\t') { k++; continue; }
            if (c == '\n' && _text.IsSeparator(k) && lines == 0) { lines++; k++; continue; }
            return k;
        }
    }

    // ---- emphasis -----------------------------------------------------------------------------

    /// <summary>The CommonMark "process emphasis" procedure over <paramref name="items"/>.</summary>
    private static void ProcessEmphasis(List<Inline> items, int bottom)
    {
        var openersBottom = new Dictionary<(char, bool, int), int>();
        var closerIndex = bottom;
        while (closerIndex < items.Count)
        {
            var closer = items[closerIndex];
            if (closer.Kind != InlineKind.Delimiter || !closer.CanClose)
            {
                closerIndex++;
                continue;
            }
            var key = (closer.DelimiterChar, closer.CanOpen, closer.OriginalCount % 3);
            var floor = openersBottom.TryGetValue(key, out var f) ? f : bottom;
            var openerIndex = -1;
            for (var k = closerIndex - 1; k >= floor; k--)
            {
                var opener = items[k];
                if (opener.Kind != InlineKind.Delimiter || opener.DelimiterChar != closer.DelimiterChar || !opener.CanOpen) continue;
                if ((opener.CanClose || closer.CanOpen) && (opener.OriginalCount + closer.OriginalCount) % 3 == 0
                    && !(opener.OriginalCount % 3 == 0 && closer.OriginalCount % 3 == 0)) continue;
                openerIndex = k;
                break;
            }
            if (openerIndex < 0)
            {
                openersBottom[key] = closerIndex;
                if (!closer.CanOpen) ConvertToText(closer);
                closerIndex++;
                continue;
            }
            var open = items[openerIndex];
            var use = open.Count >= 2 && closer.Count >= 2 ? 2 : 1;
            var children = items.GetRange(openerIndex + 1, closerIndex - openerIndex - 1);
            foreach (var child in children) if (child.Kind == InlineKind.Delimiter) ConvertToText(child);
            var start = open.End - use;
            var end = closer.Start + use;
            var node = new MdNode(use == 2 ? NodeTypes.Strong : NodeTypes.Emphasis);
            var container = new Inline { Kind = InlineKind.Container, Node = node, Children = children, Start = start, End = end };
            open.Count -= use;
            open.End -= use;
            open.Text = new string(open.DelimiterChar, open.Count);
            closer.Count -= use;
            closer.Start += use;
            closer.Text = new string(closer.DelimiterChar, closer.Count);
            items.RemoveRange(openerIndex + 1, closerIndex - openerIndex - 1);
            items.Insert(openerIndex + 1, container);
            foreach (var stale in openersBottom.Where(entry => entry.Value > openerIndex).Select(entry => entry.Key).ToList())
                openersBottom[stale] = openerIndex + 1;
            closerIndex = openerIndex + 2;
            if (open.Count == 0)
            {
                items.RemoveAt(openerIndex);
                closerIndex--;
            }
            if (closer.Count == 0)
            {
                items.RemoveAt(closerIndex);
            }
        }
        foreach (var item in items) if (item.Kind is InlineKind.Delimiter or InlineKind.Bracket) ConvertToText(item);
    }
}
