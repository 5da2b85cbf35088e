using AgentMark.Core.Spans;

namespace AgentMark.Gateway.Http.Traces;

/// <summary>Stored span → wire shapes (ingestion §6.3–§6.5).</summary>
public static class SpanWire
{
    /// <summary>One rule for both span shapes (ingestion §6.2).</summary>
    public static long Tokens(SpanRecord span) => span.TotalTokens > 0 ? span.TotalTokens : span.InputTokens + span.OutputTokens;

    public static SpanInTrace InTrace(SpanRecord span)
    {
        var metadata = WireFormat.Metadata(span.Metadata);
        return new SpanInTrace
        {
            Id = span.SpanId,
            TraceId = span.TraceId,
            ParentId = WireFormat.EmptyToNull(span.ParentSpanId),
            Name = span.SpanName,
            Status = SpanStatus.Name(span.StatusCode),
            StatusMessage = WireFormat.EmptyToNull(span.StatusMessage),
            DurationMs = span.Duration,
            Timestamp = WireFormat.IsoFromNanos(span.StartTimeUnixNano),
            Type = span.Type,
            Model = WireFormat.EmptyToNull(span.Model),
            InputTokens = span.InputTokens,
            OutputTokens = span.OutputTokens,
            Tokens = Tokens(span),
            ReasoningTokens = span.ReasoningTokens > 0 ? span.ReasoningTokens : null,
            Cost = span.Cost,
            Input = WireFormat.EmptyToNull(span.Input),
            Output = WireFormat.EmptyToNull(span.Output),
            OutputObject = WireFormat.EmptyToNull(span.OutputObject),
            ToolCalls = WireFormat.EmptyToNull(span.ToolCalls),
            PromptName = WireFormat.EmptyToNull(span.PromptName),
            Props = WireFormat.EmptyToNull(span.Props),
            FinishReason = WireFormat.EmptyToNull(span.FinishReason),
            Settings = WireFormat.EmptyToNull(span.Settings),
            Metadata = metadata.Count > 0 ? metadata : null,
            SpanKind = WireFormat.EmptyToNull(span.SemanticKind),
            ServiceName = WireFormat.EmptyToNull(span.ServiceName),
        };
    }

    public static TraceSpan InList(SpanRecord span) => new()
    {
        Id = span.SpanId,
        TraceId = span.TraceId,
        ParentId = WireFormat.EmptyToNull(span.ParentSpanId),
        Name = span.SpanName,
        Status = SpanStatus.Name(span.StatusCode),
        StatusMessage = span.StatusMessage ?? "",
        DurationMs = span.Duration,
        Timestamp = WireFormat.IsoFromNanos(span.StartTimeUnixNano),
        Type = string.IsNullOrEmpty(span.Type) ? SpanTypes.Span : span.Type,
        Model = WireFormat.EmptyToNull(span.Model),
        InputTokens = span.InputTokens,
        OutputTokens = span.OutputTokens,
        Tokens = Tokens(span),
        Cost = span.Cost,
        SpanKind = span.SemanticKind,
        ServiceName = span.ServiceName ?? "",
        PromptName = WireFormat.EmptyToNull(span.PromptName),
        Metadata = WireFormat.Metadata(span.Metadata),
    };

    public static SpanIo Io(SpanRecord span) => new(
        span.Input ?? "",
        span.Output ?? "",
        span.OutputObject,
        span.ToolCalls,
        WireFormat.Metadata(span.Metadata));
}
