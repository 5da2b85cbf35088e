using System.Text.Json.Nodes;

namespace AgentMark.Normalization.Attributes;

/// <summary>
/// The merged attribute view <c>A</c> of ingestion §2.1 step 2: resource attributes overlaid with span
/// attributes (span wins; an overridden key keeps the resource's position, as JavaScript's
/// <c>{...resource, ...span}</c> does). Every extractor reads this view.
/// </summary>
/// <remarks>
/// "Key exists" throughout the spec means the reference's <c>attrs[key] !== undefined</c>, so
/// <see cref="Has"/> is false for a key whose AnyValue had no field set (held as null).
/// Instances are reused per thread by <see cref="SpanNormalizer"/>; they are not thread-safe.
/// </remarks>
internal sealed class AttributeView
{
    private const int TrimAboveCapacity = 1024;
    private readonly Dictionary<string, JsonNode?> _merged = new(64, StringComparer.Ordinal);

    public AttributeView()
    {
    }

    public AttributeView(IReadOnlyDictionary<string, JsonNode?> resource, IReadOnlyDictionary<string, JsonNode?> span)
    {
        Reset(resource, span);
    }

    public int Count => _merged.Count;

    public void Reset(IReadOnlyDictionary<string, JsonNode?> resource, IReadOnlyDictionary<string, JsonNode?> span)
    {
        Clear();
        foreach (var (key, value) in resource) _merged[key] = value;
        foreach (var (key, value) in span) _merged[key] = value;
    }

    public void Clear()
    {
        if (_merged.Count > TrimAboveCapacity)
        {
            _merged.Clear();
            _merged.TrimExcess(64);
        }
        else
        {
            _merged.Clear();
        }
    }

    /// <summary>The value, or null when the key is missing or its value is absent.</summary>
    public JsonNode? this[string key] => _merged.TryGetValue(key, out var value) ? value : null;

    /// <summary>The reference's <c>attrs[key] !== undefined</c>.</summary>
    public bool Has(string key) => _merged.TryGetValue(key, out var value) && value is not null;

    /// <summary>The value of the first key that exists (JavaScript <c>a ?? b</c>).</summary>
    public JsonNode? FirstExisting(string first, string second)
        => this[first] ?? this[second];

    /// <summary>Entries in merged order (resource keys first, then span-only keys).</summary>
    public Dictionary<string, JsonNode?>.Enumerator GetEnumerator() => _merged.GetEnumerator();

    public bool AnyKeyStartsWith(string prefix)
    {
        foreach (var key in _merged.Keys)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
