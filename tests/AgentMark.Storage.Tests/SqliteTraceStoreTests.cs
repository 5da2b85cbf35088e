using AgentMark.Storage.Embedded;
using Microsoft.Data.Sqlite;

namespace AgentMark.Storage.Tests;

public sealed class SqliteTraceStoreTests : TraceStoreContract
{
    protected override ITraceStore Open(string folder) => new SqliteTraceStore(folder);

    [Fact]
    public async Task The_schema_is_versioned_and_the_journal_is_wal()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Folder, SqliteTraceStore.FileName)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 1);
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_full_queue_refuses_instead_of_buffering_without_bound()
    {
        await using var tiny = new SqliteTraceStore(Path.Combine(Folder, "tiny"), queueCapacity: 1);
        await tiny.InitializeAsync(CancellationToken.None);
        var accepted = new List<Task>();
        var refused = 0;
        for (var i = 0; i < 50; i++)
        {
            try { accepted.Add(tiny.AppendAsync(Enumerable.Range(0, 3000).Select(j => SpanFactory.Span($"t{i}", $"s{j}")).ToArray(), CancellationToken.None)); }
            catch (StoreOverloadedException) { refused++; }
        }
        await Task.WhenAll(accepted);
        Assert.True(refused > 0, "a queue of one batch must refuse some of 50 immediate batches");
        Assert.Equal(accepted.Count * 3000, (await tiny.ListSpansAsync(new SpanQuery("local") { Limit = 1 }, CancellationToken.None)).Total);
    }
}
