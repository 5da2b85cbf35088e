using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using static AgentMark.Normalization.Tests.Support.Spans;

namespace AgentMark.Normalization.Tests;

/// <summary>The OTel GenAI convention (ingestion §2.9), reached through the dispatcher.</summary>
public sealed class OtelGenAiConventionTests
{
    private static SpanRecord Run(params (string Key, JsonNode? Value)[] attributes) => Normalize(Span("chat m", "my.instrumentation", attributes));

    [Fact]
    public void ModelIsTheFirstTruthyValueAndMustBeAString()
    {
        Assert.Equal("resp", Run(("gen_ai.request.model", S("req")), ("gen_ai.response.model", S("resp"))).Model);
        Assert.Equal("req", Run(("gen_ai.request.model", S("req")), ("gen_ai.response.model", S(""))).Model);
        Assert.Equal("", Run(("gen_ai.request.model", S("req")), ("gen_ai.response.model", I(5))).Model);
    }

    [Fact]
    public void TokensAreNumOnly()
    {
        var record = Run(("gen_ai.usage.prompt_tokens", I(3)), ("gen_ai.usage.completion_tokens", I(4)));
        Assert.Equal((3, 4, 7), (record.InputTokens, record.OutputTokens, record.TotalTokens));
        Assert.Equal(0, Run(("gen_ai.usage.input_tokens", S("12"))).InputTokens);
        Assert.Equal(12, Run(("gen_ai.usage.input_tokens", D(12.9))).InputTokens);
    }

    [Fact]
    public void OrchestrateToolsReadsNoUsage()
    {
        var record = Normalize(Span("orchestrate_tools", "Experimental.Microsoft.Extensions.AI", [
            ("gen_ai.request.model", S("gpt-4o-mini")), ("gen_ai.usage.input_tokens", I(300)), ("gen_ai.usage.output_tokens", I(80))]));
        Assert.Equal(("SPAN", 0L, 0L, 0L, 0.0), (record.Type, record.InputTokens, record.OutputTokens, record.TotalTokens, record.Cost));
        Assert.Equal("gpt-4o-mini", record.Model);
        Assert.Equal("llm", record.SemanticKind); // it carries a model (rule 7)
        Assert.DoesNotContain("gen_ai.usage.cost", record.SpanAttributes);
        Assert.Contains("\"gen_ai.usage.input_tokens\":300", record.SpanAttributes); // raw attributes still stored
    }

    [Fact]
    public void FinishReasons()
    {
        Assert.Equal("stop", Run(("gen_ai.response.finish_reasons", Arr(S("stop"), S("length")))).FinishReason);
        Assert.Equal("stop", Run(("gen_ai.response.finish_reasons", S("[\"stop\"]"))).FinishReason); // Microsoft.Extensions.AI
        Assert.Null(Run(("gen_ai.response.finish_reasons", S("stop"))).FinishReason);
        Assert.Null(Run(("gen_ai.response.finish_reasons", Arr())).FinishReason);
        Assert.Null(Run(("gen_ai.response.finish_reasons", S("[]"))).FinishReason);
    }

    [Fact]
    public void SettingsHaveOnlyANumericTemperature()
    {
        Assert.Equal("{\"temperature\":1}", Run(("gen_ai.request.temperature", I(1)), ("gen_ai.request.max_tokens", I(100))).Settings);
        Assert.Null(Run(("gen_ai.request.max_tokens", I(100))).Settings);
        Assert.Null(Run(("gen_ai.request.temperature", S("0.3"))).Settings);
    }

    [Fact]
    public void InputMessagesKeepWholeMessagesOrBuildTextFromParts()
    {
        const string messages = "[{\"role\":\"user\",\"content\":\"hi\",\"name\":\"u1\"},{\"role\":\"assistant\",\"content\":\"\"},"
            + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"a\"},{\"type\":\"text\",\"content\":\"\"},{\"type\":\"text\",\"content\":3},{\"type\":\"blob\",\"content\":\"x\"}]},"
            + "{\"role\":\"user\",\"parts\":[{\"type\":\"blob\"}]},{\"role\":\"\",\"content\":\"no role\"}]";
        Assert.Equal("[{\"role\":\"user\",\"content\":\"hi\",\"name\":\"u1\"},{\"role\":\"user\",\"content\":\"a\\n3\"}]",
            Run(("gen_ai.input.messages", S(messages))).Input);
    }

    [Fact]
    public void InputKeysInOrderAndLegacyPromptMustBeJson()
    {
        const string m = "[{\"role\":\"user\",\"content\":\"from request.input\"}]";
        Assert.Equal(m, Run(("gen_ai.request.input", S(m)), ("gen_ai.prompt", S("[{\"role\":\"user\",\"content\":\"legacy\"}]"))).Input);
        Assert.Null(Run(("gen_ai.prompt", S("plain legacy prompt"))).Input);
        // The first existing key is used even when it yields nothing.
        Assert.Null(Run(("gen_ai.input.messages", S("[]")), ("gen_ai.request.input", S(m))).Input);
    }

    [Fact]
    public void SystemInstructions()
    {
        Assert.Equal("[{\"role\":\"system\",\"content\":\"plain\"}]", Run(("gen_ai.system_instructions", S("plain"))).Input);
        Assert.Equal("[{\"role\":\"system\",\"content\":\"json string\"}]", Run(("gen_ai.system_instructions", S("\"json string\""))).Input);
        Assert.Null(Run(("gen_ai.system_instructions", S("{\"a\":1}"))).Input); // other JSON: nothing
        Assert.Null(Run(("gen_ai.system_instructions", S("[]"))).Input);
        Assert.Equal("[{\"role\":\"system\",\"content\":\"s\"}]",
            Run(("gen_ai.input.messages", S("[{\"role\":\"system\",\"content\":\"s\"}]")), ("gen_ai.system_instructions", S("other"))).Input);
    }

    [Fact]
    public void OutputFromToolCallPartTextPartsOrRawText()
    {
        var structured = Run(("gen_ai.output.messages", S(
            "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"thinking\"}]},"
            + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"name\":\"final_result\",\"arguments\":{\"answer\":42}}]}]")));
        Assert.Equal(("{\"answer\":42}", "{\"answer\":42}"), (structured.Output, structured.OutputObject));

        var text = Run(("gen_ai.output.messages", S("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"arguments\":\"\"}]},{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"a\"},{\"type\":\"text\",\"content\":\"b\"}]}]")));
        Assert.Equal(("a\nb", (string?)null), (text.Output, text.OutputObject));

        // Arguments are "truthy" like JavaScript: an empty object still wins.
        var empty = Run(("gen_ai.output.messages", S("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"a\"},{\"type\":\"tool_call\",\"arguments\":{}}]}]")));
        Assert.Equal(("{}", "{}"), (empty.Output, empty.OutputObject));

        Assert.Equal("legacy completion", Run(("gen_ai.completion", S("legacy completion"))).Output);
        Assert.Equal("{\"not\":\"array\"}", Run(("gen_ai.response.output", S("{\"not\":\"array\"}"))).Output);
        Assert.Equal("[{\"role\":\"assistant\",\"parts\":[]}]", Run(("gen_ai.output.messages", S("[{\"role\":\"assistant\",\"parts\":[]}]"))).Output);
    }

    [Fact]
    public void PydanticAiFallbacks()
    {
        var record = Normalize(Span("agent run", "pydantic-ai", [
            ("pydantic_ai.all_messages", S("[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"q\"}]},{\"role\":\"assistant\",\"content\":\"a\"}]")),
            ("final_result", S("{\"city\":\"Paris\"}"))]));
        Assert.Equal("[{\"role\":\"user\",\"content\":\"q\"}]", record.Input);
        Assert.Equal(("{\"city\":\"Paris\"}", "{\"city\":\"Paris\"}"), (record.Output, record.OutputObject));
        Assert.Equal("SPAN", record.Type);
    }

    [Fact]
    public void AgentMarkPropsAndOutputFallbacks()
    {
        var record = Run(("agentmark.props", S("{ \"city\" : \"Paris\" }")), ("agentmark.output", S("42")));
        Assert.Equal("[{\"role\":\"user\",\"content\":\"{\\\"city\\\":\\\"Paris\\\"}\"}]", record.Input); // re-serialized compactly
        Assert.Equal(("42", "42"), (record.Output, record.OutputObject));
        Assert.Null(Run(("agentmark.props", S("not json"))).Input);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"m\"}]", Run(("gen_ai.input.messages", S("[{\"role\":\"user\",\"content\":\"m\"}]")), ("agentmark.props", S("{}"))).Input);
    }

    [Fact]
    public void ToolSpans()
    {
        var record = Normalize(Span("execute_tool get_weather", "s", [
            ("gen_ai.tool.name", S("get_weather")), ("gen_ai.tool.call.id", I(7)),
            ("gen_ai.tool.call.arguments", S("not json")), ("gen_ai.tool.call.result", S("sunny")),
            ("gen_ai.tool.input", S("{\"ignored\":true}"))]));
        Assert.Equal("get_weather", record.SpanName);
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":7,\"toolName\":\"get_weather\",\"args\":{\"raw\":\"not json\"},\"result\":\"sunny\"}]", record.ToolCalls);
        Assert.Equal(("SPAN", "tool"), (record.Type, record.SemanticKind));
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":\"\",\"toolName\":\"t\",\"args\":{\"a\":1}}]",
            Run(("gen_ai.tool.name", S("t")), ("gen_ai.tool.call.arguments", S("{\"a\":1}"))).ToolCalls);
    }

    [Fact]
    public void MetadataPrefixedGroupingKeysAreDroppedButDirectKeysWork()
    {
        var record = Run(("agentmark.metadata.session_id", S("dropped")), ("agentmark.metadata.user_id", S("dropped")),
            ("agentmark.metadata.team", S("kept")), ("agentmark.user_id", S("u")));
        Assert.Equal(("", "u"), (record.SessionId, record.UserId));
        Assert.Equal("{\"team\":\"kept\"}", record.Metadata);
        Assert.Equal("c", Run(("agentmark.metadata.session_id", S("dropped")), ("gen_ai.conversation.id", S("c"))).SessionId);
    }

    [Fact]
    public void PlainHttpSpanIsAFunctionSpanWithDefaults()
    {
        var record = Normalize(Span("GET /health", "OpenTelemetry.Instrumentation.AspNetCore", [("http.request.method", S("GET")), ("http.response.status_code", I(200))]));
        Assert.Equal(("SPAN", "function", "", (string?)null, (string?)null), (record.Type, record.SemanticKind, record.Model, record.Input, record.Output));
        Assert.Equal("{\"http.request.method\":\"GET\",\"http.response.status_code\":200}", record.SpanAttributes);
    }
}
