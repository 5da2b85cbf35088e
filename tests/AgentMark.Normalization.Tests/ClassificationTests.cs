using AgentMark.Core.Spans;
using static AgentMark.Normalization.Tests.Support.Spans;

namespace AgentMark.Normalization.Tests;

/// <summary>Type classification tables (ingestion §2.4, §2.5, §2.9, §3.1), through the whole pipeline.</summary>
public sealed class ClassificationTests
{
    private const string G = SpanTypes.Generation;
    private const string P = SpanTypes.Span;

    [Theory]
    [InlineData("anything", "chat", G)]
    [InlineData("anything", "text_completion", G)]
    [InlineData("anything", "embeddings", G)]
    [InlineData("execute_tool x", "chat", G)]       // rule 1 comes before the tool-name rule
    [InlineData("anything", "generate_content", P)]
    [InlineData("anything", "CHAT", P)]
    [InlineData("chat", null, G)]
    [InlineData("chat gpt-4o", null, G)]
    [InlineData("chatter", null, P)]
    [InlineData("gen_ai.llm.turn", null, G)]
    [InlineData("gen_ai.session", null, G)]
    [InlineData("execute_tool", null, P)]
    [InlineData("execute_tool search", null, P)]
    [InlineData("gen_ai.tool.call.search", null, P)]
    [InlineData("invoke_agent", null, P)]
    [InlineData("invoke_agent planner", null, P)]
    [InlineData("gen_ai.conversation", null, P)]
    [InlineData("gen_ai.subagent", null, P)]
    [InlineData("my-span", null, P)]
    public void AgentMarkSdk(string name, string? operation, string expected)
    {
        var attributes = operation is null ? [] : new[] { ("gen_ai.operation.name", (System.Text.Json.Nodes.JsonNode?)S(operation)) };
        Assert.Equal(expected, Normalize(Span(name, "agentmark", attributes)).Type);
    }

    [Theory]
    [InlineData("gen_ai.system", true, true, G)]
    [InlineData("gen_ai.provider.name", true, true, G)]
    [InlineData("gen_ai.system", false, true, P)]
    [InlineData("gen_ai.system", true, false, P)]
    public void AgentMarkSdk_AnthropicFallback(string providerKey, bool hasUsage, bool hasOutput, string expected)
    {
        var attributes = new List<(string, System.Text.Json.Nodes.JsonNode?)> { (providerKey, S("anthropic")) };
        if (hasUsage) attributes.Add(("gen_ai.usage.input_tokens", I(3)));
        if (hasOutput) attributes.Add(("gen_ai.response.output", S("hi")));
        Assert.Equal(expected, Normalize(Span("claude-turn", "agentmark", attributes.ToArray())).Type);
    }

    [Fact]
    public void AgentMarkSdk_AnthropicFallbackIsCheckedAfterToolNames()
    {
        var span = Span("execute_tool read", "agentmark",
            [("gen_ai.system", S("anthropic")), ("gen_ai.usage.input_tokens", I(3)), ("gen_ai.response.output", S("x"))]);
        Assert.Equal(P, Normalize(span).Type);
    }

    [Theory]
    [InlineData("ai.generateText.doGenerate", G)]
    [InlineData("ai.streamText.doStream", G)]
    [InlineData("ai.generateObject.doGenerate", G)]
    [InlineData("ai.streamObject.doStream", G)]
    [InlineData("ai.generateText", P)]
    [InlineData("ai.streamText", P)]
    [InlineData("ai.toolCall", P)]
    [InlineData("ai.embed", P)]
    [InlineData("ai.embedMany.doEmbed", P)]
    public void VercelAiSdk(string name, string expected)
    {
        // A model and usage do not make a wrapper a generation: only the span name counts.
        var span = Span(name, "ai", [("gen_ai.request.model", S("gpt-4o")), ("gen_ai.usage.input_tokens", I(1))]);
        Assert.Equal(expected, Normalize(span).Type);
    }

    [Theory]
    [InlineData("chat gpt-4o", false, G)]
    [InlineData("chat", false, P)]          // "chat" without usage: a SPAN (semantic kind still llm via operation)
    [InlineData("chat", true, G)]
    [InlineData("invoke_agent planner", true, P)]
    [InlineData("invoke_agentX", true, P)]
    [InlineData("agent run", true, P)]
    [InlineData("execute_tool", true, P)]
    [InlineData("running tool x", true, P)]
    [InlineData("orchestrate_tools", true, P)]
    [InlineData("POST /v1/messages", true, G)]
    [InlineData("POST /v1/messages", false, P)]
    public void OtelGenAi(string name, bool hasInputTokens, string expected)
    {
        var attributes = hasInputTokens ? new[] { ("gen_ai.usage.input_tokens", (System.Text.Json.Nodes.JsonNode?)I(10)) } : [];
        Assert.Equal(expected, Normalize(Span(name, "some.scope", attributes)).Type);
        Assert.Equal(expected, Normalize(Span(name, "pydantic-ai", attributes)).Type);
    }

    [Fact]
    public void EventIsNeverProduced()
    {
        foreach (var scope in new[] { "agentmark", "ai", null })
        {
            Assert.NotEqual(SpanTypes.Event, Normalize(Span("event", scope, [("type", S("EVENT"))])).Type);
        }
    }
}
