using AgentMark.Core.Spans;

namespace AgentMark.Gateway.Http.Traces;

/// <summary>
/// Read-time roll-up of children into parents that report nothing themselves (ingestion §5.4),
/// e.g. an AI SDK wrapper span shows the tokens and cost of its generation steps. Mutates the
/// given (per-request) records; never written back to storage.
/// </summary>
public static class ParentEnrichment
{
    /// <param name="spans">One trace's spans, start ascending.</param>
    public static void Apply(IReadOnlyList<SpanRecord> spans)
    {
        var children = new Dictionary<string, List<SpanRecord>>(StringComparer.Ordinal);
        foreach (var span in spans)
        {
            if (string.IsNullOrEmpty(span.ParentSpanId)) continue;
            if (!children.TryGetValue(span.ParentSpanId, out var list)) children[span.ParentSpanId] = list = [];
            list.Add(span);
        }
        if (children.Count == 0) return;

        // Deepest levels usually start last, so visiting by descending start lets sums cascade upward.
        for (var i = spans.Count - 1; i >= 0; i--)
        {
            var span = spans[i];
            if (!children.TryGetValue(span.SpanId, out var kids)) continue;
            if (span.InputTokens == 0 && span.OutputTokens == 0)
            {
                long input = 0, output = 0;
                foreach (var kid in kids) { input += kid.InputTokens; output += kid.OutputTokens; }
                if (input > 0 || output > 0)
                {
                    span.InputTokens = input;
                    span.OutputTokens = output;
                    span.TotalTokens = input + output;
                }
            }
            if (span.Model.Length == 0)
            {
                foreach (var kid in kids)
                {
                    if (kid.Model.Length > 0) { span.Model = kid.Model; break; }
                }
            }
            if (span.Cost == 0)
            {
                double cost = 0;
                foreach (var kid in kids) cost += kid.Cost;
                if (cost > 0) span.Cost = cost;
            }
        }
    }
}
