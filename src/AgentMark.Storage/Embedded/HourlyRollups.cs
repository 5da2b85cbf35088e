using AgentMark.Core.Spans;
using Microsoft.Data.Sqlite;

namespace AgentMark.Storage.Embedded;

/// <summary>
/// Hourly request rollups (<c>metrics_hourly</c>, <c>metrics_hourly_users</c>) kept by the single
/// writer inside the ingest transaction, so <c>GET /v1/metrics</c> reads a few hundred small rows
/// instead of scanning spans. Per commit: <see cref="Start"/>, <see cref="Add"/> for every span
/// version written, <see cref="Write"/> before committing — one upsert per touched key.
/// <para>
/// Re-sent spans (exporter retries, last write wins) must not count twice. A temporary trigger on
/// the writer connection copies the <em>old</em> version of every updated GENERATION row into a
/// temporary table, and <see cref="Write"/> retracts those versions. New rows cost nothing extra;
/// only updates pay. Any other code that updates span rows on the writer connection must call
/// <see cref="Add"/> with the new version too.
/// </para>
/// </summary>
internal sealed class HourlyRollups : IDisposable
{
    private const string TempSchema = $"""
        CREATE TEMP TABLE IF NOT EXISTS rollup_retracted (
            app_id TEXT, start_ns INTEGER, model TEXT, status_code TEXT, cost REAL, input_tokens INTEGER,
            output_tokens INTEGER, total_tokens INTEGER, duration_ms INTEGER, user_id TEXT);
        CREATE TEMP TRIGGER IF NOT EXISTS rollup_retract AFTER UPDATE ON main.spans WHEN OLD.type = 'GENERATION'
        BEGIN
            INSERT INTO rollup_retracted ({RequestSample.Columns}) VALUES (OLD.app_id, OLD.start_ns, OLD.model,
                OLD.status_code, OLD.cost, OLD.input_tokens, OLD.output_tokens, OLD.total_tokens, OLD.duration_ms, OLD.user_id);
        END;
        """;

    private readonly SqliteConnection _connection;
    private readonly Dictionary<(string App, long Hour, string Model), RollupCell> _cells = [];
    private readonly Dictionary<(string App, long Hour, string User), long> _users = [];
    private readonly LatencyHistogram _merged = new();
    private readonly SqliteCommand _readHistogram, _upsertCell, _upsertUser, _readRetracted, _clearRetracted;

    public HourlyRollups(SqliteConnection connection)
    {
        _connection = connection;
        using (var schema = new SqliteCommand(TempSchema, connection)) schema.ExecuteNonQuery();
        _readHistogram = Command("SELECT latency_histogram FROM metrics_hourly WHERE app_id = $p0 AND hour = $p1 AND model = $p2", 3);
        _upsertCell = Command("""
            INSERT INTO metrics_hourly (app_id, hour, model, requests, errors, cost_pico, tokens, input_tokens, output_tokens,
                                        latency_sum_ms, latency_histogram)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10)
            ON CONFLICT (app_id, hour, model) DO UPDATE SET
                requests = requests + excluded.requests, errors = errors + excluded.errors,
                cost_pico = cost_pico + excluded.cost_pico, tokens = tokens + excluded.tokens,
                input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
                latency_sum_ms = latency_sum_ms + excluded.latency_sum_ms, latency_histogram = excluded.latency_histogram
            """, 11);
        _upsertUser = Command("""
            INSERT INTO metrics_hourly_users (app_id, hour, user_id, requests) VALUES ($p0, $p1, $p2, $p3)
            ON CONFLICT (app_id, hour, user_id) DO UPDATE SET requests = requests + excluded.requests
            """, 4);
        _readRetracted = Command($"SELECT {RequestSample.Columns} FROM temp.rollup_retracted", 0);
        _clearRetracted = Command("DELETE FROM temp.rollup_retracted", 0);
        BackfillIfPending();
    }

    /// <summary>Forgets the deltas of a commit that failed and was rolled back.</summary>
    public void Start()
    {
        _cells.Clear();
        _users.Clear();
    }

    /// <summary>Counts one written span version (only GENERATION spans are requests).</summary>
    public void Add(SpanRecord span)
    {
        if (span.Type == SpanTypes.Generation) Add(RequestSample.Of(span), 1);
    }

    private void Add(in RequestSample sample, int sign)
    {
        var hour = sample.Hour;
        if (!_cells.TryGetValue((sample.AppId, hour, sample.Model), out var cell))
            _cells[(sample.AppId, hour, sample.Model)] = cell = new RollupCell();
        cell.Add(sample, sign);
        if (sample.UserId.Length > 0)
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_users, (sample.AppId, hour, sample.UserId), out _) += sign;
    }

    /// <summary>Retracts the overwritten versions, then writes the commit's deltas.</summary>
    public void Write(SqliteTransaction transaction)
    {
        _readRetracted.Transaction = _clearRetracted.Transaction = transaction;
        _readHistogram.Transaction = _upsertCell.Transaction = _upsertUser.Transaction = transaction;
        var retracted = false;
        using (var reader = _readRetracted.ExecuteReader())
        {
            while (reader.Read())
            {
                Add(RequestSample.Read(reader), -1);
                retracted = true;
            }
        }
        if (retracted) _clearRetracted.ExecuteNonQuery();

        foreach (var ((app, hour, model), cell) in _cells)
        {
            if (!cell.HasChanges) continue;
            WriteCell(app, hour, model, cell);
        }
        foreach (var ((app, hour, user), requests) in _users)
        {
            if (requests == 0) continue;
            var p = _upsertUser.Parameters;
            p[0].Value = app;
            p[1].Value = hour;
            p[2].Value = user;
            p[3].Value = requests;
            _upsertUser.ExecuteNonQuery();
        }
        Start();
    }

    private void WriteCell(string app, long hour, string model, RollupCell cell)
    {
        // The histogram cannot be added in SQL: read, merge, write back (the single writer owns the row).
        _merged.Clear();
        var r = _readHistogram.Parameters;
        r[0].Value = app;
        r[1].Value = hour;
        r[2].Value = model;
        if (_readHistogram.ExecuteScalar() is byte[] stored) _merged.AddEncoded(stored);
        cell.Latency.AddTo(_merged);

        var p = _upsertCell.Parameters;
        p[0].Value = app;
        p[1].Value = hour;
        p[2].Value = model;
        p[3].Value = cell.Requests;
        p[4].Value = cell.Errors;
        p[5].Value = cell.CostPico;
        p[6].Value = cell.Tokens;
        p[7].Value = cell.InputTokens;
        p[8].Value = cell.OutputTokens;
        p[9].Value = cell.LatencySumMs;
        p[10].Value = _merged.Encode();
        _upsertCell.ExecuteNonQuery();
    }

    /// <summary>
    /// The migration that created the rollup tables over an existing database flags it; the
    /// rollups are then built once from the stored GENERATION spans, in one transaction.
    /// </summary>
    private void BackfillIfPending()
    {
        using var pending = new SqliteCommand("SELECT count(*) FROM metrics_backfill", _connection);
        if ((long)pending.ExecuteScalar()! == 0) return;
        using var transaction = _connection.BeginTransaction();
        Start();
        using (var scan = new SqliteCommand($"SELECT {RequestSample.Columns} FROM spans WHERE type = 'GENERATION'", _connection, transaction))
        using (var reader = scan.ExecuteReader())
        {
            while (reader.Read()) Add(RequestSample.Read(reader), 1);
        }
        Write(transaction);
        using (var done = new SqliteCommand("DELETE FROM metrics_backfill", _connection, transaction)) done.ExecuteNonQuery();
        transaction.Commit();
    }

    private SqliteCommand Command(string sql, int parameters) => PositionalCommand.Create(_connection, sql, parameters);

    public void Dispose()
    {
        _readHistogram.Dispose();
        _upsertCell.Dispose();
        _upsertUser.Dispose();
        _readRetracted.Dispose();
        _clearRetracted.Dispose();
    }
}
