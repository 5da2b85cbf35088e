using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using static AgentMark.Normalization.Tests.Support.Spans;

namespace AgentMark.Normalization.Tests;

/// <summary>The AgentMark SDK convention (ingestion §2.4).</summary>
public sealed class AgentMarkSdkConventionTests
{
    private static SpanRecord Run(params (string Key, JsonNode? Value)[] attributes) => Normalize(Span("span", "agentmark", attributes));

    [Fact]
    public void ResponseModelIsPreferred()
    {
        Assert.Equal("gpt-4o-2024-08-06", Run(("gen_ai.request.model", S("gpt-4o")), ("gen_ai.response.model", S("gpt-4o-2024-08-06"))).Model);
        Assert.Equal("gpt-4o", Run(("gen_ai.request.model", S("gpt-4o")), ("gen_ai.response.model", S(""))).Model);
        Assert.Equal("7", Run(("gen_ai.request.model", I(7))).Model);
    }

    [Fact]
    public void TokensAreNumOnlyFromTheFirstExistingKey()
    {
        var legacy = Run(("gen_ai.usage.prompt_tokens", I(5)), ("gen_ai.usage.completion_tokens", D(2.9)));
        Assert.Equal((5, 2, 7), (legacy.InputTokens, legacy.OutputTokens, legacy.TotalTokens)); // 7.9 total floored

        // The current key exists as a string: it is ignored and the legacy key is NOT consulted.
        var stringCurrent = Run(("gen_ai.usage.input_tokens", S("12")), ("gen_ai.usage.prompt_tokens", I(5)), ("gen_ai.usage.output_tokens", I(3)));
        Assert.Equal((0, 3, 0), (stringCurrent.InputTokens, stringCurrent.OutputTokens, stringCurrent.TotalTokens));
    }

    [Fact]
    public void TotalIsNeverReadFromAKey()
        => Assert.Equal(0, Run(("gen_ai.usage.input_tokens", I(1)), ("gen_ai.usage.total_tokens", I(50))).TotalTokens);

    [Theory]
    [InlineData("[\"stop\",\"length\"]", "stop")]
    [InlineData("[]", null)]
    [InlineData("\"stop\"", null)]   // JSON that is not an array
    [InlineData("{\"a\":1}", null)]
    [InlineData("stop", "stop")]      // not JSON: the raw string
    [InlineData("[1]", "1")]
    public void FinishReasonFromAString(string value, string? expected)
        => Assert.Equal(expected, Run(("gen_ai.response.finish_reasons", S(value))).FinishReason);

    [Fact]
    public void FinishReasonFromANativeArrayIsCommaJoined()
    {
        Assert.Equal("stop", Run(("gen_ai.response.finish_reasons", Arr(S("stop")))).FinishReason);
        Assert.Equal("a,b", Run(("gen_ai.response.finish_reasons", Arr(S("a"), S("b")))).FinishReason);
        Assert.Null(Run(("gen_ai.response.finish_reasons", I(1))).FinishReason);
    }

    [Fact]
    public void SettingsExistWhenEitherKeyExistsAndKeepOnlyNumbers()
    {
        Assert.Equal("{\"maxTokens\":256,\"temperature\":0.2}", Run(("gen_ai.request.temperature", D(0.2)), ("gen_ai.request.max_tokens", I(256))).Settings);
        Assert.Equal("{\"maxTokens\":256}", Run(("gen_ai.request.max_tokens", I(256))).Settings);
        Assert.Equal("{}", Run(("gen_ai.request.temperature", S("0.2"))).Settings);
        Assert.Null(Run(("gen_ai.request.top_p", D(0.9))).Settings);
    }

    [Fact]
    public void RequestInputMessagesArrayIsUsedAsIs()
    {
        const string messages = "[{\"role\":\"user\",\"content\":\"hi\",\"name\":\"bob\"}]";
        Assert.Equal(messages, Run(("gen_ai.request.input", S(messages))).Input);
    }

    [Theory]
    [InlineData("{\"query\":\"x\"}")]          // observe() arguments
    [InlineData("[]")]                         // empty array
    [InlineData("[{\"role\":\"user\"}]")]       // element without content
    [InlineData("[\"a\"]")]
    [InlineData("plain text")]
    public void RequestInputThatIsNotAMessageArrayBecomesOneUserMessage(string value)
    {
        var expected = "[{\"role\":\"user\",\"content\":" + System.Text.Json.JsonSerializer.Serialize(value,
            new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "}]";
        Assert.Equal(expected, Run(("gen_ai.request.input", S(value))).Input);
    }

    [Fact]
    public void AgentMarkRequestInputIsTheSecondChoice()
    {
        Assert.Equal("[{\"role\":\"user\",\"content\":\"b\"}]", Run(("agentmark.request.input", S("b"))).Input);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"a\"}]", Run(("gen_ai.request.input", S("a")), ("agentmark.request.input", S("b"))).Input);
    }

    [Fact]
    public void RequestInputBeatsAgentMarkInput()
        => Assert.Equal("[{\"role\":\"user\",\"content\":\"a\"}]", Run(("gen_ai.request.input", S("a")), ("agentmark.input", S("[{\"role\":\"user\",\"content\":\"b\"}]"))).Input);

    [Fact]
    public void SpecInputMessagesAreConvertedWhenNoAgentMarkInput()
    {
        const string messages = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"a\"},{\"type\":\"image\",\"content\":\"x\"},{\"type\":\"text\",\"content\":\"b\"}]},"
            + "{\"role\":\"assistant\",\"content\":\"c\",\"extra\":1},{\"content\":\"no role\"},{\"role\":\"user\",\"parts\":[]}]";
        Assert.Equal("[{\"role\":\"user\",\"content\":\"a\\nb\"},{\"role\":\"assistant\",\"content\":\"c\"}]",
            Run(("gen_ai.input.messages", S(messages))).Input);
    }

    [Fact]
    public void SpecInputMessagesAreSkippedWhenAgentMarkInputOrPropsIsPresent()
    {
        const string spec = "[{\"role\":\"user\",\"content\":\"from spec\"}]";
        Assert.Equal("[{\"role\":\"user\",\"content\":\"from am\"}]", Run(("gen_ai.input.messages", S(spec)), ("agentmark.input", S("from am"))).Input);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"{\\\"p\\\":1}\"}]", Run(("gen_ai.input.messages", S(spec)), ("agentmark.props", S("{\"p\":1}"))).Input);
    }

    [Fact]
    public void LegacyPromptIsTheLastOtelChoice()
    {
        Assert.Equal("[{\"role\":\"user\",\"content\":\"legacy\"}]", Run(("gen_ai.prompt", S("legacy"))).Input);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"legacy\"}]", Run(("gen_ai.input.messages", S("[]")), ("gen_ai.prompt", S("legacy"))).Input);
    }

    [Fact]
    public void SystemInstructionsArePrependedOnce()
    {
        Assert.Equal("[{\"role\":\"system\",\"content\":\"be brief\\nbe kind\"},{\"role\":\"user\",\"content\":\"q\"}]",
            Run(("gen_ai.request.input", S("q")), ("gen_ai.system_instructions", S("[{\"type\":\"text\",\"content\":\"be brief\"},{\"type\":\"text\",\"content\":\"be kind\"}]"))).Input);
        Assert.Equal("[{\"role\":\"system\",\"content\":\"only system\"}]", Run(("gen_ai.system_instructions", S("\"only system\""))).Input);
        Assert.Equal("[{\"role\":\"system\",\"content\":\"{\\\"a\\\":1}\"}]", Run(("gen_ai.system_instructions", S("{\"a\":1}"))).Input); // other JSON: raw
        Assert.Equal("[{\"role\":\"system\",\"content\":\"plain\"}]", Run(("gen_ai.system_instructions", S("plain"))).Input);
        Assert.Equal("[{\"role\":\"system\",\"content\":\"s1\"},{\"role\":\"user\",\"content\":\"q\"}]",
            Run(("gen_ai.request.input", S("[{\"role\":\"system\",\"content\":\"s1\"},{\"role\":\"user\",\"content\":\"q\"}]")), ("gen_ai.system_instructions", S("s2"))).Input);
    }

    [Fact]
    public void SystemInstructionsAreIgnoredWhenAgentMarkInputIsPresent()
        => Assert.Equal("[{\"role\":\"user\",\"content\":\"x\"}]", Run(("agentmark.input", S("x")), ("gen_ai.system_instructions", S("sys"))).Input);

    [Fact]
    public void AgentMarkInputFallback()
    {
        const string messages = "[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"u\"}]";
        Assert.Equal(messages, Run(("agentmark.input", S(messages))).Input);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"{\\\"ticket\\\":1}\"}]", Run(("agentmark.props", S("{\"ticket\":1}"))).Input);
        // "First existing": an empty agentmark.input hides agentmark.props.
        Assert.Null(Run(("agentmark.input", S("")), ("agentmark.props", S("{\"ticket\":1}"))).Input);
    }

    [Theory]
    [InlineData("{\"a\":1}", "{\"a\":1}")]
    [InlineData("\"hello\"", "\"hello\"")]
    [InlineData("42", "42")]
    [InlineData("0", null)]        // falsy output objects are not stored
    [InlineData("false", null)]
    [InlineData("null", null)]
    [InlineData("not json", null)]
    public void ResponseOutputIsRawPlusParsedObject(string value, string? outputObject)
    {
        var record = Run(("gen_ai.response.output", S(value)));
        Assert.Equal(value, record.Output);
        Assert.Equal(outputObject, record.OutputObject);
    }

    [Fact]
    public void OutputPrecedence()
    {
        Assert.Equal("r", Run(("agentmark.response.output", S("r")), ("agentmark.output", S("am"))).Output);
        Assert.Equal("a\nb", Run(("gen_ai.output.messages", S("[{\"role\":\"assistant\",\"content\":\"a\"},{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"b\"}]}]"))).Output);
        // agentmark.output present: the OTel output keys are skipped.
        Assert.Equal("am", Run(("gen_ai.output.messages", S("[{\"role\":\"assistant\",\"content\":\"a\"}]")), ("agentmark.output", S("am"))).Output);
        var completion = Run(("gen_ai.completion", S("[1,2]")));
        Assert.Equal(("[1,2]", "[1,2]"), (completion.Output, completion.OutputObject));
        Assert.Equal("fallback", Run(("gen_ai.response.output", S("")), ("agentmark.output", S("fallback"))).Output);
    }

    [Fact]
    public void ToolSpanIsRenamedAndCarriesOneCall()
    {
        var record = Normalize(Span("execute_tool search", "agentmark", [
            ("gen_ai.tool.name", S("search")), ("gen_ai.tool.call.id", S("c1")),
            ("gen_ai.tool.input", S("{\"q\":\"x\"}")), ("gen_ai.tool.output", S("[\"r\"]"))]));
        Assert.Equal("search", record.SpanName);
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":\"c1\",\"toolName\":\"search\",\"args\":{\"q\":\"x\"},\"result\":\"[\\\"r\\\"]\"}]", record.ToolCalls);
        Assert.Equal("tool", record.SemanticKind);
    }

    [Fact]
    public void ToolArgumentsAndIdEdgeCases()
    {
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":\"\",\"toolName\":\"t\",\"args\":{\"raw\":\"not json\"}}]",
            Run(("gen_ai.tool.name", S("t")), ("gen_ai.tool.call.id", I(5)), ("gen_ai.tool.input", S("not json"))).ToolCalls);
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":\"\",\"toolName\":\"t\",\"args\":{}}]",
            Run(("gen_ai.tool.name", S("t")), ("gen_ai.tool.output", S(""))).ToolCalls);
        Assert.Null(Run(("gen_ai.tool.name", I(5))).ToolCalls);
        // gen_ai.tool.call.arguments is the OTel GenAI key, not read here.
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":\"\",\"toolName\":\"t\",\"args\":{}}]",
            Run(("gen_ai.tool.name", S("t")), ("gen_ai.tool.call.arguments", S("{\"a\":1}"))).ToolCalls);
    }

    [Fact]
    public void MetadataPrefixedGroupingKeysArePromotedAndDirectKeysWin()
    {
        var record = Run(
            ("agentmark.metadata.session_id", S("meta-session")), ("agentmark.metadata.user_id", S("meta-user")),
            ("agentmark.user_id", S("direct-user")), ("agentmark.metadata.dataset_input", S("dropped")),
            ("agentmark.metadata.prompt_name", S("p")), ("agentmark.metadata.dataset_run_id", S("run")));
        Assert.Equal("meta-session", record.SessionId);
        Assert.Equal("direct-user", record.UserId);
        Assert.Equal("p", record.PromptName);
        Assert.Equal("run", record.DatasetRunId);
        Assert.Equal("", record.DatasetInput);
        Assert.Null(record.Metadata);
    }

    [Fact]
    public void SpanIoConformanceVector_PromptSpanWithoutUsage()
    {
        // span-io.json shape: the runner's prompt span with model "test" (unpriced) and null usage.
        var record = Normalize(Span("prompt", "agentmark", [
            ("agentmark.input", S("[{\"role\":\"user\",\"content\":\"Hi\"}]")), ("agentmark.output", S("Hello!")),
            ("gen_ai.request.model", S("test")), ("gen_ai.operation.name", S("chat")), ("agentmark.span.kind", S("llm"))]));
        Assert.Equal(("GENERATION", "llm", "test"), (record.Type, record.SemanticKind, record.Model));
        Assert.Equal("[{\"role\":\"user\",\"content\":\"Hi\"}]", record.Input);
        Assert.Equal(("Hello!", null), (record.Output, record.OutputObject));
        Assert.Equal((0, 0, 0, 0.0), (record.InputTokens, record.OutputTokens, record.TotalTokens, record.Cost));
    }
}
