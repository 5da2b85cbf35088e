using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.OpenInference;

/// <summary>Retriever spans: <c>retrieval.documents.&lt;i&gt;.document.{id,content,score,metadata}</c> (ingestion §2.7).</summary>
internal static class OpenInferenceDocuments
{
    private const string Prefix = "retrieval.documents.";

    public static void Extract(AttributeView a, NormalizedFields f)
    {
        // Most spans are not retrievals; a cheap probe avoids listing indices for them.
        if (!a.AnyKeyStartsWith(Prefix)) return;
        var documents = new JsArray();
        foreach (var index in IndexedAttributes.Indices(a, Prefix))
        {
            var b = IndexedAttributes.Key(Prefix, index) + "document.";
            var document = RetrievalDocumentJson.Create(
                a[b + "id"], a[b + "content"], a[b + "score"], distance: null,
                RetrievalDocumentJson.ObjectOrJsonObject(a[b + "metadata"]));
            if (document is not null) documents.Add(document);
        }
        RetrievalDocumentJson.SetOutput(documents, f);
    }
}
