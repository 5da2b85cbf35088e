using Microsoft.Data.Sqlite;

namespace AgentMark.Storage.Embedded;

/// <summary>
/// Versioned schema migrations, applied in order at start-up and recorded in
/// <c>PRAGMA user_version</c>. Append new steps; never edit a shipped one.
/// </summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        // 1: spans (ingestion §6.1) split in two: the narrow row every list and filter scans, and the
        //    heavy payload (I/O, raw attribute maps, events, links) read only for detail views; trace
        //    summaries maintained at ingest; and the trace keys ("some span of the trace has X").
        """
        CREATE TABLE spans (
            id INTEGER PRIMARY KEY,
            app_id TEXT NOT NULL,
            trace_id TEXT NOT NULL,
            span_id TEXT NOT NULL,
            parent_span_id TEXT,
            trace_state TEXT,
            type TEXT NOT NULL DEFAULT 'SPAN',
            start_ns INTEGER NOT NULL,
            end_ms REAL,
            duration_ms INTEGER NOT NULL DEFAULT 0,
            span_name TEXT NOT NULL DEFAULT '',
            span_kind TEXT NOT NULL DEFAULT '0',
            semantic_kind TEXT NOT NULL DEFAULT 'function',
            service_name TEXT,
            scope_name TEXT,
            scope_version TEXT,
            status_code TEXT NOT NULL DEFAULT '0',
            status_message TEXT,
            model TEXT NOT NULL DEFAULT '',
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            total_tokens INTEGER NOT NULL DEFAULT 0,
            reasoning_tokens INTEGER NOT NULL DEFAULT 0,
            cost REAL NOT NULL DEFAULT 0,
            finish_reason TEXT,
            session_id TEXT NOT NULL DEFAULT '',
            session_name TEXT NOT NULL DEFAULT '',
            user_id TEXT NOT NULL DEFAULT '',
            trace_name TEXT NOT NULL DEFAULT '',
            dataset_run_id TEXT NOT NULL DEFAULT '',
            dataset_run_name TEXT NOT NULL DEFAULT '',
            dataset_path TEXT NOT NULL DEFAULT '',
            dataset_item_name TEXT NOT NULL DEFAULT '',
            dataset_expected_output TEXT NOT NULL DEFAULT '',
            dataset_input TEXT NOT NULL DEFAULT '',
            experiment_key TEXT NOT NULL DEFAULT '',
            source_tree_hash TEXT NOT NULL DEFAULT '',
            commit_sha TEXT NOT NULL DEFAULT '',
            prompt_name TEXT NOT NULL DEFAULT '',
            metadata TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            created_at_ms INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX spans_by_trace ON spans(app_id, trace_id, span_id);
        CREATE INDEX spans_by_start ON spans(app_id, start_ns);
        CREATE INDEX spans_by_type ON spans(app_id, type, start_ns);

        CREATE TABLE span_payloads (
            span_row INTEGER PRIMARY KEY,
            input TEXT,
            output TEXT,
            output_object TEXT,
            tool_calls TEXT,
            settings TEXT,
            props TEXT,
            resource_attributes TEXT NOT NULL DEFAULT '{}',
            span_attributes TEXT NOT NULL DEFAULT '{}',
            events TEXT NOT NULL DEFAULT '[]',
            links TEXT NOT NULL DEFAULT '[]'
        );

        CREATE TABLE traces (
            app_id TEXT NOT NULL,
            trace_id TEXT NOT NULL,
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            start_ns INTEGER NOT NULL,
            end_ms REAL NOT NULL,
            latency_ms INTEGER NOT NULL,
            cost REAL NOT NULL,
            tokens INTEGER NOT NULL,
            span_count INTEGER NOT NULL,
            tags TEXT NOT NULL,
            input_preview TEXT,
            output_preview TEXT,
            dataset_run_id TEXT NOT NULL,
            dataset_path TEXT NOT NULL,
            UNIQUE (app_id, trace_id)
        );
        CREATE INDEX traces_by_start ON traces(app_id, start_ns);

        CREATE TABLE trace_keys (
            app_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            trace_id TEXT NOT NULL,
            PRIMARY KEY (app_id, kind, value, trace_id)
        ) WITHOUT ROWID;
        """,

        // 2: per-app totals kept in the ingest transaction, so unfiltered lists never count rows.
        """
        CREATE TABLE app_counts (
            app_id TEXT PRIMARY KEY,
            traces INTEGER NOT NULL DEFAULT 0,
            spans INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        INSERT INTO app_counts (app_id, traces, spans)
            SELECT app_id, COUNT(*), (SELECT COUNT(*) FROM spans s WHERE s.app_id = t.app_id) FROM traces t GROUP BY app_id;
        """,

        // 3: scores (wire-contract §11) attached to a trace or span id. resource_type is decided at write
        //    time (a known trace id → 'trace', a known span id → 'span', else by id length).
        """
        CREATE TABLE scores (
            id TEXT PRIMARY KEY,
            app_id TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            resource_type TEXT NOT NULL,
            name TEXT NOT NULL,
            score REAL NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'api',
            score_type TEXT NOT NULL DEFAULT '',
            data_type TEXT NOT NULL DEFAULT '',
            user_id TEXT NOT NULL DEFAULT '',
            created_at_ms INTEGER NOT NULL
        );
        CREATE INDEX scores_by_resource ON scores(app_id, resource_id, name);
        CREATE INDEX scores_by_created ON scores(app_id, created_at_ms);
        CREATE INDEX scores_by_name ON scores(app_id, name, created_at_ms);
        """,

        // 4: sessions (ingestion §5.6) maintained at ingest by SessionSummaries; backfilled from stored spans.
        SessionSummaries.Migration,

        // 5: the session search (id or name substring) scans the start index alone, without a row
        //    lookup per session (about 3x faster at 50k sessions); session_id before name keeps the
        //    index in the list's order (start, then id).
        """
        DROP INDEX sessions_by_start;
        CREATE INDEX sessions_by_start ON sessions(app_id, start_ns, session_id, name);
        """,

        // 6: hourly request rollups for GET /v1/metrics (wire-contract §12), kept by the writer in the
        //    ingest transaction (HourlyRollups): totals and a latency histogram per app, hour and model,
        //    and a per-hour user multiset so unique users over a range is a COUNT(DISTINCT) of small rows.
        //    Cost is integer pico-dollars (exact sums). An existing database is flagged for a one-time backfill.
        """
        CREATE TABLE metrics_hourly (
            app_id TEXT NOT NULL,
            hour INTEGER NOT NULL,
            model TEXT NOT NULL,
            requests INTEGER NOT NULL,
            errors INTEGER NOT NULL,
            cost_pico INTEGER NOT NULL,
            tokens INTEGER NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            latency_sum_ms INTEGER NOT NULL,
            latency_histogram BLOB NOT NULL,
            PRIMARY KEY (app_id, hour, model)
        ) WITHOUT ROWID;
        CREATE TABLE metrics_hourly_users (
            app_id TEXT NOT NULL,
            hour INTEGER NOT NULL,
            user_id TEXT NOT NULL,
            requests INTEGER NOT NULL,
            PRIMARY KEY (app_id, hour, user_id)
        ) WITHOUT ROWID;
        CREATE TABLE metrics_backfill (pending INTEGER NOT NULL);
        INSERT INTO metrics_backfill SELECT 1 WHERE EXISTS (SELECT 1 FROM spans WHERE type = 'GENERATION');
        """,

        // 7: experiments are derived from the spans of dataset runs; a partial index holds only those
        //    spans, so ordinary ingest pays nothing for it.
        """
        CREATE INDEX spans_by_dataset_run ON spans(app_id, dataset_run_id) WHERE dataset_run_id <> '';
        """,

        // 8: every trace gets an arrival number (seq), and the structures written for each new trace are
        //    keyed by it instead of by its random id: a new trace's model and user keys append to the end
        //    of their value's run, and its session membership to the end of the by-trace index, instead
        //    of each dirtying a random page (which every commit then rewrites to the WAL): −22% WAL bytes
        //    per span at 300k spans, and the gap grows with the store. seq is a column, not the rowid,
        //    because VACUUM may renumber the rowids of a table without an INTEGER PRIMARY KEY. The rebuilt
        //    table and index get fresh statistics at once (the planner relies on them for key filters).
        """
        ALTER TABLE traces ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
        UPDATE traces SET seq = rowid;
        CREATE TABLE trace_keys_by_seq (
            app_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            trace_seq INTEGER NOT NULL,
            trace_id TEXT NOT NULL,
            PRIMARY KEY (app_id, kind, value, trace_seq)
        ) WITHOUT ROWID;
        INSERT INTO trace_keys_by_seq (app_id, kind, value, trace_seq, trace_id)
            SELECT k.app_id, k.kind, k.value, t.seq, k.trace_id FROM trace_keys k JOIN traces t ON t.app_id = k.app_id AND t.trace_id = k.trace_id;
        DROP TABLE trace_keys;
        ALTER TABLE trace_keys_by_seq RENAME TO trace_keys;
        ALTER TABLE session_traces ADD COLUMN trace_seq INTEGER NOT NULL DEFAULT 0;
        UPDATE session_traces SET trace_seq = (SELECT t.seq FROM traces t WHERE t.app_id = session_traces.app_id AND t.trace_id = session_traces.trace_id);
        DROP INDEX session_traces_by_trace;
        CREATE INDEX session_traces_by_trace ON session_traces(app_id, trace_seq);
        PRAGMA analysis_limit = 1000;
        ANALYZE trace_keys;
        ANALYZE session_traces;
        """,

        // 9: a span attribute value equal to one of the span's I/O columns is stored as a reference to it
        //    (StoredAttributes): the prompt and completion are no longer stored twice. Rows written before
        //    keep their full map (no references).
        """
        ALTER TABLE span_payloads ADD COLUMN attribute_refs TEXT;
        """,

        // 10: spans carry their trace's arrival number, and the trace index is keyed by it instead of by the
        //     random trace id: a new trace's spans append to the index instead of each trace dirtying a random
        //     page (which every commit writes to the WAL, and a checkpoint again). Reads by trace id resolve
        //     the number through the traces table first. Rewrites every span row once.
        """
        ALTER TABLE spans ADD COLUMN trace_seq INTEGER NOT NULL DEFAULT 0;
        UPDATE spans SET trace_seq = (SELECT t.seq FROM traces t WHERE t.app_id = spans.app_id AND t.trace_id = spans.trace_id);
        DROP INDEX spans_by_trace;
        CREATE UNIQUE INDEX spans_by_trace ON spans(app_id, trace_seq, span_id);
        PRAGMA analysis_limit = 1000;
        ANALYZE spans;
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    public static void Migrate(SqliteConnection connection)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"));
        if (version > Migrations.Length)
            throw new InvalidOperationException($"The data folder was written by a newer gateway (schema {version}, this build knows {Migrations.Length}).");
        for (var next = version; next < Migrations.Length; next++)
        {
            using var transaction = connection.BeginTransaction();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = Migrations[next] + $"\nPRAGMA user_version = {next + 1};";
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        // A migration that rewrites a table leaves a WAL as big as the table; give the space back now
        // rather than at the next shutdown.
        if (version < Migrations.Length) Scalar(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
