
namespace AgentMark.Normalization.Json;

/// <summary>JavaScript's <c>JSON.parse</c> / <c>JSON.stringify</c> pair, as the reference uses them.</summary>
internal static class JsJson
{
    [ThreadStatic] private static JsonTextBuilder? t_builder;

    /// <summary><c>JSON.parse(text)</c>; false when it would throw. A JSON <c>null</c> parses to <see cref="JsNull.Value"/>.</summary>
    public static bool TryParse(string? text, out object? value)
    {
        value = null;
        if (text is null || !JsJsonParser.CanStartJson(text)) return false;
        return JsJsonParser.TryParse(text, out value);
    }

    /// <summary>
    /// <c>JSON.parse(text)</c> for the one shape <c>["s"]</c> (an array holding one string, e.g. a finish
    /// reason list), without building the array; false for anything else, including other valid JSON.
    /// </summary>
    public static bool TryParseSingleStringArray(string text, out string value)
    {
        value = "";
        var span = text.AsSpan();
        var pos = JsJsonParser.SkipWhitespace(span, 0);
        if (pos >= span.Length || span[pos] != '[') return false;
        pos = JsJsonParser.SkipWhitespace(span, pos + 1);
        if (pos >= span.Length || span[pos] != '"' || !JsJsonParser.TryReadString(span, ref pos, out var element)) return false;
        pos = JsJsonParser.SkipWhitespace(span, pos);
        if (pos >= span.Length || span[pos] != ']') return false;
        if (JsJsonParser.SkipWhitespace(span, pos + 1) != span.Length) return false;
        value = JsStrings.Common(element) ?? new string(element);
        return true;
    }

    /// <summary><c>JSON.stringify(value)</c> of a parsed/normalized value (value model of JsDom.cs).</summary>
    public static string Stringify(object? value)
    {
        var sb = RentBuilder();
        JsJsonWriter.WriteValue(sb, value);
        return ReturnBuilder(sb);
    }

    /// <summary>One thread-static builder per thread: the normalizer writes several columns per span and
    /// allocating a fresh builder for each would dominate the serialization cost.</summary>
    public static JsonTextBuilder RentBuilder()
    {
        var sb = t_builder ?? new JsonTextBuilder(4096);
        t_builder = null; // a nested rent (should not happen) gets its own builder
        sb.Clear();
        return sb;
    }

    public static string ReturnBuilder(JsonTextBuilder sb)
    {
        var result = sb.ToString();
        ReleaseBuilder(sb);
        return result;
    }

    /// <summary>
    /// Like <see cref="ReturnBuilder(JsonTextBuilder)"/>, but returns <paramref name="last"/> itself when the
    /// text equals it, and otherwise remembers the new text there: for small columns that repeat span after
    /// span (the same settings on every call), so each record does not hold its own copy.
    /// </summary>
    public static string ReturnBuilder(JsonTextBuilder sb, ref string? last)
    {
        if (last is not null && sb.WrittenSpan.SequenceEqual(last))
        {
            ReleaseBuilder(sb);
            return last;
        }
        return last = ReturnBuilder(sb);
    }

    /// <summary>Gives the builder back without taking its text (a writer that gave up half-way).</summary>
    public static void ReleaseBuilder(JsonTextBuilder sb)
    {
        // Very large payloads would otherwise pin their buffer to the thread forever.
        if (sb.Capacity <= 256 * 1024) t_builder = sb;
    }
}
