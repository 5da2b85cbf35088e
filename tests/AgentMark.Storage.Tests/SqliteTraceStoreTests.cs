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

    /// <summary>
    /// Migration 10 keys the spans' trace index by the trace's arrival number. A folder written before it reads
    /// the same after it, and spans that arrive later (a re-sent span, a new span of a stored trace, a new
    /// trace) are stored once and found by their trace id.
    /// </summary>
    [Fact]
    public async Task Spans_read_the_same_after_the_trace_index_is_rekeyed_by_arrival()
    {
        await Append(SpanFactory.Span("ta", "a1", sessionId: "s1", input: "in-a"), SpanFactory.Span("ta", "a2", parent: "a1", startOffsetMs: 10),
            SpanFactory.Span("tb", "b1", startOffsetMs: 100, sessionId: "s1"), SpanFactory.Span("tc", "c1", app: "other", startOffsetMs: 200));
        await Append(SpanFactory.Span("ta", "a3", parent: "a1", startOffsetMs: 20));
        async Task<string> Answers()
        {
            var answers = new List<string>();
            foreach (var (app, trace) in new[] { ("local", "ta"), ("local", "tb"), ("other", "tc"), ("local", "tc"), ("local", "td") })
            {
                var spans = await Store.GetTraceSpansAsync(app, trace, SpanDetail.Full, CancellationToken.None);
                answers.Add($"{app}/{trace}: " + string.Join(",", spans.Select(x => x.SpanId + ":" + x.Input)));
                var page = await Store.ListSpansAsync(new SpanQuery(app) { TraceId = trace }, CancellationToken.None);
                answers.Add($"{app}/{trace} list: " + string.Join(",", page.Items.Select(x => x.SpanId)) + " of " + page.Total);
            }
            answers.Add("a2: " + (await Store.GetSpanAsync("local", "ta", "a2", CancellationToken.None))?.SpanId);
            answers.Add("a2 of tb: " + (await Store.GetSpanAsync("local", "tb", "a2", CancellationToken.None))?.SpanId);
            var session = await ((ISessionStore)Store).GetSessionSpansAsync("local", "s1", null, SpanDetail.Summary, CancellationToken.None);
            answers.Add("s1: " + string.Join(",", session.Select(x => x.SpanId)));
            return string.Join("\n", answers);
        }
        var before = await Answers();
        Assert.Contains("local/ta: a1:in-a,a2:,a3:", before);

        await Store.DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(Folder, SqliteTraceStore.FileName)};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // Back to schema 9: spans indexed by trace id.
            command.CommandText = """
                DROP INDEX spans_by_trace; ALTER TABLE spans DROP COLUMN trace_seq;
                CREATE UNIQUE INDEX spans_by_trace ON spans(app_id, trace_id, span_id);
                PRAGMA user_version = 9;
                """;
            await command.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();
        Store = Open(Folder);
        await Store.InitializeAsync(CancellationToken.None);
        // The migration rewrote every span row; the WAL that took is handed back at once.
        Assert.Equal(0, new FileInfo(Path.Combine(Folder, SqliteTraceStore.FileName + "-wal")).Length);
        Assert.Equal(before, await Answers());

        // After the migration: a re-sent span, a new span of a stored trace, and a new trace.
        await Append(SpanFactory.Span("ta", "a2", parent: "a1", startOffsetMs: 10, name: "again"),
            SpanFactory.Span("tb", "b2", parent: "b1", startOffsetMs: 110), SpanFactory.Span("td", "d1", startOffsetMs: 300, sessionId: "s1"));
        var after = await Answers();
        Assert.Contains("local/ta: a1:in-a,a2:,a3:", after);
        Assert.Contains("local/tb list: b2,b1 of 2", after);
        Assert.Contains("local/td: d1:", after);
        Assert.Contains("s1: a1,a2,a3,b1,b2,d1", after);
        Assert.Equal("again", (await Store.GetSpanAsync("local", "ta", "a2", CancellationToken.None))!.SpanName);
        Assert.Equal(6, (await Store.ListSpansAsync(new SpanQuery("local") { Limit = 1 }, CancellationToken.None)).Total);
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
