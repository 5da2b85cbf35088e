using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using AgentMark.Normalization.Pricing;

namespace AgentMark.Normalization.Tests.Support;

/// <summary>Builds <see cref="DecodedSpan"/>s directly, attribute values as the decoder produces them.</summary>
public static class Spans
{
    public static readonly PricingRegistry Pricing = PricingRegistry.LoadBundled();
    public static readonly SpanNormalizer Normalizer = new(Pricing);

    public static JsonNode S(string value) => JsonValue.Create(value);
    public static JsonNode I(long value) => JsonValue.Create(value);
    public static JsonNode D(double value) => JsonValue.Create(value);
    public static JsonNode B(bool value) => JsonValue.Create(value);
    public static JsonArray Arr(params JsonNode?[] values) => new(values);

    public static Dictionary<string, JsonNode?> Map(params (string Key, JsonNode? Value)[] attributes)
    {
        var map = new Dictionary<string, JsonNode?>();
        foreach (var (key, value) in attributes) map[key] = value;
        return map;
    }

    public static DecodedSpan Span(
        string name = "span",
        string? scope = null,
        (string Key, JsonNode? Value)[]? attributes = null,
        (string Key, JsonNode? Value)[]? resource = null,
        string statusCode = "0",
        long start = 1_767_225_600_000_000_000,
        long end = 1_767_225_601_000_000_000,
        IReadOnlyList<SpanEvent>? events = null,
        IReadOnlyList<SpanLink>? links = null)
        => new()
        {
            TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
            SpanId = "00f067aa0ba902b7",
            Name = name,
            Kind = "1",
            ScopeName = scope,
            StatusCode = statusCode,
            StartTimeUnixNano = start,
            EndTimeUnixNano = end,
            ResourceAttributes = Map(resource ?? []),
            SpanAttributes = Map(attributes ?? []),
            Events = events ?? [],
            Links = links ?? [],
        };

    public static SpanRecord Normalize(DecodedSpan span, string appId = "app") => Normalizer.Normalize(span, appId);

    public static SpanRecord Normalize(string? scope, params (string Key, JsonNode? Value)[] attributes)
        => Normalize(Span(scope: scope, attributes: attributes));
}
