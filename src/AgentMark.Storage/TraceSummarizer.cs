using System.Text.Json;
using AgentMark.Core.Spans;

namespace AgentMark.Storage;

/// <summary>
/// The single definition of every trace-level field (ingestion §5.2–§5.3), shared by the stored
/// trace summaries (recomputed at ingest) and the trace detail (computed from the spans read).
/// </summary>
public static class TraceSummarizer
{
    public const int PreviewLength = 160;

    /// <param name="spans">All spans of one trace, ordered by start ascending.</param>
    public static TraceSummary Summarize(string traceId, IReadOnlyList<SpanRecord> spans)
    {
        var ids = new HashSet<string>(spans.Count, StringComparer.Ordinal);
        foreach (var span in spans) ids.Add(span.SpanId);

        string? bestTraceName = null, bestSpanName = null;
        var rootStatus = -1;
        var anyStatus = 0;
        long startNs = long.MaxValue, latency = long.MinValue, tokens = 0;
        double endMs = double.MinValue, cost = 0;
        string datasetRunId = "", datasetPath = "";
        var tags = new List<string>();
        HashSet<string>? seenTags = null;
        var previewCandidates = new List<SpanRecord>();

        foreach (var span in spans)
        {
            var parentless = string.IsNullOrEmpty(span.ParentSpanId);
            var topLevel = parentless || !ids.Contains(span.ParentSpanId!);
            var status = Normalized(span.StatusCode);
            anyStatus = Math.Max(anyStatus, status);
            if (parentless) rootStatus = Math.Max(rootStatus, status);
            if (topLevel)
            {
                if (span.TraceName.Length > 0 && (bestTraceName is null || string.CompareOrdinal(span.TraceName, bestTraceName) > 0)) bestTraceName = span.TraceName;
                if (bestSpanName is null || string.CompareOrdinal(span.SpanName, bestSpanName) > 0) bestSpanName = span.SpanName;
                latency = Math.Max(latency, span.Duration);
            }
            startNs = Math.Min(startNs, span.StartTimeUnixNano);
            endMs = Math.Max(endMs, Math.Floor(span.EndTime));
            cost = Math.Max(cost, span.Cost);
            tokens = Math.Max(tokens, span.InputTokens + span.OutputTokens);
            if (span.DatasetRunId.Length > 0 && string.CompareOrdinal(span.DatasetRunId, datasetRunId) > 0) datasetRunId = span.DatasetRunId;
            if (span.DatasetPath.Length > 0 && string.CompareOrdinal(span.DatasetPath, datasetPath) > 0) datasetPath = span.DatasetPath;
            if (span.Tags.Length > 2) AddTags(span.Tags, tags, seenTags ??= new HashSet<string>(StringComparer.Ordinal));
            if (parentless || span.Type == SpanTypes.Generation) previewCandidates.Add(span);
        }

        var (input, output) = DeriveIo(spans);
        var (inputPreview, outputPreview) = DeriveIo(previewCandidates);
        return new TraceSummary
        {
            Id = traceId,
            Name = bestTraceName ?? bestSpanName ?? "",
            Status = (rootStatus >= 0 ? rootStatus : anyStatus).ToString(),
            StartNs = spans.Count == 0 ? 0 : startNs,
            EndMs = spans.Count == 0 ? 0 : endMs,
            LatencyMs = latency == long.MinValue ? 0 : latency,
            Cost = cost,
            Tokens = tokens,
            SpanCount = spans.Count,
            Tags = tags,
            Input = input,
            Output = output,
            InputPreview = Truncate(inputPreview),
            OutputPreview = Truncate(outputPreview),
            DatasetRunId = datasetRunId,
            DatasetPath = datasetPath,
        };
    }

    /// <summary>deriveTraceIO (ingestion §5.3): root span first, then generations.</summary>
    public static (string? Input, string? Output) DeriveIo(IReadOnlyList<SpanRecord> spans)
    {
        if (spans.Count == 0) return (null, null);
        SpanRecord? root = null;
        foreach (var span in spans)
        {
            if (string.IsNullOrEmpty(span.ParentSpanId)) { root = span; break; }
        }
        root ??= spans[0];

        // Spans arrive start-ordered, so generations are already stably sorted by start.
        var input = Present(root.Input);
        if (input is null)
        {
            foreach (var span in spans)
            {
                if (span.Type == SpanTypes.Generation && Present(span.Input) is { } first) { input = first; break; }
            }
        }
        var output = Present(root.Output);
        if (output is null)
        {
            for (var i = spans.Count - 1; i >= 0; i--)
            {
                if (spans[i].Type == SpanTypes.Generation && Present(spans[i].Output) is { } last) { output = last; break; }
            }
        }
        return (input, output);
    }

    private static string? Present(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static int Normalized(string code) => SpanStatus.Normalize(code) switch { "2" => 2, "1" => 1, _ => 0 };

    private static void AddTags(string json, List<string> tags, HashSet<string> seen)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } tag && seen.Add(tag)) tags.Add(tag);
        }
    }

    /// <summary>First 160 Unicode scalar values, never splitting a surrogate pair.</summary>
    public static string? Truncate(string? value)
    {
        if (value is null || value.Length <= PreviewLength) return value;
        var scalars = 0;
        var i = 0;
        while (i < value.Length && scalars < PreviewLength)
        {
            i += char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]) ? 2 : 1;
            scalars++;
        }
        return value[..i];
    }
}
