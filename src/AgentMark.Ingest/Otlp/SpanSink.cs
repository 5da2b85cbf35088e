using AgentMark.Core.Spans;

namespace AgentMark.Ingest.Otlp;

/// <summary>Accumulates decoded spans and rejections for one request body.</summary>
internal sealed class SpanSink
{
    private readonly List<DecodedSpan> _spans = [];
    private RejectionTally _tally;

    public int Count => _spans.Count;

    public void Add(DecodedSpan span) => _spans.Add(span);

    public void Reject(RejectReason reason) => _tally.Add(reason);

    /// <summary>A point to come back to when a JSON key repeats and its last occurrence must win.</summary>
    public Checkpoint Mark() => new(_spans.Count, _tally);

    public void Rollback(in Checkpoint mark)
    {
        if (_spans.Count > mark.SpanCount) _spans.RemoveRange(mark.SpanCount, _spans.Count - mark.SpanCount);
        _tally = mark.Tally;
    }

    /// <summary>Gives the spans added since <paramref name="mark"/> the scope that was read last.</summary>
    public void ApplyScope(in Checkpoint mark, string? name, string? version)
    {
        for (var i = mark.SpanCount; i < _spans.Count; i++)
        {
            var span = _spans[i];
            if (span.ScopeName != name || span.ScopeVersion != version) _spans[i] = WithScope(span, name, version);
        }
    }

    public DecodeResult ToResult(string[] labels) => new(_spans, _tally.Total, _tally.ToMessage(labels));

    private static DecodedSpan WithScope(DecodedSpan s, string? name, string? version) => new()
    {
        TraceId = s.TraceId,
        SpanId = s.SpanId,
        ParentSpanId = s.ParentSpanId,
        TraceState = s.TraceState,
        Name = s.Name,
        Kind = s.Kind,
        StartTimeUnixNano = s.StartTimeUnixNano,
        EndTimeUnixNano = s.EndTimeUnixNano,
        StatusCode = s.StatusCode,
        StatusMessage = s.StatusMessage,
        ScopeName = name,
        ScopeVersion = version,
        ResourceAttributes = s.ResourceAttributes,
        SpanAttributes = s.SpanAttributes,
        Events = s.Events,
        Links = s.Links,
    };

    public readonly record struct Checkpoint(int SpanCount, RejectionTally Tally);
}
