using AgentMark.Core.Spans;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Conventions.AgentMarkSdk;
using AgentMark.Normalization.Conventions.Mastra;
using AgentMark.Normalization.Conventions.OpenInference;
using AgentMark.Normalization.Conventions.OpenLlmetry;
using AgentMark.Normalization.Conventions.OtelGenAi;
using AgentMark.Normalization.Conventions.VercelAiSdk;

namespace AgentMark.Normalization.Conventions;

/// <summary>
/// Picks the convention for a span (ingestion §2.3): an exact scope-name registration first, then the
/// dispatcher's attribute signatures. Classify and Transform must see the same choice, so the normalizer
/// selects once per span and uses the result for both.
/// </summary>
internal sealed class ConventionSelector
{
    private readonly ISpanConvention _agentMarkSdk = new AgentMarkSdkConvention();
    private readonly ISpanConvention _vercelAiSdk = new VercelAiSdkConvention();
    private readonly ISpanConvention _otelGenAi = new OtelGenAiConvention();

    private readonly ISpanConvention _mastra = new MastraConvention();
    private readonly ISpanConvention _openInference = new OpenInferenceConvention();
    private readonly ISpanConvention _openLlmetry = new OpenLlmetryConvention();

    public ISpanConvention Select(DecodedSpan span, AttributeView attributes)
    {
        // Scope registration wins over attributes: the AgentMark SDK sets openinference.span.kind on purpose.
        switch (span.ScopeName)
        {
            case "ai": return _vercelAiSdk;
            case "agentmark": return _agentMarkSdk;
            case "default-tracer": return _mastra;
            case "pydantic-ai": return _otelGenAi;
        }
        if (ConventionSignatures.IsOpenInference(attributes)) return _openInference;
        if (ConventionSignatures.IsOpenLlmetry(attributes)) return _openLlmetry;
        if (ConventionSignatures.IsVectorStore(span, attributes)) return _openLlmetry;
        return _otelGenAi;
    }
}
