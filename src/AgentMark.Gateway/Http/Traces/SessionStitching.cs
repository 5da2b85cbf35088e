using AgentMark.Core.Spans;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Traces;

/// <summary>
/// Session stitching in the trace detail (ingestion §5.5, wire-contract §6.3): an agent run emitted
/// from several processes shows as one tree. The spans of the session's other traces follow the
/// trace's own spans, and their parentless ones hang under this trace's <c>invoke_agent</c> root —
/// in the response only; nothing is rewritten in storage.
/// </summary>
public static class SessionStitching
{
    public const string AgentRootPrefix = "invoke_agent";

    public sealed record Stitched(IReadOnlyList<SpanRecord> Spans, string? Input, string? Output);

    /// <param name="own">The trace's own spans, start ascending, already enriched (§5.4 applies to them only).</param>
    public static async Task<Stitched> StitchAsync(ISessionStore sessions, string appId, string traceId, IReadOnlyList<SpanRecord> own, CancellationToken ct)
    {
        IReadOnlyList<SpanRecord> spans = own;
        // The session of the earliest span carrying one.
        if (own.FirstOrDefault(s => s.SessionId.Length > 0)?.SessionId is { } sessionId)
        {
            var others = await sessions.GetSessionSpansAsync(appId, sessionId, traceId, SpanDetail.WithIo, ct);
            if (others.Count > 0)
            {
                var agentRoot = own.FirstOrDefault(s => string.IsNullOrEmpty(s.ParentSpanId) && s.SpanName.StartsWith(AgentRootPrefix, StringComparison.Ordinal));
                if (agentRoot is not null)
                {
                    foreach (var span in others)
                        if (string.IsNullOrEmpty(span.ParentSpanId)) span.ParentSpanId = agentRoot.SpanId;
                }
                spans = [.. own, .. others];
            }
        }
        var (input, output) = DeriveIo(spans);
        return new Stitched(spans, input, output);
    }

    /// <summary>
    /// §5.3 over the combined list: the root is its first parentless span (own spans come first),
    /// the generations are taken in start order, which the appended spans break. Putting the root in
    /// front of a stably start-sorted copy gives <see cref="TraceSummarizer.DeriveIo"/> both.
    /// </summary>
    private static (string? Input, string? Output) DeriveIo(IReadOnlyList<SpanRecord> spans)
    {
        if (spans.Count == 0) return (null, null);
        var root = spans.FirstOrDefault(s => string.IsNullOrEmpty(s.ParentSpanId)) ?? spans[0];
        return TraceSummarizer.DeriveIo([root, .. spans.OrderBy(s => s.StartTimeUnixNano)]);
    }
}
