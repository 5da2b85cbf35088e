using AgentMark.Core.Filtering;
using AgentMark.Core.Spans;

namespace AgentMark.Storage.Tests;

/// <summary>
/// The filter language against a store (wire-contract §10.5–§10.6), written once for every backend:
/// seeded traces, and for each field kind and operator exactly which traces or spans come back.
/// </summary>
public abstract class FilterStoreContract() : StoreContract("filter")
{
    /// <summary>Stores a score row directly (the score API is not part of this contract).</summary>
    protected abstract Task AddScoreAsync(string app, string id, string resourceId, string name, double score);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();

        // ta: an OK checkout by alice with a gpt-4o generation; tb: bob's ERROR trace with an o3 generation whose
        // input and output become the trace's (its root has none); tc: one slow claude-3 span without user or tags.
        var a1 = SpanFactory.Span("ta", "a1", startOffsetMs: 0, durationMs: 900, name: "checkout", status: "1", userId: "alice",
            sessionId: "s1", tags: """["prod","web"]""", metadata: """{"env":"prod","team":"core"}""", input: "Hello world", output: "Bye");
        var a2 = SpanFactory.Span("ta", "a2", parent: "a1", startOffsetMs: 10, durationMs: 500, type: SpanTypes.Generation,
            model: "gpt-4o", inputTokens: 1000, outputTokens: 200, cost: 0.02, metadata: """{"env":"prod"}""", input: "[gen input A]", output: "gen output A");
        a2.PromptName = "greeter";
        a2.Props = """{"p":1}""";
        var b1 = SpanFactory.Span("tb", "b1", startOffsetMs: 1000, durationMs: 50, name: "search", status: "2", userId: "bob",
            sessionId: "s2", tags: """["dev"]""", metadata: """{"env":"dev"}""");
        var b2 = SpanFactory.Span("tb", "b2", parent: "b1", startOffsetMs: 1010, durationMs: 40, type: SpanTypes.Generation,
            model: "o3", inputTokens: 10, outputTokens: 5, cost: 0.5, metadata: """{"debug_url":""}""", input: "[gen input B]", output: "gen output B");
        b2.PromptName = "Summarizer";
        var c1 = SpanFactory.Span("tc", "c1", startOffsetMs: 2000, durationMs: 3000, model: "claude-3");
        var other = SpanFactory.Span("tx", "x1", app: "other", model: "gpt-4o", tags: """["prod"]""");
        await Store.AppendAsync([a1, a2, b1, b2, c1, other], CancellationToken.None);

        await AddScoreAsync("local", "score-1", "ta", "quality", 0.9);
        await AddScoreAsync("local", "score-2", "b2", "quality", 0.2);
        await AddScoreAsync("local", "score-3", "a2", "relevance", 1);
        await AddScoreAsync("other", "score-4", "tx", "quality", 0.9);
    }

    private static FilterExpression Filter(string text, FilterSurface surface)
    {
        var result = FilterParser.ParseQuery(text, surface);
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Expression!;
    }

    protected async Task<string[]> TraceIds(string filter, string app = "local")
    {
        var page = await Store.ListTracesAsync(new TraceQuery(app) { Filter = Filter(filter, FilterSurface.Traces) }, CancellationToken.None);
        Assert.Equal(page.Items.Count, page.Total);
        return page.Items.Select(t => t.Id).Order(StringComparer.Ordinal).ToArray();
    }

    protected async Task<string[]> SpanIds(string filter)
    {
        var page = await Store.ListSpansAsync(new SpanQuery("local") { Filter = Filter(filter, FilterSurface.Spans) }, CancellationToken.None);
        Assert.Equal(page.Items.Count, page.Total);
        return page.Items.Select(s => s.SpanId).Order(StringComparer.Ordinal).ToArray();
    }

    [Theory]
    // strings through the trace keys and "any span"; negatives mean "no span matches"
    [InlineData("model = gpt-4o", "ta")]
    [InlineData("model_used = gpt-4o", "ta")]
    [InlineData("model != gpt-4o", "tb tc")]
    [InlineData("model contains GPT", "ta")]
    [InlineData("model not contains gpt", "tb tc")]
    [InlineData("model starts with O", "tb")]
    [InlineData("model ends with 3", "tb tc")]
    [InlineData("""[{"field":"model","operator":"in","value":["o3","claude-3"]}]""", "tb tc")]
    [InlineData("""[{"field":"model","operator":"notIn","value":["gpt-4o","o3"]}]""", "tc")]
    [InlineData("user_id = alice", "ta")]
    [InlineData("user = bob", "tb")]
    [InlineData("user_id != alice", "tb tc")]
    [InlineData("user_id contains O", "tb")]
    [InlineData("session_id = s2", "tb")]
    [InlineData("session_id starts with s", "ta tb")]
    [InlineData("trace_id = ta", "ta")]
    [InlineData("trace_id != ta", "tb tc")]
    [InlineData("prompt_name = greeter", "ta")]
    [InlineData("prompt_name contains SUMM", "tb")]
    [InlineData("prompt_name != greeter", "tb tc")]
    [InlineData("semantic_kind = llm", "ta tb")]
    [InlineData("props contains \"\\\"p\\\"\"", "ta")]
    // trace-level input/output: the root's, else the first/last generation's
    [InlineData("input contains HELLO", "ta")]
    [InlineData("input = \"[gen input B]\"", "tb")]
    [InlineData("input = \"[gen input A]\"", "")]
    [InlineData("output = Bye", "ta")]
    [InlineData("output ends with \"output B\"", "tb")]
    // numbers: trace aggregates and any-span token counts
    [InlineData("latency_ms > 800", "ta tc")]
    [InlineData("latency <= 50", "tb")]
    [InlineData("latency_ms = 900", "ta")]
    [InlineData("cost >= 0.5", "tb")]
    [InlineData("cost < 0.01", "tc")]
    [InlineData("""[{"field":"cost","operator":"between","value":[0.01,0.1]}]""", "ta")]
    [InlineData("""[{"field":"latency_ms","operator":"in","value":[50,3000]}]""", "tb tc")]
    [InlineData("prompt_tokens > 500", "ta")]
    [InlineData("completion_tokens = 5", "tb")]
    // status and tags
    [InlineData("status = ERROR", "tb")]
    [InlineData("status = success", "ta")]
    [InlineData("tags = prod", "ta")]
    [InlineData("tags != prod", "tb tc")]
    [InlineData("tags contains EV", "tb")]
    [InlineData("""[{"field":"tags","operator":"in","value":["web","dev"]}]""", "ta tb")]
    [InlineData("""[{"field":"tags","operator":"notIn","value":["web","dev"]}]""", "tc")]
    // metadata: any span; exists = present and non-empty
    [InlineData("metadata.env = prod", "ta")]
    [InlineData("metadata.env != prod", "tb tc")]
    [InlineData("metadata.env exists", "ta tb")]
    [InlineData("metadata.env does not exist", "tc")]
    [InlineData("metadata.debug_url exists", "")]
    [InlineData("metadata.team contains OR", "ta")]
    [InlineData("""[{"field":"metadata.env","operator":"in","value":["dev","qa"]}]""", "tb")]
    // scores on the trace or any of its spans
    [InlineData("score__quality > 0.5", "ta")]
    [InlineData("score__quality < 0.5", "tb")]
    [InlineData("score__relevance = 1", "ta")]
    [InlineData("score__quality != 0.9", "tb tc")]
    [InlineData("""[{"field":"score__quality","operator":"between","value":[0.1,0.3]}]""", "tb")]
    [InlineData("score__missing >= 0", "")]
    // AND of clauses, OR groups
    [InlineData("(model = o3 or latency_ms > 2000)", "tb tc")]
    [InlineData("model = gpt-4o and status = ERROR", "")]
    [InlineData("(status = ERROR or tags = prod) and latency_ms < 1000", "ta tb")]
    [InlineData("""{"op":"and","exprs":[{"field":"model","op":"ne","value":"o3"},{"op":"or","exprs":[{"field":"cost","op":"gt","value":0.01},{"field":"latency_ms","op":"gte","value":3000}]}]}""", "ta tc")]
    // values are data, never SQL
    [InlineData("user_id = \"alice' OR '1'='1\"", "")]
    [InlineData("metadata.env = \"x'); DROP TABLE spans; --\"", "")]
    [InlineData("model contains %", "")]
    [InlineData("model contains _", "")]
    public async Task Traces_match_per_field_kind_and_operator(string filter, string expected)
    {
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), await TraceIds(filter));
    }

    [Theory]
    [InlineData("model = gpt-4o", "a2")]
    [InlineData("model != gpt-4o", "a1 b1 b2 c1")]
    [InlineData("model contains o", "a2 b2")]
    [InlineData("user_id = alice", "a1")]
    [InlineData("trace_id = tb", "b1 b2")]
    [InlineData("status = ERROR", "b1")]
    [InlineData("status = OK", "a1")]
    [InlineData("latency_ms >= 500", "a1 a2 c1")]
    [InlineData("cost > 0.1", "b2")]
    [InlineData("prompt_tokens < 100", "a1 b1 b2 c1")]
    [InlineData("tags = prod", "a1 a2")]
    [InlineData("tags != prod", "b1 b2 c1")]
    [InlineData("tags contains ro", "a1 a2")]
    [InlineData("metadata.env exists", "a1 a2 b1")]
    [InlineData("metadata.env does not exist", "b2 c1")]
    [InlineData("metadata.env != prod", "b1 b2 c1")]
    [InlineData("score__quality < 0.5", "b2")]
    [InlineData("score__quality > 0.5", "")]
    [InlineData("score__relevance = 1", "a2")]
    [InlineData("input contains world", "a1")]
    [InlineData("output = \"gen output B\"", "b2")]
    [InlineData("props contains p", "a2")]
    [InlineData("prompt_name starts with sum", "b2")]
    [InlineData("semantic_kind = llm and model != o3", "a2")]
    [InlineData("(latency_ms > 2000 or prompt_name = greeter)", "a2 c1")]
    public async Task Spans_match_on_the_span_itself(string filter, string expected)
    {
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), await SpanIds(filter));
    }

    [Fact]
    public async Task Filters_never_cross_apps()
    {
        Assert.Equal(["tx"], await TraceIds("model = gpt-4o and tags = prod and score__quality > 0.5", "other"));
        Assert.Equal(["ta"], await TraceIds("score__quality > 0.5"));
    }

    [Fact]
    public async Task Filters_combine_with_the_other_parameters_and_report_true_totals()
    {
        var page = await Store.ListTracesAsync(new TraceQuery("local")
        {
            Limit = 1,
            Status = "2",
            Filter = Filter("latency_ms < 1000", FilterSurface.Traces),
        }, CancellationToken.None);
        Assert.Equal(["tb"], page.Items.Select(t => t.Id));
        Assert.Equal(1, page.Total);

        var spans = await Store.ListSpansAsync(new SpanQuery("local")
        {
            Limit = 1,
            Type = SpanTypes.Generation,
            Filter = Filter("cost > 0", FilterSurface.Spans),
        }, CancellationToken.None);
        Assert.Single(spans.Items);
        Assert.Equal(2, spans.Total);
    }

    [Fact]
    public async Task A_hostile_value_leaves_the_data_intact()
    {
        Assert.Empty(await TraceIds("metadata.env = \"x'); DROP TABLE spans; --\""));
        Assert.Empty(await SpanIds("user_id = \"'; DELETE FROM spans; --\""));
        Assert.Equal(5, (await Store.ListSpansAsync(new SpanQuery("local"), CancellationToken.None)).Total);
    }
}
