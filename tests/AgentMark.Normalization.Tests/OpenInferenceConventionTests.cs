using AgentMark.Core.Spans;
using static AgentMark.Normalization.Tests.Support.Spans;

namespace AgentMark.Normalization.Tests;

/// <summary>The OpenInference attribute table and coercions of ingestion §2.7 and the indexed-message parser (§2.2).</summary>
public sealed class OpenInferenceConventionTests
{
    private const string Scope = "openinference.instrumentation.langchain";

    private static SpanRecord Oi(params (string Key, System.Text.Json.Nodes.JsonNode? Value)[] attributes)
        => Normalize(Scope, [("openinference.span.kind", S("LLM")), .. attributes]);

    [Theory]
    [InlineData("LLM", "GENERATION")]
    [InlineData("llm", "GENERATION")] // upper-cased before the test
    [InlineData("EMBEDDING", "SPAN")]
    [InlineData("RETRIEVER", "SPAN")]
    public void Classify_ByKind(string kind, string type)
        => Assert.Equal(type, Normalize(Scope, ("openinference.span.kind", S(kind))).Type);

    [Fact]
    public void Classify_TokenCountsMakeAGeneration()
    {
        Assert.Equal("GENERATION", Normalize(Scope, ("openinference.span.kind", S("CHAIN")), ("llm.token_count.completion", I(1))).Type);
        Assert.Equal("SPAN", Normalize(Scope, ("openinference.span.kind", S("CHAIN")), ("llm.token_count.total", I(1))).Type);
    }

    [Fact]
    public void Tokens_AreFiniteNum_NotFloored_StringsAccepted()
    {
        var r = Oi(("llm.token_count.prompt", S("12")), ("llm.token_count.completion", D(2.5)), ("llm.token_count.completion_details.reasoning", S(" 3 ")));
        Assert.Equal((12, 2, 14, 3), (r.InputTokens, r.OutputTokens, r.TotalTokens, r.ReasoningTokens)); // stored columns floor 14.5
        Assert.Equal(0, Oi(("llm.token_count.prompt", S("abc"))).InputTokens);
        Assert.Equal(0, Oi(("llm.token_count.prompt", S(""))).InputTokens); // Number("") is 0
    }

    [Fact]
    public void Tokens_ExplicitTotalWins()
        => Assert.Equal(99, Oi(("llm.token_count.prompt", I(1)), ("llm.token_count.completion", I(2)), ("llm.token_count.total", I(99))).TotalTokens);

    [Fact]
    public void Model_OnlyANonEmptyString()
    {
        Assert.Equal("", Oi(("llm.model_name", I(4)), ("llm.provider", S("openai"))).Model);
        Assert.Equal("claude-3-5-haiku", Oi(("llm.model_name", S("claude-3-5-haiku"))).Model);
    }

    [Theory]
    [InlineData("{\"max_tokens\":10,\"maxTokens\":20,\"top_p\":\"0.5\",\"frequencyPenalty\":1}", "{\"maxTokens\":10,\"topP\":0.5,\"frequencyPenalty\":1}")]
    [InlineData("{\"maxTokens\":20,\"max_completion_tokens\":30,\"presence_penalty\":0}", "{\"maxTokens\":20,\"presencePenalty\":0}")]
    [InlineData("{\"max_tokens\":\"lots\",\"maxTokens\":20}", null)] // present but unusable: no fall-through
    [InlineData("{\"model\":\"gpt-4o\"}", null)]
    [InlineData("not json", null)]
    public void Settings_FromInvocationParameters(string parameters, string? settings)
        => Assert.Equal(settings, Oi(("llm.invocation_parameters", S(parameters))).Settings);

    [Fact]
    public void IndexedInput_GapsOrderRolesMultiPartAndToolCalls()
    {
        var r = Oi(
            ("llm.input_messages.10.message.content", S("last")),
            ("llm.input_messages.2.message.role", S("user")),
            ("llm.input_messages.2.message.contents.1.message_content.text", S("world")),
            ("llm.input_messages.2.message.contents.0.message_content.text", S("hello")),
            ("llm.input_messages.2.message.contents.2.message_content.type", S("image")),
            ("llm.input_messages.5.message.role", S("assistant")),
            ("llm.input_messages.5.message.content", S("calling")),
            ("llm.input_messages.5.message.tool_calls.0.tool_call.function.name", S("search")),
            ("llm.input_messages.5.message.tool_calls.0.tool_call.function.arguments", S("not json")),
            ("llm.input_messages.5.message.tool_calls.1.tool_call.id", S("orphan")), // no name: skipped
            ("llm.input_messages.5.message.tool_calls.2.tool_call.id", I(7)),
            ("llm.input_messages.5.message.tool_calls.2.tool_call.function.name", S("calc")),
            ("llm.input_messages.5.message.tool_calls.2.tool_call.function.arguments", S("42")),
            ("llm.input_messages.7.message.role", S("user")),
            ("llm.input_messages.7.message.content", I(5)));
        Assert.Equal(
            "[{\"role\":\"user\",\"content\":\"hello\\nworld\"},"
            + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"calling\"},"
            + "{\"type\":\"tool-call\",\"toolCallId\":\"\",\"toolName\":\"search\",\"args\":{\"raw\":\"not json\"}},"
            + "{\"type\":\"tool-call\",\"toolCallId\":\"7\",\"toolName\":\"calc\",\"args\":{\"raw\":\"42\"}}]},"
            + "{\"role\":\"user\",\"content\":\"5\"},"
            + "{\"role\":\"user\",\"content\":\"last\"}]",
            r.Input);
        Assert.Null(r.ToolCalls); // span-level tool calls come from the output messages only
    }

    [Fact]
    public void IndexedInput_LeadingZerosAreRebuiltAsTheNumber()
        // The reference reads index 7 from ".007." and then looks up ".7.": nothing there, so no message.
        => Assert.Null(Oi(("llm.input_messages.007.message.role", S("user")), ("llm.input_messages.007.message.content", S("x"))).Input);

    [Fact]
    public void GenericInput_WhenThereAreNoMessages()
    {
        Assert.Equal("[{\"role\":\"user\",\"content\":\"{\\\"q\\\":1}\"}]",
            Oi(("input.value", S("{ \"q\" : 1 }")), ("input.mime_type", S("application/json"))).Input);
        Assert.Equal("[{\"role\":\"a\",\"content\":\"x\",\"extra\":1}]",
            Oi(("input.value", S("[{\"role\":\"a\",\"content\":\"x\",\"extra\":1}]")), ("input.mime_type", S("application/json"))).Input);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"{ \\\"q\\\" : 1 }\"}]", Oi(("input.value", S("{ \"q\" : 1 }"))).Input);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"true\"}]", Oi(("input.value", B(true)), ("input.mime_type", S("application/json"))).Input);
    }

    [Fact]
    public void GenericOutput_OnlyWithoutOutputMessages()
    {
        var json = Oi(("output.value", S("{ \"a\" : [1, 2] }")), ("output.mime_type", S("application/json")));
        Assert.Equal("{\"a\":[1,2]}", json.Output);
        Assert.Equal("{\"a\":[1,2]}", json.OutputObject);
        Assert.Equal("plain", Oi(("output.value", S("plain"))).Output);
        var withMessages = Oi(("output.value", S("ignored")), ("llm.output_messages.0.message.role", S("assistant")));
        Assert.Null(withMessages.Output);
    }

    [Fact]
    public void OutputMessages_TextIsJoined_ToolCallsFlattenedInOrder()
    {
        var r = Oi(
            ("llm.output_messages.1.message.tool_calls.0.tool_call.function.name", S("b")),
            ("llm.output_messages.1.message.tool_calls.0.tool_call.function.arguments", S("[1]")),
            ("llm.output_messages.0.message.content", S("first")),
            ("llm.output_messages.0.message.tool_calls.0.tool_call.id", S("c1")),
            ("llm.output_messages.0.message.tool_calls.0.tool_call.function.name", S("a")),
            ("llm.output_messages.2.message.content", S("second")));
        Assert.Equal("first\nsecond", r.Output);
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":\"c1\",\"toolName\":\"a\",\"args\":{}},{\"type\":\"tool-call\",\"toolCallId\":\"\",\"toolName\":\"b\",\"args\":[1]}]", r.ToolCalls);
    }

    [Fact]
    public void RetrievalDocuments_FieldsCoercedAndEmptyOnesSkipped()
    {
        var r = Normalize(Scope,
            ("openinference.span.kind", S("RETRIEVER")),
            ("retrieval.documents.0.document.content", S("")),
            ("retrieval.documents.0.document.score", S("0.25")),
            ("retrieval.documents.1.document.id", S("")),
            ("retrieval.documents.3.document.metadata", S("[1]")),
            ("retrieval.documents.4.document.content", S("b")),
            ("retrieval.documents.4.document.metadata", S("{\"k\":true}")));
        Assert.Equal("{\"documents\":[{\"score\":0.25},{\"content\":\"b\",\"metadata\":{\"k\":true}}]}", r.OutputObject);
        Assert.Equal("b", r.Output);
        Assert.Equal("retrieval", r.SemanticKind);
    }

    [Fact]
    public void SessionUserToolNameAndMetadata()
    {
        var r = Normalize(Scope,
            ("openinference.span.kind", S("TOOL")), ("tool.name", S("lookup")),
            ("session.id", S("")), ("user.id", I(42)),
            ("metadata", S("{\"a\":\"x\",\"b\":{\"c\":[1,null]},\"d\":null}")),
            ("agentmark.metadata.a", S("override")), ("agentmark.metadata.session_id", S("dropped")));
        Assert.Equal("lookup", r.SpanName);
        Assert.Equal("tool", r.SemanticKind);
        Assert.Equal("", r.SessionId); // present → String(v), even ""; agentmark.metadata.session_id is dropped (§9 #11)
        Assert.Equal("42", r.UserId);
        Assert.Equal("{\"a\":\"override\",\"b\":\"{\\\"c\\\":[1,null]}\",\"d\":\"null\"}", r.Metadata);
    }

    [Fact]
    public void DirectAgentMarkKeysAndConversationIdStillApply()
    {
        var r = Oi(("session.id", S("oi")), ("agentmark.session_id", S("am")), ("agentmark.trace_name", S("t")));
        Assert.Equal(("am", "t"), (r.SessionId, r.TraceName));
        Assert.Equal("conv", Oi(("gen_ai.conversation.id", S("conv"))).SessionId);
    }
}
