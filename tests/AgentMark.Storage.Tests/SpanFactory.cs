using AgentMark.Core.Spans;

namespace AgentMark.Storage.Tests;

/// <summary>Builds stored span records for store tests.</summary>
internal static class SpanFactory
{
    public static readonly long BaseNs = 1_767_225_600_000_000_000; // 2026-01-01T00:00:00Z

    public static SpanRecord Span(string trace, string span, string? parent = null, string app = "local",
        long startOffsetMs = 0, long durationMs = 100, string type = SpanTypes.Span, string name = "step",
        string status = "0", string model = "", long inputTokens = 0, long outputTokens = 0, double cost = 0,
        string sessionId = "", string userId = "", string traceName = "", string tags = "[]", string? input = null,
        string? output = null, string commitSha = "", string datasetRunId = "", string? metadata = null)
    {
        var startNs = BaseNs + startOffsetMs * 1_000_000;
        return new SpanRecord
        {
            AppId = app,
            TraceId = trace,
            SpanId = span,
            ParentSpanId = parent,
            Type = type,
            StartTimeUnixNano = startNs,
            EndTime = SpanRecord.NanosToMs(startNs) + durationMs,
            Duration = durationMs,
            SpanName = name,
            SpanKind = "1",
            SemanticKind = type == SpanTypes.Generation ? "llm" : "function",
            StatusCode = status,
            Model = model,
            InputTokens = inputTokens,
            OutputTokens = outputTokens,
            TotalTokens = inputTokens + outputTokens,
            Cost = cost,
            SessionId = sessionId,
            UserId = userId,
            TraceName = traceName,
            Tags = tags,
            Input = input,
            Output = output,
            CommitSha = commitSha,
            DatasetRunId = datasetRunId,
            Metadata = metadata,
            ResourceAttributes = """{"service.name":"test"}""",
            SpanAttributes = """{"k":1}""",
            Events = "[]",
            Links = "[]",
        };
    }
}
