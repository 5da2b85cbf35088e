namespace AgentMark.Storage;

/// <summary>
/// Request metrics (wire-contract §12): a request is one GENERATION span; an ERROR status is an
/// error, anything else a success.
/// </summary>
public interface IMetricsStore
{
    Task<MetricsReport> GetMetricsAsync(MetricsQuery query, CancellationToken cancellationToken);
}

/// <param name="FromNs">Inclusive lower bound on span start, Unix ns.</param>
/// <param name="ToNs">Exclusive upper bound on span start, Unix ns.</param>
public sealed record MetricsQuery(string AppId, long FromNs, long ToNs);

/// <summary>Totals over a range, or over one hour of it.</summary>
public sealed record MetricsTotals
{
    public long Requests { get; init; }
    public long Errors { get; init; }
    public long Successes => Requests - Errors;
    /// <summary>USD.</summary>
    public double Cost { get; init; }
    public long Tokens { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long LatencySumMs { get; init; }
    public double AvgLatencyMs => Requests > 0 ? (double)LatencySumMs / Requests : 0;
    /// <summary>Distinct non-empty user ids.</summary>
    public long UniqueUsers { get; init; }
    /// <summary>Latency percentiles (ms); approximate, within a few percent (bucketed).</summary>
    public double P50LatencyMs { get; init; }
    public double P95LatencyMs { get; init; }
    public double P99LatencyMs { get; init; }
}

/// <param name="HourStartNs">Start of the UTC hour, Unix ns.</param>
public sealed record MetricsHour(long HourStartNs, MetricsTotals Totals);

/// <param name="Hours">Hours with at least one request, ascending.</param>
/// <param name="ModelCount">Distinct non-empty models among the requests.</param>
public sealed record MetricsReport(MetricsTotals Summary, int ModelCount, IReadOnlyList<MetricsHour> Hours);
