using System.Text;
using AgentMark.Normalization.Coercion;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions;

/// <summary>
/// The RetrievalDocument shape of ingestion §2.12 (<c>{id?, content?, score?, distance?, metadata?}</c>)
/// and how a list of them becomes a span's output, shared by OpenInference and OpenLLMetry.
/// </summary>
internal static class RetrievalDocumentJson
{
    /// <summary>One document from its raw field values; null when no field is usable (skipped).</summary>
    public static JsObject? Create(object? id, object? content, object? score, object? distance, object? metadata)
    {
        JsObject? document = null;
        if (id is not null && JsValue.ToJsString(id) is { Length: > 0 } idText) Set(ref document, "id", idText);
        if (content is string { Length: > 0 }) Set(ref document, "content", content);
        if (AttributeCoercion.FiniteNum(score) is { } s) Set(ref document, "score", s);
        if (AttributeCoercion.FiniteNum(distance) is { } d) Set(ref document, "distance", d);
        if (metadata is not null) Set(ref document, "metadata", metadata);
        return document;
    }

    /// <summary>A JSON object given as a kvlist or as JSON text; null otherwise.</summary>
    public static JsObject? ObjectOrJsonObject(object? value)
        => value switch
        {
            JsObject o => o,
            string text when JsJson.TryParse(text, out var parsed) && parsed is JsObject o => o,
            _ => null,
        };

    /// <summary><c>outputObject = {documents}</c> and <c>output</c> = the non-empty contents joined by a blank
    /// line, each only when the convention has not set it already.</summary>
    public static void SetOutput(JsArray documents, NormalizedFields f)
    {
        if (documents.Count == 0) return;
        f.OutputObject ??= new JsObject(1) { ["documents"] = documents };
        if (!string.IsNullOrEmpty(f.Output)) return;
        var sb = new StringBuilder();
        foreach (var document in documents)
        {
            if (JsValue.Prop(document, "content") is not string { Length: > 0 } content) continue;
            if (sb.Length > 0) sb.Append("\n\n");
            sb.Append(content);
        }
        f.Output = sb.ToString();
    }

    private static void Set(ref JsObject? document, string key, object value)
    {
        document ??= new JsObject(5);
        document[key] = value;
    }
}
