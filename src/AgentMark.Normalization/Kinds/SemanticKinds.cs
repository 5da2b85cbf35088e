namespace AgentMark.Normalization.Kinds;

/// <summary>The seven semantic kinds (ingestion §3.2), stored in <c>SemanticKind</c> and served as <c>span_kind</c>.</summary>
public static class SemanticKinds
{
    public const string Function = "function";
    public const string Llm = "llm";
    public const string Tool = "tool";
    public const string Agent = "agent";
    public const string Retrieval = "retrieval";
    public const string Embedding = "embedding";
    public const string Guardrail = "guardrail";

    /// <summary>Exact, lower-case membership (<c>LLM</c> is not a kind).</summary>
    public static bool IsValid(string? kind)
        => kind is Function or Llm or Tool or Agent or Retrieval or Embedding or Guardrail;
}
