using System.Globalization;
using AgentMark.Gateway.Auth;
using AgentMark.Storage;

namespace AgentMark.Gateway.Http.Metrics;

/// <summary>GET /v1/metrics (wire-contract §12): summary and hourly series, served from hourly rollups.</summary>
public static class MetricsEndpoints
{
    /// <summary>The longest range one request may cover (MAX_DATE_RANGE_DAYS upstream).</summary>
    public const int MaxRangeDays = 90;

    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/metrics", GetMetrics);
        return routes;
    }

    private static async Task<IResult> GetMetrics(HttpContext context, IMetricsStore store, CancellationToken ct)
    {
        var q = new QueryReader(context.Request.Query);
        var start = q.DateTime("start_date");
        var end = q.DateTime("end_date");
        var extended = q.Bool("extended", false);
        if (!context.Request.Query.ContainsKey("start_date")) q.Reject("start_date", "Required");
        if (!context.Request.Query.ContainsKey("end_date")) q.Reject("end_date", "Required");
        if (start is { } from && end is { } to)
        {
            if (to < from) q.Reject("end_date", "end_date must not be before start_date");
            else if (to - from > TimeSpan.FromDays(MaxRangeDays)) q.Reject("end_date", $"Date range must not exceed {MaxRangeDays} days");
        }
        if (q.Error is { } error) return error;

        // end_date is inclusive at millisecond precision, like every datetime bound of the API.
        var report = await store.GetMetricsAsync(
            new MetricsQuery(context.GetAppId(), QueryReader.UnixNanos(start!.Value), QueryReader.UnixNanos(end!.Value) + 1_000_000), ct);
        var data = new MetricsData(Summary(report, extended), report.Hours.Select(Bucket).ToList());
        return Results.Json(new ItemResponse<MetricsData>(data), MetricsJson.Default.ItemResponseMetricsData);
    }

    private static MetricsSummary Summary(MetricsReport report, bool extended)
    {
        var s = report.Summary;
        double PerRequest(double total) => s.Requests > 0 ? total / s.Requests : 0;
        return new MetricsSummary
        {
            TotalRequests = s.Requests,
            SuccessCount = s.Successes,
            ErrorCount = s.Errors,
            TotalCost = s.Cost,
            TotalTokens = s.Tokens,
            InputTokens = s.InputTokens,
            OutputTokens = s.OutputTokens,
            AvgLatencyMs = s.AvgLatencyMs,
            UniqueUsers = s.UniqueUsers,
            ErrorRate = PerRequest(s.Errors),
            P50LatencyMs = s.P50LatencyMs,
            P95LatencyMs = s.P95LatencyMs,
            P99LatencyMs = s.P99LatencyMs,
            AvgCostPerRequest = extended ? PerRequest(s.Cost) : null,
            AvgInputTokensPerRequest = extended ? PerRequest(s.InputTokens) : null,
            AvgOutputTokensPerRequest = extended ? PerRequest(s.OutputTokens) : null,
            AvgTotalTokensPerRequest = extended ? PerRequest(s.Tokens) : null,
            ModelCount = extended ? report.ModelCount : null,
        };
    }

    private static MetricsBucket Bucket(MetricsHour hour)
    {
        var t = hour.Totals;
        var start = DateTimeOffset.UnixEpoch.AddTicks(hour.HourStartNs / 100);
        return new MetricsBucket
        {
            Date = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Hour = start.Hour,
            Requests = t.Requests,
            Successes = t.Successes,
            Errors = t.Errors,
            Cost = t.Cost,
            Tokens = t.Tokens,
            InputTokens = t.InputTokens,
            OutputTokens = t.OutputTokens,
            AvgLatencyMs = t.AvgLatencyMs,
            UniqueUsers = t.UniqueUsers,
            ErrorRate = t.Requests > 0 ? (double)t.Errors / t.Requests : 0,
            P50LatencyMs = t.P50LatencyMs,
            P95LatencyMs = t.P95LatencyMs,
            P99LatencyMs = t.P99LatencyMs,
        };
    }
}
