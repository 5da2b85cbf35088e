using System.Collections.ObjectModel;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Pricing;

/// <summary>
/// Model prices and cost computation (ingestion §4): the bundled model registry, optionally preceded by
/// a project's custom prices (§4.5). Immutable and thread-safe.
/// </summary>
public sealed class PricingRegistry
{
    private static readonly Lazy<PricingTable> BundledTable = new(LoadBundledTable);

    private readonly PricingTable _registry;
    private readonly IReadOnlyDictionary<string, CustomModelPrice>? _customPrices;
    private readonly ModelIdResolver? _customResolver;
    private string? _pricingJson;

    private PricingRegistry(PricingTable registry, IReadOnlyDictionary<string, CustomModelPrice>? customPrices)
    {
        _registry = registry;
        if (customPrices is { Count: > 0 })
        {
            _customPrices = new Dictionary<string, CustomModelPrice>(customPrices, StringComparer.Ordinal);
            _customResolver = new ModelIdResolver(customPrices.Keys);
        }
    }

    /// <summary>The registry shipped inside this assembly (parsed once per process).</summary>
    /// <param name="customPrices">Project prices keyed by model id; a match wins over the registry.</param>
    public static PricingRegistry LoadBundled(IReadOnlyDictionary<string, CustomModelPrice>? customPrices = null)
        => new(BundledTable.Value, customPrices);

    /// <summary>A registry from <c>models.json</c> (and optionally <c>overrides.json</c>) content, e.g. a refreshed copy.</summary>
    public static PricingRegistry Load(Stream modelsJson, Stream? overridesJson, IReadOnlyDictionary<string, CustomModelPrice>? customPrices = null)
    {
        ArgumentNullException.ThrowIfNull(modelsJson);
        return new(new PricingTable(PricingDataLoader.Load(modelsJson, overridesJson)), customPrices);
    }

    /// <summary>
    /// Model id → price per 1,000 tokens, in registry file order; models without pricing are absent.
    /// This is what <c>GET /v1/pricing</c> serves (custom prices are not included: they apply at ingest only).
    /// </summary>
    public IReadOnlyDictionary<string, ModelPrice> PerThousandTokens => _registry.Prices;

    /// <summary>
    /// The <c>GET /v1/pricing</c> body as compact JSON with JavaScript number formatting
    /// (<c>{"gpt-4o":{"promptPrice":0.0025,"completionPrice":0.01},...}</c>). Built once.
    /// </summary>
    public string PricingJson => _pricingJson ??= BuildPricingJson(_registry.Prices);

    /// <summary>The registry key a reported model id resolves to (§4.3), or null.</summary>
    public string? ResolveModelId(string? model) => _registry.Resolver.Resolve(model);

    /// <summary>The registry price of a reported model id after resolution (§4.3).</summary>
    public bool TryGetPrice(string? model, out ModelPrice price)
    {
        var key = _registry.Resolver.Resolve(model);
        if (key is not null) return _registry.Prices.TryGetValue(key, out price);
        price = default;
        return false;
    }

    /// <summary>
    /// Cost in USD of <paramref name="inputTokens"/> + <paramref name="outputTokens"/> for a model: a
    /// matching custom price first (§4.5), else the registry price (§4.4), computed in doubles in the
    /// reference's order so results match it bit for bit. False when the model has no price.
    /// </summary>
    public bool TryComputeCost(string? model, double inputTokens, double outputTokens, out double cost)
    {
        if (_customResolver?.Resolve(model) is { } customKey)
        {
            var custom = _customPrices![customKey];
            cost = (custom.InputCost * inputTokens + custom.OutputCost * outputTokens) / custom.UnitScale;
            return true;
        }
        if (TryGetPrice(model, out var price))
        {
            cost = (price.PromptPrice * inputTokens + price.CompletionPrice * outputTokens) / 1000;
            return true;
        }
        cost = 0;
        return false;
    }

    private static PricingTable LoadBundledTable()
    {
        using var models = PricingDataLoader.OpenBundled("models.json");
        using var overrides = PricingDataLoader.OpenBundled("overrides.json");
        return new PricingTable(PricingDataLoader.Load(models, overrides));
    }

    private static string BuildPricingJson(IReadOnlyDictionary<string, ModelPrice> prices)
    {
        var sb = new JsonTextBuilder(prices.Count * 72);
        sb.Append('{');
        var first = true;
        foreach (var (id, price) in prices)
        {
            if (!first) sb.Append(',');
            first = false;
            JsJsonWriter.WriteString(sb, id);
            sb.Append(":{\"promptPrice\":");
            JsJsonWriter.WriteNumber(sb, price.PromptPrice);
            sb.Append(",\"completionPrice\":");
            JsJsonWriter.WriteNumber(sb, price.CompletionPrice);
            sb.Append('}');
        }
        sb.Append('}');
        return sb.ToString();
    }

    /// <summary>One price dictionary with its resolver; shared by every registry built on it.</summary>
    private sealed class PricingTable(Dictionary<string, ModelPrice> prices)
    {
        public IReadOnlyDictionary<string, ModelPrice> Prices { get; } = new ReadOnlyDictionary<string, ModelPrice>(prices);
        public ModelIdResolver Resolver { get; } = new(prices.Keys);
    }
}
