using System.Text.Json;

namespace AgentMark.Normalization.Pricing;

/// <summary>
/// Reads the model registry files (<c>models.json</c> + <c>overrides.json</c>, ingestion §4.1) into the
/// per-1K price dictionary of §4.2, keeping file order (it decides resolution ties).
/// </summary>
internal static class PricingDataLoader
{
    private const string ResourcePrefix = "AgentMark.Normalization.Pricing.Data.";

    /// <summary>One merged model entry; only what pricing needs.</summary>
    private sealed class ModelEntry
    {
        public JsonElement? Pricing;
    }

    public static Stream OpenBundled(string fileName)
        => typeof(PricingDataLoader).Assembly.GetManifestResourceStream(ResourcePrefix + fileName)
           ?? throw new InvalidOperationException($"Embedded pricing data '{fileName}' is missing from the assembly.");

    /// <summary>Model id → price per 1,000 tokens, for every merged model with both per-token prices.</summary>
    public static Dictionary<string, ModelPrice> Load(Stream models, Stream? overrides)
    {
        using var modelsDocument = JsonDocument.Parse(models);
        using var overridesDocument = overrides is null ? null : JsonDocument.Parse(overrides);

        var entries = new Dictionary<string, ModelEntry>(StringComparer.Ordinal);
        if (modelsDocument.RootElement.TryGetProperty("models", out var baseModels) && baseModels.ValueKind == JsonValueKind.Object)
        {
            foreach (var model in baseModels.EnumerateObject())
            {
                // A repeated id overwrites in place, as JSON.parse does.
                entries[model.Name] = new ModelEntry { Pricing = PricingOf(model.Value) };
            }
        }

        if (overridesDocument is not null
            && overridesDocument.RootElement.TryGetProperty("models", out var overrideModels)
            && overrideModels.ValueKind == JsonValueKind.Object)
        {
            foreach (var model in overrideModels.EnumerateObject())
            {
                if (model.Value.ValueKind != JsonValueKind.Object) continue;
                if (entries.TryGetValue(model.Name, out var existing))
                {
                    // Shallow merge per model: an override's pricing object replaces the base one whole.
                    if (model.Value.TryGetProperty("pricing", out _)) existing.Pricing = PricingOf(model.Value);
                }
                else if (HasValue(model.Value, "provider") && HasValue(model.Value, "displayName") && HasValue(model.Value, "mode"))
                {
                    entries[model.Name] = new ModelEntry { Pricing = PricingOf(model.Value) };
                }
            }
        }

        var prices = new Dictionary<string, ModelPrice>(entries.Count, StringComparer.Ordinal);
        foreach (var (id, entry) in entries)
        {
            if (entry.Pricing is not { ValueKind: JsonValueKind.Object } pricing) continue;
            if (!TryNumber(pricing, "inputCostPerToken", out var input) || !TryNumber(pricing, "outputCostPerToken", out var output)) continue;
            prices[id] = new ModelPrice(input * 1000, output * 1000);
        }
        return prices;
    }

    private static JsonElement? PricingOf(JsonElement model)
        => model.TryGetProperty("pricing", out var pricing) ? pricing.Clone() : null;

    private static bool HasValue(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    private static bool TryNumber(JsonElement obj, string name, out double value)
    {
        value = 0;
        return obj.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value);
    }
}
