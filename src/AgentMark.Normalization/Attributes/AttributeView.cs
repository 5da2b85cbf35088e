using System.Collections;
using System.Runtime.CompilerServices;
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
/// The two maps are not copied into a merged dictionary: a lookup reads the span map, then the resource
/// map. Most lookups are for keys the span does not have (each convention probes many alternatives), so
/// each map has a small bit filter over its keys that answers most misses without hashing the key.
/// Instances are reused per thread by <see cref="SpanNormalizer"/>; they are not thread-safe.
/// </remarks>
internal sealed class AttributeView
{
    private const int TrimAboveCapacity = 1024;
    private const string AgentMarkPrefix = "agentmark.";

    /// <summary>The maps as read: the decoded dictionaries themselves, or <see cref="_resourceCopy"/> /
    /// <see cref="_spanCopy"/> for other map types; null when empty.</summary>
    private Dictionary<string, JsonNode?>? _resource;
    private Dictionary<string, JsonNode?>? _span;
    private KeyFilter _resourceKeys;
    private KeyFilter _spanKeys;
    private Dictionary<string, JsonNode?>? _resourceCopy;
    private Dictionary<string, JsonNode?>? _spanCopy;

    public AttributeView()
    {
    }

    public AttributeView(IReadOnlyDictionary<string, JsonNode?> resource, IReadOnlyDictionary<string, JsonNode?> span)
    {
        Reset(resource, span);
    }

    /// <summary>Number of distinct keys.</summary>
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var _ in Keys) count++;
            return count;
        }
    }

    /// <summary>Whether any key starts with <c>agentmark.</c>; most third-party spans have none, and the
    /// AgentMark key families (about 40 lookups per span) are skipped for them.</summary>
    public bool HasAgentMarkKeys { get; private set; }

    public bool HasAgentMarkMetadataKeys { get; private set; }

    public bool HasTelemetryMetadataKeys { get; private set; }

    /// <summary>The keys in merged order: resource keys first, then the span's own keys.</summary>
    public KeyList Keys => new(this);

    public void Reset(IReadOnlyDictionary<string, JsonNode?> resource, IReadOnlyDictionary<string, JsonNode?> span)
    {
        Clear();
        _resource = Adopt(resource, ref _resourceCopy);
        _span = Adopt(span, ref _spanCopy);
        // The dictionaries are enumerated directly: their Keys collection is an object allocated on first use.
        if (_resource is not null)
        {
            foreach (var entry in _resource) Index(entry.Key, ref _resourceKeys);
        }
        if (_span is not null)
        {
            foreach (var entry in _span) Index(entry.Key, ref _spanKeys);
        }
    }

    /// <summary>The map itself when it is an ordinal <see cref="Dictionary{TKey, TValue}"/>, else an ordinal copy.</summary>
    private static Dictionary<string, JsonNode?>? Adopt(IReadOnlyDictionary<string, JsonNode?> map, ref Dictionary<string, JsonNode?>? copy)
    {
        if (map.Count == 0) return null;
        if (map is Dictionary<string, JsonNode?> dictionary
            && (ReferenceEquals(dictionary.Comparer, EqualityComparer<string>.Default) || ReferenceEquals(dictionary.Comparer, StringComparer.Ordinal)))
        {
            return dictionary;
        }
        copy ??= new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in map) copy[key] = value;
        return copy;
    }

    private void Index(string key, ref KeyFilter filter)
    {
        filter.Add(key);
        // "agentmark." and "ai.telemetry.metadata." are both longer than ten characters and start with 'a'.
        if (key.Length <= AgentMarkPrefix.Length || key[0] != 'a') return;
        if (key[1] == 'g' && key.StartsWith(AgentMarkPrefix, StringComparison.Ordinal))
        {
            HasAgentMarkKeys = true;
            if (key.StartsWith(Coercion.MetadataPrefix.AgentMark.Prefix, StringComparison.Ordinal)) HasAgentMarkMetadataKeys = true;
        }
        else if (key[1] == 'i' && key[3] == 't' && key.StartsWith(Coercion.MetadataPrefix.AiTelemetry.Prefix, StringComparison.Ordinal))
        {
            HasTelemetryMetadataKeys = true;
        }
    }

    public void Clear()
    {
        HasAgentMarkKeys = HasAgentMarkMetadataKeys = HasTelemetryMetadataKeys = false;
        _resource = _span = null;
        _resourceKeys = _spanKeys = default;
        ClearCopy(_resourceCopy);
        ClearCopy(_spanCopy);
    }

    private static void ClearCopy(Dictionary<string, JsonNode?>? copy)
    {
        if (copy is null || copy.Count == 0) return;
        copy.Clear();
        if (copy.EnsureCapacity(0) > TrimAboveCapacity) copy.TrimExcess(64);
    }

    /// <summary>The merged map's entry: the span's when it has the key (even an absent value), else the resource's.</summary>
    private bool TryGetNode(string key, out JsonNode? value)
    {
        var bit = KeyFilter.BitOf(key);
        if (_spanKeys.MayContain(bit) && _span!.TryGetValue(key, out value)) return true;
        if (_resourceKeys.MayContain(bit) && _resource!.TryGetValue(key, out value)) return true;
        value = null;
        return false;
    }

    /// <summary>The value (a fresh copy for arrays and kvlists), or null when the key is missing or its value is absent.</summary>
    public object? this[string key] => TryGetNode(key, out var value) ? JsonNodeValues.ToJs(value) : null;

    /// <summary>The reference's <c>attrs[key] !== undefined</c>.</summary>
    public bool Has(string key) => TryGetNode(key, out var value) && value is not null;

    /// <summary><see cref="Has"/>, and when true the value (<c>this[key]</c>) with the same lookup.</summary>
    public bool TryGet(string key, out object? value)
    {
        if (TryGetNode(key, out var node) && node is not null)
        {
            value = JsonNodeValues.ToJs(node);
            return true;
        }
        value = null;
        return false;
    }

    /// <summary>The value of the first key that exists (JavaScript <c>a ?? b</c>).</summary>
    public object? FirstExisting(string first, string second)
        => this[first] ?? this[second];

    public bool AnyKeyStartsWith(string prefix)
    {
        if (_resource is not null)
        {
            foreach (var entry in _resource)
            {
                if (entry.Key.StartsWith(prefix, StringComparison.Ordinal)) return true;
            }
        }
        if (_span is not null)
        {
            foreach (var entry in _span)
            {
                if (entry.Key.StartsWith(prefix, StringComparison.Ordinal)) return true;
            }
        }
        return false;
    }

    /// <summary>A 128-bit filter over key length and two characters: false means "certainly absent".</summary>
    private struct KeyFilter
    {
        private ulong _low;
        private ulong _high;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int BitOf(string key)
        {
            var length = key.Length;
            return length == 0 ? 0 : (length * 31 + key[length - 1] * 7 + key[length >> 1]) & 127;
        }

        public void Add(string key)
        {
            var bit = BitOf(key);
            if (bit < 64) _low |= 1UL << bit;
            else _high |= 1UL << (bit - 64);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly bool MayContain(int bit) => ((bit < 64 ? _low : _high) & (1UL << (bit & 63))) != 0;
    }

    /// <summary>The merged key order: every resource key, then the span keys the resource does not have.</summary>
    public readonly struct KeyList(AttributeView view) : IEnumerable<string>
    {
        public Enumerator GetEnumerator() => new(view);

        IEnumerator<string> IEnumerable<string>.GetEnumerator() => GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    public struct Enumerator : IEnumerator<string>
    {
        private readonly AttributeView _view;
        private Dictionary<string, JsonNode?>.Enumerator _resourceEntries;
        private Dictionary<string, JsonNode?>.Enumerator _spanEntries;
        private int _phase;

        internal Enumerator(AttributeView view)
        {
            _view = view;
            _phase = 0;
            _resourceEntries = view._resource is { } resource ? resource.GetEnumerator() : default;
            _spanEntries = view._span is { } span ? span.GetEnumerator() : default;
            Current = "";
        }

        public string Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_phase == 0)
            {
                if (_view._resource is not null && _resourceEntries.MoveNext())
                {
                    Current = _resourceEntries.Current.Key;
                    return true;
                }
                _phase = 1;
            }
            if (_phase == 1 && _view._span is not null)
            {
                while (_spanEntries.MoveNext())
                {
                    var key = _spanEntries.Current.Key;
                    // A key the resource also has was listed at the resource's position.
                    if (_view._resourceKeys.MayContain(KeyFilter.BitOf(key)) && _view._resource!.ContainsKey(key)) continue;
                    Current = key;
                    return true;
                }
            }
            _phase = 2;
            return false;
        }

        public void Reset() => throw new NotSupportedException();

        public readonly void Dispose()
        {
        }
    }
}
