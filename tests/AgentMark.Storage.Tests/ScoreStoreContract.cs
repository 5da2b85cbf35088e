namespace AgentMark.Storage.Tests;

/// <summary>
/// The score store contract, written once like <see cref="TraceStoreContract"/>. A backend derives a
/// class that opens a store (implementing both contracts) over a folder with the given clock.
/// </summary>
public abstract class ScoreStoreContract : IAsyncLifetime
{
    protected readonly string Folder = Path.Combine(Path.GetTempPath(), "agentmark-scores-" + Guid.NewGuid().ToString("N"));
    protected readonly ManualTime Time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    protected ITraceStore Store = null!;
    protected IScoreStore Scores => (IScoreStore)Store;

    protected abstract ITraceStore Open(string folder, TimeProvider time);

    public async Task InitializeAsync()
    {
        Store = Open(Folder, Time);
        await Store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    protected static NewScore Score(string resource, string name = "accuracy", double value = 1, string source = "api") =>
        new() { ResourceId = resource, Name = name, Score = value, Source = source };

    protected Task<IReadOnlyList<ScoreRecord>> Add(string app, params NewScore[] scores) => Scores.AddScoresAsync(app, scores, CancellationToken.None);

    protected async Task<string[]> Ids(ScoreQuery query) =>
        (await Scores.ListScoresAsync(query, CancellationToken.None)).Items.Select(s => s.Id).ToArray();

    [Fact]
    public async Task Every_field_round_trips()
    {
        var added = await Add("local", new NewScore
        {
            ResourceId = "r1", Name = "tone", Score = -0.5, Label = "casual", Reason = "because", Source = "annotation",
            ScoreType = "eval", DataType = "categorical", UserId = "alice",
        });
        var stored = await Scores.GetScoreAsync("local", added[0].Id, CancellationToken.None);
        Assert.Equal(added[0], stored);
        Assert.True(Guid.TryParse(stored!.Id, out _));
        Assert.Equal(Time.GetUtcNow().ToUnixTimeMilliseconds(), stored.CreatedAtMs);
        Assert.Equal(("r1", "tone", -0.5, "casual", "because", "annotation", "eval", "categorical", "alice"),
            (stored.ResourceId, stored.Name, stored.Score, stored.Label, stored.Reason, stored.Source, stored.ScoreType, stored.DataType, stored.UserId));
    }

    [Fact]
    public async Task A_batch_keeps_input_order_and_gets_distinct_ids()
    {
        var added = await Add("local", Enumerable.Range(0, 1000).Select(i => Score($"r{i}", value: i)).ToArray());
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (double)i), added.Select(s => s.Score));
        Assert.Equal(1000, added.Select(s => s.Id).Distinct().Count());
        Assert.Equal(1000, (await Scores.ListScoresAsync(new ScoreQuery("local") { Limit = 1 }, CancellationToken.None)).Total);
    }

    [Fact]
    public async Task The_resource_type_is_decided_at_write_time()
    {
        var traceLikeSpan = new string('a', 32);
        await Store.AppendAsync([
            SpanFactory.Span("custom-trace", "custom-span"),
            SpanFactory.Span(new string('b', 32), traceLikeSpan),
        ], CancellationToken.None);
        var added = await Add("local",
            Score("custom-trace"),                 // a known trace id of no particular shape
            Score("custom-span"),                  // a known span id of no particular shape
            Score(new string('b', 32)),            // a known trace
            Score(new string('c', 32)),            // unknown, trace-shaped
            Score(new string('d', 16)),            // unknown, span-shaped
            Score("no-such-thing"));               // unknown, shapeless: a trace
        Assert.Equal(["trace", "span", "trace", "trace", "span", "trace"], added.Select(s => s.ResourceType));
        Assert.Equal(2, (await Scores.ListScoresAsync(new ScoreQuery("local") { ResourceType = "span" }, CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Lists_filter_page_and_count_newest_first()
    {
        var first = await Add("local", Score("t1", "accuracy", 1, "experiment"), Score("t1", "tone", 0.5));
        Time.Advance(TimeSpan.FromDays(1));
        var second = await Add("local", Score("t2", "accuracy", 0, "annotation"));
        Time.Advance(TimeSpan.FromDays(1));
        var third = await Add("local", Score("t3", "accuracy", 0.25));

        Assert.Equal([third[0].Id, second[0].Id, first[1].Id, first[0].Id], await Ids(new ScoreQuery("local")));
        Assert.Equal([first[1].Id, first[0].Id], await Ids(new ScoreQuery("local") { ResourceId = "t1" }));
        Assert.Equal([first[1].Id], await Ids(new ScoreQuery("local") { Name = "tone" }));
        Assert.Equal([second[0].Id], await Ids(new ScoreQuery("local") { Source = "annotation" }));
        var day2 = second[0].CreatedAtMs;
        Assert.Equal([second[0].Id], await Ids(new ScoreQuery("local") { CreatedFromMs = day2, CreatedBeforeMs = day2 + 1 }));

        var page = await Scores.ListScoresAsync(new ScoreQuery("local") { Limit = 2, Offset = 1 }, CancellationToken.None);
        Assert.Equal(4, page.Total);
        Assert.Equal([second[0].Id, first[1].Id], page.Items.Select(s => s.Id));
    }

    [Fact]
    public async Task The_filter_language_applies_with_the_other_parameters()
    {
        var added = await Add("local", Score("t1", "accuracy", 0.9), Score("t2", "accuracy", 0.1), Score("t3", "tone", 0.95, "annotation"));
        using var json = System.Text.Json.JsonDocument.Parse("""[{"field":"score","operator":"gte","value":0.5},{"or":[{"field":"name","operator":"startsWith","value":"ACC"},{"field":"source","operator":"equals","value":"annotation"}]}]""");
        var filter = AgentMark.Core.Filtering.FilterParser.ParseSearchFilters(json.RootElement, AgentMark.Core.Filtering.FilterSurface.Scores).Expression!;
        Assert.Equal([added[2].Id, added[0].Id], await Ids(new ScoreQuery("local") { Filter = filter }));
        Assert.Equal([added[0].Id], await Ids(new ScoreQuery("local") { Filter = filter, Name = "accuracy" }));
        Assert.Equal(2, (await Scores.ListScoresAsync(new ScoreQuery("local") { Filter = filter, Limit = 1 }, CancellationToken.None)).Total);
    }

    [Fact]
    public async Task The_session_filter_covers_the_sessions_traces_and_their_spans()
    {
        await Store.AppendAsync([
            SpanFactory.Span("trace-in", "root-in", sessionId: "sess"),
            SpanFactory.Span("trace-in", "child-in", parent: "root-in"),
            SpanFactory.Span("trace-out", "root-out", sessionId: "other"),
        ], CancellationToken.None);
        var added = await Add("local", Score("trace-in"), Score("child-in"), Score("root-out"), Score("trace-out"), Score("unknown"));
        var ids = await Ids(new ScoreQuery("local") { SessionId = "sess" });
        Assert.Equal([added[1].Id, added[0].Id], ids);
        Assert.Empty(await Ids(new ScoreQuery("local") { SessionId = "nope" }));
    }

    [Fact]
    public async Task Apps_never_see_each_others_scores()
    {
        var mine = await Add("app-a", Score("t1"));
        await Add("app-b", Score("t1", "other"));
        Assert.Null(await Scores.GetScoreAsync("app-b", mine[0].Id, CancellationToken.None));
        Assert.False(await Scores.DeleteScoreAsync("app-b", mine[0].Id, CancellationToken.None));
        Assert.Equal(["accuracy"], await Scores.ListScoreNamesAsync("app-a", CancellationToken.None));
        Assert.Single(await Scores.GetScoresForResourcesAsync("app-b", ["t1"], CancellationToken.None));
        Assert.Single(await Scores.AggregateScoresAsync("app-a", null, null, CancellationToken.None));
        Assert.Equal(1, (await Scores.ListScoresAsync(new ScoreQuery("app-b"), CancellationToken.None)).Total);
    }

    [Fact]
    public async Task A_batch_is_all_or_nothing()
    {
        // NaN cannot be stored in the NOT NULL score column, so the second insert fails.
        await Assert.ThrowsAnyAsync<Exception>(() => Add("local", Score("t1"), Score("t2", value: double.NaN)));
        Assert.Equal(0, (await Scores.ListScoresAsync(new ScoreQuery("local"), CancellationToken.None)).Total);
        Assert.Single(await Add("local", Score("t3")));
    }

    [Fact]
    public async Task Delete_removes_durably()
    {
        var added = await Add("local", Score("t1"), Score("t2"));
        Assert.True(await Scores.DeleteScoreAsync("local", added[0].Id, CancellationToken.None));
        Assert.False(await Scores.DeleteScoreAsync("local", added[0].Id, CancellationToken.None));
        await Store.DisposeAsync();
        Store = Open(Folder, Time);
        await Store.InitializeAsync(CancellationToken.None);
        Assert.Null(await Scores.GetScoreAsync("local", added[0].Id, CancellationToken.None));
        Assert.NotNull(await Scores.GetScoreAsync("local", added[1].Id, CancellationToken.None));
    }

    [Fact]
    public async Task Names_and_aggregations_group_by_name()
    {
        await Add("local", Score("t1", "relevance", 1), Score("t2", "accuracy", 0.5) with { DataType = "numeric" }, Score("t3", "accuracy", 1.5), Score("t4", "accuracy", -1));
        Time.Advance(TimeSpan.FromDays(2));
        var late = await Add("local", Score("t5", "accuracy", 10));
        Assert.Equal(["accuracy", "relevance"], await Scores.ListScoreNamesAsync("local", CancellationToken.None));

        var all = await Scores.AggregateScoresAsync("local", null, null, CancellationToken.None);
        Assert.Equal([new ScoreAggregate("accuracy", 2.75, 4, -1, 10, "numeric"), new ScoreAggregate("relevance", 1, 1, 1, 1, "")], all);
        var early = await Scores.AggregateScoresAsync("local", null, late[0].CreatedAtMs, CancellationToken.None);
        Assert.Equal(new ScoreAggregate("accuracy", 1.0 / 3, 3, -1, 1.5, "numeric"), early[0]);
        Assert.Empty(await Scores.AggregateScoresAsync("local", late[0].CreatedAtMs + 1, null, CancellationToken.None));
    }

    [Fact]
    public async Task Scores_for_resources_picks_exactly_those_ids()
    {
        var added = await Add("local", Score("trace"), Score("span-1"), Score("span-2"), Score("elsewhere"));
        var found = await Scores.GetScoresForResourcesAsync("local", ["trace", "span-2", "missing"], CancellationToken.None);
        Assert.Equal([added[2].Id, added[0].Id], found.Select(s => s.Id));
        Assert.Empty(await Scores.GetScoresForResourcesAsync("local", [], CancellationToken.None));
    }

    [Fact]
    public async Task Odd_characters_are_stored_verbatim()
    {
        var added = await Add("local", new NewScore { ResourceId = "r'); DROP TABLE scores;--", Name = "名前 ✓", Score = 1e-300, Label = "\"quoted\"", Reason = "line\nbreak" });
        var stored = await Scores.GetScoreAsync("local", added[0].Id, CancellationToken.None);
        Assert.Equal(added[0], stored);
    }
}

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}
