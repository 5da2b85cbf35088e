using AgentMark.Core.Filtering;
using AgentMark.Storage.Embedded;
using Microsoft.Data.Sqlite;

namespace AgentMark.Storage.Tests;

/// <summary>The filter contract on the embedded store, plus the scores surface of the SQLite compiler.</summary>
public sealed class SqliteFilterTests : FilterStoreContract
{
    protected override ITraceStore Open(string folder) => new SqliteTraceStore(folder);

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(Folder, SqliteTraceStore.FileName)};Pooling=False");
        connection.Open();
        return connection;
    }

    protected override async Task AddScoreAsync(string app, string id, string resourceId, string name, double score)
    {
        await using var connection = Connect();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO scores (id, app_id, resource_id, resource_type, name, score, label, reason, source, user_id, created_at_ms)
            VALUES ($id, $app, $resource, $type, $name, $score, $label, '', $source, $user, $created)
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$app", app);
        command.Parameters.AddWithValue("$resource", resourceId);
        command.Parameters.AddWithValue("$type", resourceId.StartsWith('t') ? "trace" : "span");
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$score", score);
        command.Parameters.AddWithValue("$label", score >= 0.5 ? "good" : "bad");
        command.Parameters.AddWithValue("$source", id == "score-3" ? "annotation" : "api");
        command.Parameters.AddWithValue("$user", id == "score-3" ? "reviewer" : "");
        // 2026-01-01T00:00:00Z plus one hour per score number.
        command.Parameters.AddWithValue("$created", 1_767_225_600_000L + int.Parse(id[^1..]) * 3_600_000L);
        await command.ExecuteNonQueryAsync();
    }

    private string[] ScoreIds(string filterJson, string app = "local")
    {
        var result = FilterParser.ParseQuery(filterJson, FilterSurface.Scores);
        Assert.True(result.Succeeded, result.Error?.Message);
        var parameters = new List<(string Name, object Value)> { ("$app", app) };
        var where = SqliteFilterCompiler.Scores(result.Expression!, parameters);
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT sc.id FROM scores sc WHERE sc.app_id = $app{(where.Length > 0 ? " AND " + where : "")} ORDER BY sc.id";
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids.ToArray();
    }

    [Theory]
    [InlineData("""[{"field":"name","operator":"equals","value":"quality"}]""", "score-1 score-2")]
    [InlineData("""[{"field":"name","operator":"notEquals","value":"quality"}]""", "score-3")]
    [InlineData("""[{"field":"name","operator":"contains","value":"ELEV"}]""", "score-3")]
    [InlineData("""[{"field":"source","operator":"in","value":["annotation","experiment"]}]""", "score-3")]
    [InlineData("""[{"field":"user_id","operator":"equals","value":"reviewer"}]""", "score-3")]
    [InlineData("""[{"field":"resource_id","operator":"startsWith","value":"t"}]""", "score-1")]
    [InlineData("""[{"field":"label","operator":"endsWith","value":"ood"}]""", "score-1 score-3")]
    [InlineData("""[{"field":"score","operator":"gte","value":0.9}]""", "score-1 score-3")]
    [InlineData("""[{"field":"score","operator":"between","value":["0.1","0.5"]}]""", "score-2")]
    [InlineData("""[{"field":"score","operator":"notIn","value":[1]}]""", "score-1 score-2")]
    [InlineData("""[{"field":"created_at","operator":"gt","value":"2026-01-01T01:00:00.000Z"}]""", "score-2 score-3")]
    [InlineData("""[{"field":"created_at","operator":"between","value":["2026-01-01T01:00:00Z","2026-01-01T02:00:00Z"]}]""", "score-1 score-2")]
    [InlineData("""[{"or":[{"field":"name","operator":"equals","value":"relevance"},{"field":"score","operator":"lt","value":0.5}]},{"field":"source","operator":"equals","value":"api"}]""", "score-2")]
    [InlineData("""[{"field":"name","operator":"equals","value":"quality' OR 1=1 --"}]""", "")]
    public void Scores_surface_compiles_to_the_right_rows(string filter, string expected)
    {
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), ScoreIds(filter));
    }

    /// <summary>
    /// Migration 8 re-keys <c>trace_keys</c> and the session members' by-trace index by the trace's
    /// arrival number. A folder written before it answers the same filters after it, and traces and
    /// spans that arrive later (new and stored traces) are found by their keys too.
    /// </summary>
    [Fact]
    public async Task Filters_answer_the_same_after_trace_keys_are_rekeyed_by_arrival()
    {
        string[] traceFilters = ["model = gpt-4o", "model != gpt-4o", """[{"field":"model","operator":"in","value":["o3","claude-3"]}]""",
            "user_id = alice", "session_id = s2", "tags = prod", "tags != prod", "model = gpt-4o and tags = web"];
        async Task<string> Answers()
        {
            var answers = new List<string>();
            foreach (var filter in traceFilters) answers.Add(filter + " → " + string.Join(",", await TraceIds(filter)));
            answers.Add("spans tags = prod → " + string.Join(",", await SpanIds("tags = prod")));
            answers.Add("spans tags != prod → " + string.Join(",", await SpanIds("tags != prod")));
            var sessions = await ((ISessionStore)Store).ListSessionsAsync(new SessionQuery("local") { UserId = "bob" }, CancellationToken.None);
            answers.Add("sessions of bob → " + string.Join(",", sessions.Items.Select(x => x.Id)));
            return string.Join("\n", answers);
        }
        var before = await Answers();

        await Store.DisposeAsync();
        using (var connection = Connect())
        using (var command = connection.CreateCommand())
        {
            // Back to schema 7: keys by trace id, no arrival numbers.
            command.CommandText = """
                CREATE TABLE old_keys (app_id TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, trace_id TEXT NOT NULL,
                                       PRIMARY KEY (app_id, kind, value, trace_id)) WITHOUT ROWID;
                INSERT INTO old_keys SELECT app_id, kind, value, trace_id FROM trace_keys;
                DROP TABLE trace_keys; ALTER TABLE old_keys RENAME TO trace_keys;
                DROP INDEX session_traces_by_trace; ALTER TABLE session_traces DROP COLUMN trace_seq;
                CREATE INDEX session_traces_by_trace ON session_traces(app_id, trace_id);
                ALTER TABLE traces DROP COLUMN seq; ALTER TABLE span_payloads DROP COLUMN attribute_refs;
                DROP INDEX spans_by_trace; ALTER TABLE spans DROP COLUMN trace_seq;
                CREATE UNIQUE INDEX spans_by_trace ON spans(app_id, trace_id, span_id);
                PRAGMA user_version = 7;
                """;
            command.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        Store = Open(Folder);
        await Store.InitializeAsync(CancellationToken.None);
        Assert.Equal(before, await Answers());
        using (var connection = Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT count(DISTINCT seq), min(seq) FROM traces";
            using var reader = command.ExecuteReader();
            reader.Read();
            Assert.Equal((4L, 1L), (reader.GetInt64(0), reader.GetInt64(1)));
        }

        // After the migration: a new trace, and a stored trace that gains a model, a user and a tag.
        await Append(SpanFactory.Span("td", "d1", startOffsetMs: 3000, model: "o3", userId: "bob", sessionId: "s2", tags: """["prod"]"""),
            SpanFactory.Span("tc", "c2", parent: "c1", startOffsetMs: 2100, model: "gpt-4o", userId: "carol", tags: """["web"]"""));
        Assert.Equal(["ta", "tc"], await TraceIds("model = gpt-4o"));
        Assert.Equal(["tb", "td"], await TraceIds("model = o3"));
        Assert.Equal(["ta", "tc"], await TraceIds("model = gpt-4o and tags = web"));
        Assert.Equal(["tc"], await TraceIds("user_id = carol"));
        Assert.Equal(["a1", "a2", "d1"], await SpanIds("tags = prod"));
        Assert.Equal(["tb", "td"], await TraceIds("session_id = s2"));
        var bob = await ((ISessionStore)Store).ListSessionsAsync(new SessionQuery("local") { UserId = "bob" }, CancellationToken.None);
        Assert.Equal(["s2"], bob.Items.Select(x => x.Id));
        Assert.Equal(2, bob.Items[0].TraceCount);
    }

    /// <summary>
    /// The spans' trace index is keyed by arrival number: a spans filter on trace ids finds them through
    /// traces and that index, instead of reading every span of the app.
    /// </summary>
    [Theory]
    [InlineData("trace_id = tb")]
    [InlineData("""[{"field":"trace_id","operator":"in","value":["ta","tb"]}]""")]
    public void A_spans_filter_on_trace_ids_uses_the_trace_index(string query)
    {
        var filter = FilterParser.ParseQuery(query, FilterSurface.Spans).Expression!;
        var parameters = new List<(string Name, object Value)> { ("$app", "local") };
        var sql = SqliteFilterCompiler.Spans(filter, parameters);
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"EXPLAIN QUERY PLAN SELECT s.span_id FROM spans s WHERE s.app_id = $app AND {sql}";
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) plan.Add(reader.GetString(3));
        Assert.True(plan.Any(step => step.StartsWith("SEARCH s USING") && step.Contains("spans_by_trace (app_id=? AND trace_seq=?)")), string.Join("\n", plan));
    }

    [Fact]
    public void Compiled_sql_carries_values_only_as_parameters()
    {
        var hostile = "x'); DROP TABLE spans; --";
        var filter = FilterParser.ParseQuery($$"""[{"field":"metadata.env","operator":"equals","value":"{{hostile}}"},{"field":"tags","operator":"contains","value":"{{hostile}}"}]""", FilterSurface.Traces).Expression!;
        var parameters = new List<(string Name, object Value)>();
        var sql = SqliteFilterCompiler.Traces(filter, parameters);
        Assert.DoesNotContain("DROP", sql);
        Assert.DoesNotContain("env", sql);
        Assert.Contains(parameters, p => (string)p.Value == hostile);
        Assert.Contains(parameters, p => (string)p.Value == "$.\"env\"");
    }
}
