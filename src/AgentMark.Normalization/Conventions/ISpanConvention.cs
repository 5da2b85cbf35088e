using AgentMark.Core.Spans;
using AgentMark.Normalization.Attributes;

namespace AgentMark.Normalization.Conventions;

/// <summary>
/// One instrumentation library's attribute conventions (a "transformer" in ingestion §2). Implementations
/// are stateless singletons shared by all threads.
/// </summary>
internal interface ISpanConvention
{
    /// <summary><see cref="SpanTypes.Generation"/> or <see cref="SpanTypes.Span"/> (§3.1; never EVENT).</summary>
    string Classify(DecodedSpan span, AttributeView attributes);

    /// <summary>Fills the fields this convention extracts (§2.1 step 6); fields it does not produce stay null.</summary>
    void Transform(DecodedSpan span, AttributeView attributes, NormalizedFields fields);
}
