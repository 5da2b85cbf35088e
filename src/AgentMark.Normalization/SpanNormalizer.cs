using AgentMark.Core.Spans;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Coercion;
using AgentMark.Normalization.Conventions;
using AgentMark.Normalization.Json;
using AgentMark.Normalization.Kinds;
using AgentMark.Normalization.Pricing;
using AgentMark.Normalization.Tags;

namespace AgentMark.Normalization;

/// <summary>
/// Turns one decoded span into its storage-ready row: the normalization pipeline of ingestion §2.1
/// (merged attributes, convention selection, classify, transform, overlays, conversation-id fallback,
/// semantic kind) followed by the storage derivations of §4.4, §2.13 and §6.1 (cost, tags, column
/// defaults, JSON columns). Thread-safe; nothing depends on other spans.
/// </summary>
public sealed class SpanNormalizer
{
    [ThreadStatic] private static AttributeView? t_attributeView;
    [ThreadStatic] private static NormalizedFields? t_fields;

    private readonly PricingRegistry _pricing;
    private readonly ConventionSelector _conventions = new();

    public SpanNormalizer(PricingRegistry pricing)
    {
        ArgumentNullException.ThrowIfNull(pricing);
        _pricing = pricing;
    }

    public SpanRecord Normalize(DecodedSpan span, string appId)
    {
        ArgumentNullException.ThrowIfNull(span);
        ArgumentNullException.ThrowIfNull(appId);

        // One attribute view and one set of fields per thread, reused span after span (taken while in use,
        // so a nested call would get its own).
        var attributes = t_attributeView ?? new AttributeView();
        t_attributeView = null;
        var fields = t_fields ?? new NormalizedFields();
        t_fields = null;
        try
        {
            attributes.Reset(span.ResourceAttributes, span.SpanAttributes);
            return Normalize(span, appId, attributes, fields);
        }
        finally
        {
            attributes.Clear();
            t_attributeView = attributes;
            fields.Clear();
            t_fields = fields;
        }
    }

    private SpanRecord Normalize(DecodedSpan span, string appId, AttributeView attributes, NormalizedFields fields)
    {
        // Classify and Transform must agree on the convention (§2.3), so it is chosen once.
        var convention = _conventions.Select(span, attributes);
        var type = convention.Classify(span, attributes);
        convention.Transform(span, attributes, fields);

        // §2.10.1: direct agentmark.* keys override the convention on every scope.
        AttributeCoercion.ParseAgentMarkAttributes(attributes, fields);
        // §2.10.2: custom agentmark.metadata.* keys win over equal keys from the convention.
        AttributeCoercion.ExtractCustomMetadata(attributes, MetadataPrefix.AgentMark, fields);
        // §2.10.3
        if (string.IsNullOrEmpty(fields.SessionId)
            && AttributeCoercion.TruthyString(attributes, "gen_ai.conversation.id") is { } conversationId)
        {
            fields.SessionId = conversationId;
        }

        var name = fields.Name ?? span.Name;
        var semanticKind = SemanticKindResolver.Resolve(span, attributes, fields, type, name);
        var cost = ComputeCost(span, fields, out var injectCost);
        var tags = TagExtractor.Extract(attributes);

        return SpanRecordWriter.Write(new SpanRecordWriter.Inputs(
            span, appId, type, name, semanticKind, fields, cost, injectCost, tags));
    }

    /// <summary>
    /// §4.4: the SDK-reported cost (or 0), replaced by the price of the model when the model and both token
    /// counts are present and the span did not fail. Whenever model and tokens are present the cost is also
    /// injected as <c>gen_ai.usage.cost</c>, even when no price was found.
    /// </summary>
    private double ComputeCost(DecodedSpan span, NormalizedFields fields, out bool inject)
    {
        var cost = fields.Cost ?? 0;
        inject = false;
        if (string.IsNullOrEmpty(fields.Model) || fields.InputTokens is not { } input || fields.OutputTokens is not { } output)
        {
            return cost;
        }
        inject = true;
        if (span.StatusCode != "2" && _pricing.TryComputeCost(fields.Model, input, output, out var priced)) cost = priced;
        return cost;
    }
}
