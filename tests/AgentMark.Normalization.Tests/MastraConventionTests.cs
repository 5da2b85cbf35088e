using AgentMark.Core.Spans;
using static AgentMark.Normalization.Tests.Support.Spans;

namespace AgentMark.Normalization.Tests;

/// <summary>
/// Mastra's telemetry (scope <c>default-tracer</c>, ingestion §2.6). Mastra 1.x (@mastra/core on the local
/// registry) no longer exports this scope by default, so these payloads follow the spec's attribute table.
/// </summary>
public sealed class MastraConventionTests
{
    private const string Scope = "default-tracer";

    [Theory]
    [InlineData("agent.generate", "GENERATION")]
    [InlineData("agent.stream", "GENERATION")]
    [InlineData("agent.streamLegacy", "GENERATION")]
    [InlineData("agent.streamObject", "GENERATION")]
    [InlineData("agent.generateObject", "GENERATION")]
    [InlineData("agent.getInstructions", "SPAN")]
    [InlineData("agent.prepareLLMOptions", "SPAN")]
    public void Classify_ByName(string name, string type) => Assert.Equal(type, Normalize(Span(name, Scope)).Type);

    [Fact]
    public void AgentGenerate_ModelSettingsInputOutputAndUsage()
    {
        var r = Normalize(Span("agent.generate", Scope, [
            ("componentName", S("weather-agent")),
            ("agent.resolveModelConfig.result", S("{\"modelId\":\"gpt-4o-mini\",\"provider\":\"openai\",\"settings\":{\"temperature\":0.3,\"maxRetries\":2}}")),
            ("agent.generate.argument.0", S("[{\"role\":\"user\",\"content\":\"Weather in Paris?\",\"id\":\"m1\"}]")),
            ("agent.generate.result", S("{\"text\":\"Sunny.\",\"usage\":{\"promptTokens\":20,\"completionTokens\":4,\"totalTokens\":30},\"finishReason\":\"stop\"}")),
        ]));
        Assert.Equal("GENERATION", r.Type);
        Assert.Equal("llm", r.SemanticKind);
        Assert.Equal("gpt-4o-mini", r.Model);
        Assert.Equal("{\"temperature\":0.3,\"maxRetries\":2}", r.Settings); // Mastra's own settings, as they are
        Assert.Equal("[{\"role\":\"user\",\"content\":\"Weather in Paris?\",\"id\":\"m1\"}]", r.Input);
        Assert.Equal("Sunny.", r.Output);
        Assert.Equal((20, 4, 30), (r.InputTokens, r.OutputTokens, r.TotalTokens)); // reported total kept, not derived
        Assert.Null(r.FinishReason);
        Assert.Equal("weather-agent", r.TraceName);
        Assert.Equal((0.15 * 20 + 0.6 * 4) / 1e6, r.Cost, 12);
    }

    [Fact]
    public void Usage_NoTotalDerived()
    {
        var r = Normalize(Span("agent.stream", Scope, [("agent.stream.result", S("{\"usage\":{\"promptTokens\":2,\"completionTokens\":3}}"))]));
        Assert.Equal((2, 3, 0), (r.InputTokens, r.OutputTokens, r.TotalTokens));
    }

    [Fact]
    public void Input_FirstTruthyKeyDecides_AndOnlyArraysAreUsed()
    {
        // The span's own argument is truthy, so it is chosen even though it is not an array: no input.
        Assert.Null(Normalize(Span("agent.stream", Scope, [
            ("agent.stream.argument.0", S("\"just text\"")),
            ("agent.prepareLLMOptions.argument.0", S("[{\"role\":\"user\",\"content\":\"x\"}]")),
        ])).Input);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"x\"}]", Normalize(Span("agent.generate", Scope, [
            ("agent.generate.argument.0", S("")),
            ("agent.prepareLLMOptions.argument.0", S("[{\"role\":\"user\",\"content\":\"x\"}]")),
        ])).Input);
        Assert.Null(Normalize(Span("agent.generate", Scope, [("agent.generate.argument.0", S("{\"messages\":[]}"))])).Input);
    }

    [Fact]
    public void Output_ObjectThenTextThenResponse()
    {
        var structured = Normalize(Span("agent.generateObject", Scope, [("agent.generateObject.result", S("{\"object\":{\"city\":\"Paris\"},\"text\":\"ignored\"}"))]));
        Assert.Equal(("{\"city\":\"Paris\"}", "{\"city\":\"Paris\"}"), (structured.Output, structured.OutputObject));
        var response = Normalize(Span("agent.streamLegacy", Scope, [("agent.streamLegacy.result", S("{\"text\":\"\",\"response\":{\"id\":\"r1\"}}"))]));
        Assert.Equal(("{\"id\":\"r1\"}", "{\"id\":\"r1\"}"), (response.Output, response.OutputObject));
        var textResponse = Normalize(Span("agent.stream", Scope, [("agent.streamObject.result", S("{\"response\":\"plain\"}"))]));
        Assert.Equal("plain", textResponse.Output);
        Assert.Null(textResponse.OutputObject);
    }

    [Fact]
    public void ModelConfig_NeedsATruthyModelId_AndBadJsonIsIgnored()
    {
        Assert.Equal("", Normalize(Span("agent.generate", Scope, [("agent.resolveModelConfig.result", S("{\"modelId\":\"\",\"settings\":{}}"))])).Model);
        var broken = Normalize(Span("agent.generate", Scope, [("agent.resolveModelConfig.result", S("{oops")), ("agent.generate.result", S("{oops"))]));
        Assert.Equal(("", null, null), (broken.Model, broken.Settings, broken.Output));
    }

    [Fact]
    public void TraceName_AgentMarkWins_AndMetadataSessionIsDropped()
    {
        var r = Normalize(Span("agent.generate", Scope, [
            ("componentName", S("c")), ("agentmark.trace_name", S("am")), ("agentmark.metadata.session_id", S("dropped")), ("agentmark.metadata.k", S("v")),
        ]));
        Assert.Equal(("am", "", "{\"k\":\"v\"}"), (r.TraceName, r.SessionId, r.Metadata));
    }
}
