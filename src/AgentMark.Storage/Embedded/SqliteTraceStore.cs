using System.Text;
using System.Text.Json;
using AgentMark.Core.Spans;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentMark.Storage.Embedded;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. One writer connection owned by
/// <see cref="SqliteSpanWriter"/> (synchronous=FULL, so a completed append survives kill -9 and
/// power loss), and pooled reader connections that never block it.
/// </summary>
public sealed partial class SqliteTraceStore : ITraceStore
{
    public const string FileName = "agentmark.db";

    private readonly string _readConnectionString;
    private readonly string _writeConnectionString;
    private readonly int _queueCapacity;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private SqliteConnection? _writeConnection;
    private SqliteSpanWriter? _writer;

    public SqliteTraceStore(string dataDirectory, int queueCapacity = 256, TimeProvider? time = null, ILogger<SqliteTraceStore>? logger = null)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        _writeConnectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        _readConnectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        _queueCapacity = queueCapacity;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null) return Task.CompletedTask;
        _ = MultiThreaded.Value;
        var connection = new SqliteConnection(_writeConnectionString);
        connection.Open();
        Execute(connection, """
            PRAGMA page_size = 8192; -- payload rows of a few KB fit a page without overflow chains
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA busy_timeout = 10000;
            PRAGMA wal_autocheckpoint = 8000;
            PRAGMA cache_size = -64000;
            PRAGMA temp_store = MEMORY;
            """);
        SqliteSchema.Migrate(connection);
        _writeConnection = connection;
        // Pooled readers keep the statistics they loaded; after a refresh they are closed as they come back.
        _writer = new SqliteSpanWriter(connection, _queueCapacity, _time, _logger, ClearReaderPool);
        return Task.CompletedTask;
    }

    /// <summary>
    /// SQLite's multi-thread mode: no mutex around every call on a connection, which each of ours is only
    /// ever used by one thread at a time (the writer's by its thread, a reader's by one request). The
    /// serialized default took ~5% of the writer thread's time (45 binds and a step per span, each
    /// locking). It must be set before SQLite initializes, so it is set once, before the first open; if
    /// something in the process opened SQLite earlier, the call is refused and the default stays.
    /// </summary>
    private static readonly Lazy<bool> MultiThreaded = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD) == SQLitePCL.raw.SQLITE_OK;
    });

    private void ClearReaderPool()
    {
        using var pooled = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(pooled);
    }

    public Task AppendAsync(IReadOnlyList<SpanRecord> spans, CancellationToken cancellationToken)
    {
        var writer = _writer ?? throw new InvalidOperationException("The store is not initialized.");
        // Not cancellable once queued: a client that gives up must not leave half a batch behind.
        return writer.EnqueueAsync(spans);
    }

    public async Task<Page<TraceSummary>> ListTracesAsync(TraceQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        var where = new StringBuilder("t.app_id = $app");
        var parameters = new List<(string, object)> { ("$app", query.AppId) };
        if (query.StartFromNs is { } from) Add(where, parameters, "t.start_ns >= {0}", from);
        if (query.StartBeforeNs is { } before) Add(where, parameters, "t.start_ns < {0}", before);
        if (query.Status is { } status) Add(where, parameters, "t.status = {0}", status);
        if (query.DatasetRunId is { } runId) Add(where, parameters, "t.dataset_run_id = {0}", runId);
        if (query.Name is { } name) Add(where, parameters, "t.name LIKE {0} ESCAPE '\\'", "%" + EscapeLike(name) + "%");
        AddKey(where, parameters, TraceKeys.Session, query.SessionId);
        AddKey(where, parameters, TraceKeys.User, query.UserId);
        AddKey(where, parameters, TraceKeys.Model, query.Model, probe: query.SessionId is not null || query.UserId is not null);
        AddKey(where, parameters, TraceKeys.Commit, query.CommitSha);
        if (query.Tags.Count > 0)
        {
            var names = new List<string>();
            foreach (var tag in query.Tags)
            {
                var parameter = "$q" + parameters.Count;
                parameters.Add((parameter, tag));
                names.Add(parameter);
            }
            where.Append($" AND t.trace_id IN (SELECT trace_id FROM trace_keys WHERE app_id = $app AND kind = '{TraceKeys.Tag}' AND value IN ({string.Join(", ", names)}))");
        }
        if (!query.Filter.IsEmpty) where.Append(" AND ").Append(SqliteFilterCompiler.Traces(query.Filter, parameters));

        var order = query.SortBy switch
        {
            TraceSortField.Name => "t.name",
            TraceSortField.Status => "t.status",
            TraceSortField.Latency => "t.latency_ms",
            TraceSortField.Cost => "t.cost",
            TraceSortField.Tokens => "t.tokens",
            _ => "t.start_ns",
        };
        var direction = query.Descending ? "DESC" : "ASC";

        // Unfiltered: the per-app counter kept at ingest instead of counting every trace.
        var countSql = parameters.Count == 1 && query.Filter.IsEmpty
            ? "SELECT coalesce((SELECT traces FROM app_counts WHERE app_id = $app), 0)"
            : $"SELECT COUNT(*) FROM traces t WHERE {where}";
        long total;
        await using (var count = Command(connection, countSql, parameters))
        {
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        var items = new List<TraceSummary>();
        await using (var select = Command(connection, $"""
            SELECT t.trace_id, t.name, t.status, t.start_ns, t.end_ms, t.latency_ms, t.cost, t.tokens, t.span_count, t.tags,
                   t.input_preview, t.output_preview, t.dataset_run_id, t.dataset_path
            FROM traces t WHERE {where}
            ORDER BY {order} {direction}, t.trace_id {direction}
            LIMIT {query.Limit} OFFSET {query.Offset}
            """, parameters))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new TraceSummary
                {
                    Id = reader.GetString(0),
                    Name = reader.GetString(1),
                    Status = reader.GetString(2),
                    StartNs = reader.GetInt64(3),
                    EndMs = reader.GetDouble(4),
                    LatencyMs = reader.GetInt64(5),
                    Cost = reader.GetDouble(6),
                    Tokens = reader.GetInt64(7),
                    SpanCount = reader.GetInt32(8),
                    Tags = JsonSerializer.Deserialize(reader.GetString(9), StorageJson.Default.StringArray) ?? [],
                    InputPreview = reader.IsDBNull(10) ? null : reader.GetString(10),
                    OutputPreview = reader.IsDBNull(11) ? null : reader.GetString(11),
                    DatasetRunId = reader.GetString(12),
                    DatasetPath = reader.GetString(13),
                });
            }
        }
        return new Page<TraceSummary>(items, total, query.Limit, query.Offset);
    }

    public async Task<IReadOnlyList<SpanRecord>> GetTraceSpansAsync(string appId, string traceId, SpanDetail detail, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT {SpanColumns.Select(detail)} FROM {SpanColumns.From(detail, SpanColumns.ByTrace)} WHERE s.app_id = $app AND s.trace_seq = {SpanColumns.TraceSeqOf("$app", "$trace")} ORDER BY s.start_ns, s.id",
            [("$app", appId), ("$trace", traceId)]);
        return await ReadSpansAsync(command, detail, cancellationToken);
    }

    public async Task<SpanRecord?> GetSpanAsync(string appId, string traceId, string spanId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT {SpanColumns.Select(SpanDetail.Full)} FROM {SpanColumns.From(SpanDetail.Full, SpanColumns.ByTrace)} WHERE s.app_id = $app AND s.trace_seq = {SpanColumns.TraceSeqOf("$app", "$trace")} AND s.span_id = $span",
            [("$app", appId), ("$trace", traceId), ("$span", spanId)]);
        var spans = await ReadSpansAsync(command, SpanDetail.Full, cancellationToken);
        return spans.Count > 0 ? spans[0] : null;
    }

    public async Task<Page<SpanRecord>> ListSpansAsync(SpanQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        var where = new StringBuilder("s.app_id = $app");
        var parameters = new List<(string, object)> { ("$app", query.AppId) };
        if (query.TraceId is { } traceId) Add(where, parameters, "s.trace_seq = " + SpanColumns.TraceSeqOf("$app", "{0}"), traceId);
        if (query.Type is { } type) Add(where, parameters, "s.type = {0}", type);
        if (query.Status is { } status) Add(where, parameters, string.Format(SpanColumns.NormalizedStatusSql, "s.status_code") + " = {0}", status);
        if (query.Name is { } name) Add(where, parameters, "s.span_name LIKE {0} ESCAPE '\\'", "%" + EscapeLike(name) + "%");
        if (query.Model is { } model) Add(where, parameters, "s.model LIKE {0} ESCAPE '\\'", "%" + EscapeLike(model) + "%");
        if (query.MinDurationMs is { } min) Add(where, parameters, "s.duration_ms >= {0}", min);
        if (query.MaxDurationMs is { } max) Add(where, parameters, "s.duration_ms <= {0}", max);
        if (query.StartFromNs is { } from) Add(where, parameters, "s.start_ns >= {0}", from);
        if (query.StartToNs is { } to) Add(where, parameters, "s.start_ns <= {0}", to);
        if (query.UserId is { } user) Add(where, parameters, "s.user_id = {0}", user);
        if (query.SessionId is { } session) Add(where, parameters, "s.session_id = {0}", session);
        if (!query.Filter.IsEmpty) where.Append(" AND ").Append(SqliteFilterCompiler.Spans(query.Filter, parameters));

        var index = query.TraceId is null ? "" : SpanColumns.ByTrace;
        long total;
        var countSql = parameters.Count == 1 && query.Filter.IsEmpty
            ? "SELECT coalesce((SELECT spans FROM app_counts WHERE app_id = $app), 0)"
            : $"SELECT COUNT(*) FROM spans s {index} WHERE {where}";
        await using (var count = Command(connection, countSql, parameters))
        {
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        await using var select = Command(connection, $"""
            SELECT {SpanColumns.Select(SpanDetail.Summary)} FROM {SpanColumns.From(SpanDetail.Summary, index)} WHERE {where}
            ORDER BY s.start_ns DESC, s.id DESC LIMIT {query.Limit} OFFSET {query.Offset}
            """, parameters);
        var items = await ReadSpansAsync(select, SpanDetail.Summary, cancellationToken);
        return new Page<SpanRecord>(items, total, query.Limit, query.Offset);
    }

    private static async Task<List<SpanRecord>> ReadSpansAsync(SqliteCommand command, SpanDetail detail, CancellationToken cancellationToken)
    {
        var spans = new List<SpanRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) spans.Add(SpanColumns.Read(reader, detail));
        return spans;
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static void Add(StringBuilder where, List<(string, object)> parameters, string condition, object value)
    {
        var name = "$q" + parameters.Count;
        parameters.Add((name, value));
        where.Append(" AND ").Append(string.Format(condition, name));
    }

    /// <summary>
    /// "Some span of the trace has this key": the list of the key's traces drives the query, or with
    /// <paramref name="probe"/> each candidate trace looks its key up by arrival number. A model is
    /// shared by many traces: alone, its list is cheaper (50k of 200k traces: 83–126 ms against
    /// 285–345 ms for a probe per trace), but after a user's or session's list of a few traces, a probe
    /// each is (17 ms against 56–95 ms at 1M spans).
    /// </summary>
    private static void AddKey(StringBuilder where, List<(string, object)> parameters, string kind, string? value, bool probe = false)
    {
        if (value is null) return;
        Add(where, parameters, probe
            ? $"EXISTS (SELECT 1 FROM trace_keys k WHERE k.app_id = t.app_id AND k.kind = '{kind}' AND k.value = {{0}} AND k.trace_seq = t.seq)"
            : $"t.trace_id IN (SELECT trace_id FROM trace_keys WHERE app_id = $app AND kind = '{kind}' AND value = {{0}})", value);
    }

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private static SqliteCommand Command(SqliteConnection connection, string sql, IEnumerable<(string Name, object Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public ValueTask DisposeAsync()
    {
        _writer?.Dispose();
        _writer = null;
        _writeConnection?.Dispose();
        _writeConnection = null;
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
