using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace AgentMark.Storage.Embedded;

/// <summary>
/// GET /v1/metrics from the hourly rollups (<see cref="HourlyRollups"/>). The whole hours of the
/// range are rollup rows; a range that does not start or end on the hour has its partial first and
/// last hours read from the GENERATION spans themselves (at most two hours, through the type
/// index), so the numbers are exact for any range while the cost stays bounded by the hours.
/// </summary>
public sealed partial class SqliteTraceStore : IMetricsStore
{
    private const long HourNs = RequestSample.HourNs;

    public async Task<MetricsReport> GetMetricsAsync(MetricsQuery query, CancellationToken cancellationToken)
    {
        var (from, to) = (query.FromNs, query.ToNs);
        if (to <= from) return new MetricsReport(new MetricsTotals(), 0, []);
        // Whole hours [firstFull, lastFull]; the rest of [from, to) is read from spans.
        var firstFull = RequestSample.HourOf(from - 1) + 1;
        var lastFull = RequestSample.HourOf(to) - 1;
        var hasFull = firstFull <= lastFull;

        await using var connection = await OpenReaderAsync(cancellationToken);
        // One deferred (read) transaction: every query below sees the same snapshot, and the writer is never blocked.
        await using var transaction = connection.BeginTransaction(deferred: true);

        var edges = new SortedDictionary<long, EdgeHour>();
        if (!hasFull) await ReadEdgeAsync(transaction, query.AppId, from, to, edges, cancellationToken);
        else
        {
            await ReadEdgeAsync(transaction, query.AppId, from, firstFull * HourNs, edges, cancellationToken);
            await ReadEdgeAsync(transaction, query.AppId, (lastFull + 1) * HourNs, to, edges, cancellationToken);
        }

        var report = new MetricsBuilder();
        foreach (var (hour, edge) in edges)
            if (hour < firstFull) report.Emit(hour, edge.Cell, edge.Users.Count);
        if (hasFull) await ReadRollupsAsync(transaction, query.AppId, firstFull, lastFull, report, cancellationToken);
        foreach (var (hour, edge) in edges)
            if (hour >= firstFull) report.Emit(hour, edge.Cell, edge.Users.Count);
        foreach (var edge in edges.Values) report.Models.UnionWith(edge.Models);

        var edgeUsers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var edge in edges.Values) edgeUsers.UnionWith(edge.Users);
        long uniqueUsers = edgeUsers.Count;
        if (hasFull)
        {
            await using var users = Command(transaction, """
                SELECT COUNT(*) FROM (
                    SELECT user_id FROM metrics_hourly_users WHERE app_id = $app AND hour BETWEEN $first AND $last AND requests > 0
                    UNION SELECT value FROM json_each($edge))
                """, [("$app", query.AppId), ("$first", firstFull), ("$last", lastFull),
                      ("$edge", JsonSerializer.Serialize(edgeUsers.ToArray(), StorageJson.Default.StringArray))]);
            uniqueUsers = (long)(await users.ExecuteScalarAsync(cancellationToken))!;
        }
        return report.Build(uniqueUsers);
    }

    /// <summary>A command inside a read transaction (a snapshot shared by several queries).</summary>
    private static SqliteCommand Command(SqliteTransaction transaction, string sql, IEnumerable<(string Name, object Value)> parameters)
    {
        var command = Command(transaction.Connection!, sql, parameters);
        command.Transaction = transaction;
        return command;
    }

    private sealed class EdgeHour
    {
        public readonly RollupCell Cell = new();
        public readonly HashSet<string> Users = new(StringComparer.Ordinal);
        public readonly HashSet<string> Models = new(StringComparer.Ordinal);
    }

    private static async Task ReadEdgeAsync(SqliteTransaction transaction, string app, long from, long to,
        SortedDictionary<long, EdgeHour> edges, CancellationToken cancellationToken)
    {
        if (to <= from) return;
        await using var command = Command(transaction, $"""
            SELECT {RequestSample.Columns} FROM spans INDEXED BY spans_by_type
            WHERE app_id = $app AND type = 'GENERATION' AND start_ns >= $from AND start_ns < $to
            """, [("$app", app), ("$from", from), ("$to", to)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var sample = RequestSample.Read(reader);
            if (!edges.TryGetValue(sample.Hour, out var edge)) edges[sample.Hour] = edge = new EdgeHour();
            edge.Cell.Add(sample, 1);
            if (sample.UserId.Length > 0) edge.Users.Add(sample.UserId);
            if (sample.Model.Length > 0) edge.Models.Add(sample.Model);
        }
    }

    private static async Task ReadRollupsAsync(SqliteTransaction transaction, string app, long firstHour, long lastHour,
        MetricsBuilder report, CancellationToken cancellationToken)
    {
        var usersByHour = new Dictionary<long, long>();
        await using (var users = Command(transaction, """
            SELECT hour, COUNT(*) FROM metrics_hourly_users
            WHERE app_id = $app AND hour BETWEEN $first AND $last AND requests > 0 GROUP BY hour
            """, [("$app", app), ("$first", firstHour), ("$last", lastHour)]))
        await using (var reader = await users.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) usersByHour[reader.GetInt64(0)] = reader.GetInt64(1);
        }

        await using var rows = Command(transaction, """
            SELECT hour, model, requests, errors, cost_pico, tokens, input_tokens, output_tokens, latency_sum_ms, latency_histogram
            FROM metrics_hourly WHERE app_id = $app AND hour BETWEEN $first AND $last ORDER BY hour
            """, [("$app", app), ("$first", firstHour), ("$last", lastHour)]);
        await using var rollups = await rows.ExecuteReaderAsync(cancellationToken);
        var cell = new RollupCell();
        long? current = null;
        while (await rollups.ReadAsync(cancellationToken))
        {
            var hour = rollups.GetInt64(0);
            if (current is { } done && done != hour)
            {
                report.Emit(done, cell, usersByHour.GetValueOrDefault(done));
                cell.Clear();
            }
            current = hour;
            var requests = rollups.GetInt64(2);
            if (requests > 0 && rollups.GetString(1) is { Length: > 0 } model) report.Models.Add(model);
            cell.Requests += requests;
            cell.Errors += rollups.GetInt64(3);
            cell.CostPico += rollups.GetInt64(4);
            cell.Tokens += rollups.GetInt64(5);
            cell.InputTokens += rollups.GetInt64(6);
            cell.OutputTokens += rollups.GetInt64(7);
            cell.LatencySumMs += rollups.GetInt64(8);
            cell.Latency.AddEncoded(rollups.GetFieldValue<byte[]>(9));
        }
        if (current is { } last) report.Emit(last, cell, usersByHour.GetValueOrDefault(last));
    }

    /// <summary>Collects hours in ascending order and their sum.</summary>
    private sealed class MetricsBuilder
    {
        private readonly RollupCell _summary = new();
        private readonly List<MetricsHour> _hours = [];
        public readonly HashSet<string> Models = new(StringComparer.Ordinal);

        /// <summary>Hours without requests are left out (wire-contract §12).</summary>
        public void Emit(long hour, RollupCell cell, long users)
        {
            if (cell.Requests <= 0) return;
            _hours.Add(new MetricsHour(hour * HourNs, Totals(cell, users)));
            _summary.Add(cell);
        }

        public MetricsReport Build(long uniqueUsers) => new(Totals(_summary, uniqueUsers), Models.Count, _hours);

        private static MetricsTotals Totals(RollupCell cell, long users) => new()
        {
            Requests = cell.Requests,
            Errors = cell.Errors,
            Cost = cell.CostPico / 1e12,
            Tokens = cell.Tokens,
            InputTokens = cell.InputTokens,
            OutputTokens = cell.OutputTokens,
            LatencySumMs = cell.LatencySumMs,
            UniqueUsers = users,
            P50LatencyMs = cell.Latency.Percentile(0.50),
            P95LatencyMs = cell.Latency.Percentile(0.95),
            P99LatencyMs = cell.Latency.Percentile(0.99),
        };
    }
}
