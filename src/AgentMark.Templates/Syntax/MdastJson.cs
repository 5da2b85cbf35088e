using System.Text.Json;
using AgentMark.Templates.Estree;

namespace AgentMark.Templates.Syntax;

/// <summary>Writes mdast trees as the JSON the reference parser produces (key order aside).</summary>
public static class MdastJson
{
    public static void Write(Utf8JsonWriter writer, MdNode node, bool positions = true)
    {
        writer.WriteStartObject();
        writer.WriteString("type", node.Type);
        switch (node.Type)
        {
            case NodeTypes.Heading:
                writer.WriteNumber("depth", node.Depth);
                break;
            case NodeTypes.List:
                writer.WriteBoolean("ordered", node.Ordered);
                if (node.Start is { } start) writer.WriteNumber("start", start); else writer.WriteNull("start");
                writer.WriteBoolean("spread", node.Spread);
                break;
            case NodeTypes.ListItem:
                writer.WriteBoolean("spread", node.Spread);
                writer.WriteNull("checked");
                break;
            case NodeTypes.Code:
                WriteNullable(writer, "lang", node.Lang);
                WriteNullable(writer, "meta", node.Meta);
                break;
            case NodeTypes.Definition:
                writer.WriteString("identifier", node.Identifier);
                writer.WriteString("label", node.Label);
                writer.WriteString("url", node.Url);
                WriteNullable(writer, "title", node.Title);
                break;
            case NodeTypes.Link:
                WriteNullable(writer, "title", node.Title);
                writer.WriteString("url", node.Url);
                break;
            case NodeTypes.Image:
                WriteNullable(writer, "title", node.Title);
                writer.WriteString("url", node.Url);
                writer.WriteString("alt", node.Alt);
                break;
            case NodeTypes.LinkReference or NodeTypes.ImageReference:
                writer.WriteString("identifier", node.Identifier);
                writer.WriteString("label", node.Label);
                writer.WriteString("referenceType", node.ReferenceType);
                if (node.Type == NodeTypes.ImageReference) writer.WriteString("alt", node.Alt);
                break;
            case NodeTypes.MdxJsxFlowElement or NodeTypes.MdxJsxTextElement:
                WriteNullable(writer, "name", node.Name);
                writer.WriteStartArray("attributes");
                foreach (var attribute in node.Attributes ?? []) WriteAttribute(writer, attribute, positions);
                writer.WriteEndArray();
                break;
        }
        if (node.Value is not null) writer.WriteString("value", node.Value);
        if (node.Children is not null)
        {
            writer.WriteStartArray("children");
            foreach (var child in node.Children) Write(writer, child, positions);
            writer.WriteEndArray();
        }
        if (positions && node.Position is { } position) WritePosition(writer, position);
        if (node.Estree is not null)
        {
            writer.WriteStartObject("data");
            writer.WritePropertyName("estree");
            EstreeJson.Write(writer, node.Estree, node.EstreePoints ?? EstreeJson.Synthetic);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteAttribute(Utf8JsonWriter writer, MdxAttribute attribute, bool positions)
    {
        writer.WriteStartObject();
        writer.WriteString("type", attribute.Type);
        if (attribute.IsSpread)
        {
            writer.WriteString("value", attribute.Value);
            if (attribute.Estree is not null)
            {
                writer.WriteStartObject("data");
                writer.WritePropertyName("estree");
                EstreeJson.Write(writer, attribute.Estree, attribute.EstreePoints ?? EstreeJson.Synthetic);
                writer.WriteEndObject();
            }
        }
        else
        {
            writer.WriteString("name", attribute.Name);
            if (attribute.ExpressionValue is { } expression)
            {
                writer.WriteStartObject("value");
                writer.WriteString("type", "mdxJsxAttributeValueExpression");
                writer.WriteString("value", expression.Value);
                if (expression.Estree is not null)
                {
                    writer.WriteStartObject("data");
                    writer.WritePropertyName("estree");
                    EstreeJson.Write(writer, expression.Estree, expression.EstreePoints ?? EstreeJson.Synthetic);
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            }
            else WriteNullable(writer, "value", attribute.Value);
        }
        if (positions && attribute.Position is { } position) WritePosition(writer, position);
        writer.WriteEndObject();
    }

    private static void WritePosition(Utf8JsonWriter writer, SourceSpan position)
    {
        writer.WriteStartObject("position");
        WritePoint(writer, "start", position.Start);
        WritePoint(writer, "end", position.End);
        writer.WriteEndObject();
    }

    private static void WritePoint(Utf8JsonWriter writer, string name, SourcePoint point)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("line", point.Line);
        writer.WriteNumber("column", point.Column);
        writer.WriteNumber("offset", point.Offset);
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null) writer.WriteNull(name); else writer.WriteString(name, value);
    }

    public static byte[] ToUtf8(MdNode node, bool positions = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = 4096 })) Write(writer, node, positions);
        return buffer.ToArray();
    }

    public static string ToJson(MdNode node, bool positions = true) => System.Text.Encoding.UTF8.GetString(ToUtf8(node, positions));
}
