using AgentMark.Storage.Embedded;
using Microsoft.Data.Sqlite;

namespace AgentMark.Storage.Tests;

public sealed class SqliteMetricsExportTests : MetricsExportContract
{
    private long _scoreClock;

    protected override ITraceStore Open(string folder) => new SqliteTraceStore(folder);

    protected override async Task InsertScoreAsync(string app, string resourceId, string name, double score, string label = "", string reason = "")
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Folder, SqliteTraceStore.FileName)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO scores (id, app_id, resource_id, resource_type, name, score, label, reason, source, created_at_ms)
            VALUES ($id, $app, $resource, 'trace', $name, $score, $label, $reason, 'api', $created)
            """;
        command.Parameters.AddWithValue("$id", Guid.NewGuid().ToString());
        command.Parameters.AddWithValue("$app", app);
        command.Parameters.AddWithValue("$resource", resourceId);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$score", score);
        command.Parameters.AddWithValue("$label", label);
        command.Parameters.AddWithValue("$reason", reason);
        command.Parameters.AddWithValue("$created", 1_767_225_600_000 + ++_scoreClock);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_database_from_before_the_rollups_is_backfilled_once_at_start()
    {
        await Append(Generation("t1", "a", 10 * 60_000, cost: 0.25, userId: "u1"), Generation("t1", "b", HourMs, status: "2", userId: "u2"),
            SpanFactory.Span("t1", "root", startOffsetMs: 0));
        await Store.DisposeAsync();
        // What the rollup migration finds in a database written before it: spans, no rollups, the backfill flag.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(Folder, SqliteTraceStore.FileName)};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM metrics_hourly; DELETE FROM metrics_hourly_users; INSERT INTO metrics_backfill VALUES (1);";
            await command.ExecuteNonQueryAsync();
        }
        Store = Open(Folder);
        await Store.InitializeAsync(CancellationToken.None);

        var report = await MetricsAsync(0, 2 * HourMs);
        Assert.Equal((2L, 1L, 2L), (report.Summary.Requests, report.Summary.Errors, report.Summary.UniqueUsers));
        Assert.Equal(0.75, report.Summary.Cost, 12);
        Assert.Equal(2, report.Hours.Count);

        // The flag is cleared: a second start does not count the spans again.
        await Store.DisposeAsync();
        Store = Open(Folder);
        await Store.InitializeAsync(CancellationToken.None);
        Assert.Equal(2, (await MetricsAsync(0, 2 * HourMs)).Summary.Requests);
    }
}
