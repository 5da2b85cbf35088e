using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using static AgentMark.Normalization.Tests.Support.Spans;

namespace AgentMark.Normalization.Tests;

/// <summary>The OpenLLMetry attribute table and coercions of ingestion §2.8 (flattened keys of the Python
/// and older JS SDKs), and the v1.37 message arrays of OpenLLMetry JS 0.27 (deviation).</summary>
public sealed class OpenLlmetryConventionTests
{
    private const string Scope = "opentelemetry.instrumentation.openai.v1";

    private static SpanRecord Ol(params (string Key, JsonNode? Value)[] attributes)
        => Normalize(Scope, [("traceloop.workflow.name", S("wf")), .. attributes]);

    [Theory]
    [InlineData("traceloop.span.kind", "llm", "GENERATION")]
    [InlineData("traceloop.span.kind", "task", "SPAN")]
    [InlineData("gen_ai.usage.prompt_tokens", "1", "GENERATION")]
    [InlineData("gen_ai.usage.completion_tokens", "1", "GENERATION")]
    [InlineData("gen_ai.usage.input_tokens", "x", "GENERATION")]
    [InlineData("gen_ai.usage.output_tokens", "1", "SPAN")]
    public void Classify(string key, string value, string type) => Assert.Equal(type, Ol((key, S(value))).Type);

    [Fact]
    public void Tokens_IntLoose_InputKeyShadowsPromptKey_TotalFallbacks()
    {
        var r = Ol(("gen_ai.usage.prompt_tokens", S("12abc")), ("gen_ai.usage.completion_tokens", D(3.9)));
        Assert.Equal((12, 3, 15), (r.InputTokens, r.OutputTokens, r.TotalTokens));
        var shadowed = Ol(("gen_ai.usage.input_tokens", S("abc")), ("gen_ai.usage.prompt_tokens", I(5)), ("gen_ai.usage.output_tokens", I(1)));
        Assert.Equal((0, 1, 0), (shadowed.InputTokens, shadowed.OutputTokens, shadowed.TotalTokens));
        Assert.Equal(77, Ol(("gen_ai.usage.input_tokens", I(1)), ("llm.usage.total_tokens", S("77"))).TotalTokens);
        Assert.Equal(9, Ol(("gen_ai.usage.total_tokens", S("{\"intValue\":9}")), ("llm.usage.total_tokens", I(77))).TotalTokens);
    }

    [Fact]
    public void Model_FirstExistingKeyDecides()
    {
        Assert.Equal("", Ol(("gen_ai.response.model", S("")), ("gen_ai.request.model", S("gpt-4o"))).Model);
        Assert.Equal("gpt-4o", Ol(("gen_ai.request.model", S("gpt-4o"))).Model);
        Assert.Equal("gpt-4o-2024-08-06", Ol(("gen_ai.response.model", S("gpt-4o-2024-08-06")), ("gen_ai.request.model", S("gpt-4o"))).Model);
    }

    [Fact]
    public void Settings_FiniteNumEach()
    {
        Assert.Equal("{\"temperature\":0.5,\"maxTokens\":100,\"topP\":1,\"presencePenalty\":0,\"frequencyPenalty\":255}",
            Ol(("gen_ai.request.frequency_penalty", S("0xff")), ("gen_ai.request.presence_penalty", S("")), ("gen_ai.request.top_p", I(1)),
               ("gen_ai.request.max_tokens", S("100")), ("gen_ai.request.temperature", D(0.5))).Settings);
        Assert.Null(Ol(("gen_ai.request.temperature", S("warm"))).Settings);
    }

    [Fact]
    public void FinishReason_SingularKeyThenFirstCompletion()
    {
        Assert.Equal("length", Ol(("gen_ai.response.finish_reason", Arr(S("length"), S("stop")))).FinishReason);
        Assert.Null(Ol(("gen_ai.response.finish_reason", Arr()), ("gen_ai.completion.0.finish_reason", S("stop"))).FinishReason);
        Assert.Equal("stop", Ol(("gen_ai.completion.0.finish_reason", S("stop"))).FinishReason);
        Assert.Equal("1", Ol(("gen_ai.response.finish_reason", I(1))).FinishReason);
        Assert.Equal("end_turn", Ol(("gen_ai.response.finish_reasons", S("[\"end_turn\"]"))).FinishReason); // deviation, 0.27
    }

    [Fact]
    public void FlattenedPromptAndCompletion()
    {
        var r = Ol(
            ("gen_ai.prompt.0.role", S("system")), ("gen_ai.prompt.0.content", S("Be brief.")),
            ("gen_ai.prompt.1.content", S("Hi")),
            ("gen_ai.completion.0.role", S("assistant")), ("gen_ai.completion.0.content", S("Hello")),
            ("gen_ai.completion.0.tool_calls.0.id", S("t1")), ("gen_ai.completion.0.tool_calls.0.name", S("search")),
            ("gen_ai.completion.0.tool_calls.0.arguments", S("{\"q\":\"x\"}")),
            ("traceloop.entity.input", S("ignored")), ("traceloop.entity.output", S("ignored")));
        Assert.Equal("[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"}]", r.Input);
        Assert.Equal("Hello", r.Output);
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":\"t1\",\"toolName\":\"search\",\"args\":{\"q\":\"x\"}}]", r.ToolCalls);
    }

    [Fact]
    public void EntityInputAndOutput()
    {
        var r = Ol(("traceloop.entity.input", S("{\"args\":[1]}")), ("traceloop.entity.output", S("[1,2]")));
        Assert.Equal("[{\"role\":\"user\",\"content\":\"{\\\"args\\\":[1]}\"}]", r.Input);
        Assert.Equal("[1,2]", r.Output);
        Assert.Null(r.OutputObject); // an array does not become the output object when it arrives as text
        var native = Ol(("traceloop.entity.input", I(3)), ("traceloop.entity.output", Arr(S("a"))));
        Assert.Equal("[{\"role\":\"user\",\"content\":\"3\"}]", native.Input);
        Assert.Equal("[\"a\"]", native.Output);
        Assert.Equal("[\"a\"]", native.OutputObject);
    }

    [Fact]
    public void EventFallbacks()
    {
        var span = Span(scope: Scope, attributes: [("traceloop.span.kind", S("llm"))], events: [
            new SpanEvent(1, "gen_ai.content.prompt", Map(("gen_ai.prompt", S("question")))),
            new SpanEvent(2, "gen_ai.content.completion", Map(("gen_ai.completion", S("")), ("content", S("answer")))),
        ]);
        var r = Normalize(span);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"question\"}]", r.Input);
        Assert.Equal("answer", r.Output);

        // The event name is not checked: a first event with "content" serves both sides, as in the reference.
        var shared = Normalize(Span(scope: Scope, attributes: [("traceloop.span.kind", S("llm"))], events: [
            new SpanEvent(1, "log", Map(("content", S("both")))),
            new SpanEvent(2, "gen_ai.content.completion", Map(("gen_ai.completion", S("later")))),
        ]));
        Assert.Equal(("[{\"role\":\"user\",\"content\":\"both\"}]", "both"), (shared.Input, shared.Output));
    }

    [Fact]
    public void VectorStoreResults_FromEvents()
    {
        var span = Span(name: "pinecone.query", scope: "x", attributes: [("db.system", S("pinecone"))], events: [
            new SpanEvent(1, "db.query.result", Map(("db.query.result.id", I(1)), ("db.query.result.document", S("doc one")),
                ("db.query.result.score", D(0.9)), ("db.query.result.entity", S("not json")))),
            new SpanEvent(2, "other", Map(("db.query.result.id", S("ignored")))),
            new SpanEvent(3, "db.search.result", Map(("db.search.result.distance", S("0.1")), ("db.search.result.entity", S("{\"k\":1}")))),
            new SpanEvent(4, "db.search.result", Map(("db.search.result.id", S("")))),
        ]);
        var r = Normalize(span);
        Assert.Equal("{\"documents\":[{\"id\":\"1\",\"content\":\"doc one\",\"score\":0.9,\"metadata\":{\"entity\":\"not json\"}},{\"distance\":0.1,\"metadata\":{\"k\":1}}]}", r.OutputObject);
        Assert.Equal("doc one", r.Output);
        Assert.Equal("retrieval", r.SemanticKind);
        Assert.Equal("SPAN", r.Type);
    }

    [Fact]
    public void AssociationProperties_SessionUserAndMetadata()
    {
        var r = Ol(("traceloop.association.properties.session_id", I(5)), ("traceloop.association.properties.user_id", S("u")),
            ("traceloop.association.properties.tier", Arr(S("a"), S("b"))), ("traceloop.association.properties.", S("empty key")),
            ("traceloop.entity.name", S("wf-entity")), ("agentmark.metadata.user_id", S("dropped")), ("agentmark.metadata.tier", S("am")));
        Assert.Equal(("5", "u", "wf-entity"), (r.SessionId, r.UserId, r.TraceName));
        Assert.Equal("{\"tier\":\"am\"}", r.Metadata); // agentmark.metadata.* wins over association properties
        Assert.Equal("agent-x", Ol(("traceloop.entity.name", S("wf")), ("agentmark.trace_name", S("agent-x"))).TraceName);
    }

    [Fact]
    public void SpecMessageArrays_Deviation()
    {
        var r = Ol(
            ("gen_ai.input.messages", S("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"}]}]")),
            ("gen_ai.output.messages", S("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"A\"},{\"type\":\"tool_call\",\"id\":\"c\",\"name\":\"f\",\"arguments\":\"{\\\"x\\\":1}\"}]},{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"B\"}]}]")),
            ("traceloop.entity.output", S("not used")));
        Assert.Equal("[{\"role\":\"user\",\"content\":\"Hi\"}]", r.Input);
        Assert.Equal("A\nB", r.Output);
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":\"c\",\"toolName\":\"f\",\"args\":{\"x\":1}}]", r.ToolCalls);
        // The flattened keys, when present, still win.
        Assert.Equal("[{\"role\":\"user\",\"content\":\"flat\"}]",
            Ol(("gen_ai.prompt.0.content", S("flat")), ("gen_ai.input.messages", S("[{\"role\":\"user\",\"content\":\"spec\"}]"))).Input);
    }
}
