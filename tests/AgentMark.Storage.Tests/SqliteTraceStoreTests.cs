using AgentMark.Core.Spans;
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

    /// <summary>
    /// The prompt and completion repeated in the attributes (as the Vercel AI SDK sends them) are stored once:
    /// the stored map refers to the I/O columns. A row written before migration 9 (full map, no references)
    /// reads as it was.
    /// </summary>
    [Fact]
    public async Task Attribute_values_equal_to_the_span_io_are_stored_once()
    {
        // Quotes, the short escapes, a control character, NUL, a backslash, non-ASCII and a surrogate pair.
        var prompt = "[{\"role\":\"user\",\"content\":\"Plan a three day trip\n\tto Lisbon — café 😀 \u0001\0 back\\slash\"}]";
        var text = "Day 1: Alfama and the castle. Day 2: Belem and the riverside. Day 3: Sintra by train.";
        var span = SpanFactory.Span("t1", "s1", type: SpanTypes.Generation, input: prompt, output: text);
        span.SpanAttributes = """{"ai.prompt.messages":"[{\"role\":\"user\",\"content\":\"Plan a three day trip\n\tto Lisbon — café 😀 \u0001\u0000 back\\slash\"}]",""" +
            "\"ai.response.text\":\"" + text + "\",\"gen_ai.usage.cost\":0.002}";
        await Append(span);
        var old = SpanFactory.Span("t2", "s1", type: SpanTypes.Generation, input: prompt, output: text);
        old.SpanAttributes = span.SpanAttributes;
        await Append(old);
        // The output's literal as a key, and inside another string: both stay, so the stored map remains JSON.
        var padding = new string('x', 70);
        var awkward = SpanFactory.Span("t3", "s1", input: padding + "\\", output: text);
        awkward.SpanAttributes = $$"""{"k":"q\"{{padding}}\\","{{text}}":1}""";
        await Append(awkward);

        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(Folder, SqliteTraceStore.FileName)};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT p.span_attributes, p.attribute_refs FROM spans s JOIN span_payloads p ON p.span_row = s.id WHERE s.trace_id = 't1'";
            await using (var reader = await command.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync());
                Assert.Equal("""{"ai.prompt.messages":null,"ai.response.text":null,"gen_ai.usage.cost":0.002}""", reader.GetString(0));
                Assert.Equal("22i,46o", reader.GetString(1));
            }
            command.CommandText = """
                SELECT count(*) FROM span_payloads
                WHERE NOT json_valid(span_attributes) OR attribute_refs IS NOT NULL AND span_row = (SELECT id FROM spans WHERE trace_id = 't3')
                """;
            Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
            // As a gateway before migration 9 stored it.
            command.CommandText = """
                UPDATE span_payloads SET span_attributes = $map, attribute_refs = NULL
                WHERE span_row = (SELECT id FROM spans WHERE trace_id = 't2')
                """;
            command.Parameters.AddWithValue("$map", span.SpanAttributes);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        foreach (var trace in new[] { "t1", "t2" })
        {
            var read = await Store.GetSpanAsync("local", trace, "s1", CancellationToken.None);
            Assert.Equal(span.SpanAttributes, read!.SpanAttributes);
        }
        Assert.Equal(awkward.SpanAttributes, (await Store.GetSpanAsync("local", "t3", "s1", CancellationToken.None))!.SpanAttributes);
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
