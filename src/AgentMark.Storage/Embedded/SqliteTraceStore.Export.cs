using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AgentMark.Core.Spans;
using Microsoft.Data.Sqlite;

namespace AgentMark.Storage.Embedded;

/// <summary>
/// Span export pages (wire-contract §6.7). The cursor is a millisecond timestamp and the next page
/// takes rows strictly older than it, so a page must end on a millisecond boundary or the rest of
/// that millisecond would be lost: the page is cut before a millisecond that does not fit, and in
/// the rare case that more than <c>limit</c> matching spans share one millisecond, the page holds
/// all of them. A first narrow query (start times only, at most limit + 1) fixes the page; the rows
/// are then streamed from the same read snapshot, one at a time.
/// </summary>
public sealed partial class SqliteTraceStore : IExportStore
{
    private const long NsPerMs = 1_000_000;

    /// <summary>Scores on the span and on its trace, as JSON arrays [name, score, label, reason, source].</summary>
    private const string ScoresJsonSql = """
        (SELECT json_group_array(json_array(sc.name, sc.score, sc.label, sc.reason, sc.source) ORDER BY sc.created_at_ms, sc.id)
         FROM scores sc WHERE sc.app_id = s.app_id AND sc.resource_id IN (s.span_id, s.trace_id))
        """;

    public async Task<ExportPage> OpenExportPageAsync(ExportQuery query, CancellationToken cancellationToken)
    {
        var connection = await OpenReaderAsync(cancellationToken);
        try
        {
            var transaction = connection.BeginTransaction(deferred: true);
            var (where, parameters) = ExportWhere(query);

            var starts = new List<long>(Math.Min(query.Limit + 1, 2_001));
            await using (var probe = Command(transaction, $"SELECT s.start_ns FROM spans s WHERE {where} ORDER BY s.start_ns DESC LIMIT {query.Limit + 1}", parameters))
            await using (var reader = await probe.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken)) starts.Add(reader.GetInt64(0));
            }

            long low = query.FromNs, total = starts.Count;
            long? next = null;
            if (starts.Count > query.Limit)
            {
                var lastMs = FloorMs(starts[query.Limit - 1]);
                var newer = 0; // rows of the page in a millisecond after the last row's
                while (newer < query.Limit && FloorMs(starts[newer]) > lastMs) newer++;
                if (FloorMs(starts[query.Limit]) < lastMs || newer == 0)
                {
                    // The page ends on a millisecond boundary, or one millisecond alone overflows the limit.
                    next = lastMs;
                    low = lastMs * NsPerMs;
                    total = query.Limit;
                    if (newer == 0 && FloorMs(starts[query.Limit]) == lastMs) total = await CountFromAsync(transaction, where, parameters, low, cancellationToken);
                }
                else
                {
                    // Cut before the millisecond that straddles the limit.
                    next = FloorMs(starts[newer - 1]);
                    low = next.Value * NsPerMs;
                    total = newer;
                }
            }
            // Most apps have no scores: then every row's scores are [] without a lookup per row.
            bool anyScores;
            await using (var scores = Command(transaction, "SELECT EXISTS (SELECT 1 FROM scores WHERE app_id = $app)", [("$app", query.AppId)]))
            {
                anyScores = (long)(await scores.ExecuteScalarAsync(cancellationToken))! != 0;
            }
            return new SqliteExportPage(connection, transaction, where, WithFrom(parameters, low), query.IncludeIo, anyScores, total, next);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<long> CountFromAsync(SqliteTransaction transaction, string where, List<(string, object)> parameters,
        long low, CancellationToken cancellationToken)
    {
        await using var count = Command(transaction, $"SELECT COUNT(*) FROM spans s WHERE {where}", WithFrom(parameters, low));
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    private static List<(string, object)> WithFrom(List<(string Name, object Value)> parameters, long from) =>
        parameters.Select(p => p.Name == "$from" ? (p.Name, (object)from) : p).ToList();

    private static long FloorMs(long ns) => ns / NsPerMs - (ns % NsPerMs < 0 ? 1 : 0);

    private static (string Where, List<(string, object)> Parameters) ExportWhere(ExportQuery query)
    {
        var where = new StringBuilder("s.app_id = $app AND s.start_ns >= $from AND s.start_ns < $to");
        var parameters = new List<(string, object)> { ("$app", query.AppId), ("$from", query.FromNs), ("$to", query.ToNs) };
        if (query.Type is { } type) Add(where, parameters, "s.type = {0}", type);
        if (query.Model is { } model) Add(where, parameters, "s.model = {0}", model);
        if (query.Status is { } status) Add(where, parameters, string.Format(SpanColumns.NormalizedStatusSql, "s.status_code") + " = {0}", status);
        if (query.Name is { } name) Add(where, parameters, "s.span_name LIKE {0} ESCAPE '\\'", "%" + EscapeLike(name) + "%");
        if (query.UserId is { } user) Add(where, parameters, "s.user_id = {0}", user);
        if (query.Tag is { } tag)
            Add(where, parameters, $"s.trace_seq IN (SELECT trace_seq FROM trace_keys WHERE app_id = $app AND kind = '{TraceKeys.Tag}' AND value = {{0}})", tag);
        if (query.MetadataKey is { } key && query.MetadataValue is { } value)
        {
            parameters.Add(("$metadataKey", key));
            parameters.Add(("$metadataValue", value));
            where.Append(" AND EXISTS (SELECT 1 FROM json_each(s.metadata) m WHERE m.key = $metadataKey AND m.value = $metadataValue)");
        }
        if (query.MinScore is not null || query.MaxScore is not null)
        {
            // One score of the trace (on the trace id or on any of its span ids) within the bounds.
            var bounds = new StringBuilder();
            if (query.MinScore is { } min)
            {
                parameters.Add(("$minScore", min));
                bounds.Append(" AND sc.score >= $minScore");
            }
            if (query.MaxScore is { } max)
            {
                parameters.Add(("$maxScore", max));
                bounds.Append(" AND sc.score <= $maxScore");
            }
            where.Append($"""
                 AND EXISTS (SELECT 1 FROM scores sc WHERE sc.app_id = $app{bounds}
                    AND (sc.resource_id = s.trace_id OR sc.resource_id IN (
                        SELECT x.span_id FROM spans x INDEXED BY spans_by_trace WHERE x.app_id = $app AND x.trace_seq = s.trace_seq)))
                """);
        }
        return (where.ToString(), parameters);
    }

    private sealed class SqliteExportPage : ExportPage
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteTransaction _transaction;
        private readonly string _sql;
        private readonly List<(string, object)> _parameters;
        private readonly SpanDetail _detail;

        public SqliteExportPage(SqliteConnection connection, SqliteTransaction transaction, string where,
            List<(string, object)> parameters, bool includeIo, bool anyScores, long total, long? next)
        {
            _connection = connection;
            _transaction = transaction;
            _parameters = parameters;
            _detail = includeIo ? SpanDetail.WithIo : SpanDetail.Summary;
            Total = total;
            NextCursorMs = next;
            // The trace name and the scores ride along as the last two columns.
            _sql = $"""
                SELECT {SpanColumns.Select(_detail)},
                       (SELECT t.name FROM traces t WHERE t.app_id = s.app_id AND t.trace_id = s.trace_id),
                       {(anyScores ? ScoresJsonSql : "'[]'")}
                FROM {SpanColumns.From(_detail)} WHERE {where}
                ORDER BY s.start_ns DESC, s.id DESC LIMIT {total}
                """;
        }

        public override async IAsyncEnumerable<ExportedSpan> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (Total == 0) yield break;
            await using var command = Command(_transaction, _sql, _parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var traceName = reader.FieldCount - 2;
            while (await reader.ReadAsync(cancellationToken))
            {
                var span = SpanColumns.Read(reader, _detail);
                yield return new ExportedSpan(span, reader.IsDBNull(traceName) ? "" : reader.GetString(traceName),
                    ParseScores(reader.GetString(traceName + 1)));
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await _transaction.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }

    /// <summary>[[name, score, label, reason, source], …] as built by <see cref="ScoresJsonSql"/>.</summary>
    private static IReadOnlyList<ExportScore> ParseScores(string json)
    {
        if (json == "[]") return [];
        var scores = new List<ExportScore>();
        using var document = JsonDocument.Parse(json);
        foreach (var row in document.RootElement.EnumerateArray())
        {
            scores.Add(new ExportScore(row[0].GetString() ?? "", row[1].GetDouble(), row[2].GetString() ?? "",
                row[3].GetString() ?? "", row[4].GetString() ?? ""));
        }
        return scores;
    }
}
