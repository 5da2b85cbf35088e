using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMark.Templates.Syntax;

namespace AgentMark.Templates.Estree;

/// <summary>
/// Writes an ESTree built by <see cref="JsExpressionParser"/> with the acorn location fields added
/// from each node's absolute <c>start</c>/<c>end</c>: <c>loc</c> (1-based line, 0-based column,
/// offset) and <c>range</c>.
/// </summary>
public static class EstreeJson
{
    public static void Write(Utf8JsonWriter writer, JsonNode? node, Func<int, SourcePoint> point)
    {
        switch (node)
        {
            case JsonObject obj:
                writer.WriteStartObject();
                int? start = null, end = null;
                foreach (var (key, value) in obj)
                {
                    writer.WritePropertyName(key);
                    Write(writer, value, point);
                    if (key == "start" && value is JsonValue s && s.TryGetValue<int>(out var si)) start = si;
                    else if (key == "end" && value is JsonValue e && e.TryGetValue<int>(out var ei)) end = ei;
                }
                if (start is { } a && end is { } b && !obj.ContainsKey("loc"))
                {
                    var sp = point(a);
                    var ep = point(b);
                    writer.WriteStartObject("loc");
                    WritePoint(writer, "start", sp);
                    WritePoint(writer, "end", ep);
                    writer.WriteEndObject();
                    writer.WriteStartArray("range");
                    writer.WriteNumberValue(a);
                    writer.WriteNumberValue(b);
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item, point);
                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private static void WritePoint(Utf8JsonWriter writer, string name, SourcePoint point)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("line", point.Line);
        writer.WriteNumber("column", point.Column - 1);
        writer.WriteNumber("offset", point.Offset);
        writer.WriteEndObject();
    }

    /// <summary>Positions for ESTree the bundler wrote: relative to that text, on one line.</summary>
    public static SourcePoint Synthetic(int offset) => new(1, offset + 1, offset);
}
