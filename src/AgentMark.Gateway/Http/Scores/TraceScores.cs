using AgentMark.Core.Spans;
using AgentMark.Gateway.Http.Traces;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Scores;

/// <summary>
/// <c>GET /v1/traces/{traceId}?fields=scores</c> (wire-contract §6.3): every score whose resource id
/// is the trace id or the id of one of the trace's own spans, as Score objects.
/// </summary>
public static class TraceScores
{
    public static async Task<IReadOnlyList<TraceScore>> ReadAsync(IScoreStore store, string appId, string traceId, IEnumerable<SpanRecord> spans, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal) { traceId };
        foreach (var span in spans) if (span.TraceId == traceId) ids.Add(span.SpanId);
        var scores = await store.GetScoresForResourcesAsync(appId, ids, ct);
        return scores.Select(score =>
        {
            var item = ScoreItem.From(score);
            return new TraceScore
            {
                Id = item.Id,
                ResourceId = item.ResourceId,
                Name = item.Name,
                Score = item.Score,
                Label = item.Label,
                Reason = item.Reason,
                Source = item.Source,
                UserId = item.UserId,
                CreatedAt = item.CreatedAt,
            };
        }).ToList();
    }
}
