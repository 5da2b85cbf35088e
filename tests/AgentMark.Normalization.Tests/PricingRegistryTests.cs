using System.Text;
using System.Text.Json;
using AgentMark.Normalization.Pricing;
using AgentMark.Normalization.Tests.Support;

namespace AgentMark.Normalization.Tests;

/// <summary>Pricing data, per-1K dictionary and model-id resolution (ingestion §4.1–§4.3, §4.6).</summary>
public sealed class PricingRegistryTests
{
    private static readonly PricingRegistry Registry = Spans.Pricing;

    [Theory]
    [InlineData("gpt-4o", "gpt-4o")]
    [InlineData("openai/gpt-4o", "gpt-4o")]
    [InlineData("models/gemini-2.5-pro", "gemini-2.5-pro")]
    [InlineData("GPT-4O", "gpt-4o")]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini-2024-07-18")]
    [InlineData("gpt-4o-mini-2099-01-01", "gpt-4o-mini")]
    [InlineData("ft:gpt-4o-mini-2024-07-18:acme::xyz", "ft:gpt-4o-mini-2024-07-18")]
    [InlineData("anthropic/claude-3-5-haiku-latest", "claude-3-5-haiku-latest")]
    [InlineData("us.anthropic.claude-3-5-sonnet-20241022-v2:0", "us.anthropic.claude-3-5-sonnet-20241022-v2:0")]
    [InlineData("  gpt-4o  ", "gpt-4o")]                        // candidates start from the trimmed id
    [InlineData("gpt-4o-2024-08-06", "gpt-4o-2024-08-06")]
    [InlineData("claude-sonnet-4-20250514", "claude-sonnet-4-20250514")]
    public void ResolvesAsTheSpecExamples(string reported, string expected) => Assert.Equal(expected, Registry.ResolveModelId(reported));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("gpt-4oXL")]         // prefix fallback needs a separator after the key
    [InlineData("my-local-model")]
    [InlineData("llama3.1")]          // Ollama override entries carry no pricing
    [InlineData("mock-model-1")]
    public void UnknownOrUnpricedModelsDoNotResolve(string reported) => Assert.Null(Registry.ResolveModelId(reported));

    [Fact]
    public void NullDoesNotResolve() => Assert.Null(Registry.ResolveModelId(null));

    [Fact]
    public void PrefixFallbackPicksTheLongestKeyFollowedByASeparator()
    {
        Assert.Equal("gpt-4o-mini", Registry.ResolveModelId("gpt-4o-mini:my-deployment"));
        Assert.Equal("gpt-4o", Registry.ResolveModelId("gpt-4o_custom"));
    }

    [Fact]
    public void CandidatesAreBreadthFirstAndDeduplicated()
    {
        Assert.Equal(
            ["eu.anthropic/claude-x-20250101", "claude-x-20250101", "anthropic/claude-x-20250101", "eu.anthropic/claude-x", "claude-x", "anthropic/claude-x"],
            ModelIdResolver.Candidates("eu.anthropic/claude-x-20250101"));
        Assert.Equal(["ft:gpt-4o:org::id", "ft:gpt-4o", "gpt-4o"], ModelIdResolver.Candidates("ft:gpt-4o:org::id"));
        Assert.Equal(["model@001", "model"], ModelIdResolver.Candidates("model@001"));
        Assert.Equal(["m-latest", "m"], ModelIdResolver.Candidates("m-latest"));
        Assert.Equal(["m-2024-01-01", "m"], ModelIdResolver.Candidates("\tm-2024-01-01\n")); // JavaScript trim first
        Assert.Equal(["us-gov.m-20250101", "m-20250101", "us-gov.m", "m"], ModelIdResolver.Candidates("us-gov.m-20250101"));
    }

    [Fact]
    public void SuffixesMatchOnlyAsciiDigits()
    {
        // JavaScript's \d is ASCII only; .NET's would also match these Arabic-Indic digits.
        Assert.Equal(["m-١٢٣٤٥٦٧٨"], ModelIdResolver.Candidates("m-١٢٣٤٥٦٧٨"));
    }

    [Fact]
    public void CaseInsensitiveTiesGoToTheLaterKey()
    {
        var models = """
            {"models": {
              "Foo-Model": {"provider":"p","displayName":"a","mode":"chat","pricing":{"inputCostPerToken":1e-6,"outputCostPerToken":2e-6}},
              "foo-MODEL": {"provider":"p","displayName":"b","mode":"chat","pricing":{"inputCostPerToken":3e-6,"outputCostPerToken":4e-6}}
            }}
            """;
        var registry = PricingRegistry.Load(new MemoryStream(Encoding.UTF8.GetBytes(models)), null);
        Assert.Equal("foo-MODEL", registry.ResolveModelId("FOO-model"));
        Assert.Equal("Foo-Model", registry.ResolveModelId("Foo-Model")); // exact still wins
    }

    [Fact]
    public void PricesArePerThousandTokensComputedInDoubles()
    {
        var prices = Registry.PerThousandTokens;
        Assert.Equal(new ModelPrice(0.0025, 0.01), prices["gpt-4o"]);
        Assert.Equal(new ModelPrice(0.00015, 0.0006), prices["gpt-4o-mini"]);
        Assert.Equal(0.015000000000000001, prices["claude-sonnet-4-20250514"].CompletionPrice);
        Assert.Equal(1.5e-05 * 1000, prices["claude-sonnet-4-20250514"].CompletionPrice);
    }

    [Fact]
    public void ModelsWithoutPricingAreOmittedAndFreeModelsKept()
    {
        var prices = Registry.PerThousandTokens;
        Assert.False(prices.ContainsKey("llama3.1"));
        Assert.False(prices.ContainsKey("1024-x-1024/dall-e-2"));
        var free = prices.Where(p => p.Key.EndsWith(":free", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(free);
        Assert.All(free, p => Assert.Equal(new ModelPrice(0, 0), p.Value));
    }

    [Fact]
    public void DictionaryMatchesTheBundledFilesIndependentlyComputed()
    {
        // Independent oracle: every models.json entry with both prices, overridden pricing replaced whole.
        using var stream = typeof(PricingRegistry).Assembly.GetManifestResourceStream("AgentMark.Normalization.Pricing.Data.models.json")!;
        using var document = JsonDocument.Parse(stream);
        var expectedCount = 0;
        foreach (var model in document.RootElement.GetProperty("models").EnumerateObject())
        {
            if (!model.Value.TryGetProperty("pricing", out var pricing)) continue;
            expectedCount++;
            var input = pricing.GetProperty("inputCostPerToken").GetDouble() * 1000;
            Assert.Equal(input, Registry.PerThousandTokens[model.Name].PromptPrice);
        }
        Assert.Equal(expectedCount, Registry.PerThousandTokens.Count); // overrides add no new priced ids
        Assert.True(expectedCount > 1000);
    }

    [Fact]
    public void OverridePricingReplacesTheBaseAndNewIdsNeedProviderNameAndMode()
    {
        const string models = """{"models":{"a":{"provider":"p","displayName":"A","mode":"chat","pricing":{"inputCostPerToken":1e-6,"outputCostPerToken":1e-6}},"b":{"provider":"p","displayName":"B","mode":"chat","pricing":{"inputCostPerToken":1e-6,"outputCostPerToken":1e-6}}}}""";
        const string overrides = """{"models":{"a":{"pricing":{"inputCostPerToken":2e-6,"outputCostPerToken":3e-6}},"b":{"displayName":"kept pricing"},"c":{"provider":"p","displayName":"C","mode":"chat","pricing":{"inputCostPerToken":4e-6,"outputCostPerToken":5e-6}},"d":{"pricing":{"inputCostPerToken":1e-6,"outputCostPerToken":1e-6}}}}""";
        var registry = PricingRegistry.Load(new MemoryStream(Encoding.UTF8.GetBytes(models)), new MemoryStream(Encoding.UTF8.GetBytes(overrides)));
        Assert.Equal(["a", "b", "c"], registry.PerThousandTokens.Keys);
        Assert.Equal(new ModelPrice(2e-6 * 1000, 3e-6 * 1000), registry.PerThousandTokens["a"]);
        Assert.Equal(new ModelPrice(1e-6 * 1000, 1e-6 * 1000), registry.PerThousandTokens["b"]);
        Assert.Equal(new ModelPrice(4e-6 * 1000, 5e-6 * 1000), registry.PerThousandTokens["c"]);
    }

    [Fact]
    public void BundledOverridesAreApplied()
    {
        Assert.Equal(new ModelPrice(5e-06 * 1000, 2.5e-05 * 1000), Registry.PerThousandTokens["anthropic.claude-opus-4-7"]);
    }

    [Fact]
    public void PricingJsonIsTheBareMapWithJavaScriptNumbers()
    {
        var json = Registry.PricingJson;
        Assert.StartsWith("{\"", json);
        Assert.Contains("\"gpt-4o\":{\"promptPrice\":0.0025,\"completionPrice\":0.01}", json);
        Assert.Contains("\"gpt-4o-mini\":{\"promptPrice\":0.00015,\"completionPrice\":0.0006}", json);
        Assert.Contains("\"claude-sonnet-4-20250514\":{\"promptPrice\":0.003,\"completionPrice\":0.015000000000000001}", json);
        Assert.Contains("\"accounts/fireworks/models/SSD-1B\":{\"promptPrice\":1.3e-7,", json); // not 1.3E-07
        Assert.DoesNotMatch(@"Price"":[^,}]*(E|e[-+]0)", json); // JavaScript: 1.3e-7, never 1.3E-07
        Assert.DoesNotContain("\"data\"", json);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(Registry.PerThousandTokens.Count, document.RootElement.EnumerateObject().Count());
        Assert.Same(json, Registry.PricingJson);
    }

    [Fact]
    public void TryComputeCostUsesTheReferenceFormula()
    {
        Assert.True(Registry.TryComputeCost("gpt-4o-mini", 180, 40, out var cost));
        Assert.Equal(5.099999999999999e-05, cost);
        Assert.False(Registry.TryComputeCost("unknown-model", 1, 1, out var none));
        Assert.Equal(0, none);
    }

    [Fact]
    public void CustomPricesAreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CustomModelPrice(1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CustomModelPrice(-1, 1, 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CustomModelPrice(1, double.NaN, 1000));
    }

    [Fact]
    public void CustomPricesResolveWithTheSameAlgorithm()
    {
        var registry = PricingRegistry.LoadBundled(new Dictionary<string, CustomModelPrice> { ["acme-model"] = new(1, 1, 1000) });
        Assert.True(registry.TryComputeCost("vendor/ACME-MODEL-20250101", 1000, 0, out var cost));
        Assert.Equal(1, cost);
        // /v1/pricing does not list custom prices.
        Assert.False(registry.PerThousandTokens.ContainsKey("acme-model"));
    }

    [Fact]
    public void ResolutionIsThreadSafe()
    {
        var ids = Enumerable.Range(0, 2000).Select(i => $"openai/gpt-4o-mini-{i:D4}-01-01").ToArray();
        Parallel.ForEach(ids, id => Assert.Equal("gpt-4o-mini", Registry.ResolveModelId(id)));
    }
}
