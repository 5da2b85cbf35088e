using System.Text;
using System.Text.Json.Nodes;
using AgentMark.Templates.Estree;

namespace AgentMark.Templates.Syntax;

/// <summary>The result of scanning <c>{…}</c>: its value, ESTree and the index after the closing brace.</summary>
internal readonly record struct ScannedExpression(string Value, JsonObject? Estree, int Start, int End);

/// <summary>
/// Finds the extent of an MDX expression the way micromark-extension-mdx-expression does: at each
/// <c>}</c> the text so far is handed to the JavaScript parser and the first prefix that parses is
/// the expression (so braces inside strings and nested objects work). Line endings are kept, and up
/// to two spaces or tabs at the start of each continuation line are dropped.
/// </summary>
internal static class ExpressionScanner
{
    private const int MaxExpressionLength = 256 * 1024;
    /// <summary>Closing-brace candidates tried before giving up (each is a parse of the text so far).</summary>
    private const int MaxAttempts = 256;

    /// <param name="text">Text positioned so that <c>text[start]</c> is <c>{</c>.</param>
    /// <param name="allowLazy">Text expressions may continue on lazy lines; flow and attribute ones may not.</param>
    /// <param name="spread">Attribute spreads (<c>{...props}</c>) parse as an object.</param>
    public static ScannedExpression Scan(SegmentedText text, int start, bool allowLazy, bool spread = false)
    {
        var value = new StringBuilder();
        // Pairs of (value index, text index) where a run of copied characters starts.
        var stops = new List<(int ValueIndex, int TextIndex)>();
        var i = start + 1;
        stops.Add((0, i));
        TemplateSyntaxException? lastError = null;
        var attempts = 0;
        while (true)
        {
            var c = text.At(i);
            if (c < 0)
            {
                if (lastError is not null) throw lastError;
                if (!allowLazy && text.StoppedAtLazyLine) throw LazyLine(text, i);
                throw new TemplateSyntaxException(
                    "Unexpected end of file in expression, expected a corresponding closing brace for `{`",
                    Point(text, i));
            }
            if (c == '\n' && text.IsSeparator(i))
            {
                value.Append(text.LineEnding(i));
                i++;
                // Continuation indent: at most two spaces or tabs (micromark's `indentSize`).
                for (var n = 0; n < 2 && text.At(i) is ' ' or '\t'; n++) i++;
                stops.Add((value.Length, i));
                continue;
            }
            if (c == '}')
            {
                var candidate = value.ToString();
                try
                {
                    var estree = JsExpressionParser.ParseProgram(candidate, MapperFor(text, stops, candidate.Length, i), spread);
                    if (spread) CheckSpread(estree, text, stops, candidate.Length, i);
                    return new ScannedExpression(candidate, estree, start, i + 1);
                }
                catch (JsSyntaxException error)
                {
                    lastError = AcornError(text, stops, candidate.Length, i, error.Offset - (spread ? 2 : 0));
                    // An error inside the text (not an unterminated string, comment, template or
                    // JSX running to its end) cannot be repaired by reading further: stop here
                    // instead of re-parsing ever longer prefixes.
                    if (error.Offset - (spread ? 2 : 0) < candidate.Length && !error.Message.StartsWith("Unterminated", StringComparison.Ordinal))
                        throw lastError;
                    if (++attempts > MaxAttempts) throw lastError;
                }
                catch (JsUnsupportedException)
                {
                    if (AcornimaFallback.TryParse(candidate, spread, MapperFor(text, stops, candidate.Length, i), out var estree, out var errorOffset))
                        return new ScannedExpression(candidate, estree, start, i + 1);
                    lastError = AcornError(text, stops, candidate.Length, i, errorOffset);
                }
            }
            if (value.Length > MaxExpressionLength)
                throw new TemplateSyntaxException("Expression is too long (over 256 KiB)", Point(text, start));
            value.Append((char)c);
            i++;
        }
    }

    private static void CheckSpread(JsonObject estree, SegmentedText text, List<(int, int)> stops, int length, int closeIndex)
    {
        var head = estree["body"]!.AsArray()[0]!.AsObject();
        var expression = head["expression"]!.AsObject();
        var properties = expression["properties"]!.AsArray();
        if (properties.Count > 1)
            throw new TemplateSyntaxException("Unexpected extra content in spread: only a single spread is supported", PointAt(text, properties[1]!));
        if (properties.Count == 1 && (string)properties[0]!["type"]! != "SpreadElement")
            throw new TemplateSyntaxException($"Unexpected `{(string)properties[0]!["type"]!}` in code: only spread elements are supported", PointAt(text, properties[0]!));
    }

    private static SourceSpan PointAt(SegmentedText text, JsonNode node)
    {
        var p = text.Source.Point(node["start"]!.GetValue<int>());
        return new SourceSpan(p, p);
    }

    internal static Func<int, SourcePoint> MapperFor(SegmentedText text, List<(int ValueIndex, int TextIndex)> stops, int valueLength, int closeIndex)
    {
        return valueOffset =>
        {
            valueOffset = Math.Clamp(valueOffset, 0, valueLength);
            if (valueOffset == valueLength) return text.Source.Point(text.SourceOffset(closeIndex));
            var k = stops.Count - 1;
            while (k > 0 && stops[k].ValueIndex > valueOffset) k--;
            var (valueStart, textStart) = stops[k];
            var textIndex = textStart + (valueOffset - valueStart);
            return text.Source.Point(text.SourceOffset(textIndex));
        };
    }

    private static TemplateSyntaxException AcornError(SegmentedText text, List<(int, int)> stops, int length, int closeIndex, int valueOffset)
    {
        var point = MapperFor(text, stops, length, closeIndex)(valueOffset);
        return new TemplateSyntaxException("Could not parse expression with acorn", new SourceSpan(point, point));
    }

    internal static SourceSpan Point(SegmentedText text, int index)
    {
        var p = text.Source.Point(text.SourceOffset(index));
        return new SourceSpan(p, p);
    }

    internal static TemplateSyntaxException LazyLine(SegmentedText text, int index) =>
        new("Unexpected lazy line in container, expected line to be prefixed with `>` when in a block quote, whitespace when in a list, etc",
            Point(text, index));
}
