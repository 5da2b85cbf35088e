using AgentMark.Core.Spans;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions;

/// <summary>
/// The attribute signatures the dispatcher (ingestion §2.3 step 2) recognises. The vector-store test is
/// also semantic-kind rule 4 (§3.2).
/// </summary>
internal static class ConventionSignatures
{
    private static readonly HashSet<string> VectorStoreSystems = new(StringComparer.Ordinal)
    {
        "pinecone", "qdrant", "weaviate", "milvus", "chroma", "chromadb", "marqo", "lancedb",
    };

    /// <summary><c>openinference.span.kind</c> or <c>llm.model_name</c> exists, or any key matches
    /// <c>^llm\.(input_messages|output_messages|token_count)\.</c>.</summary>
    public static bool IsOpenInference(AttributeView a)
    {
        if (a.Has("openinference.span.kind") || a.Has("llm.model_name")) return true;
        foreach (var key in a.Keys)
        {
            if (key.StartsWith("llm.input_messages.", StringComparison.Ordinal)
                || key.StartsWith("llm.output_messages.", StringComparison.Ordinal)
                || key.StartsWith("llm.token_count.", StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Any key starts with <c>traceloop.</c> or matches <c>^gen_ai\.(prompt|completion)\.\d+\.</c>.</summary>
    public static bool IsOpenLlmetry(AttributeView a)
    {
        foreach (var key in a.Keys)
        {
            if (key.StartsWith("traceloop.", StringComparison.Ordinal)) return true;
            if (HasIndexedSegment(key, "gen_ai.prompt.") || HasIndexedSegment(key, "gen_ai.completion.")) return true;
        }
        return false;
    }

    /// <summary><c>prefix</c> followed by one or more ASCII digits and a dot.</summary>
    private static bool HasIndexedSegment(string key, string prefix)
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var i = prefix.Length;
        var digits = 0;
        while (i < key.Length && key[i] is >= '0' and <= '9') { i++; digits++; }
        return digits > 0 && i < key.Length && key[i] == '.';
    }

    /// <summary>
    /// A vector-store span: <c>db.system</c> (or <c>db.system.name</c> when <c>db.system</c> is absent)
    /// lower-cased is a known vector database, or a <c>db.vector.query.*</c> key exists, or an event is
    /// named <c>db.query.result</c> / <c>db.search.result</c>.
    /// </summary>
    public static bool IsVectorStore(DecodedSpan span, AttributeView a)
    {
        var system = a["db.system"] ?? a["db.system.name"];
        if (system is not null && VectorStoreSystems.Contains(JsValue.ToJsString(system).ToLowerInvariant())) return true;
        if (a.AnyKeyStartsWith("db.vector.query.")) return true;
        foreach (var e in span.Events)
        {
            if (e.Name is "db.query.result" or "db.search.result") return true;
        }
        return false;
    }
}
