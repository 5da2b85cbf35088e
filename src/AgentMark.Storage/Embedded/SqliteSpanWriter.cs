using System.Runtime.InteropServices;
using System.Threading.Channels;
using AgentMark.Core.Spans;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace AgentMark.Storage.Embedded;

/// <summary>
/// The single writer. Requests enqueue their spans on a bounded channel and await their own
/// batch's commit; the writer thread drains whatever is queued into one transaction (group
/// commit), so concurrent requests share one fsync. A trace's summary row and its keys are
/// recomputed in the same transaction, so reads never see spans without their trace.
/// </summary>
internal sealed class SqliteSpanWriter : IDisposable
{
    /// <summary>Upper bound on spans per transaction; bigger groups stop paying off and delay acks.</summary>
    private const int MaxSpansPerCommit = 4000;

    private readonly Channel<PendingWrite> _queue;
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    // The per-span and per-trace statements run through SQLitePCLRaw (see RawStatement); the
    // re-read of an existing trace's spans stays a Microsoft.Data.Sqlite reader.
    private RawStatement? _insertSpan, _upsertSpan, _upsertPayload, _upsertTrace, _insertKey, _traceExists, _addCounts;
    private SqliteCommand? _selectTraceSpans;
    private readonly HourlyRollups _rollups;
    private readonly SessionSummaries _sessions;

    /// <summary>Spans stored (approximately: the highest row id) and when statistics are next refreshed.</summary>
    private long _storedSpans, _analyzeAt;

    /// <summary>The highest span row id, to tell a new span from a re-sent one.</summary>
    private long _maxRowId;

    /// <summary>The last arrival number given to a trace (<c>traces.seq</c>, migration 8).</summary>
    private long _traceSeq;

    /// <summary>A request's spans, with their attribute maps in stored form (computed on the request's thread).</summary>
    private sealed record PendingWrite(IReadOnlyList<SpanRecord> Spans, StoredAttributes.Stored[] Attributes, TaskCompletionSource Done);

    /// <summary>Called after fresh statistics are committed (readers must reload them).</summary>
    private readonly Action _statisticsRefreshed;

    public SqliteSpanWriter(SqliteConnection connection, int queueCapacity, TimeProvider time, ILogger logger, Action statisticsRefreshed)
    {
        _connection = connection;
        _statisticsRefreshed = statisticsRefreshed;
        _time = time;
        _logger = logger;
        _sessions = new SessionSummaries(connection);
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(queueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using (var count = new SqliteCommand("SELECT coalesce(max(id), 0) FROM spans", connection))
            _storedSpans = _maxRowId = Convert.ToInt64(count.ExecuteScalar());
        using (var seq = new SqliteCommand("SELECT coalesce(max(seq), 0) FROM traces", connection))
            _traceSeq = Convert.ToInt64(seq.ExecuteScalar());
        // Statistics persist in sqlite_stat1: a restart analyzes only a database that has none yet.
        using (var hasStatistics = new SqliteCommand("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'", connection))
        {
            if (hasStatistics.ExecuteScalar() is null) RefreshStatistics();
            else _analyzeAt = Math.Max(1_000, _storedSpans * 4);
        }
        _rollups = new HourlyRollups(connection);
        _thread = new Thread(Run) { Name = "agentmark-span-writer", IsBackground = true };
        _thread.Start();
    }

    public Task EnqueueAsync(IReadOnlyList<SpanRecord> spans)
    {
        if (spans.Count == 0) return Task.CompletedTask;
        var attributes = new StoredAttributes.Stored[spans.Count];
        for (var i = 0; i < attributes.Length; i++) attributes[i] = StoredAttributes.Compact(spans[i]);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new PendingWrite(spans, attributes, done))) throw new StoreOverloadedException();
        return done.Task;
    }

    private void Run()
    {
        var group = new List<PendingWrite>();
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            group.Clear();
            var count = 0;
            while (count < MaxSpansPerCommit && _queue.Reader.TryRead(out var pending))
            {
                group.Add(pending);
                count += pending.Spans.Count;
            }
            if (group.Count == 0) continue;
            try
            {
                Commit(group);
                foreach (var pending in group) pending.Done.TrySetResult();
                _storedSpans += count;
                if (_storedSpans >= _analyzeAt) RefreshStatistics();
            }
            catch (Exception groupError) when (group.Count > 1)
            {
                // Isolate the failing request so one bad batch never fails its neighbours.
                _logger.LogWarning(groupError, "Group commit of {Count} batches failed; retrying them one by one", group.Count);
                foreach (var pending in group)
                {
                    try
                    {
                        Commit([pending]);
                        pending.Done.TrySetResult();
                    }
                    catch (Exception error)
                    {
                        pending.Done.TrySetException(error);
                    }
                }
            }
            catch (Exception error)
            {
                _logger.LogError(error, "Span commit failed");
                group[0].Done.TrySetException(error);
            }
        }
    }

    /// <summary>
    /// Table statistics let SQLite drive a selective trace filter (a session, a user) from the key
    /// index instead of walking every trace in start order: 166 ms → 0.8 ms at 200k traces. Refreshed
    /// whenever the table has grown fourfold; analysis_limit bounds the cost (~0.4 s at 1M spans).
    /// A connection loads the statistics with the schema and keeps them, so pooled readers opened
    /// before a refresh would plan with the old ones (a session filter at 1M spans: 82 ms instead of
    /// 0.6 ms); <see cref="_statisticsRefreshed"/> lets the store retire them.
    /// </summary>
    private void RefreshStatistics()
    {
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA analysis_limit = 1000; ANALYZE;";
            command.ExecuteNonQuery();
            _statisticsRefreshed();
        }
        catch (SqliteException error)
        {
            _logger.LogWarning(error, "Refreshing table statistics failed");
        }
        _analyzeAt = Math.Max(1_000, _storedSpans * 4);
    }

    private void Commit(List<PendingWrite> group)
    {
        using var transaction = _connection.BeginTransaction();
        PrepareCommands(transaction);
        _rollups.Start();
        var createdAt = _time.GetUtcNow().ToUnixTimeMilliseconds();
        // The batch's traces, each with its arrival number and its spans in arrival order.
        var traces = new Dictionary<(string App, string Trace), BatchTrace>();
        var keys = new HashSet<(string App, string Kind, string Value, string Trace)>();
        var added = new Dictionary<string, (long Traces, long Spans)>(StringComparer.Ordinal);
        foreach (var pending in group)
        {
            for (var i = 0; i < pending.Spans.Count; i++)
            {
                var span = pending.Spans[i];
                // The spans are keyed by their trace's arrival number, so it is settled first.
                if (!traces.TryGetValue((span.AppId, span.TraceId), out var trace))
                    traces[(span.AppId, span.TraceId)] = trace = FindTrace(span.AppId, span.TraceId);
                // Most spans are new: a plain insert is cheaper than the upsert (no conflict
                // handling, no RETURNING buffer); only a re-sent span pays for the upsert too.
                SpanColumns.Bind(_insertSpan!, span, createdAt, trace.Seq);
                var row = _insertSpan!.ExecuteInsert() ?? UpdateSpan(span, createdAt, trace.Seq);
                _rollups.Add(span);
                // A new row gets the next row id; an upsert that updated a re-sent span returns an older one.
                if (row > _maxRowId)
                {
                    _maxRowId = row;
                    CollectionsMarshal.GetValueRefOrAddDefault(added, span.AppId, out _).Spans++;
                }
                SpanColumns.BindPayload(_upsertPayload!, row, span, pending.Attributes[i]);
                _upsertPayload!.Execute();
                trace.Spans.Add(span);
                CollectKeys(span, keys);
            }
        }
        var scratch = new List<SpanRecord>();
        foreach (var ((app, id), trace) in traces)
        {
            RefreshTrace(app, id, trace, scratch);
            if (trace.IsNew) CollectionsMarshal.GetValueRefOrAddDefault(added, app, out _).Traces++;
            _sessions.Track(transaction, app, id, trace.Seq, trace.Spans, trace.IsNew);
        }
        _sessions.Flush(transaction);
        // Spans of one trace share their session, user and model: insert each key once per commit.
        foreach (var key in keys) InsertKey(key, traces[(key.App, key.Trace)].Seq);
        foreach (var (app, (newTraces, newSpans)) in added)
        {
            _addCounts!.Bind(1, app);
            _addCounts.Bind(2, newTraces);
            _addCounts.Bind(3, newSpans);
            _addCounts.Execute();
        }
        _rollups.Write(transaction);
        transaction.Commit();
    }

    /// <summary>A trace of the batch: whether it is new, its arrival number, and the batch's spans of it.</summary>
    private sealed record BatchTrace(bool IsNew, long Seq)
    {
        public List<SpanRecord> Spans { get; } = [];
    }

    /// <summary>A stored trace's arrival number; a trace first seen in this commit gets the next one.</summary>
    private BatchTrace FindTrace(string app, string trace)
    {
        _traceExists!.Bind(1, app);
        _traceExists.Bind(2, trace);
        return _traceExists.ExecuteInt64() is { } storedSeq ? new(false, storedSeq) : new(true, ++_traceSeq);
    }

    /// <summary>A re-sent span (same app, trace and span id): last write wins, keeping its row id.</summary>
    private long UpdateSpan(SpanRecord span, long createdAt, long traceSeq)
    {
        SpanColumns.Bind(_upsertSpan!, span, createdAt, traceSeq);
        return _upsertSpan!.ExecuteInt64()!.Value;
    }

    private static void CollectKeys(SpanRecord span, HashSet<(string, string, string, string)> keys)
    {
        if (span.SessionId.Length > 0) keys.Add((span.AppId, TraceKeys.Session, span.SessionId, span.TraceId));
        if (span.UserId.Length > 0) keys.Add((span.AppId, TraceKeys.User, span.UserId, span.TraceId));
        if (span.Model.Length > 0) keys.Add((span.AppId, TraceKeys.Model, span.Model, span.TraceId));
        if (span.CommitSha.Length > 0) keys.Add((span.AppId, TraceKeys.Commit, span.CommitSha, span.TraceId));
        if (span.Tags.Length > 2)
        {
            foreach (var tag in System.Text.Json.JsonSerializer.Deserialize(span.Tags, StorageJson.Default.StringArray) ?? [])
                if (tag.Length > 0) keys.Add((span.AppId, TraceKeys.Tag, tag, span.TraceId));
        }
    }

    private void InsertKey((string App, string Kind, string Value, string Trace) key, long traceSeq)
    {
        _insertKey!.Bind(1, key.App);
        _insertKey.Bind(2, key.Kind);
        _insertKey.Bind(3, key.Value);
        _insertKey.Bind(4, traceSeq);
        _insertKey.Bind(5, key.Trace);
        _insertKey.Execute();
    }

    /// <summary>
    /// Recomputes one trace's summary. A trace first seen in this commit is summarized from the batch
    /// itself; one that already has stored spans (they may arrive over many requests) from all of them.
    /// </summary>
    private void RefreshTrace(string app, string trace, BatchTrace batch, List<SpanRecord> spans)
    {
        if (batch.IsNew)
        {
            spans.Clear();
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var span in batch.Spans)
            {
                if (seen.TryGetValue(span.SpanId, out var at)) spans[at] = span;
                else { seen[span.SpanId] = spans.Count; spans.Add(span); }
            }
            // The store's order: start, then insertion (a stable sort keeps arrival order on ties).
            var ordered = spans.OrderBy(s => s.StartTimeUnixNano).ToList();
            WriteSummary(app, TraceSummarizer.Summarize(trace, ordered), batch.Seq);
            return;
        }
        spans.Clear();
        _selectTraceSpans!.Parameters[0].Value = app;
        _selectTraceSpans.Parameters[1].Value = batch.Seq;
        using (var reader = _selectTraceSpans.ExecuteReader())
        {
            while (reader.Read())
            {
                spans.Add(new SpanRecord
                {
                    SpanId = reader.GetString(0),
                    ParentSpanId = reader.IsDBNull(1) ? null : reader.GetString(1),
                    Type = reader.GetString(2),
                    StartTimeUnixNano = reader.GetInt64(3),
                    EndTime = reader.IsDBNull(4) ? 0 : reader.GetDouble(4),
                    Duration = reader.GetInt64(5),
                    SpanName = reader.GetString(6),
                    StatusCode = reader.GetString(7),
                    TraceName = reader.GetString(8),
                    Cost = reader.GetDouble(9),
                    InputTokens = reader.GetInt64(10),
                    OutputTokens = reader.GetInt64(11),
                    Tags = reader.GetString(12),
                    DatasetRunId = reader.GetString(13),
                    DatasetPath = reader.GetString(14),
                    Input = reader.IsDBNull(15) ? null : reader.GetString(15),
                    Output = reader.IsDBNull(16) ? null : reader.GetString(16),
                });
            }
        }
        WriteSummary(app, TraceSummarizer.Summarize(trace, spans), batch.Seq);
    }

    private void WriteSummary(string app, TraceSummary summary, long seq)
    {
        var p = _upsertTrace!;
        p.Bind(1, app);
        p.Bind(2, summary.Id);
        p.Bind(3, summary.Name);
        p.Bind(4, summary.Status);
        p.Bind(5, summary.StartNs);
        p.Bind(6, summary.EndMs);
        p.Bind(7, summary.LatencyMs);
        p.Bind(8, summary.Cost);
        p.Bind(9, summary.Tokens);
        p.Bind(10, summary.SpanCount);
        p.Bind(11, System.Text.Json.JsonSerializer.Serialize(summary.Tags, StorageJson.Default.IReadOnlyListString));
        p.Bind(12, summary.InputPreview);
        p.Bind(13, summary.OutputPreview);
        p.Bind(14, summary.DatasetRunId);
        p.Bind(15, summary.DatasetPath);
        p.Bind(16, seq);
        p.Execute();
    }

    private void PrepareCommands(SqliteTransaction transaction)
    {
        if (_upsertSpan is null)
        {
            _insertSpan = new RawStatement(_connection, SpanColumns.Insert);
            _upsertSpan = new RawStatement(_connection, SpanColumns.Upsert);
            _upsertPayload = new RawStatement(_connection, SpanColumns.UpsertPayload);
            // Only the preview rows (parentless and generation spans) need their I/O, and only 160 characters of it.
            // INDEXED BY: without statistics the planner would serve ORDER BY from spans_by_start and scan the app.
            _selectTraceSpans = Command("""
                SELECT span_id, parent_span_id, type, start_ns, end_ms, duration_ms, span_name, status_code, trace_name,
                       cost, input_tokens, output_tokens, tags, dataset_run_id, dataset_path,
                       CASE WHEN parent_span_id IS NULL OR type = 'GENERATION' THEN (SELECT substr(input, 1, 160) FROM span_payloads WHERE span_row = spans.id) END,
                       CASE WHEN parent_span_id IS NULL OR type = 'GENERATION' THEN (SELECT substr(output, 1, 160) FROM span_payloads WHERE span_row = spans.id) END
                FROM spans INDEXED BY spans_by_trace WHERE app_id = $p0 AND trace_seq = $p1 ORDER BY start_ns, id
                """, 2);
            _upsertTrace = new RawStatement(_connection, """
                INSERT INTO traces (app_id, trace_id, name, status, start_ns, end_ms, latency_ms, cost, tokens, span_count,
                                    tags, input_preview, output_preview, dataset_run_id, dataset_path, seq)
                VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11, $p12, $p13, $p14, $p15)
                ON CONFLICT (app_id, trace_id) DO UPDATE SET
                    name = excluded.name, status = excluded.status, start_ns = excluded.start_ns, end_ms = excluded.end_ms,
                    latency_ms = excluded.latency_ms, cost = excluded.cost, tokens = excluded.tokens,
                    span_count = excluded.span_count, tags = excluded.tags, input_preview = excluded.input_preview,
                    output_preview = excluded.output_preview, dataset_run_id = excluded.dataset_run_id,
                    dataset_path = excluded.dataset_path
                """);
            _addCounts = new RawStatement(_connection, """
                INSERT INTO app_counts (app_id, traces, spans) VALUES ($p0, $p1, $p2)
                ON CONFLICT (app_id) DO UPDATE SET traces = traces + excluded.traces, spans = spans + excluded.spans
                """);
            _traceExists = new RawStatement(_connection, "SELECT seq FROM traces WHERE app_id = $p0 AND trace_id = $p1");
            _insertKey = new RawStatement(_connection, "INSERT OR IGNORE INTO trace_keys (app_id, kind, value, trace_seq, trace_id) VALUES ($p0, $p1, $p2, $p3, $p4)");
        }
        _selectTraceSpans!.Transaction = transaction;
    }

    private SqliteCommand Command(string sql, int parameters) => PositionalCommand.Create(_connection, sql, parameters);

    /// <summary>Stops accepting work, commits everything already queued, then returns.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread.Join();
        _insertSpan?.Dispose();
        _upsertSpan?.Dispose();
        _selectTraceSpans?.Dispose();
        _upsertTrace?.Dispose();
        _insertKey?.Dispose();
        _traceExists?.Dispose();
        _upsertPayload?.Dispose();
        _addCounts?.Dispose();
        _rollups.Dispose();
        _sessions.Dispose();
    }
}

internal static class TraceKeys
{
    public const string Session = "session";
    public const string User = "user";
    public const string Model = "model";
    public const string Commit = "commit";
    public const string Tag = "tag";
}
