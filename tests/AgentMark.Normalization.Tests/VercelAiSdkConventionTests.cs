using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using static AgentMark.Normalization.Tests.Support.Spans;

namespace AgentMark.Normalization.Tests;

/// <summary>The Vercel AI SDK convention (ingestion §2.5), v4 and v5 strategies.</summary>
public sealed class VercelAiSdkConventionTests
{
    /// <summary>Any <c>ai.response.*</c> key makes a span v5.</summary>
    private static readonly (string, JsonNode?) V5Marker = ("ai.response.text", S("done"));

    private static SpanRecord Run(string name, params (string Key, JsonNode? Value)[] attributes) => Normalize(Span(name, "ai", attributes));

    private static SpanRecord V5(params (string Key, JsonNode? Value)[] attributes) => Run("ai.generateText.doGenerate", [V5Marker, .. attributes]);

    private static SpanRecord V4(params (string Key, JsonNode? Value)[] attributes) => Run("ai.generateText.doGenerate", attributes);

    [Fact]
    public void RequestModelWinsOverResponseModel()
    {
        Assert.Equal("gpt-4o-mini", V5(("gen_ai.response.model", S("gpt-4o-mini-2024-07-18")), ("gen_ai.request.model", S("gpt-4o-mini"))).Model);
        Assert.Equal("from-ai-model-id", V5(("ai.response.model", S("x")), ("ai.model.id", S("from-ai-model-id"))).Model);
    }

    [Fact]
    public void V4ReadsResultKeysAndLegacyTokenKeys()
    {
        var record = V4(
            ("ai.result.text", S("v4 text")), ("ai.result.object", S("{\"k\":1}")), ("ai.result.finishReason", S("length")),
            ("ai.result.toolCalls", S("[{\"toolCallId\":\"c\",\"toolName\":\"t\",\"args\":{\"a\":1},\"input\":{\"b\":2},\"providerMetadata\":{\"x\":1}}]")),
            ("gen_ai.usage.prompt_tokens", S("10")), ("ai.usage.completionTokens", I(4)), ("ai.usage.reasoningTokens", I(99)));
        Assert.Equal("v4 text", record.Output);
        Assert.Equal("{\"k\":1}", record.OutputObject);
        Assert.Equal("length", record.FinishReason);
        // v4: args before input, and no providerMetadata.
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":\"c\",\"toolName\":\"t\",\"args\":{\"a\":1}}]", record.ToolCalls);
        Assert.Equal((10, 4, 14), (record.InputTokens, record.OutputTokens, record.TotalTokens));
        Assert.Equal(0, record.ReasoningTokens); // v4 does not read ai.usage.reasoningTokens
    }

    [Fact]
    public void V5IgnoresItsOwnUsageKeysAndV4WrappersUseTheirs()
    {
        var v5Wrapper = Run("ai.generateText", V5Marker, ("ai.usage.inputTokens", I(300)), ("ai.usage.outputTokens", I(65)), ("ai.model.id", S("gpt-4o")));
        Assert.Equal((0, 0, 0, 0.0), (v5Wrapper.InputTokens, v5Wrapper.OutputTokens, v5Wrapper.TotalTokens, v5Wrapper.Cost));
        var v4Wrapper = Run("ai.generateText", ("ai.result.text", S("x")), ("ai.usage.promptTokens", I(1000)), ("ai.usage.completionTokens", I(0)), ("ai.model.id", S("gpt-4o")));
        Assert.Equal((1000, 0, 1000), (v4Wrapper.InputTokens, v4Wrapper.OutputTokens, v4Wrapper.TotalTokens));
        Assert.Equal(0.0025, v4Wrapper.Cost, 12);
    }

    [Fact]
    public void V5TokensAreIntLooseWithExplicitTotal()
    {
        var record = V5(("gen_ai.usage.input_tokens", S("12")), ("gen_ai.usage.output_tokens", D(3.7)), ("gen_ai.usage.total_tokens", S("20abc")));
        Assert.Equal((12, 3, 20), (record.InputTokens, record.OutputTokens, record.TotalTokens));
    }

    [Fact]
    public void ReasoningTokens()
    {
        Assert.Equal(7, V5(("ai.usage.reasoningTokens", S("7"))).ReasoningTokens);
        Assert.Equal(11, V5(("ai.response.providerMetadata", S("{\"openai\":{\"reasoningTokens\":11}}"))).ReasoningTokens);
        Assert.Equal(11, V5(("ai.response.providerMetadata", new JsonObject { ["openai"] = new JsonObject { ["reasoningTokens"] = 11 } })).ReasoningTokens);
        Assert.Equal(0, V5(("ai.response.providerMetadata", S("{\"openai\":{\"reasoningTokens\":\"11\"}}"))).ReasoningTokens);
        // The provider route is used only when ai.usage.reasoningTokens is absent.
        Assert.Equal(0, V5(("ai.usage.reasoningTokens", I(0)), ("ai.response.providerMetadata", S("{\"openai\":{\"reasoningTokens\":11}}"))).ReasoningTokens);
        Assert.Equal(13, V4(("ai.response.providerMetadata", S("{\"openai\":{\"reasoningTokens\":13}}"))).ReasoningTokens);
    }

    [Fact]
    public void V5OutputKeepsEmptyTextAndObjectRules()
    {
        Assert.Null(V5(("ai.response.text", S(""))).Output);
        Assert.Equal("{\"a\":[1]}", V5(("ai.response.object", S("{\"a\":[1]}"))).OutputObject);
        Assert.Null(V5(("ai.response.object", S("{broken"))).OutputObject);
        Assert.Null(V5(("ai.response.object", I(5))).OutputObject);
        Assert.Equal("{\"k\":\"v\"}", V5(("ai.response.object", new JsonObject { ["k"] = "v" })).OutputObject);
    }

    [Fact]
    public void V5ToolCallsMapInputAndProviderMetadata()
    {
        var record = V5(("ai.response.toolCalls", S(
            "[{\"toolCallId\":\"a\",\"toolName\":\"t\",\"input\":{\"x\":1},\"args\":{\"y\":2},\"providerOptions\":{\"o\":1}},"
            + "{\"type\":\"custom\",\"toolName\":\"u\",\"args\":{\"y\":2},\"providerMetadata\":{\"m\":1}},"
            + "{\"toolCallId\":null,\"input\":\"\"},"
            + "\"not an object\"]")));
        Assert.Equal(
            "[{\"type\":\"tool-call\",\"toolCallId\":\"a\",\"toolName\":\"t\",\"args\":{\"x\":1},\"providerMetadata\":{\"o\":1}},"
            + "{\"type\":\"custom\",\"toolName\":\"u\",\"args\":{\"y\":2},\"providerMetadata\":{\"m\":1}},"
            + "{\"type\":\"tool-call\",\"toolCallId\":null,\"args\":{}},"
            + "{\"type\":\"tool-call\",\"args\":{}}]", record.ToolCalls);
    }

    [Fact]
    public void UnusableToolCallListMeansNoToolCallsAndNoFallback()
    {
        (string, JsonNode?)[] perCall = [("ai.toolCall.name", S("t")), ("ai.toolCall.id", S("c"))];
        Assert.Null(V5([("ai.response.toolCalls", S("{not json")), .. perCall]).ToolCalls);
        Assert.Null(V5([("ai.response.toolCalls", S("{\"a\":1}")), .. perCall]).ToolCalls);
        Assert.Equal("[]", V5(("ai.response.toolCalls", S("[]"))).ToolCalls);
    }

    [Fact]
    public void PerCallFallback()
    {
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":\"c\",\"toolName\":\"t\",\"args\":{\"k\":[1,null]},\"result\":\"{\\\"r\\\":1}\"}]",
            Run("ai.toolCall", ("ai.toolCall.name", S("t")), ("ai.toolCall.id", S("c")),
                ("ai.toolCall.args", new JsonObject { ["k"] = new JsonArray(1, null) }),
                ("ai.toolCall.result", new JsonObject { ["r"] = 1 })).ToolCalls);
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":\"7\",\"toolName\":\"t\",\"args\":{}}]",
            Run("ai.toolCall", ("ai.toolCall.name", S("t")), ("ai.toolCall.id", I(7)), ("ai.toolCall.args", S("{broken"))).ToolCalls);
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":\"c\",\"toolName\":\"t\",\"args\":{},\"result\":\"42\"}]",
            Run("ai.toolCall", ("ai.toolCall.name", S("t")), ("ai.toolCall.id", S("c")), ("ai.toolCall.args", I(5)), ("ai.toolCall.result", I(42))).ToolCalls);
        Assert.Null(Run("ai.toolCall", ("ai.toolCall.name", S("t")), ("ai.toolCall.id", S(""))).ToolCalls);
    }

    [Fact]
    public void ToolCallNameRenamesAnyAiSdkSpan()
    {
        Assert.Equal("lookup", Run("ai.generateText", ("ai.toolCall.name", S("lookup"))).SpanName);
        Assert.Equal("ai.toolCall", Run("ai.toolCall", ("ai.toolCall.name", I(1))).SpanName);
    }

    [Theory]
    [InlineData("[\"stop\"]", "stop")]  // JSON-encoded array (Microsoft.Extensions.AI style)
    [InlineData("[]", "[]")]            // an empty array is not "non-empty": String(value)
    [InlineData("weird", "weird")]
    public void FinishReasonFallbackFromStringFinishReasons(string value, string expected)
        => Assert.Equal(expected, V5(("gen_ai.response.finish_reasons", S(value))).FinishReason);

    [Fact]
    public void FinishReasonPrecedence()
    {
        Assert.Equal("tool-calls", V5(("ai.response.finishReason", S("tool-calls")), ("gen_ai.response.finish_reasons", Arr(S("stop")))).FinishReason);
        Assert.Equal("stop", V5(("gen_ai.response.finish_reasons", Arr(S("stop"), S("x")))).FinishReason);
        Assert.Null(V5(("gen_ai.response.finish_reasons", Arr())).FinishReason);
        Assert.Equal("r", V4(("ai.result.finishReason", S("r")), ("ai.response.finishReason", S("s"))).FinishReason);
        Assert.Equal("s", V4(("ai.response.finishReason", S("s"))).FinishReason);
    }

    [Fact]
    public void SettingsOtelKeysWinAndValuesAreParsedLikeJavaScript()
    {
        var record = V5(
            ("ai.settings.temperature", D(0.9)), ("gen_ai.request.temperature", S("0.5")),
            ("ai.settings.maxTokens", S("256.9")),
            ("ai.settings.topP", S("high")),
            ("gen_ai.request.presence_penalty", D(0.1)), ("ai.settings.frequencyPenalty", I(2)),
            ("ai.settings.maxRetries", I(2)), ("ai.settings.maxOutputTokens", I(99)));
        Assert.Equal("{\"temperature\":0.5,\"maxTokens\":256,\"topP\":null,\"presencePenalty\":0.1,\"frequencyPenalty\":2}", record.Settings);
        Assert.Null(V5(("ai.settings.maxRetries", I(2))).Settings);
        Assert.Equal("{\"maxTokens\":9007199254740993}", V5(("gen_ai.request.max_tokens", I(9007199254740993))).Settings);
    }

    [Fact]
    public void MetadataPrecedence()
    {
        var record = V5(
            ("agentmark.metadata.session_id", S("am-session")), ("ai.telemetry.metadata.session_id", S("telemetry-session")),
            ("agentmark.metadata.user_id", S("am-user")),
            ("agentmark.metadata.env", S("am-env")), ("ai.telemetry.metadata.env", S("telemetry-env")),
            ("ai.telemetry.metadata.region", S("eu")), ("ai.telemetry.metadata.commit_sha", S("abc")));
        Assert.Equal("telemetry-session", record.SessionId); // promoted fields: ai.telemetry wins
        Assert.Equal("am-user", record.UserId);
        Assert.Equal("abc", record.CommitSha);
        // custom keys: agentmark.metadata wins (universal overlay), order of first appearance kept
        Assert.Equal("{\"env\":\"am-env\",\"region\":\"eu\",\"commit_sha\":\"abc\"}", record.Metadata);
        Assert.Equal("direct", V5(("agentmark.session_id", S("direct")), ("ai.telemetry.metadata.session_id", S("t"))).SessionId);
    }

    [Fact]
    public void PromptAsPlainStringOrUnparseableText()
    {
        Assert.Equal("[{\"role\":\"user\",\"content\":\"hello there\"}]", V5(("ai.prompt", S("hello there"))).Input);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"quoted\"}]", V5(("ai.prompt", S("\"quoted\""))).Input);
        Assert.Null(V5(("ai.prompt", S("42"))).Input);
        Assert.Null(V5(("ai.prompt", S("{\"neither\":true}"))).Input);
    }

    [Fact]
    public void PromptObjectWithMessagesAndSystem()
    {
        Assert.Equal("[{\"role\":\"system\",\"content\":\"S\"},{\"role\":\"user\",\"content\":\"u\"}]",
            V5(("ai.prompt", S("{\"system\":\"S\",\"messages\":[{\"role\":\"user\",\"content\":\"u\"}]}"))).Input);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"p\"}]", V5(("ai.prompt", S("{\"system\":5,\"prompt\":\"p\"}"))).Input);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"a\"}]", V5(("ai.prompt", S("{\"prompt\":\"p\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}"))).Input);
    }

    [Fact]
    public void PromptMessagesWinOverPrompt()
        => Assert.Equal("[{\"role\":\"user\",\"content\":\"m\"}]", V5(("ai.prompt", S("p")), ("ai.prompt.messages", S("[{\"role\":\"user\",\"content\":\"m\"}]"))).Input);

    [Fact]
    public void MessagesAreNormalizedKeepingExtraProperties()
    {
        var input = V5(("ai.prompt.messages", S(
            "[{\"content\":\"c\",\"role\":\"user\",\"providerOptions\":{\"x\":1}},"
            + "{\"role\":\"\",\"content\":[\"raw part\",{\"type\":\"text\"},{\"type\":\"image\",\"image\":\"data\"},5]},"
            + "{\"role\":\"assistant\"},"
            + "\"not a message\","
            + "{\"role\":\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"single\",\"extra\":1}}]"))).Input;
        Assert.Equal(
            "[{\"role\":\"user\",\"content\":\"c\",\"providerOptions\":{\"x\":1}},"
            + "{\"role\":\"\",\"content\":[\"raw part\",{\"type\":\"text\",\"text\":\"\"},{\"type\":\"image\",\"image\":\"data\"},5]},"
            + "{\"role\":\"assistant\"},"
            + "\"not a message\","
            + "{\"role\":\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"single\"}}]", input);
    }

    [Fact]
    public void ToolPartsV5AndV4()
    {
        const string messages = "[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool-call\",\"toolCallId\":\"c\",\"toolName\":\"t\",\"input\":{\"i\":1},\"args\":{\"a\":1}}]},"
            + "{\"role\":\"tool\",\"content\":[{\"type\":\"tool-result\",\"toolCallId\":\"c\",\"toolName\":\"t\",\"output\":{\"type\":\"text\",\"value\":\"v\"},\"result\":\"r\"},"
            + "{\"type\":\"tool-result\",\"output\":{\"type\":\"error\"}},{\"type\":\"tool-result\",\"output\":\"scalar\"},{\"type\":\"tool-result\",\"result\":\"r2\"},{\"type\":\"tool-result\"}]}]";
        Assert.Equal(
            "[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool-call\",\"toolCallId\":\"c\",\"toolName\":\"t\",\"args\":{\"i\":1}}]},"
            + "{\"role\":\"tool\",\"content\":[{\"type\":\"tool-result\",\"toolCallId\":\"c\",\"toolName\":\"t\",\"result\":\"v\"},"
            + "{\"type\":\"tool-result\",\"toolCallId\":\"\",\"toolName\":\"\",\"result\":{\"type\":\"error\"}},"
            + "{\"type\":\"tool-result\",\"toolCallId\":\"\",\"toolName\":\"\",\"result\":\"scalar\"},"
            + "{\"type\":\"tool-result\",\"toolCallId\":\"\",\"toolName\":\"\",\"result\":\"r2\"},"
            + "{\"type\":\"tool-result\",\"toolCallId\":\"\",\"toolName\":\"\"}]}]",
            V5(("ai.prompt.messages", S(messages))).Input);
        Assert.Equal(
            "[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool-call\",\"toolCallId\":\"c\",\"toolName\":\"t\",\"args\":{\"a\":1}}]},"
            + "{\"role\":\"tool\",\"content\":[{\"type\":\"tool-result\",\"toolCallId\":\"c\",\"toolName\":\"t\",\"result\":\"r\"},"
            + "{\"type\":\"tool-result\",\"toolCallId\":\"\",\"toolName\":\"\"},"
            + "{\"type\":\"tool-result\",\"toolCallId\":\"\",\"toolName\":\"\"},"
            + "{\"type\":\"tool-result\",\"toolCallId\":\"\",\"toolName\":\"\",\"result\":\"r2\"},"
            + "{\"type\":\"tool-result\",\"toolCallId\":\"\",\"toolName\":\"\"}]}]",
            V4(("ai.prompt.messages", S(messages))).Input);
    }

    [Fact]
    public void NativeArrayPromptMessagesAreCopiedNotMoved()
    {
        var span = Span("ai.generateText.doGenerate", "ai", [V5Marker,
            ("ai.prompt.messages", new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }))]);
        var first = Normalize(span);
        var second = Normalize(span);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"hi\"}]", first.Input);
        Assert.Equal(first.Input, second.Input);
        Assert.Contains("\"ai.prompt.messages\":[{\"role\":\"user\",\"content\":\"hi\"}]", second.SpanAttributes);
    }
}
