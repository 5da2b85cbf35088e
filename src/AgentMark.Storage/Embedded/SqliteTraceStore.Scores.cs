using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace AgentMark.Storage.Embedded;

/// <summary>
/// Scores in the embedded store (the <c>scores</c> table, migration 3).
/// Writes do not go through the span writer thread: each write opens its own connection and runs
/// one <c>BEGIN IMMEDIATE</c> transaction with synchronous=FULL, waiting on busy_timeout while the
/// span writer holds the lock. Score writes are few and small next to span ingest, so group commit
/// buys nothing here, and the span writer's loop stays untouched. A semaphore lets one score write
/// at a time wait on SQLite's lock, so a burst of score requests never pins thread-pool threads.
/// </summary>
public sealed partial class SqliteTraceStore : IScoreStore
{
    private const string ScoreColumns =
        "s.id, s.resource_id, s.resource_type, s.name, s.score, s.label, s.reason, s.source, s.score_type, s.data_type, s.user_id, s.created_at_ms";

    private readonly SemaphoreSlim _scoreWriteGate = new(1, 1);

    public async Task<IReadOnlyList<ScoreRecord>> AddScoresAsync(string appId, IReadOnlyList<NewScore> scores, CancellationToken cancellationToken)
    {
        if (scores.Count == 0) return [];
        await _scoreWriteGate.WaitAsync(cancellationToken);
        try
        {
            // Past this point the write is not cancelled: a client that gives up must not leave half a batch.
            using var connection = OpenScoreWriter();
            using var transaction = connection.BeginTransaction(deferred: false);
            var types = ResolveResourceTypes(connection, transaction, appId, scores);
            var createdAt = _time.GetUtcNow();
            var stored = new ScoreRecord[scores.Count];
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO scores (id, app_id, resource_id, resource_type, name, score, label, reason, source, score_type, data_type, user_id, created_at_ms)
                    VALUES ($id, $app, $resource, $type, $name, $score, $label, $reason, $source, $scoreType, $dataType, $user, $created)
                    """;
                var p = insert.Parameters;
                foreach (var name in (string[])["$id", "$app", "$resource", "$type", "$name", "$score", "$label", "$reason", "$source", "$scoreType", "$dataType", "$user", "$created"])
                    p.Add(new SqliteParameter(name, null));
                p[1].Value = appId;
                p[12].Value = createdAt.ToUnixTimeMilliseconds();
                for (var i = 0; i < scores.Count; i++)
                {
                    var score = scores[i];
                    // Version 7: time-ordered ids keep the primary-key index appending at its end.
                    var record = new ScoreRecord
                    {
                        Id = Guid.CreateVersion7(createdAt).ToString(),
                        ResourceId = score.ResourceId,
                        ResourceType = types[score.ResourceId],
                        Name = score.Name,
                        Score = score.Score,
                        Label = score.Label,
                        Reason = score.Reason,
                        Source = score.Source,
                        ScoreType = score.ScoreType,
                        DataType = score.DataType,
                        UserId = score.UserId,
                        CreatedAtMs = createdAt.ToUnixTimeMilliseconds(),
                    };
                    p[0].Value = record.Id;
                    p[2].Value = record.ResourceId;
                    p[3].Value = record.ResourceType;
                    p[4].Value = record.Name;
                    p[5].Value = record.Score;
                    p[6].Value = record.Label;
                    p[7].Value = record.Reason;
                    p[8].Value = record.Source;
                    p[9].Value = record.ScoreType;
                    p[10].Value = record.DataType;
                    p[11].Value = record.UserId;
                    insert.ExecuteNonQuery();
                    stored[i] = record;
                }
            }
            transaction.Commit();
            return stored;
        }
        finally
        {
            _scoreWriteGate.Release();
        }
    }

    /// <summary>
    /// Resource types for the batch's distinct ids, in two statements whatever the batch size. Only
    /// ids whose shape says nothing are looked up among spans: span ids have no index of their own,
    /// so that lookup scans the app's spans, and well-formed ids never need it.
    /// </summary>
    private static Dictionary<string, string> ResolveResourceTypes(SqliteConnection connection, SqliteTransaction transaction, string appId, IReadOnlyList<NewScore> scores)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var score in scores) ids.Add(score.ResourceId);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in Lookup("SELECT trace_id FROM traces WHERE app_id = $app AND trace_id IN (SELECT value FROM json_each($ids))", ids))
            types[id] = ScoreResourceTypes.Trace;

        var shapeless = new List<string>();
        foreach (var id in ids)
        {
            if (types.ContainsKey(id)) continue;
            if (ScoreResourceTypes.ByShape(id) is { } type) types[id] = type;
            else shapeless.Add(id);
        }
        if (shapeless.Count > 0)
        {
            foreach (var id in Lookup("SELECT DISTINCT span_id FROM spans WHERE app_id = $app AND span_id IN (SELECT value FROM json_each($ids))", shapeless))
                types[id] = ScoreResourceTypes.Span;
            foreach (var id in shapeless) types.TryAdd(id, ScoreResourceTypes.Trace);
        }
        return types;

        List<string> Lookup(string sql, IReadOnlyCollection<string> values)
        {
            using var command = Command(connection, sql, [("$app", appId), ("$ids", JsonSerializer.Serialize(values.ToArray(), StorageJson.Default.StringArray))]);
            command.Transaction = transaction;
            var found = new List<string>();
            using var reader = command.ExecuteReader();
            while (reader.Read()) found.Add(reader.GetString(0));
            return found;
        }
    }

    public async Task<ScoreRecord?> GetScoreAsync(string appId, string scoreId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {ScoreColumns} FROM scores s WHERE s.app_id = $app AND s.id = $id",
            [("$app", appId), ("$id", scoreId)]);
        var found = await ReadScoresAsync(command, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<bool> DeleteScoreAsync(string appId, string scoreId, CancellationToken cancellationToken)
    {
        await _scoreWriteGate.WaitAsync(cancellationToken);
        try
        {
            using var connection = OpenScoreWriter();
            using var command = Command(connection, "DELETE FROM scores WHERE app_id = $app AND id = $id", [("$app", appId), ("$id", scoreId)]);
            return command.ExecuteNonQuery() > 0;
        }
        finally
        {
            _scoreWriteGate.Release();
        }
    }

    public async Task<Page<ScoreRecord>> ListScoresAsync(ScoreQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        var where = new StringBuilder("s.app_id = $app");
        var parameters = new List<(string, object)> { ("$app", query.AppId) };
        if (query.CreatedFromMs is { } from) Add(where, parameters, "s.created_at_ms >= {0}", from);
        if (query.CreatedBeforeMs is { } before) Add(where, parameters, "s.created_at_ms < {0}", before);
        if (query.ResourceId is { } resource) Add(where, parameters, "s.resource_id = {0}", resource);
        if (query.ResourceType is { } type) Add(where, parameters, "s.resource_type = {0}", type);
        if (query.Name is { } name) Add(where, parameters, "s.name = {0}", name);
        if (query.Source is { } source) Add(where, parameters, "s.source = {0}", source);
        if (query.SessionId is { } session)
        {
            // The session's traces come from the key index, their spans from the trace index.
            Add(where, parameters, $$"""
                s.resource_id IN (
                    SELECT k.trace_id FROM trace_keys k WHERE k.app_id = $app AND k.kind = '{{TraceKeys.Session}}' AND k.value = {0}
                    UNION
                    SELECT sp.span_id FROM trace_keys k JOIN spans sp INDEXED BY spans_by_trace ON sp.app_id = k.app_id AND sp.trace_seq = k.trace_seq
                    WHERE k.app_id = $app AND k.kind = '{{TraceKeys.Session}}' AND k.value = {0})
                """, session);
        }
        if (!query.Filter.IsEmpty) where.Append(" AND ").Append(SqliteFilterCompiler.Scores(query.Filter, parameters, "s"));

        long total;
        await using (var count = Command(connection, $"SELECT COUNT(*) FROM scores s WHERE {where}", parameters))
        {
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        await using var select = Command(connection, $"""
            SELECT {ScoreColumns} FROM scores s WHERE {where}
            ORDER BY s.created_at_ms DESC, s.rowid DESC LIMIT {query.Limit} OFFSET {query.Offset}
            """, parameters);
        var items = await ReadScoresAsync(select, cancellationToken);
        return new Page<ScoreRecord>(items, total, query.Limit, query.Offset);
    }

    public async Task<IReadOnlyList<ScoreRecord>> GetScoresForResourcesAsync(string appId, IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken)
    {
        if (resourceIds.Count == 0) return [];
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, $"""
            SELECT {ScoreColumns} FROM scores s
            WHERE s.app_id = $app AND s.resource_id IN (SELECT value FROM json_each($ids))
            ORDER BY s.created_at_ms DESC, s.rowid DESC
            """, [("$app", appId), ("$ids", JsonSerializer.Serialize(resourceIds.ToArray(), StorageJson.Default.StringArray))]);
        return await ReadScoresAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListScoreNamesAsync(string appId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT DISTINCT name FROM scores WHERE app_id = $app ORDER BY name", [("$app", appId)]);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) names.Add(reader.GetString(0));
        return names;
    }

    public async Task<IReadOnlyList<ScoreAggregate>> AggregateScoresAsync(string appId, long? createdFromMs, long? createdBeforeMs, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        var where = new StringBuilder("app_id = $app");
        var parameters = new List<(string, object)> { ("$app", appId) };
        if (createdFromMs is { } from) Add(where, parameters, "created_at_ms >= {0}", from);
        if (createdBeforeMs is { } before) Add(where, parameters, "created_at_ms < {0}", before);
        await using var command = Command(connection,
            $"SELECT name, avg(score), count(*), min(score), max(score), max(data_type) FROM scores WHERE {where} GROUP BY name ORDER BY name", parameters);
        var result = new List<ScoreAggregate>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result.Add(new ScoreAggregate(reader.GetString(0), reader.GetDouble(1), reader.GetInt64(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetString(5)));
        return result;
    }

    private static async Task<List<ScoreRecord>> ReadScoresAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var scores = new List<ScoreRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            scores.Add(new ScoreRecord
            {
                Id = reader.GetString(0),
                ResourceId = reader.GetString(1),
                ResourceType = reader.GetString(2),
                Name = reader.GetString(3),
                Score = reader.GetDouble(4),
                Label = reader.GetString(5),
                Reason = reader.GetString(6),
                Source = reader.GetString(7),
                ScoreType = reader.GetString(8),
                DataType = reader.GetString(9),
                UserId = reader.GetString(10),
                CreatedAtMs = reader.GetInt64(11),
            });
        }
        return scores;
    }

    /// <summary>A writer connection of its own: synchronous=FULL so a commit is on disk before it returns.</summary>
    private SqliteConnection OpenScoreWriter()
    {
        if (_writer is null) throw new InvalidOperationException("The store is not initialized.");
        var connection = new SqliteConnection(_writeConnectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;");
        return connection;
    }
}
