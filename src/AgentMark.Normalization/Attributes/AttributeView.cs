using System.Text.Json.Nodes;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Attributes;

/// <summary>
/// The merged attribute view <c>A</c> of ingestion §2.1 step 2: resource attributes overlaid with span
/// attributes (span wins; an overridden key keeps the resource's position, as JavaScript's
/// <c>{...resource, ...span}</c> does). Every extractor reads this view.
/// </summary>
/// <remarks>
/// Values are converted on access from the decoder's <see cref="JsonNode"/>s into the normalizer's value
/// model (JsDom.cs): most attributes of a span are never read, and a converted container is a fresh copy,
/// so extractors may keep or change it without touching the decoded span.
/// "Key exists" throughout the spec means the reference's <c>attrs[key] !== undefined</c>, so
/// <see cref="Has"/> is false for a key whose AnyValue had no field set (held as null).
/// Instances are reused per thread by <see cref="SpanNormalizer"/>; they are not thread-safe.
/// </remarks>
internal sealed class AttributeView
{
    private const int TrimAboveCapacity = 1024;
    private const string AgentMarkPrefix = "agentmark.";

    private readonly Dictionary<string, JsonNode?> _merged = new(64, StringComparer.Ordinal);

    public AttributeView()
    {
    }

    public AttributeView(IReadOnlyDictionary<string, JsonNode?> resource, IReadOnlyDictionary<string, JsonNode?> span)
    {
        Reset(resource, span);
    }

    public int Count => _merged.Count;

    /// <summary>Whether any key starts with <c>agentmark.</c>; most third-party spans have none, and the
    /// AgentMark key families (about 40 lookups per span) are skipped for them.</summary>
    public bool HasAgentMarkKeys { get; private set; }

    public bool HasAgentMarkMetadataKeys { get; private set; }

    public bool HasTelemetryMetadataKeys { get; private set; }

    public Dictionary<string, JsonNode?>.KeyCollection Keys => _merged.Keys;

    public void Reset(IReadOnlyDictionary<string, JsonNode?> resource, IReadOnlyDictionary<string, JsonNode?> span)
    {
        Clear();
        foreach (var (key, value) in resource) Add(key, value);
        foreach (var (key, value) in span) Add(key, value);
    }

    private void Add(string key, JsonNode? value)
    {
        _merged[key] = value;
        if (key.Length <= AgentMarkPrefix.Length || key[0] != 'a') return;
        if (key.StartsWith(AgentMarkPrefix, StringComparison.Ordinal))
        {
            HasAgentMarkKeys = true;
            if (key.StartsWith(Coercion.MetadataPrefix.AgentMark.Prefix, StringComparison.Ordinal)) HasAgentMarkMetadataKeys = true;
        }
        else if (key.StartsWith(Coercion.MetadataPrefix.AiTelemetry.Prefix, StringComparison.Ordinal))
        {
            HasTelemetryMetadataKeys = true;
        }
    }

    public void Clear()
    {
        HasAgentMarkKeys = HasAgentMarkMetadataKeys = HasTelemetryMetadataKeys = false;
        _merged.Clear();
        if (_merged.Count == 0 && _merged.EnsureCapacity(0) > TrimAboveCapacity) _merged.TrimExcess(64);
    }

    /// <summary>The value (a fresh copy for arrays and kvlists), or null when the key is missing or its value is absent.</summary>
    public object? this[string key] => _merged.TryGetValue(key, out var value) ? JsonNodeValues.ToJs(value) : null;

    /// <summary>The reference's <c>attrs[key] !== undefined</c>.</summary>
    public bool Has(string key) => _merged.TryGetValue(key, out var value) && value is not null;

    /// <summary>The value of the first key that exists (JavaScript <c>a ?? b</c>).</summary>
    public object? FirstExisting(string first, string second)
        => this[first] ?? this[second];

    public bool AnyKeyStartsWith(string prefix)
    {
        foreach (var key in _merged.Keys)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
