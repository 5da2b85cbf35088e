using System.Text;
using System.Text.Json.Nodes;

namespace AgentMark.Normalization.Json;

/// <summary>JavaScript's <c>JSON.parse</c> / <c>JSON.stringify</c> pair, as the reference uses them.</summary>
internal static class JsJson
{
    [ThreadStatic] private static StringBuilder? t_builder;

    /// <summary><c>JSON.parse(text)</c>; false when it would throw. A JSON <c>null</c> parses to a null node.</summary>
    public static bool TryParse(string? text, out JsonNode? value)
    {
        value = null;
        if (text is null || !JsJsonParser.CanStartJson(text)) return false;
        return JsJsonParser.TryParse(text, out value);
    }

    /// <summary><c>JSON.stringify(value)</c> of parsed/normalized JSON (JSON nulls are written).</summary>
    public static string Stringify(JsonNode? value)
    {
        var sb = RentBuilder();
        JsJsonWriter.WriteNode(sb, value);
        return ReturnBuilder(sb);
    }

    /// <summary>One thread-static builder per thread: the normalizer writes several columns per span and
    /// allocating a fresh builder for each would dominate the serialization cost.</summary>
    public static StringBuilder RentBuilder()
    {
        var sb = t_builder ?? new StringBuilder(1024);
        t_builder = null; // a nested rent (should not happen) gets its own builder
        sb.Clear();
        return sb;
    }

    public static string ReturnBuilder(StringBuilder sb)
    {
        var result = sb.ToString();
        // Very large payloads would otherwise pin their buffer to the thread forever.
        if (sb.Capacity <= 256 * 1024) t_builder = sb;
        return result;
    }
}
