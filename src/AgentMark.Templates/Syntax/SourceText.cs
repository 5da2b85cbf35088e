namespace AgentMark.Templates.Syntax;

/// <summary>A source file with a line index, to turn offsets into line/column points.</summary>
internal sealed class SourceText
{
    private readonly int[] _lineStarts;

    public SourceText(string text)
    {
        Text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n') starts.Add(i + 1);
            else if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                starts.Add(i + 1);
            }
        }
        _lineStarts = starts.ToArray();
    }

    public string Text { get; }
    public int Length => Text.Length;
    public int LineCount => _lineStarts.Length;
    public int LineStart(int lineIndex) => _lineStarts[lineIndex];

    /// <summary>End of the line's content (before its line ending).</summary>
    public int LineEnd(int lineIndex)
    {
        if (lineIndex + 1 >= _lineStarts.Length) return Text.Length;
        var next = _lineStarts[lineIndex + 1];
        var end = next - 1;
        if (end > 0 && Text[end] == '\n' && Text[end - 1] == '\r') end--;
        return end;
    }

    public int NextLineStart(int lineIndex) => lineIndex + 1 < _lineStarts.Length ? _lineStarts[lineIndex + 1] : Text.Length;

    public int LineIndexOf(int offset)
    {
        var index = Array.BinarySearch(_lineStarts, offset);
        if (index < 0) index = ~index - 1;
        return Math.Max(0, index);
    }

    public SourcePoint Point(int offset)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        var line = LineIndexOf(offset);
        return new SourcePoint(line + 1, offset - _lineStarts[line] + 1, offset);
    }

    public SourceSpan Span(int start, int end) => new(Point(start), Point(end));
}
