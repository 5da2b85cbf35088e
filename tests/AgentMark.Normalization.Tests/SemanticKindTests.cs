using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using static AgentMark.Normalization.Tests.Support.Spans;

namespace AgentMark.Normalization.Tests;

/// <summary>Semantic kind resolution (ingestion §3.2), rule by rule, through the whole pipeline.</summary>
public sealed class SemanticKindTests
{
    private static string Kind(string name, string? scope, params (string Key, JsonNode? Value)[] attributes)
        => Normalize(Span(name, scope, attributes)).SemanticKind;

    [Theory]
    [InlineData("function")]
    [InlineData("llm")]
    [InlineData("tool")]
    [InlineData("agent")]
    [InlineData("retrieval")]
    [InlineData("embedding")]
    [InlineData("guardrail")]
    public void Rule1_ExplicitAgentMarkKindWins(string kind)
        => Assert.Equal(kind, Kind("research", "ai", ("agentmark.span.kind", S(kind)), ("openinference.span.kind", S("TOOL"))));

    [Fact]
    public void Rule1_UpperCaseOrUnknownKindFallsThrough()
    {
        Assert.Equal("tool", Kind("x", null, ("agentmark.span.kind", S("LLM")), ("openinference.span.kind", S("tool"))));
        Assert.Equal("function", Kind("x", null, ("agentmark.span.kind", S("workflow"))));
    }

    [Theory]
    [InlineData("CHAIN", "function")]
    [InlineData("llm", "llm")]
    [InlineData("Tool", "tool")]
    [InlineData("AGENT", "agent")]
    [InlineData("RETRIEVER", "retrieval")]
    [InlineData("RERANKER", "retrieval")]
    [InlineData("EMBEDDING", "embedding")]
    [InlineData("GUARDRAIL", "guardrail")]
    [InlineData("EVALUATOR", "function")] // unmapped: falls through to the default
    public void Rule2_OpenInferenceKind(string value, string expected)
        => Assert.Equal(expected, Kind("x", "agentmark", ("openinference.span.kind", S(value))));

    [Theory]
    [InlineData("ai.operationId", "embed", "embedding")]
    [InlineData("ai.operationId", "ai.embed", "embedding")]
    [InlineData("ai.operationId", "generateText", "llm")]
    [InlineData("ai.operationId", "ai.streamText", "llm")]
    [InlineData("ai.operationId", "ai.generateObject", "llm")]
    [InlineData("ai.operationId", "streamObject", "llm")]
    [InlineData("ai.operationId", "ai.embedMany", "function")]
    [InlineData("ai.operationId", "ai.toolCall", "function")]
    [InlineData("traceloop.span.kind", "LLM", "llm")]
    [InlineData("traceloop.span.kind", "TOOL", "tool")]
    [InlineData("traceloop.span.kind", "AGENT", "agent")]
    [InlineData("traceloop.span.kind", "WORKFLOW", "function")]
    [InlineData("traceloop.span.kind", "TASK", "function")]
    [InlineData("langchain.run_type", "llm", "llm")]
    [InlineData("langchain.run_type", "chat_model", "llm")]
    [InlineData("langchain.run_type", "retriever", "retrieval")]
    [InlineData("langchain.run_type", "tool", "tool")]
    [InlineData("langchain.run_type", "chain", "function")]
    [InlineData("langchain.run_type", "embedding", "embedding")]
    [InlineData("genkit:type", "model", "llm")]
    [InlineData("genkit:type", "tool", "tool")]
    [InlineData("genkit:type", "flow", "function")]
    [InlineData("genkit:type", "retriever", "retrieval")]
    [InlineData("genkit:type", "embedder", "embedding")]
    public void Rule3_FrameworkKinds(string key, string value, string expected)
        => Assert.Equal(expected, Kind("x", "some.scope", (key, S(value))));

    [Fact]
    public void Rule3b_IsExact()
    {
        // Scope agentmark so the type (SPAN) does not depend on the key; under the dispatcher the OpenLLMetry
        // convention classifies lower-case "llm" as a GENERATION, and rule 6 then gives llm.
        Assert.Equal("function", Kind("x", "agentmark", ("traceloop.span.kind", S("llm"))));
        Assert.Equal("llm", Kind("x", "some.scope", ("traceloop.span.kind", S("llm"))));
    }

    [Fact]
    public void Rule3_AnUnmappedValueDoesNotStopTheSearch()
        => Assert.Equal("retrieval", Kind("x", "s", ("ai.operationId", S("ai.toolCall")), ("langchain.run_type", S("retriever"))));

    [Fact]
    public void Rule3_OrderIsAiSdkThenTraceloopThenLangChainThenGenkit()
        => Assert.Equal("embedding", Kind("x", "s", ("genkit:type", S("tool")), ("traceloop.span.kind", S("TOOL")), ("ai.operationId", S("embed"))));

    [Fact]
    public void Rule4_VectorStoreIsRetrieval()
    {
        Assert.Equal("retrieval", Kind("query", "s", ("db.system", S("weaviate")), ("gen_ai.operation.name", S("chat"))));
        var withEvent = Span("query", "s", events: [new SpanEvent(1, "db.search.result", Map())]);
        Assert.Equal("retrieval", Normalize(withEvent).SemanticKind);
    }

    [Theory]
    [InlineData("chat", "llm")]
    [InlineData("CHAT", "llm")]
    [InlineData("text_completion", "llm")]
    [InlineData("generate_content", "llm")]
    [InlineData("embeddings", "embedding")]
    [InlineData("execute_tool", "function")]
    [InlineData("invoke_agent", "function")] // no rule maps invoke_agent to agent
    public void Rule5_OperationName(string operation, string expected)
        => Assert.Equal(expected, Kind("x", "s", ("gen_ai.operation.name", S(operation))));

    [Fact]
    public void Rule6_GenerationIsLlm() => Assert.Equal("llm", Kind("ai.streamText.doStream", "ai"));

    [Fact]
    public void Rule7_AModelIsLlm() => Assert.Equal("llm", Kind("my-step", "s", ("gen_ai.request.model", S("gpt-4o"))));

    [Fact]
    public void Rule8_ToolCallsAreTool()
        => Assert.Equal("tool", Kind("execute_tool lookup", "s", ("gen_ai.tool.name", S("lookup"))));

    [Fact]
    public void Rule8_AiSdkToolSpanWithoutIdHasNoToolCallsAndIsFunction()
    {
        var record = Normalize(Span("ai.toolCall", "ai", [("ai.toolCall.name", S("get_weather")), ("ai.toolCall.args", S("{}"))]));
        Assert.Equal("get_weather", record.SpanName);
        Assert.Null(record.ToolCalls);
        Assert.Equal("function", record.SemanticKind);
    }

    [Theory]
    [InlineData("vector-retriever", "retrieval")]
    [InlineData("Web Search", "retrieval")]
    [InlineData("storage-writer", "retrieval")] // contains "rag": raw substring test, as the reference
    [InlineData("research", "retrieval")]       // contains "search"
    [InlineData("EmbedDocs", "embedding")]
    [InlineData("input-guard", "guardrail")]
    [InlineData("safety-check", "guardrail")]
    [InlineData("format-answer", "function")]
    public void Rules9To12_NameHeuristics(string name, string expected) => Assert.Equal(expected, Kind(name, "s"));

    [Fact]
    public void NameHeuristicsUseTheRenamedToolName()
    {
        // AI SDK tool span without an id: no tool calls, renamed to the tool, whose name decides.
        var record = Normalize(Span("ai.toolCall", "ai", [("ai.toolCall.name", S("web_search"))]));
        Assert.Equal("retrieval", record.SemanticKind);
    }
}
