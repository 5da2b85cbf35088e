using System.Text;
using System.Text.Json;
using AgentMark.Core.Spans;

namespace AgentMark.Storage.Embedded;

/// <summary>Session reads: the list from the summary kept at ingest (<see cref="SessionSummaries"/>), session spans from the trace keys.</summary>
public sealed partial class SqliteTraceStore : ISessionStore
{
    public async Task<Page<SessionSummary>> ListSessionsAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        var where = new StringBuilder("s.app_id = $app");
        var parameters = new List<(string, object)> { ("$app", query.AppId) };
        if (query.StartFromNs is { } from) Add(where, parameters, "s.start_ns >= {0}", from);
        if (query.StartToNs is { } to) Add(where, parameters, "s.start_ns <= {0}", to);
        if (query.Search is { } search)
            Add(where, parameters, "(s.session_id LIKE {0} ESCAPE '\\' OR s.name LIKE {0} ESCAPE '\\')", "%" + EscapeLike(search) + "%");
        if (query.UserId is { } user)
            Add(where, parameters, $$"""
                s.session_id IN (SELECT m.session_id FROM session_traces m INDEXED BY session_traces_by_trace
                                 WHERE m.app_id = $app AND m.trace_seq IN (SELECT trace_seq FROM trace_keys WHERE app_id = $app AND kind = '{{TraceKeys.User}}' AND value = {0}))
                """, user);

        var order = query.SortBy switch
        {
            SessionSortField.Name => "s.name",
            SessionSortField.End => "s.end_ns",
            SessionSortField.TraceCount => "s.trace_count",
            SessionSortField.TotalCost => "s.cost",
            SessionSortField.TotalTokens => "s.tokens",
            SessionSortField.Latency => "s.latency_ms",
            _ => "s.start_ns",
        };
        var direction = query.Descending ? "DESC" : "ASC";

        // Unfiltered: the per-app counter kept at ingest instead of counting every session.
        var countSql = parameters.Count == 1
            ? "SELECT coalesce((SELECT sessions FROM app_counts WHERE app_id = $app), 0)"
            : $"SELECT COUNT(*) FROM sessions s WHERE {where}";
        long total;
        await using (var count = Command(connection, countSql, parameters))
        {
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        // Two steps, so that a search reads only the start index (id and name are in it) and just the
        // page's rows are read whole.
        var ids = new List<string>();
        await using (var select = Command(connection, $"""
            SELECT s.session_id FROM sessions s WHERE {where}
            ORDER BY {order} {direction}, s.session_id {direction} LIMIT {query.Limit} OFFSET {query.Offset}
            """, parameters))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
        }
        var items = await ReadSessionsAsync(connection, query.AppId, ids, cancellationToken);
        if (items.Count > 0) await AddTagsAsync(connection, query.AppId, items, cancellationToken);
        return new Page<SessionSummary>(items, total, query.Limit, query.Offset);
    }

    /// <summary>The sessions of <paramref name="ids"/>, in that order.</summary>
    private static async Task<List<SessionSummary>> ReadSessionsAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string appId, List<string> ids, CancellationToken cancellationToken)
    {
        var parameters = new List<(string, object)> { ("$app", appId) };
        foreach (var id in ids) parameters.Add(("$q" + parameters.Count, id));
        var found = new Dictionary<string, SessionSummary>(StringComparer.Ordinal);
        if (ids.Count > 0)
        {
            await using var select = Command(connection, $"""
                SELECT session_id, name, start_ns, end_ns, trace_count, cost, tokens, latency_ms FROM sessions
                WHERE app_id = $app AND session_id IN ({string.Join(", ", parameters.Skip(1).Select(p => p.Item1))})
                """, parameters);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found[reader.GetString(0)] = new SessionSummary
                {
                    Id = reader.GetString(0),
                    Name = reader.GetString(1),
                    StartNs = reader.GetInt64(2),
                    EndNs = reader.GetInt64(3),
                    TraceCount = reader.GetInt64(4),
                    TotalCost = reader.GetDouble(5),
                    TotalTokens = reader.GetInt64(6),
                    LatencyMs = reader.GetInt64(7),
                };
            }
        }
        // A session the writer removed between the two reads (its trace moved) is simply left out.
        return ids.Where(found.ContainsKey).Select(id => found[id]).ToList();
    }

    /// <summary>
    /// Tags are optional on the wire and rare, so they are not kept in the summary: the page's
    /// sessions read them from their traces' summaries instead.
    /// </summary>
    private static async Task AddTagsAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string appId, List<SessionSummary> items, CancellationToken cancellationToken)
    {
        var parameters = new List<(string, object)> { ("$app", appId) };
        foreach (var item in items) parameters.Add(("$q" + parameters.Count, item.Id));
        var tags = new Dictionary<string, (List<string> List, HashSet<string> Seen)>(StringComparer.Ordinal);
        await using (var select = Command(connection, $"""
            SELECT m.session_id, t.tags FROM session_traces m JOIN traces t ON t.app_id = m.app_id AND t.trace_id = m.trace_id
            WHERE m.app_id = $app AND m.session_id IN ({string.Join(", ", parameters.Skip(1).Select(p => p.Item1))}) AND t.tags <> '[]'
            ORDER BY t.start_ns, t.trace_id
            """, parameters))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var session = reader.GetString(0);
                if (!tags.TryGetValue(session, out var union)) tags[session] = union = ([], new HashSet<string>(StringComparer.Ordinal));
                foreach (var tag in JsonSerializer.Deserialize(reader.GetString(1), StorageJson.Default.StringArray) ?? [])
                    if (union.Seen.Add(tag)) union.List.Add(tag);
            }
        }
        for (var i = 0; i < items.Count; i++)
            if (tags.TryGetValue(items[i].Id, out var union)) items[i] = items[i] with { Tags = union.List };
    }

    public async Task<IReadOnlyList<SpanRecord>> GetSessionSpansAsync(string appId, string sessionId, string? exceptTraceId, SpanDetail detail, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, $"""
            SELECT {SpanColumns.Select(detail)} FROM {SpanColumns.From(detail, SpanColumns.ByTrace)}
            WHERE s.app_id = $app AND s.trace_seq IN (SELECT trace_seq FROM trace_keys WHERE app_id = $app AND kind = '{TraceKeys.Session}' AND value = $session AND trace_id <> $except)
            ORDER BY s.start_ns, s.id
            """, [("$app", appId), ("$session", sessionId), ("$except", exceptTraceId ?? "")]);
        return await ReadSpansAsync(command, detail, cancellationToken);
    }
}
