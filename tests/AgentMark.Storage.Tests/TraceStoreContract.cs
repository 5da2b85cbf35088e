using AgentMark.Core.Spans;

namespace AgentMark.Storage.Tests;

/// <summary>
/// The store contract, written once. Every backend runs it by deriving a class that says how to
/// open a store over a given folder (or server).
/// </summary>
public abstract class TraceStoreContract() : StoreContract("store")
{
    protected Task<Page<TraceSummary>> Traces(TraceQuery query) => Store.ListTracesAsync(query, CancellationToken.None);

    [Fact]
    public async Task Every_column_round_trips()
    {
        var span = SpanFactory.Span("t1", "s1", input: """[{"role":"user","content":"hi"}]""", output: "hello", model: "gpt-4o",
            inputTokens: 10, outputTokens: 5, cost: 0.00125, sessionId: "sess", userId: "u", traceName: "tn",
            tags: """["a","b"]""", commitSha: "abc", metadata: """{"k":"v"}""");
        span.ReasoningTokens = 3;
        span.OutputObject = """{"x":1}""";
        span.ToolCalls = "[]";
        span.Settings = """{"temperature":0.2}""";
        span.Props = """{"p":1}""";
        span.FinishReason = "stop";
        span.StatusMessage = "boom";
        span.TraceState = "k=v";
        span.ServiceName = "svc";
        span.ScopeName = "ai";
        span.ScopeVersion = "6.0.0";
        span.DatasetRunName = "run";
        span.DatasetPath = "d.jsonl";
        span.DatasetItemName = "item";
        span.DatasetExpectedOutput = "exp";
        span.DatasetInput = "in";
        span.ExperimentKey = "ek";
        span.SourceTreeHash = "sth";
        span.PromptName = "pn";
        span.SessionName = "sn";
        span.Events = """[{"timestamp":1,"name":"e","attributes":{}}]""";
        await Append(span);

        var read = await Store.GetSpanAsync("local", "t1", "s1", CancellationToken.None);
        Assert.NotNull(read);
        foreach (var property in typeof(SpanRecord).GetProperties())
        {
            Assert.True(Equals(property.GetValue(span), property.GetValue(read)), $"{property.Name}: {property.GetValue(span)} != {property.GetValue(read)}");
        }
    }

    /// <summary>
    /// Instrumentations repeat the prompt and the completion in the span's attributes; a backend may store
    /// them once, but the map it reads back is the map it was given, character for character.
    /// </summary>
    [Fact]
    public async Task An_attribute_map_that_repeats_the_span_io_reads_back_exactly()
    {
        var padding = new string('x', 70);
        // Quotes, a backslash, the short escapes, a control character, NUL, non-ASCII and a surrogate pair.
        var input = "He said \"hi\"\nthen left.\tCafé — 😀 \u0001 \0 back\\slash " + padding;
        const string inputEscaped = """He said \"hi\"\nthen left.\tCafé — 😀 \u0001 \u0000 back\\slash """;
        var output = "[{\"type\":\"text\",\"text\":\"Day 1: Alfama\"}] " + padding;
        const string outputEscaped = """[{\"type\":\"text\",\"text\":\"Day 1: Alfama\"}] """;
        var endsInBackslash = padding + "\\";
        var cases = new (string Name, string? Input, string? Output, string Attributes)[]
        {
            ("as values, nested and in a list", input, output,
                $$"""{"a":"{{inputEscaped}}{{padding}}","nested":{"copy":"{{outputEscaped}}{{padding}}"},"list":[1,"{{outputEscaped}}{{padding}}"],"b":"{{outputEscaped}}{{padding}}"}"""),
            ("as a key", input, output, $$"""{"{{outputEscaped}}{{padding}}":"v","x":1}"""),
            ("almost equal", input, output, $$"""{"a":"{{inputEscaped}}{{padding}}x","b":"x{{outputEscaped}}{{padding}}"}"""),
            ("input equal to output", output, output, $$"""{"a":"{{outputEscaped}}{{padding}}","b":"{{outputEscaped}}{{padding}}"}"""),
            // The input's literal, quote to quote, inside another string value (after an escaped quote).
            ("inside another string", endsInBackslash, null, $$"""{"k":"q\"{{padding}}\\"}"""),
            ("no I/O", null, null, $$"""{"a":"{{padding}}"}"""),
            // A lone surrogate (OTLP/JSON can carry one) does not survive the store's UTF-8: its escaped form in the map must stay.
            ("a lone surrogate", padding + "\ud800", null, $$"""{"a":"{{padding}}\ud800"}"""),
        };
        for (var i = 0; i < cases.Length; i++)
        {
            var span = SpanFactory.Span("t-attrs", "s" + i, type: SpanTypes.Generation, input: cases[i].Input, output: cases[i].Output);
            span.SpanAttributes = cases[i].Attributes;
            await Append(span);
        }
        for (var i = 0; i < cases.Length; i++)
        {
            var read = await Store.GetSpanAsync("local", "t-attrs", "s" + i, CancellationToken.None);
            if (!cases[i].Name.Contains("surrogate")) Assert.Equal(cases[i].Input, read!.Input);
            Assert.True(cases[i].Attributes == read!.SpanAttributes, $"{cases[i].Name}: {read.SpanAttributes}");
        }
        var full = await Store.GetTraceSpansAsync("local", "t-attrs", SpanDetail.Full, CancellationToken.None);
        Assert.Equal(cases.Select(c => c.Attributes), full.Select(s => s.SpanAttributes));
    }

    [Fact]
    public async Task A_resent_span_is_stored_once_and_the_last_write_wins()
    {
        await Append(SpanFactory.Span("t1", "s1", name: "first"));
        await Append(SpanFactory.Span("t1", "s1", name: "second"));

        var spans = await Store.GetTraceSpansAsync("local", "t1", SpanDetail.Summary, CancellationToken.None);
        Assert.Single(spans);
        Assert.Equal("second", spans[0].SpanName);
        var page = await Traces(new TraceQuery("local"));
        Assert.Equal(1, page.Total);
        Assert.Equal(1, page.Items[0].SpanCount);
    }

    [Fact]
    public async Task A_span_repeated_within_one_batch_counts_once_in_its_new_trace()
    {
        await Append(
            SpanFactory.Span("t1", "root", name: "old", cost: 0.9, durationMs: 10),
            SpanFactory.Span("t1", "child", parent: "root", startOffsetMs: 1),
            SpanFactory.Span("t1", "root", name: "new", cost: 0.1, durationMs: 20));
        var trace = (await Traces(new TraceQuery("local"))).Items.Single();
        Assert.Equal(2, trace.SpanCount);
        Assert.Equal("new", trace.Name);
        Assert.Equal(0.1, trace.Cost);
        Assert.Equal(20, trace.LatencyMs);
    }

    [Fact]
    public async Task Unfiltered_totals_count_each_trace_and_span_once_per_app()
    {
        await Append(SpanFactory.Span("t1", "a"), SpanFactory.Span("t1", "b", parent: "a"), SpanFactory.Span("t2", "a", app: "other"));
        await Append(SpanFactory.Span("t1", "b", parent: "a", name: "re-sent"), SpanFactory.Span("t3", "a"));
        Assert.Equal(2, (await Traces(new TraceQuery("local"))).Total);
        Assert.Equal(3, (await Store.ListSpansAsync(new SpanQuery("local"), CancellationToken.None)).Total);
        Assert.Equal(1, (await Traces(new TraceQuery("other"))).Total);
        Assert.Equal(0, (await Traces(new TraceQuery("nobody"))).Total);
    }

    [Fact]
    public async Task Trace_summary_is_derived_from_spans_arriving_in_any_order()
    {
        // The child arrives first (OTel exports a span when it ends), the root later.
        await Append(SpanFactory.Span("t1", "gen", parent: "root", startOffsetMs: 10, durationMs: 50, type: SpanTypes.Generation,
            name: "ai.generateText.doGenerate", status: "2", model: "gpt-4o", inputTokens: 100, outputTokens: 20, cost: 0.5,
            input: "[gen input]", output: "gen output", tags: """["x"]"""));
        var partial = (await Traces(new TraceQuery("local"))).Items.Single();
        Assert.Equal("2", partial.Status); // no parentless span yet: max over all spans
        Assert.Equal("ai.generateText.doGenerate", partial.Name); // orphan counts as top-level

        await Append(SpanFactory.Span("t1", "root", startOffsetMs: 0, durationMs: 200, name: "ai.generateText", status: "1",
            traceName: "my trace", tags: """["y","x"]"""));
        var trace = (await Traces(new TraceQuery("local"))).Items.Single();
        Assert.Equal("my trace", trace.Name);
        Assert.Equal("1", trace.Status); // an ERROR child does not make the trace ERROR
        Assert.Equal(200, trace.LatencyMs);
        Assert.Equal(0.5, trace.Cost);
        Assert.Equal(120, trace.Tokens);
        Assert.Equal(2, trace.SpanCount);
        Assert.Equal(["y", "x"], trace.Tags);
        Assert.Equal(SpanFactory.BaseNs, trace.StartNs);
        Assert.Equal("[gen input]", trace.InputPreview);
        Assert.Equal("gen output", trace.OutputPreview);
    }

    [Fact]
    public async Task Previews_are_cut_to_160_characters()
    {
        var longText = new string('a', 159) + "😀" + "tail";
        await Append(SpanFactory.Span("t1", "root", input: longText, output: longText));
        var trace = (await Traces(new TraceQuery("local"))).Items.Single();
        Assert.Equal(new string('a', 159) + "😀", trace.InputPreview);
        Assert.Equal(trace.InputPreview, trace.OutputPreview);
    }

    [Fact]
    public async Task Traces_are_listed_newest_first_with_true_totals()
    {
        for (var i = 0; i < 25; i++) await Append(SpanFactory.Span($"t{i:D2}", "root", startOffsetMs: i * 1000));
        var page = await Traces(new TraceQuery("local") { Limit = 10, Offset = 10 });
        Assert.Equal(25, page.Total);
        Assert.Equal(Enumerable.Range(5, 10).Reverse().Select(i => $"t{i:D2}"), page.Items.Select(t => t.Id));
    }

    [Fact]
    public async Task Trace_filters_select_the_right_traces()
    {
        await Append(
            SpanFactory.Span("a", "r", startOffsetMs: 0, name: "Checkout Flow", status: "1", sessionId: "s1", userId: "u1", tags: """["prod"]""", commitSha: "c1"),
            SpanFactory.Span("a", "g", parent: "r", startOffsetMs: 1, model: "gpt-4o", type: SpanTypes.Generation, cost: 0.3),
            SpanFactory.Span("b", "r", startOffsetMs: 86_400_000, name: "search", status: "2", sessionId: "s2", userId: "u2", tags: """["dev","beta"]""", datasetRunId: "run-1"),
            SpanFactory.Span("b", "g", parent: "r", startOffsetMs: 86_400_001, model: "claude-3", type: SpanTypes.Generation, cost: 0.1),
            SpanFactory.Span("c", "r", startOffsetMs: 2 * 86_400_000, name: "checkout retry", sessionId: "s1"));

        async Task<string[]> Ids(TraceQuery q) => (await Traces(q)).Items.Select(t => t.Id).Order().ToArray();
        var app = new TraceQuery("local");
        Assert.Equal(["a", "c"], await Ids(app with { SessionId = "s1" }));
        Assert.Equal(["b"], await Ids(app with { UserId = "u2" }));
        Assert.Equal(["a"], await Ids(app with { Model = "gpt-4o" }));
        Assert.Equal(["a", "b"], await Ids(app with { Tags = ["prod", "beta"] }));
        Assert.Equal(["b"], await Ids(app with { Status = "2" }));
        Assert.Equal(["a"], await Ids(app with { Status = "1" }));
        Assert.Equal(["a", "c"], await Ids(app with { Name = "CHECKOUT" }));
        Assert.Equal(["b"], await Ids(app with { DatasetRunId = "run-1" }));
        Assert.Equal(["a"], await Ids(app with { CommitSha = "c1" }));
        Assert.Equal(["b"], await Ids(app with { StartFromNs = SpanFactory.BaseNs + 86_400_000_000_000, StartBeforeNs = SpanFactory.BaseNs + 2 * 86_400_000_000_000 }));
        Assert.Empty(await Ids(app with { Name = "%" }));
        Assert.Equal(1, (await Traces(app with { SessionId = "s1", Model = "gpt-4o" })).Total);
        // A model after a user's or session's traces is probed per trace; alone it is a list.
        Assert.Equal(["b"], await Ids(app with { UserId = "u2", Model = "claude-3" }));
        Assert.Empty(await Ids(app with { UserId = "u2", Model = "gpt-4o" }));
        Assert.Empty(await Ids(app with { SessionId = "s2", Model = "gpt-4o" }));
    }

    [Fact]
    public async Task Traces_sort_by_the_requested_field()
    {
        await Append(
            SpanFactory.Span("cheap", "r", startOffsetMs: 0, cost: 0.1),
            SpanFactory.Span("pricey", "r", startOffsetMs: 1, cost: 0.9),
            SpanFactory.Span("middle", "r", startOffsetMs: 2, cost: 0.5));
        var ascending = await Traces(new TraceQuery("local") { SortBy = TraceSortField.Cost, Descending = false });
        Assert.Equal(["cheap", "middle", "pricey"], ascending.Items.Select(t => t.Id));
    }

    [Fact]
    public async Task One_app_never_sees_another_apps_data()
    {
        await Append(SpanFactory.Span("shared-id", "s1", app: "app-a", name: "from a"));
        await Append(SpanFactory.Span("shared-id", "s1", app: "app-b", name: "from b"));
        await Append(SpanFactory.Span("only-b", "s1", app: "app-b"));

        var a = await Traces(new TraceQuery("app-a"));
        Assert.Equal(["shared-id"], a.Items.Select(t => t.Id));
        Assert.Equal("from a", a.Items[0].Name);
        Assert.Null(await Store.GetSpanAsync("app-a", "only-b", "s1", CancellationToken.None));
        Assert.Equal("from b", (await Store.GetTraceSpansAsync("app-b", "shared-id", SpanDetail.Summary, CancellationToken.None))[0].SpanName);
        Assert.Equal(0, (await Store.ListSpansAsync(new SpanQuery("app-c"), CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Concurrent_appends_are_all_stored()
    {
        var tasks = Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            Append(Enumerable.Range(0, 25).Select(j => SpanFactory.Span($"t{i}", $"s{j}", parent: j == 0 ? null : "s0", startOffsetMs: j)).ToArray())));
        await Task.WhenAll(tasks);
        Assert.Equal(1000, (await Store.ListSpansAsync(new SpanQuery("local") { Limit = 1 }, CancellationToken.None)).Total);
        var traces = await Traces(new TraceQuery("local") { Limit = 1000 });
        Assert.Equal(40, traces.Total);
        Assert.All(traces.Items, t => Assert.Equal(25, t.SpanCount));
    }

    [Fact]
    public async Task Data_survives_reopening_the_store()
    {
        await Append(SpanFactory.Span("t1", "s1"));
        await Store.DisposeAsync();
        Store = Open(Folder);
        await Store.InitializeAsync(CancellationToken.None);
        Assert.NotNull(await Store.GetSpanAsync("local", "t1", "s1", CancellationToken.None));
        Assert.Equal(1, (await Traces(new TraceQuery("local"))).Total);
    }

    [Fact]
    public async Task Span_list_filters_and_orders_newest_first()
    {
        await Append(
            SpanFactory.Span("t1", "a", startOffsetMs: 0, durationMs: 10, name: "ai.generateText", status: "1"),
            SpanFactory.Span("t1", "b", parent: "a", startOffsetMs: 1, durationMs: 500, type: SpanTypes.Generation, name: "ai.generateText.doGenerate", model: "GPT-4o-mini", status: "2", sessionId: "s", userId: "u"),
            SpanFactory.Span("t2", "c", startOffsetMs: 2, durationMs: 50, name: "tool", status: "STATUS_CODE_ERROR"));

        async Task<string[]> Ids(SpanQuery q) => (await Store.ListSpansAsync(q, CancellationToken.None)).Items.Select(s => s.SpanId).ToArray();
        var all = new SpanQuery("local");
        Assert.Equal(["c", "b", "a"], await Ids(all));
        Assert.Equal(["b"], await Ids(all with { Type = SpanTypes.Generation }));
        Assert.Equal(["c", "b"], await Ids(all with { Status = "2" }));
        Assert.Equal(["a"], await Ids(all with { Status = "1" }));
        Assert.Equal(["b", "a"], await Ids(all with { Name = "GENERATETEXT" }));
        Assert.Equal(["b"], await Ids(all with { Model = "gpt-4o" }));
        Assert.Equal(["c", "b"], await Ids(all with { MinDurationMs = 50 }));
        Assert.Equal(["c", "a"], await Ids(all with { MaxDurationMs = 50 }));
        Assert.Equal(["b", "a"], await Ids(all with { TraceId = "t1" }));
        Assert.Equal(["b"], await Ids(all with { SessionId = "s", UserId = "u" }));
        Assert.Equal(["b"], await Ids(all with { StartFromNs = SpanFactory.BaseNs + 1_000_000, StartToNs = SpanFactory.BaseNs + 1_000_000 }));
        var page = await Store.ListSpansAsync(all with { Limit = 1, Offset = 1 }, CancellationToken.None);
        Assert.Equal(3, page.Total);
        Assert.Equal("b", page.Items.Single().SpanId);
    }

    [Fact]
    public async Task Unknown_ids_read_as_nothing()
    {
        Assert.Null(await Store.GetSpanAsync("local", "nope", "nope", CancellationToken.None));
        Assert.Empty(await Store.GetTraceSpansAsync("local", "nope", SpanDetail.WithIo, CancellationToken.None));
        Assert.Equal(0, (await Traces(new TraceQuery("local"))).Total);
    }
}
