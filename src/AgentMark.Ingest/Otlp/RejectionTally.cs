using System.Runtime.CompilerServices;
using System.Text;

namespace AgentMark.Ingest.Otlp;

/// <summary>Why one span (or legacy row) was rejected on its own (ingestion §1.7).</summary>
internal enum RejectReason
{
    NotAnObject,
    TraceIdMissing,
    TraceIdInvalid,
    SpanIdMissing,
    SpanIdInvalid,
    StartMissing,
    StartInvalid,
    EndMissing,
    EndInvalid,
}

/// <summary>
/// Counts rejections per reason. A value type so a decoder can checkpoint and roll back cheaply
/// (the OTLP/JSON reader does that when a JSON key repeats: the last occurrence wins, as in JSON.parse).
/// </summary>
internal struct RejectionTally
{
    internal const int ReasonCount = (int)RejectReason.EndInvalid + 1;

    /// <summary>Labels for OTLP spans, indexed by <see cref="RejectReason"/>.</summary>
    internal static readonly string[] OtlpLabels =
    [
        "span is not an object",
        "missing traceId",
        "invalid traceId",
        "missing spanId",
        "invalid spanId",
        "missing startTimeUnixNano",
        "invalid startTimeUnixNano",
        "missing endTimeUnixNano",
        "invalid endTimeUnixNano",
    ];

    /// <summary>Labels for legacy <c>/v1/export-traces</c> rows (their keys are spelled differently).</summary>
    internal static readonly string[] LegacyLabels =
    [
        "row is not an object",
        "missing TraceId",
        "invalid TraceId",
        "missing SpanId",
        "invalid SpanId",
        "missing Timestamp",
        "invalid Timestamp",
        "missing end_time",
        "invalid end_time",
    ];

    [InlineArray(ReasonCount)]
    private struct Counts
    {
        private int _element;
    }

    private Counts _counts;

    public int Total { get; private set; }

    public void Add(RejectReason reason)
    {
        _counts[(int)reason]++;
        Total++;
    }

    /// <summary><c>N span(s) rejected: reason (n), reason (n)</c> in a fixed reason order; null when none.</summary>
    public readonly string? ToMessage(string[] labels)
    {
        if (Total == 0) return null;
        var sb = new StringBuilder();
        sb.Append(Total).Append(" span(s) rejected: ");
        var first = true;
        for (var i = 0; i < ReasonCount; i++)
        {
            var count = _counts[i];
            if (count == 0) continue;
            if (!first) sb.Append(", ");
            sb.Append(labels[i]).Append(" (").Append(count).Append(')');
            first = false;
        }
        return sb.ToString();
    }
}
