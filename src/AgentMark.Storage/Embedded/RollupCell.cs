using AgentMark.Core.Spans;
using Microsoft.Data.Sqlite;

namespace AgentMark.Storage.Embedded;

/// <summary>
/// What one request (a GENERATION span, wire-contract §12) contributes to the metrics, read from a
/// stored record or from a row of <see cref="Columns"/>.
/// </summary>
internal readonly record struct RequestSample(
    string AppId, long StartNs, string Model, bool IsError, long CostPico, long Tokens, long InputTokens,
    long OutputTokens, long DurationMs, string UserId)
{
    public const long HourNs = 3_600_000_000_000;

    /// <summary>The span columns a sample is read from, in <see cref="Read"/> order.</summary>
    public const string Columns =
        "app_id, start_ns, model, status_code, cost, input_tokens, output_tokens, total_tokens, duration_ms, user_id";

    /// <summary>Hours since the Unix epoch (UTC) of the span start.</summary>
    public long Hour => HourOf(StartNs);

    public static long HourOf(long unixNs) => unixNs / HourNs - (unixNs % HourNs < 0 ? 1 : 0);

    /// <summary>
    /// Cost in integer pico-dollars: sums are exact and order-independent, so subtracting a re-sent
    /// span's old version leaves no floating-point residue.
    /// </summary>
    public static long ToPico(double usd) => double.IsFinite(usd) ? (long)Math.Round(usd * 1e12) : 0;

    public static RequestSample Of(SpanRecord span) => new(
        span.AppId, span.StartTimeUnixNano, span.Model, SpanStatus.Normalize(span.StatusCode) == "2", ToPico(span.Cost),
        TokensOf(span.TotalTokens, span.InputTokens, span.OutputTokens), span.InputTokens, span.OutputTokens,
        span.Duration, span.UserId);

    public static RequestSample Read(SqliteDataReader r, int first = 0) => new(
        r.GetString(first), r.GetInt64(first + 1), r.GetString(first + 2), SpanStatus.Normalize(r.GetString(first + 3)) == "2",
        ToPico(r.GetDouble(first + 4)), TokensOf(r.GetInt64(first + 7), r.GetInt64(first + 5), r.GetInt64(first + 6)),
        r.GetInt64(first + 5), r.GetInt64(first + 6), r.GetInt64(first + 8), r.GetString(first + 9));

    /// <summary>The one tokens rule of every span shape (ingestion §6.2).</summary>
    private static long TokensOf(long total, long input, long output) => total > 0 ? total : input + output;
}

/// <summary>Request totals of one (app, hour, model) cell, or of any merge of cells.</summary>
internal sealed class RollupCell
{
    public long Requests, Errors, CostPico, Tokens, InputTokens, OutputTokens, LatencySumMs;
    public readonly LatencyHistogram Latency = new();

    /// <summary>Adds (<paramref name="sign"/> = 1) or retracts (−1) one request.</summary>
    public void Add(in RequestSample s, int sign)
    {
        Requests += sign;
        if (s.IsError) Errors += sign;
        CostPico += sign * s.CostPico;
        Tokens += sign * s.Tokens;
        InputTokens += sign * s.InputTokens;
        OutputTokens += sign * s.OutputTokens;
        LatencySumMs += sign * s.DurationMs;
        Latency.Add(s.DurationMs, sign);
    }

    public void Add(RollupCell other)
    {
        Requests += other.Requests;
        Errors += other.Errors;
        CostPico += other.CostPico;
        Tokens += other.Tokens;
        InputTokens += other.InputTokens;
        OutputTokens += other.OutputTokens;
        LatencySumMs += other.LatencySumMs;
        other.Latency.AddTo(Latency);
    }

    public void Clear()
    {
        Requests = Errors = CostPico = Tokens = InputTokens = OutputTokens = LatencySumMs = 0;
        Latency.Clear();
    }

    /// <summary>False when retractions cancelled additions exactly (an exporter retry re-sending the same spans).</summary>
    public bool HasChanges =>
        Requests != 0 || Errors != 0 || CostPico != 0 || Tokens != 0 || InputTokens != 0 || OutputTokens != 0
        || LatencySumMs != 0 || !Latency.IsZero;
}
