using AgentMark.Core.Spans;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Conventions;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Kinds;

/// <summary>
/// Resolves the semantic kind after all overlays (ingestion §3.2): explicit AgentMark kind, then
/// framework kind attributes, then GenAI operation, then what the record looks like, then the name.
/// </summary>
internal static class SemanticKindResolver
{
    private static readonly Dictionary<string, string> OpenInferenceKinds = new(StringComparer.Ordinal)
    {
        ["CHAIN"] = SemanticKinds.Function, ["LLM"] = SemanticKinds.Llm, ["TOOL"] = SemanticKinds.Tool,
        ["AGENT"] = SemanticKinds.Agent, ["RETRIEVER"] = SemanticKinds.Retrieval, ["RERANKER"] = SemanticKinds.Retrieval,
        ["EMBEDDING"] = SemanticKinds.Embedding, ["GUARDRAIL"] = SemanticKinds.Guardrail,
    };

    /// <summary>Rules 3a–3d, checked in this order; a value outside a map does not stop the search.</summary>
    private static readonly (string Key, Dictionary<string, string> Map)[] FrameworkKinds =
    [
        ("ai.operationId", new(StringComparer.Ordinal)
        {
            ["embed"] = SemanticKinds.Embedding, ["ai.embed"] = SemanticKinds.Embedding,
            ["generateText"] = SemanticKinds.Llm, ["ai.generateText"] = SemanticKinds.Llm,
            ["streamText"] = SemanticKinds.Llm, ["ai.streamText"] = SemanticKinds.Llm,
            ["generateObject"] = SemanticKinds.Llm, ["ai.generateObject"] = SemanticKinds.Llm,
            ["streamObject"] = SemanticKinds.Llm, ["ai.streamObject"] = SemanticKinds.Llm,
        }),
        ("traceloop.span.kind", new(StringComparer.Ordinal)
        {
            ["LLM"] = SemanticKinds.Llm, ["TOOL"] = SemanticKinds.Tool, ["AGENT"] = SemanticKinds.Agent,
            ["WORKFLOW"] = SemanticKinds.Function, ["TASK"] = SemanticKinds.Function,
        }),
        ("langchain.run_type", new(StringComparer.Ordinal)
        {
            ["llm"] = SemanticKinds.Llm, ["chat_model"] = SemanticKinds.Llm, ["retriever"] = SemanticKinds.Retrieval,
            ["tool"] = SemanticKinds.Tool, ["chain"] = SemanticKinds.Function, ["embedding"] = SemanticKinds.Embedding,
        }),
        ("genkit:type", new(StringComparer.Ordinal)
        {
            ["model"] = SemanticKinds.Llm, ["tool"] = SemanticKinds.Tool, ["flow"] = SemanticKinds.Function,
            ["retriever"] = SemanticKinds.Retrieval, ["embedder"] = SemanticKinds.Embedding,
        }),
    ];

    /// <param name="name">The span name after any tool rename.</param>
    public static string Resolve(DecodedSpan span, AttributeView a, NormalizedFields f, string type, string name)
    {
        if (SemanticKinds.IsValid(f.SemanticKindCandidate)) return f.SemanticKindCandidate!;

        var openInferenceKind = a["openinference.span.kind"];
        if (JsValue.IsTruthy(openInferenceKind)
            && OpenInferenceKinds.TryGetValue(JsValue.ToJsString(openInferenceKind).ToUpperInvariant(), out var mapped))
        {
            return mapped;
        }

        foreach (var (key, map) in FrameworkKinds)
        {
            var value = a[key];
            if (JsValue.IsTruthy(value) && map.TryGetValue(JsValue.ToJsString(value), out var kind)) return kind;
        }

        if (ConventionSignatures.IsVectorStore(span, a)) return SemanticKinds.Retrieval;

        var operation = a["gen_ai.operation.name"];
        if (JsValue.IsTruthy(operation))
        {
            switch (JsValue.ToJsString(operation).ToLowerInvariant())
            {
                case "chat" or "text_completion" or "generate_content": return SemanticKinds.Llm;
                case "embeddings": return SemanticKinds.Embedding;
            }
        }

        if (type == SpanTypes.Generation) return SemanticKinds.Llm;
        if (!string.IsNullOrEmpty(f.Model)) return SemanticKinds.Llm;
        if (f.ToolCalls is { Count: > 0 }) return SemanticKinds.Tool;

        // Raw substring tests, as the reference does: "storage-writer" (rag) and "research" are retrieval.
        // name.ToLowerInvariant() without the string: the needles are ASCII, so lowering code unit by code
        // unit (surrogates left alone) finds exactly the same matches.
        var lower = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        for (var i = 0; i < name.Length; i++) lower[i] = char.ToLowerInvariant(name[i]);
        if (lower.Contains("retriev", StringComparison.Ordinal) || lower.Contains("search", StringComparison.Ordinal)
            || lower.Contains("rag", StringComparison.Ordinal))
        {
            return SemanticKinds.Retrieval;
        }
        if (lower.Contains("embed", StringComparison.Ordinal)) return SemanticKinds.Embedding;
        if (lower.Contains("guard", StringComparison.Ordinal) || lower.Contains("safety", StringComparison.Ordinal)) return SemanticKinds.Guardrail;
        return SemanticKinds.Function;
    }
}
