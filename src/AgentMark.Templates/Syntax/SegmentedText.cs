namespace AgentMark.Templates.Syntax;

/// <summary>
/// The content of consecutive source lines with their container prefixes (<c>&gt;</c>, list
/// indentation) removed, joined by <c>'\n'</c>, with a map from each character back to its source
/// offset. Scanners for tags and expressions run over it so that constructs spanning lines inside
/// block quotes and list items see the same text micromark does. Block-level users extend it on
/// demand, one line at a time, through <see cref="_nextLine"/>.
/// </summary>
internal sealed class SegmentedText
{
    private readonly SourceText _source;
    private readonly Func<int, (int Start, int End)?>? _nextLine;
    // A plain growable array: StringBuilder's indexer walks its chunk list, which made long paragraphs quadratic.
    private char[] _chars = new char[256];
    private int _length;
    private readonly List<int> _map = [];
    private int _nextLineIndex;
    private int _end;

    private SegmentedText(SourceText source, Func<int, (int Start, int End)?>? nextLine, int nextLineIndex)
    {
        _source = source;
        _nextLine = nextLine;
        _nextLineIndex = nextLineIndex;
    }

    /// <summary>Text over fixed segments (a paragraph's lines).</summary>
    public static SegmentedText FromSegments(SourceText source, IReadOnlyList<(int Start, int End)> segments)
    {
        var text = new SegmentedText(source, null, 0);
        for (var i = 0; i < segments.Count; i++) text.Append(segments[i].Start, segments[i].End, i > 0);
        return text;
    }

    /// <summary>Text starting at <paramref name="start"/> on line <paramref name="lineIndex"/>, extended with
    /// later lines from <paramref name="nextLine"/> (which answers null for a line that does not continue
    /// the current containers: a lazy line).</summary>
    public static SegmentedText Growing(SourceText source, int lineIndex, int start, Func<int, (int Start, int End)?> nextLine)
    {
        var text = new SegmentedText(source, nextLine, lineIndex + 1);
        text.Append(start, source.LineEnd(lineIndex), false);
        return text;
    }

    /// <summary>True when growth stopped because the next line is lazy (not prefixed for its containers).</summary>
    public bool StoppedAtLazyLine { get; private set; }
    /// <summary>Line index (0-based) of the last line appended.</summary>
    public int LastLineIndex => _nextLineIndex - 1;

    private void Append(int start, int end, bool separator)
    {
        var needed = _length + (end - start) + 1;
        if (needed > _chars.Length) Array.Resize(ref _chars, Math.Max(needed, _chars.Length * 2));
        if (separator)
        {
            _chars[_length++] = '\n';
            _map.Add(_end);
        }
        _source.Text.CopyTo(start, _chars, _length, end - start);
        _length += end - start;
        for (var i = start; i < end; i++) _map.Add(i);
        _end = end;
    }

    private bool Grow()
    {
        if (_nextLine is null || StoppedAtLazyLine || _nextLineIndex >= _source.LineCount) return false;
        // The last line of a file that ends with a line ending is empty and belongs to no construct.
        if (_nextLineIndex == _source.LineCount - 1 && _source.LineStart(_nextLineIndex) == _source.Length) return false;
        var next = _nextLine(_nextLineIndex);
        if (next is null)
        {
            StoppedAtLazyLine = true;
            return false;
        }
        Append(next.Value.Start, next.Value.End, true);
        _nextLineIndex++;
        return true;
    }

    /// <summary>Character at <paramref name="index"/>, or -1 past the end.</summary>
    public int At(int index)
    {
        while (index >= _length)
            if (!Grow()) return -1;
        return _chars[index];
    }

    public int Length => _length;

    /// <summary>Source offset of the character at <paramref name="index"/> (the end offset past the end).</summary>
    public int SourceOffset(int index) => index < _map.Count ? _map[index] : _end;

    /// <summary>Source offset just after the character at <paramref name="index"/> (for exclusive ends).</summary>
    public int SourceEndOffset(int indexExclusive) =>
        indexExclusive <= 0 ? SourceOffset(0) : indexExclusive - 1 < _map.Count && _chars[indexExclusive - 1] != '\n' ? _map[indexExclusive - 1] + 1 : SourceOffset(indexExclusive);

    public bool IsSeparator(int index) => index < _length && _chars[index] == '\n';

    /// <summary>The source's line ending text for the separator at <paramref name="index"/>.</summary>
    public string LineEnding(int index)
    {
        var offset = _map[index];
        return offset + 1 < _source.Length && _source.Text[offset] == '\r' && _source.Text[offset + 1] == '\n' ? "\r\n"
            : offset < _source.Length && _source.Text[offset] == '\r' ? "\r" : "\n";
    }

    public string Slice(int start, int end) => new(_chars, start, end - start);

    public SourceText Source => _source;
}
