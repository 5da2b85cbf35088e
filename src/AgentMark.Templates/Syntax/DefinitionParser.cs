using System.Text;

namespace AgentMark.Templates.Syntax;

/// <summary>Link reference definitions (<c>[label]: destination "title"</c>) at the start of a paragraph.</summary>
internal static class DefinitionParser
{
    public static List<MdNode> Parse(SourceText source, List<(int Start, int End)> lines, out int consumedLines)
    {
        var result = new List<MdNode>();
        consumedLines = 0;
        var text = SegmentedText.FromSegments(source, lines);
        var i = 0;
        while (consumedLines < lines.Count)
        {
            var definition = TryOne(text, i, out var end);
            if (definition is null) break;
            result.Add(definition);
            // `end` sits at a separator or the end of the text.
            var lineIndex = 0;
            for (var k = 0; k < end && k < text.Length; k++) if (text.IsSeparator(k)) lineIndex++;
            consumedLines = lineIndex + 1;
            i = end + 1;
            if (end >= text.Length) break;
        }
        return result;
    }

    private static MdNode? TryOne(SegmentedText text, int start, out int end)
    {
        end = start;
        var i = start;
        while (text.At(i) is ' ' or '\t') i++;
        if (text.At(i) != '[') return null;
        var labelStart = i;
        var label = new StringBuilder();
        i++;
        while (true)
        {
            var c = text.At(i);
            if (c < 0 || c == '[' || label.Length > 999) return null;
            if (c == ']') break;
            if (c == '\\' && text.At(i + 1) is '[' or ']' or '\\') { label.Append((char)c).Append((char)text.At(i + 1)); i += 2; continue; }
            label.Append(text.IsSeparator(i) ? '\n' : (char)c);
            i++;
        }
        if (string.IsNullOrWhiteSpace(label.ToString())) return null;
        i++;
        if (text.At(i) != ':') return null;
        i++;
        i = SkipSpaceAndOneLine(text, i);
        string destination;
        var c0 = text.At(i);
        if (c0 == '<')
        {
            var sb = new StringBuilder();
            i++;
            while (true)
            {
                var c = text.At(i);
                if (c < 0 || c == '\n' || c == '<') return null;
                if (c == '>') { i++; break; }
                sb.Append((char)c);
                i++;
            }
            destination = sb.ToString();
        }
        else
        {
            var sb = new StringBuilder();
            var depth = 0;
            while (true)
            {
                var c = text.At(i);
                if (c < 0 || c is ' ' or '\t' or '\n' || c < 32) break;
                if (c == '(') depth++;
                if (c == ')') { if (depth == 0) break; depth--; }
                sb.Append((char)c);
                i++;
            }
            if (sb.Length == 0 || depth != 0) return null;
            destination = sb.ToString();
        }
        var afterDestination = i;
        string? title = null;
        var j = SkipSpaceAndOneLine(text, i);
        var q = text.At(j);
        if (j > afterDestination && q is '"' or '\'' or '(')
        {
            var close = q == '(' ? ')' : q;
            var sb = new StringBuilder();
            var p = j + 1;
            var ok = true;
            while (true)
            {
                var c = text.At(p);
                if (c < 0) { ok = false; break; }
                if (c == close) { p++; break; }
                if (c == '\\' && text.At(p + 1) == close) { sb.Append('\\').Append((char)close); p += 2; continue; }
                sb.Append(text.IsSeparator(p) ? text.LineEnding(p) : ((char)c).ToString());
                p++;
            }
            if (ok)
            {
                var k = p;
                while (text.At(k) is ' ' or '\t') k++;
                if (text.At(k) < 0 || text.IsSeparator(k))
                {
                    title = Entities.DecodeString(sb.ToString());
                    i = k;
                    return Finish(out end);
                }
            }
        }
        // No (valid) title: the destination must end its line.
        while (text.At(i) is ' ' or '\t') i++;
        if (!(text.At(i) < 0 || text.IsSeparator(i))) return null;
        return Finish(out end);

        MdNode Finish(out int endIndex)
        {
            endIndex = i;
            var labelText = label.ToString();
            var positionEnd = text.SourceEndOffset(i);
            while (positionEnd > 0 && text.Source.Text[positionEnd - 1] is ' ' or '\t') positionEnd--;
            return new MdNode(NodeTypes.Definition)
            {
                Identifier = InlineParser.NormalizeIdentifier(labelText),
                Label = labelText,
                Url = Entities.DecodeString(destination),
                Title = title,
                Position = text.Source.Span(text.SourceOffset(labelStart), positionEnd),
            };
        }
    }

    private static int SkipSpaceAndOneLine(SegmentedText text, int k)
    {
        var lines = 0;
        while (true)
        {
            var c = text.At(k);
            if (c is ' ' or '\t') { k++; continue; }
            if (c == '\n' && text.IsSeparator(k) && lines == 0) { lines++; k++; continue; }
            return k;
        }
    }
}
