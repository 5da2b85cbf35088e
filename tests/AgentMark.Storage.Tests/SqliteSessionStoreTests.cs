using AgentMark.Core.Spans;
using AgentMark.Storage.Embedded;
using Microsoft.Data.Sqlite;

namespace AgentMark.Storage.Tests;

public sealed class SqliteSessionStoreTests : SessionStoreContract
{
    protected override ITraceStore Open(string folder) => new SqliteTraceStore(folder);

    [Fact]
    public async Task The_migration_backfills_sessions_equal_to_the_ones_kept_at_ingest()
    {
        var first = SpanFactory.Span("a", "r", startOffsetMs: 0, durationMs: 700, cost: 0.5, inputTokens: 3, sessionId: " chat ", traceName: "turn");
        first.SessionName = "Support";
        await Append(first,
            SpanFactory.Span("a", "g", parent: "r", startOffsetMs: 5, cost: 0.25, inputTokens: 40, outputTokens: 2, type: SpanTypes.Generation),
            SpanFactory.Span("b", "r", startOffsetMs: 900, sessionId: "chat", tags: """["x"]"""),
            SpanFactory.Span("c", "r", startOffsetMs: 50, sessionId: "other", traceName: "solo", app: "app-2"),
            SpanFactory.Span("d", "r", sessionId: "null"));
        var kept = await Snapshot();
        Assert.Equal(2, kept.Count);

        // Back to schema 3, as a data folder written before sessions existed: undo migrations 8 to 4.
        await Store.DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(Folder, SqliteTraceStore.FileName)};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE old_keys (app_id TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, trace_id TEXT NOT NULL,
                                       PRIMARY KEY (app_id, kind, value, trace_id)) WITHOUT ROWID;
                INSERT INTO old_keys SELECT app_id, kind, value, trace_id FROM trace_keys;
                DROP TABLE trace_keys; ALTER TABLE old_keys RENAME TO trace_keys; ALTER TABLE traces DROP COLUMN seq;
                DROP TABLE sessions; DROP TABLE session_traces; ALTER TABLE app_counts DROP COLUMN sessions;
                DROP TABLE metrics_hourly; DROP TABLE metrics_hourly_users; DROP TABLE metrics_backfill;
                DROP INDEX spans_by_dataset_run; ALTER TABLE span_payloads DROP COLUMN attribute_refs;
                DROP INDEX spans_by_trace; ALTER TABLE spans DROP COLUMN trace_seq;
                CREATE UNIQUE INDEX spans_by_trace ON spans(app_id, trace_id, span_id);
                PRAGMA user_version = 3;
                """;
            await command.ExecuteNonQueryAsync();
        }
        Store = Open(Folder);
        await Store.InitializeAsync(CancellationToken.None);

        Assert.Equal(kept, await Snapshot());
    }

    private async Task<List<string>> Snapshot()
    {
        var rows = new List<string>();
        foreach (var app in new[] { "local", "app-2" })
        {
            var page = await List(new SessionQuery(app));
            rows.AddRange(page.Items.Select(s =>
                $"{app} total={page.Total} {s.Id}|{s.Name}|{s.StartNs}|{s.EndNs}|{s.TraceCount}|{s.TotalCost}|{s.TotalTokens}|{s.LatencyMs}|{string.Join(",", s.Tags)}"));
        }
        return rows;
    }
}
