using AgentMark.Core.Spans;
using AgentMark.Ingest.Otlp;
using AgentMark.Normalization;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Ingest;

/// <summary>Decoded spans → normalized records → durable store. Shared by every ingest route.</summary>
public sealed class SpanIngestService(SpanNormalizer normalizer, ITraceStore store, ILogger<SpanIngestService> logger)
{
    public sealed record Outcome(int Stored, int Rejected, string? RejectionMessage);

    public async Task<Outcome> IngestAsync(DecodeResult decoded, string appId, CancellationToken cancellationToken)
    {
        var records = new List<SpanRecord>(decoded.Spans.Count);
        var failed = 0;
        foreach (var span in decoded.Spans)
        {
            try
            {
                records.Add(normalizer.Normalize(span, appId));
            }
            catch (Exception error)
            {
                // A span the normalizer cannot handle is rejected on its own, never the whole request.
                failed++;
                logger.LogWarning(error, "Could not normalize span {TraceId}/{SpanId}", span.TraceId, span.SpanId);
            }
        }
        await store.AppendAsync(records, cancellationToken);

        var rejected = decoded.RejectedCount + failed;
        var message = decoded.RejectionMessage;
        if (failed > 0)
        {
            // Same shape as the decoder's message: "N span(s) rejected: reason (n), reason (n)".
            var reasons = message is null ? "" : message[(message.IndexOf(": ", StringComparison.Ordinal) + 2)..] + ", ";
            message = $"{rejected} span(s) rejected: {reasons}normalization failed ({failed})";
        }
        return new Outcome(records.Count, rejected, rejected > 0 ? message : null);
    }
}
