using System.Text.Json.Serialization;

namespace AgentMark.Gateway.Http.Metrics;

// Wire-contract §12. error_rate and the p50/p95/p99 latencies are additive fields of this gateway
// (the dashboard metrics of docs/observe__dashboards.md); clients that do not know them ignore them.

/// <summary><c>data</c> of GET /v1/metrics.</summary>
public sealed record MetricsData(MetricsSummary Summary, IReadOnlyList<MetricsBucket> TimeSeries);

public sealed record MetricsSummary
{
    public long TotalRequests { get; init; }
    public long SuccessCount { get; init; }
    public long ErrorCount { get; init; }
    public double TotalCost { get; init; }
    public long TotalTokens { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public double AvgLatencyMs { get; init; }
    public long UniqueUsers { get; init; }
    /// <summary>error_count / total_requests, 0 when there are no requests (additive).</summary>
    public double ErrorRate { get; init; }
    [JsonPropertyName("p50_latency_ms")] public double P50LatencyMs { get; init; }
    [JsonPropertyName("p95_latency_ms")] public double P95LatencyMs { get; init; }
    [JsonPropertyName("p99_latency_ms")] public double P99LatencyMs { get; init; }

    // extended=true only; omitted otherwise.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? AvgCostPerRequest { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? AvgInputTokensPerRequest { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? AvgOutputTokensPerRequest { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? AvgTotalTokensPerRequest { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? ModelCount { get; init; }
}

/// <summary>One UTC hour with at least one request.</summary>
public sealed record MetricsBucket
{
    /// <summary>YYYY-MM-DD (UTC).</summary>
    public required string Date { get; init; }
    /// <summary>0..23 (UTC).</summary>
    public int Hour { get; init; }
    public long Requests { get; init; }
    public long Successes { get; init; }
    public long Errors { get; init; }
    public double Cost { get; init; }
    public long Tokens { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public double AvgLatencyMs { get; init; }
    public long UniqueUsers { get; init; }
    public double ErrorRate { get; init; }
    [JsonPropertyName("p50_latency_ms")] public double P50LatencyMs { get; init; }
    [JsonPropertyName("p95_latency_ms")] public double P95LatencyMs { get; init; }
    [JsonPropertyName("p99_latency_ms")] public double P99LatencyMs { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ItemResponse<MetricsData>))]
internal sealed partial class MetricsJson : JsonSerializerContext;
