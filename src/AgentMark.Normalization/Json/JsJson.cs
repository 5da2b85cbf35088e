
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
        // Very large payloads would otherwise pin their buffer to the thread forever.
        if (sb.Capacity <= 256 * 1024) t_builder = sb;
        return result;
    }
}
