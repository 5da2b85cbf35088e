using System.Text;
using AgentMark.Core.Spans;

namespace AgentMark.Storage.Embedded;

/// <summary>Request records (wire-contract §9): GENERATION spans read through the type index.</summary>
public sealed partial class SqliteTraceStore : IRequestStore
{
    public async Task<Page<SpanRecord>> ListRequestsAsync(RequestQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        var where = new StringBuilder($"s.app_id = $app AND s.type = '{SpanTypes.Generation}'");
        var parameters = new List<(string, object)> { ("$app", query.AppId) };
        if (query.StartFromNs is { } from) Add(where, parameters, "s.start_ns >= {0}", from);
        if (query.StartToNs is { } to) Add(where, parameters, "s.start_ns <= {0}", to);
        if (query.Error is { } error)
            where.Append(" AND ").Append(string.Format(SpanColumns.NormalizedStatusSql, "s.status_code")).Append(error ? " = '2'" : " <> '2'");
        if (query.UserId is { } user) Add(where, parameters, "s.user_id = {0}", user);
        if (query.Model is { } model) Add(where, parameters, "s.model = {0}", model);
        if (!query.Filter.IsEmpty) where.Append(" AND ").Append(SqliteFilterCompiler.Spans(query.Filter, parameters));

        var order = query.SortBy switch
        {
            RequestSortField.Cost => "s.cost",
            RequestSortField.Latency => "s.duration_ms",
            RequestSortField.PromptTokens => "s.input_tokens",
            RequestSortField.CompletionTokens => "s.output_tokens",
            _ => "s.start_ns",
        };
        var direction = query.Descending ? "DESC" : "ASC";
        const string byType = "INDEXED BY spans_by_type";

        long total;
        await using (var count = Command(connection, $"SELECT COUNT(*) FROM spans s {byType} WHERE {where}", parameters))
        {
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        // The page is chosen on the narrow rows; only its rows join their payload.
        await using var select = Command(connection, $"""
            SELECT {SpanColumns.Select(SpanDetail.WithIo)}
            FROM (SELECT s.id FROM spans s {byType} WHERE {where} ORDER BY {order} {direction}, s.id {direction}
                  LIMIT {query.Limit} OFFSET {query.Offset}) page
            JOIN spans s ON s.id = page.id LEFT JOIN span_payloads p ON p.span_row = s.id
            ORDER BY {order} {direction}, s.id {direction}
            """, parameters);
        var items = await ReadSpansAsync(select, SpanDetail.WithIo, cancellationToken);
        return new Page<SpanRecord>(items, total, query.Limit, query.Offset);
    }
}
