using AgentMark.Core.Spans;

namespace AgentMark.Ingest.Otlp;

/// <summary>
/// The spans a request body decoded to, plus the spans rejected one by one (ingestion §1.7).
/// <paramref name="RejectionMessage"/> is the partial-success <c>errorMessage</c>, e.g.
/// <c>2 span(s) rejected: missing spanId (1), invalid startTimeUnixNano (1)</c>; null when nothing was rejected.
/// </summary>
public sealed record DecodeResult(IReadOnlyList<DecodedSpan> Spans, int RejectedCount, string? RejectionMessage);
