using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.OpenLlmetry;

/// <summary>
/// Vector-store query results (ingestion §2.8): OpenLLMetry's Pinecone, Qdrant, Chroma ... instrumentations
/// record each hit as a <c>db.query.result</c> or <c>db.search.result</c> event; they become retrieval
/// documents unless the span already has an output object.
/// </summary>
internal static class OpenLlmetryVectorResults
{
    private const string QueryResult = "db.query.result";
    private const string SearchResult = "db.search.result";

    public static void Extract(DecodedSpan span, NormalizedFields f)
    {
        if (f.OutputObject is not null || span.Events.Count == 0) return;
        JsArray? documents = null;
        foreach (var e in span.Events)
        {
            if (e.Name is not (QueryResult or SearchResult)) continue;
            var attributes = e.Attributes;
            var metadata = RetrievalDocumentJson.ObjectOrJsonObject(Field(attributes, "metadata")) ?? Entity(Field(attributes, "entity"));
            var document = RetrievalDocumentJson.Create(
                Field(attributes, "id"), Field(attributes, "document"), Field(attributes, "score"), Field(attributes, "distance"), metadata);
            if (document is null) continue;
            documents ??= new JsArray();
            documents.Add(document);
        }
        if (documents is not null) RetrievalDocumentJson.SetOutput(documents, f);
    }

    /// <summary>Without metadata, the stored entity is the metadata: its JSON object, else <c>{"entity": String(v)}</c>.</summary>
    private static JsObject? Entity(object? entity)
    {
        if (entity is null) return null;
        return RetrievalDocumentJson.ObjectOrJsonObject(entity) ?? new JsObject(1) { ["entity"] = JsValue.ToJsString(entity) };
    }

    /// <summary><c>db.query.result.&lt;field&gt;</c> ?? <c>db.search.result.&lt;field&gt;</c>.</summary>
    private static object? Field(IReadOnlyDictionary<string, JsonNode?> attributes, string field)
        => Value(attributes, QueryResult + "." + field) ?? Value(attributes, SearchResult + "." + field);

    private static object? Value(IReadOnlyDictionary<string, JsonNode?> attributes, string key)
        => attributes.TryGetValue(key, out var node) ? JsonNodeValues.ToJs(node) : null;
}
