using System.Text.Json.Nodes;
using AgentMark.Normalization.Pricing;
using static AgentMark.Normalization.Tests.Support.Spans;

namespace AgentMark.Normalization.Tests;

/// <summary>Cost at ingestion (ingestion §4.4) and the <c>gen_ai.usage.cost</c> injection.</summary>
public sealed class CostTests
{
    private static AgentMark.Core.Spans.SpanRecord AgentMarkSpan(string statusCode = "0", params (string Key, JsonNode? Value)[] attributes)
        => Normalize(Span("prompt", "agentmark", attributes, statusCode: statusCode));

    [Fact]
    public void PricedModelIsCostedFromInputAndOutputTokens()
    {
        var record = AgentMarkSpan("0", ("gen_ai.request.model", S("gpt-4o")), ("gen_ai.usage.input_tokens", I(1000)), ("gen_ai.usage.output_tokens", I(500)));
        Assert.Equal((0.0025 * 1000 + 0.01 * 500) / 1000, record.Cost, 12);
        Assert.EndsWith(",\"gen_ai.usage.cost\":0.0075}", record.SpanAttributes);
    }

    [Fact]
    public void ReasoningCachedAndTotalTokensPlayNoRole()
    {
        var record = Normalize(Span("ai.generateText.doGenerate", "ai", [
            ("ai.response.text", S("v5 marker")), ("gen_ai.request.model", S("gpt-4o-mini")), ("gen_ai.usage.input_tokens", I(180)), ("gen_ai.usage.output_tokens", I(40)),
            ("gen_ai.usage.total_tokens", I(99999)), ("ai.usage.reasoningTokens", I(5000)), ("ai.usage.cachedInputTokens", I(170))]));
        Assert.Equal(5.099999999999999e-05, record.Cost);
        Assert.Equal(99999, record.TotalTokens);
        Assert.Equal(5000, record.ReasoningTokens);
    }

    [Fact]
    public void ErrorSpansAreNotPricedButStillGetTheAttribute()
    {
        var record = AgentMarkSpan("2", ("gen_ai.request.model", S("gpt-4o")), ("gen_ai.usage.input_tokens", I(1000)), ("gen_ai.usage.output_tokens", I(500)));
        Assert.Equal(0, record.Cost);
        Assert.EndsWith(",\"gen_ai.usage.cost\":0}", record.SpanAttributes);
    }

    [Fact]
    public void ErrorSpansKeepTheSdkReportedCost()
    {
        var record = AgentMarkSpan("2", ("gen_ai.request.model", S("gpt-4o")), ("gen_ai.usage.input_tokens", I(1)),
            ("gen_ai.usage.output_tokens", I(1)), ("agentmark.usage.cost_usd", D(0.5)));
        Assert.Equal(0.5, record.Cost);
        Assert.EndsWith(",\"gen_ai.usage.cost\":0.5}", record.SpanAttributes);
    }

    [Fact]
    public void RegistryPriceOverridesTheSdkReportedCost()
    {
        var record = AgentMarkSpan("1", ("gen_ai.request.model", S("gpt-4o")), ("gen_ai.usage.input_tokens", I(42)),
            ("gen_ai.usage.output_tokens", I(18)), ("agentmark.usage.cost_usd", D(9.99)));
        Assert.Equal(0.000285, record.Cost, 12);
    }

    [Fact]
    public void UnknownModelKeepsTheSdkCostOrZero()
    {
        var withSdkCost = AgentMarkSpan("0", ("gen_ai.request.model", S("my-local-model")), ("gen_ai.usage.input_tokens", I(1)),
            ("gen_ai.usage.output_tokens", I(1)), ("agentmark.usage.cost_usd", D(0.25)));
        Assert.Equal(0.25, withSdkCost.Cost);
        Assert.EndsWith(",\"gen_ai.usage.cost\":0.25}", withSdkCost.SpanAttributes);

        var withoutSdkCost = AgentMarkSpan("0", ("gen_ai.request.model", S("llama3.1")), ("gen_ai.usage.input_tokens", I(1)), ("gen_ai.usage.output_tokens", I(1)));
        Assert.Equal(0, withoutSdkCost.Cost);
        Assert.EndsWith(",\"gen_ai.usage.cost\":0}", withoutSdkCost.SpanAttributes);
    }

    [Theory]
    [InlineData(0)]    // non-positive SDK costs are ignored
    [InlineData(-1)]
    public void SdkCostMustBePositive(double reported)
    {
        var record = AgentMarkSpan("0", ("agentmark.usage.cost_usd", D(reported)));
        Assert.Equal(0, record.Cost);
    }

    [Fact]
    public void SdkCostMustBeANumber()
        => Assert.Equal(0, AgentMarkSpan("0", ("agentmark.usage.cost_usd", S("0.5"))).Cost);

    [Fact]
    public void OnlyInputTokensMeansNoComputedCostAndNoAttribute()
    {
        var record = AgentMarkSpan("0", ("gen_ai.request.model", S("gpt-4o")), ("gen_ai.usage.input_tokens", I(1000)),
            ("agentmark.usage.cost_usd", D(0.1)));
        Assert.Equal(0.1, record.Cost);
        Assert.DoesNotContain("gen_ai.usage.cost", record.SpanAttributes);
    }

    [Fact]
    public void ZeroTokensCountAsSet()
    {
        var record = AgentMarkSpan("0", ("gen_ai.request.model", S("gpt-4o")), ("gen_ai.usage.input_tokens", I(0)), ("gen_ai.usage.output_tokens", I(0)));
        Assert.Equal(0, record.Cost);
        Assert.EndsWith(",\"gen_ai.usage.cost\":0}", record.SpanAttributes);
    }

    [Fact]
    public void NoModelMeansNoCostAndNoAttribute()
    {
        var record = AgentMarkSpan("0", ("gen_ai.usage.input_tokens", I(10)), ("gen_ai.usage.output_tokens", I(10)));
        Assert.Equal(0, record.Cost);
        Assert.Equal("{\"gen_ai.usage.input_tokens\":10,\"gen_ai.usage.output_tokens\":10}", record.SpanAttributes);
    }

    [Fact]
    public void AnExistingCostAttributeIsOverwrittenInPlace()
    {
        var record = AgentMarkSpan("0", ("gen_ai.usage.cost", D(123)), ("gen_ai.request.model", S("gpt-4o")),
            ("gen_ai.usage.input_tokens", I(1000)), ("gen_ai.usage.output_tokens", I(0)));
        Assert.Equal("{\"gen_ai.usage.cost\":0.0025,\"gen_ai.request.model\":\"gpt-4o\",\"gen_ai.usage.input_tokens\":1000,\"gen_ai.usage.output_tokens\":0}",
            record.SpanAttributes);
    }

    [Fact]
    public void TheCostIsInjectedIntoSpanAttributesNotResourceAttributes()
    {
        var record = Normalize(Span("chat x", "s", [("gen_ai.usage.input_tokens", I(1)), ("gen_ai.usage.output_tokens", I(1))],
            resource: [("service.name", S("svc")), ("gen_ai.request.model", S("gpt-4o"))]));
        Assert.Equal("{\"service.name\":\"svc\",\"gen_ai.request.model\":\"gpt-4o\"}", record.ResourceAttributes);
        Assert.Contains("\"gen_ai.usage.cost\":", record.SpanAttributes);
        Assert.True(record.Cost > 0);
    }

    [Fact]
    public void StringTokensAreIgnoredByAgentMarkButAcceptedByTheAiSdk()
    {
        (string, JsonNode?)[] attributes = [("gen_ai.request.model", S("gpt-4o")), ("gen_ai.usage.input_tokens", S("1000")), ("gen_ai.usage.output_tokens", S("0"))];
        Assert.Equal(0, Normalize(Span("x", "agentmark", attributes)).InputTokens);
        Assert.Equal(0, Normalize(Span("x", "agentmark", attributes)).Cost);
        var aiSdk = Normalize(Span("ai.generateText.doGenerate", "ai", [.. attributes, ("ai.response.text", S("v5 marker"))]));
        Assert.Equal(1000, aiSdk.InputTokens);
        Assert.Equal(0.0025, aiSdk.Cost, 12);
    }

    [Fact]
    public void CustomPricesWinOverTheRegistry()
    {
        var pricing = PricingRegistry.LoadBundled(new Dictionary<string, CustomModelPrice>
        {
            ["gpt-4o"] = new(inputCost: 1, outputCost: 2, unitScale: 1_000_000),
            ["my-local-model"] = new(inputCost: 0.5, outputCost: 0.5, unitScale: 1000),
        });
        var normalizer = new SpanNormalizer(pricing);
        var span = Span("chat gpt-4o", "s", [("gen_ai.request.model", S("openai/gpt-4o")), ("gen_ai.usage.input_tokens", I(1000)), ("gen_ai.usage.output_tokens", I(500))]);
        Assert.Equal((1 * 1000 + 2 * 500) / 1_000_000.0, normalizer.Normalize(span, "app").Cost, 15);

        var local = Span("chat x", "s", [("gen_ai.request.model", S("my-local-model")), ("gen_ai.usage.input_tokens", I(10)), ("gen_ai.usage.output_tokens", I(10))]);
        Assert.Equal(0.01, normalizer.Normalize(local, "app").Cost, 15);

        var errored = Span("chat x", "s", [("gen_ai.request.model", S("my-local-model")), ("gen_ai.usage.input_tokens", I(10)), ("gen_ai.usage.output_tokens", I(10))], statusCode: "2");
        Assert.Equal(0, normalizer.Normalize(errored, "app").Cost);

        // The custom map is resolved with the full §4.3 algorithm, prefix fallback included:
        // gpt-4o-mini ("gpt-4o" + "-...") takes the custom gpt-4o price.
        var mini = Span("chat x", "s", [("gen_ai.request.model", S("gpt-4o-mini")), ("gen_ai.usage.input_tokens", I(1000)), ("gen_ai.usage.output_tokens", I(0))]);
        Assert.Equal(0.001, normalizer.Normalize(mini, "app").Cost, 15);

        // Models the custom map does not match still use the registry.
        var other = Span("chat x", "s", [("gen_ai.request.model", S("claude-sonnet-4-20250514")), ("gen_ai.usage.input_tokens", I(812)), ("gen_ai.usage.output_tokens", I(64))]);
        Assert.Equal(0.0033959999999999997, normalizer.Normalize(other, "app").Cost);
    }
}
