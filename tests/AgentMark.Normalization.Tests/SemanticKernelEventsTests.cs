using AgentMark.Core.Spans;
using static AgentMark.Normalization.Tests.Support.Spans;

namespace AgentMark.Normalization.Tests;

/// <summary>
/// Semantic Kernel 1.82's chat span as captured on the wire (tests/AgentMark.Gateway.Tests/SemanticKernelTests
/// sends the real one): the pre-1.37 message events and the singular finish-reason key, which the OTel GenAI
/// convention reads only where the attributes leave a field unset (deviation).
/// </summary>
public sealed class SemanticKernelEventsTests
{
    private static SpanEvent Event(string name, string content)
        => new(1, name, Map(("gen_ai.event.content", S(content)), ("gen_ai.system", S("openai"))));

    private static DecodedSpan SkChat(params SpanEvent[] events) => Span("chat gpt-4o", "Microsoft.SemanticKernel.Diagnostics", [
        ("gen_ai.operation.name", S("chat")), ("gen_ai.system", S("openai")), ("gen_ai.request.model", S("gpt-4o")),
        ("gen_ai.usage.input_tokens", I(40)), ("gen_ai.usage.output_tokens", I(6)),
        ("gen_ai.response.finish_reason", S("[\"Stop\"]")), ("gen_ai.response.id", S("chatcmpl-text")),
    ], events: events);

    [Fact]
    public void MessagesAndChoiceFromEvents()
    {
        var r = Normalize(SkChat(
            Event("gen_ai.system.message", "{\"role\":\"system\",\"name\":null,\"content\":\"Be brief.\",\"tool_calls\":[]}"),
            Event("gen_ai.user.message", "{\"role\":\"user\",\"name\":null,\"content\":\"Weather?\",\"tool_calls\":[]}"),
            Event("gen_ai.assistant.message", "{\"role\":\"Assistant\",\"name\":null,\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"function\":{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}},\"type\":\"function\"}]}"),
            Event("gen_ai.tool.message", "{\"role\":\"tool\",\"name\":null,\"content\":\"sunny\",\"tool_calls\":[]}"),
            Event("gen_ai.choice", "{\"index\":0,\"message\":{\"role\":\"Assistant\",\"name\":null,\"content\":\"Sunny.\",\"tool_calls\":[]},\"tool_calls\":[],\"finish_reason\":\"Stop\"}"),
            Event("gen_ai.choice", "{\"index\":1,\"message\":{\"content\":\"second choice\"}}")));
        Assert.Equal("GENERATION", r.Type);
        Assert.Equal("[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Weather?\"},"
            + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool-call\",\"toolCallId\":\"c1\",\"toolName\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}]},"
            + "{\"role\":\"tool\",\"content\":\"sunny\"}]", r.Input);
        Assert.Equal("Sunny.", r.Output);
        Assert.Null(r.ToolCalls);
        Assert.Equal("Stop", r.FinishReason);
        Assert.Equal((40, 6, 46), (r.InputTokens, r.OutputTokens, r.TotalTokens));
    }

    [Fact]
    public void ChoiceWithToolCalls_AndArgumentsAsText()
    {
        var r = Normalize(SkChat(Event("gen_ai.choice",
            "{\"index\":0,\"message\":{\"role\":\"Assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}},{\"function\":{\"name\":\"g\",\"arguments\":\"oops\"}},{\"function\":{}}]}}")));
        Assert.Null(r.Output);
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":\"c1\",\"toolName\":\"f\",\"args\":{\"a\":1}},{\"type\":\"tool-call\",\"toolCallId\":\"\",\"toolName\":\"g\",\"args\":{\"raw\":\"oops\"}}]", r.ToolCalls);
    }

    [Fact]
    public void AttributesWinOverEvents_AndPluralFinishReasonsWin()
    {
        var span = Span("chat gpt-4o", "x", [
            ("gen_ai.input.messages", S("[{\"role\":\"user\",\"content\":\"from attributes\"}]")),
            ("gen_ai.output.messages", S("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"attr answer\"}]}]")),
            ("gen_ai.response.finish_reasons", Arr(S("stop"))), ("gen_ai.response.finish_reason", S("[\"Other\"]")),
        ], events: [Event("gen_ai.user.message", "{\"content\":\"from events\"}"), Event("gen_ai.choice", "{\"message\":{\"content\":\"event answer\"}}")]);
        var r = Normalize(span);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"from attributes\"}]", r.Input);
        Assert.Equal("attr answer", r.Output);
        Assert.Equal("stop", r.FinishReason);
    }

    [Fact]
    public void UnrelatedOrMalformedEventsAreIgnored()
    {
        var r = Normalize(SkChat(
            new SpanEvent(1, "gen_ai.user.message", Map(("gen_ai.event.content", S("not json")))),
            new SpanEvent(2, "gen_ai.user.message", Map(("gen_ai.event.content", I(3)))),
            new SpanEvent(3, "exception", Map(("exception.message", S("boom"))))));
        Assert.Null(r.Input);
        Assert.Null(r.Output);
    }
}
