using AgentMark.Core.Spans;

namespace AgentMark.Storage.Tests;

/// <summary>
/// The session and request reads (ingestion §5.6, wire-contract §8–§9), written once for every
/// backend. The session summary is checked against a straightforward recomputation from the spans.
/// </summary>
public abstract class SessionStoreContract() : StoreContract("sessions")
{
    private ISessionStore Sessions => (ISessionStore)Store;
    private IRequestStore Requests => (IRequestStore)Store;

    protected Task<Page<SessionSummary>> List(SessionQuery query) => Sessions.ListSessionsAsync(query, CancellationToken.None);

    protected async Task<SessionSummary?> Session(string id, string app = "local") =>
        (await List(new SessionQuery(app) { Limit = 1000 })).Items.SingleOrDefault(s => s.Id == id);

    private static SpanRecord With(SpanRecord span, Action<SpanRecord> change)
    {
        change(span);
        return span;
    }

    private static SpanRecord Named(SpanRecord span, string sessionName = "", string promptName = "") =>
        With(span, s => { s.SessionName = sessionName; s.PromptName = promptName; });

    [Fact]
    public async Task Aggregates_run_over_every_span_of_the_sessions_traces()
    {
        await Append(
            // Trace a: the root carries the session, its generation child does not and still counts.
            SpanFactory.Span("a", "root", startOffsetMs: 0, durationMs: 900, cost: 0.25, inputTokens: 6, outputTokens: 4, sessionId: "s1"),
            SpanFactory.Span("a", "gen", parent: "root", startOffsetMs: 100, durationMs: 5000, cost: 0.5, inputTokens: 80, outputTokens: 20, type: SpanTypes.Generation),
            SpanFactory.Span("b", "root", startOffsetMs: 60_000, durationMs: 10, cost: 1, inputTokens: 3, outputTokens: 2, sessionId: "s1"),
            SpanFactory.Span("c", "root", startOffsetMs: 120_000, cost: 7, sessionId: "other"));

        var s1 = await Session("s1");
        Assert.NotNull(s1);
        Assert.Equal(2, s1.TraceCount);
        Assert.Equal(1.75, s1.TotalCost, 12); // a sum, where a trace takes its largest span
        Assert.Equal(115, s1.TotalTokens);
        Assert.Equal(5000, s1.LatencyMs);
        Assert.Equal(SpanFactory.BaseNs, s1.StartNs);
        Assert.Equal(SpanFactory.BaseNs + 60_000_000_000, s1.EndNs); // the latest span start, not its end
        Assert.Equal(2, (await List(new SessionQuery("local"))).Total);
    }

    [Fact]
    public async Task Spans_arriving_later_join_the_session_of_their_trace()
    {
        // The generation arrives first, without a session id; the root with the session id later;
        // then a tool span without session id. Every one of them belongs to the session's totals.
        await Append(Named(SpanFactory.Span("t", "gen", parent: "root", startOffsetMs: 10, cost: 0.5, inputTokens: 10, outputTokens: 10), promptName: "zeta"));
        Assert.Equal(0, (await List(new SessionQuery("local"))).Total);

        await Append(SpanFactory.Span("t", "root", startOffsetMs: 0, durationMs: 300, cost: 0.25, sessionId: "s"));
        var session = await Session("s");
        Assert.NotNull(session);
        Assert.Equal((1, 0.75, 20L, 300L), (session.TraceCount, session.TotalCost, session.TotalTokens, session.LatencyMs));
        Assert.Equal("zeta", session.Name);

        await Append(Named(SpanFactory.Span("t", "tool", parent: "root", startOffsetMs: 500, durationMs: 400, cost: 0.125), promptName: "alpha"));
        session = await Session("s");
        Assert.Equal((1, 0.875, 20L, 400L), (session!.TraceCount, session.TotalCost, session.TotalTokens, session.LatencyMs));
        Assert.Equal(SpanFactory.BaseNs + 500_000_000, session.EndNs);
        Assert.Equal("alpha", session.Name);

        await Append(SpanFactory.Span("u", "root", startOffsetMs: -1000, sessionId: "s", cost: 1));
        session = await Session("s");
        Assert.Equal((2, 1.875, SpanFactory.BaseNs - 1_000_000_000), (session!.TraceCount, session.TotalCost, session.StartNs));
        Assert.Equal(1, (await List(new SessionQuery("local"))).Total);
    }

    [Fact]
    public async Task The_name_prefers_session_names_then_prompt_names_then_trace_names()
    {
        await Append(
            Named(SpanFactory.Span("a", "r", sessionId: "named", traceName: "A trace"), sessionName: "Zulu chat", promptName: "a-prompt"),
            Named(SpanFactory.Span("b", "r", sessionId: "named"), sessionName: "Alpha chat"),
            // A session name on a span of another session does not count for this one.
            Named(SpanFactory.Span("b", "x", parent: "r", sessionId: "elsewhere"), sessionName: "AAA"),
            Named(SpanFactory.Span("c", "r", sessionId: "prompted", traceName: "trace name")),
            Named(SpanFactory.Span("c", "g", parent: "r", type: SpanTypes.Generation), promptName: "support.prompt"),
            Named(SpanFactory.Span("c", "h", parent: "r", type: SpanTypes.Generation), promptName: "billing.prompt"),
            SpanFactory.Span("d", "r", sessionId: "traced", traceName: "b-trace"),
            SpanFactory.Span("e", "r", sessionId: "traced", traceName: "a-trace"),
            SpanFactory.Span("f", "r", sessionId: "anonymous"));

        Assert.Equal("Alpha chat", (await Session("named"))!.Name);
        Assert.Equal("billing.prompt", (await Session("prompted"))!.Name);
        Assert.Equal("a-trace", (await Session("traced"))!.Name);
        Assert.Equal("", (await Session("anonymous"))!.Name);
        Assert.Equal("AAA", (await Session("elsewhere"))!.Name);
    }

    [Fact]
    public async Task Empty_and_null_ids_are_not_sessions_and_ids_are_trimmed()
    {
        await Append(
            SpanFactory.Span("a", "r", sessionId: ""),
            SpanFactory.Span("b", "r", sessionId: "null"),
            SpanFactory.Span("c", "r", sessionId: "   "),
            SpanFactory.Span("d", "r", sessionId: " null\t"),
            SpanFactory.Span("e", "r", sessionId: "  chat-1 ", cost: 1),
            SpanFactory.Span("f", "r", sessionId: "chat-1", cost: 2));

        var page = await List(new SessionQuery("local"));
        Assert.Equal(1, page.Total);
        var session = Assert.Single(page.Items);
        Assert.Equal(("chat-1", 2L, 3.0), (session.Id, session.TraceCount, session.TotalCost));
    }

    [Fact]
    public async Task A_resent_span_replaces_its_old_contribution()
    {
        await Append(
            SpanFactory.Span("t", "root", startOffsetMs: 0, durationMs: 900, cost: 2, inputTokens: 50, sessionId: "s"),
            SpanFactory.Span("t", "child", parent: "root", startOffsetMs: 5, cost: 1));
        // The same spans again with smaller values: the sums and extremes shrink, nothing is counted twice.
        await Append(SpanFactory.Span("t", "root", startOffsetMs: 3, durationMs: 100, cost: 0.5, inputTokens: 5, sessionId: "s"));
        await Append(SpanFactory.Span("t", "child", parent: "root", startOffsetMs: 5, cost: 1));

        var session = await Session("s");
        Assert.Equal((1L, 1.5, 5L, 100L), (session!.TraceCount, session.TotalCost, session.TotalTokens, session.LatencyMs));
        Assert.Equal(SpanFactory.BaseNs + 3_000_000, session.StartNs);
    }

    [Theory]
    [InlineData("start later")]
    [InlineData("end earlier")]
    [InlineData("shorter")]
    [InlineData("session name removed")]
    [InlineData("prompt name grew")]
    [InlineData("trace name removed")]
    public async Task Each_extreme_narrowed_by_a_resent_span_is_recomputed(string change)
    {
        SpanRecord Root() => Named(SpanFactory.Span("t", "root", startOffsetMs: 0, durationMs: 50, sessionId: "s", traceName: "a-trace"), sessionName: "chat", promptName: "a-prompt");
        SpanRecord Last() => SpanFactory.Span("t", "last", parent: "root", startOffsetMs: 500, durationMs: 900);
        // A second trace keeps the session alive with values that never win.
        var other = Named(SpanFactory.Span("u", "root", startOffsetMs: 200, durationMs: 10, sessionId: "s", traceName: "z-trace"), promptName: "z-prompt");
        await Append(Root(), Last(), other);

        var resent = change switch
        {
            "start later" => With(Root(), s => s.StartTimeUnixNano += 100_000_000),
            "end earlier" => With(Last(), s => s.StartTimeUnixNano -= 450_000_000),
            "shorter" => With(Last(), s => s.Duration = 20),
            "session name removed" => Named(Root(), sessionName: "", promptName: "a-prompt"),
            "prompt name grew" => Named(Root(), sessionName: "", promptName: "zz-prompt"),
            _ => With(Root(), s => s.TraceName = ""),
        };
        await Append(resent);

        var spans = new[] { Root(), Last(), other }.ToDictionary(s => (s.TraceId, s.SpanId));
        spans[(resent.TraceId, resent.SpanId)] = resent;
        var want = Recompute(spans.Values)["s"];
        var actual = await Session("s");
        Assert.Equal((want.Name, want.StartNs, want.EndNs, want.LatencyMs, want.TraceCount), (actual!.Name, actual.StartNs, actual.EndNs, actual.LatencyMs, actual.TraceCount));
    }

    [Fact]
    public async Task A_trace_moved_to_another_session_leaves_the_first_one()
    {
        await Append(SpanFactory.Span("t", "root", sessionId: "before"), SpanFactory.Span("u", "root", sessionId: "kept"));
        Assert.Equal(2, (await List(new SessionQuery("local"))).Total);

        await Append(SpanFactory.Span("t", "root", sessionId: "after"));

        var page = await List(new SessionQuery("local"));
        Assert.Equal(["after", "kept"], page.Items.Select(s => s.Id).Order());
        Assert.Equal(2, page.Total);
    }

    [Fact]
    public async Task A_trace_with_two_session_ids_belongs_to_both()
    {
        await Append(
            SpanFactory.Span("t", "root", sessionId: "one", cost: 1),
            SpanFactory.Span("t", "child", parent: "root", sessionId: "two", cost: 2));

        Assert.Equal(3, (await Session("one"))!.TotalCost);
        Assert.Equal(3, (await Session("two"))!.TotalCost);
    }

    [Fact]
    public async Task Sessions_sort_filter_and_page_with_true_totals()
    {
        await Append(
            Named(SpanFactory.Span("a", "r", startOffsetMs: 0, durationMs: 10, cost: 0.3, sessionId: "sess-a", userId: "u1"), sessionName: "Billing"),
            Named(SpanFactory.Span("b", "r", startOffsetMs: 1000, durationMs: 30, cost: 0.1, sessionId: "sess-b", userId: "u2"), sessionName: "support chat"),
            Named(SpanFactory.Span("c", "r", startOffsetMs: 2000, durationMs: 20, cost: 0.2, sessionId: "sess-c"), sessionName: "Onboarding"),
            SpanFactory.Span("c2", "r", startOffsetMs: 3000, durationMs: 5, sessionId: "sess-c", userId: "u1"));

        async Task<string[]> Ids(SessionQuery query) => (await List(query)).Items.Select(s => s.Id).ToArray();
        var app = new SessionQuery("local");
        Assert.Equal(["sess-c", "sess-b", "sess-a"], await Ids(app));
        Assert.Equal(["sess-a", "sess-b", "sess-c"], await Ids(app with { Descending = false }));
        Assert.Equal(["sess-a", "sess-c", "sess-b"], await Ids(app with { SortBy = SessionSortField.TotalCost }));
        Assert.Equal(["sess-b", "sess-c", "sess-a"], await Ids(app with { SortBy = SessionSortField.Latency }));
        Assert.Equal(["sess-c", "sess-b", "sess-a"], await Ids(app with { SortBy = SessionSortField.TraceCount }));
        Assert.Equal(["sess-a", "sess-c", "sess-b"], await Ids(app with { SortBy = SessionSortField.Name, Descending = false }));
        Assert.Equal(["sess-c", "sess-b", "sess-a"], await Ids(app with { SortBy = SessionSortField.End }));

        Assert.Equal(["sess-b"], await Ids(app with { Search = "SUPPORT" }));
        Assert.Equal(["sess-c", "sess-b", "sess-a"], await Ids(app with { Search = "sess-" }));
        Assert.Empty(await Ids(app with { Search = "%" }));
        Assert.Equal(["sess-c", "sess-a"], await Ids(app with { UserId = "u1" }));
        Assert.Equal(["sess-b"], await Ids(app with { StartFromNs = SpanFactory.BaseNs + 1, StartToNs = SpanFactory.BaseNs + 1_000_000_000 }));

        var page = await List(app with { Limit = 1, Offset = 1 });
        Assert.Equal(3, page.Total);
        Assert.Equal(["sess-b"], page.Items.Select(s => s.Id));
        var filtered = await List(app with { UserId = "u1", Limit = 1 });
        Assert.Equal(2, filtered.Total);
        Assert.Single(filtered.Items);
    }

    [Fact]
    public async Task Session_tags_are_the_union_of_their_traces_tags()
    {
        await Append(
            SpanFactory.Span("a", "r", startOffsetMs: 0, sessionId: "s", tags: """["prod","web"]"""),
            SpanFactory.Span("a", "c", parent: "r", startOffsetMs: 1, tags: """["tool"]"""),
            SpanFactory.Span("b", "r", startOffsetMs: 10, sessionId: "s", tags: """["web","beta"]"""),
            SpanFactory.Span("c", "r", sessionId: "plain"));

        Assert.Equal(["prod", "web", "tool", "beta"], (await Session("s"))!.Tags);
        Assert.Empty((await Session("plain"))!.Tags);
    }

    [Fact]
    public async Task Sessions_are_scoped_to_their_app()
    {
        await Append(SpanFactory.Span("t", "r", app: "app-a", sessionId: "shared", cost: 1));
        await Append(SpanFactory.Span("t", "r", app: "app-b", sessionId: "shared", cost: 2), SpanFactory.Span("u", "r", app: "app-b", sessionId: "b-only"));

        Assert.Equal(1, (await List(new SessionQuery("app-a"))).Total);
        Assert.Equal(1, (await Session("shared", "app-a"))!.TotalCost);
        Assert.Equal(2, (await List(new SessionQuery("app-b"))).Total);
        Assert.Equal(0, (await List(new SessionQuery("local"))).Total);
        Assert.Empty(await Sessions.GetSessionSpansAsync("app-a", "b-only", null, SpanDetail.Summary, CancellationToken.None));
    }

    [Fact]
    public async Task Session_spans_are_every_span_of_the_sessions_traces_start_ascending()
    {
        await Append(
            SpanFactory.Span("a", "r", startOffsetMs: 10, sessionId: "s"),
            SpanFactory.Span("a", "c", parent: "r", startOffsetMs: 30, output: "from a"),
            SpanFactory.Span("b", "r", startOffsetMs: 20, sessionId: "s"),
            SpanFactory.Span("c", "r", startOffsetMs: 0, sessionId: " s"));

        var spans = await Sessions.GetSessionSpansAsync("local", "s", null, SpanDetail.WithIo, CancellationToken.None);
        Assert.Equal(["a/r", "b/r", "a/c"], spans.Select(s => $"{s.TraceId}/{s.SpanId}"));
        Assert.Equal("from a", spans[2].Output);
        var others = await Sessions.GetSessionSpansAsync("local", "s", "a", SpanDetail.Summary, CancellationToken.None);
        Assert.Equal(["b/r"], others.Select(s => $"{s.TraceId}/{s.SpanId}"));
        Assert.Empty(await Sessions.GetSessionSpansAsync("local", "unknown", null, SpanDetail.Summary, CancellationToken.None));
    }

    [Fact]
    public async Task The_summary_matches_a_recomputation_after_random_arrivals_and_resends()
    {
        var random = new Random(7);
        var stored = new Dictionary<(string, string), SpanRecord>();
        // Mostly stable membership (a trace keeps its session; a few move), so that a summary left too
        // wide by a re-sent span would survive to the end instead of being recomputed by chance.
        string[] sessionIds = ["s1", "s2", " s1", "s3", "", "null", "s4 "];
        string SessionOf(int trace) => random.Next(20) == 0 ? sessionIds[random.Next(sessionIds.Length)] : sessionIds[trace % sessionIds.Length];
        for (var round = 0; round < 60; round++)
        {
            var batch = new List<SpanRecord>();
            for (var i = random.Next(1, 12); i > 0; i--)
            {
                var traceNumber = random.Next(12);
                var trace = "t" + traceNumber;
                var span = SpanFactory.Span(trace, "s" + random.Next(6), parent: random.Next(3) == 0 ? null : "s0",
                    startOffsetMs: random.Next(-5000, 5000), durationMs: random.Next(0, 3000), cost: random.Next(0, 100) / 64.0,
                    inputTokens: random.Next(0, 50), outputTokens: random.Next(0, 50), traceName: random.Next(3) == 0 ? "trace" + random.Next(4) : "",
                    sessionId: random.Next(3) == 0 ? "" : SessionOf(traceNumber), userId: "u" + random.Next(3));
                span.SessionName = random.Next(4) == 0 ? "name" + random.Next(5) : "";
                span.PromptName = random.Next(4) == 0 ? "prompt" + random.Next(5) : "";
                batch.Add(span);
                stored[(span.TraceId, span.SpanId)] = span;
            }
            await Append([.. batch]);
        }

        var expected = Recompute(stored.Values);
        var page = await List(new SessionQuery("local") { Limit = 1000 });
        Assert.Equal(expected.Count, page.Total);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), page.Items.Select(s => s.Id).Order(StringComparer.Ordinal));
        foreach (var actual in page.Items)
        {
            var want = expected[actual.Id];
            Assert.Equal((want.Name, want.StartNs, want.EndNs, want.TraceCount, want.TotalTokens, want.LatencyMs),
                (actual.Name, actual.StartNs, actual.EndNs, actual.TraceCount, actual.TotalTokens, actual.LatencyMs));
            Assert.Equal(want.TotalCost, actual.TotalCost, 9);
        }
    }

    /// <summary>Ingestion §5.6 computed the obvious way, from the final spans.</summary>
    private static Dictionary<string, SessionSummary> Recompute(IEnumerable<SpanRecord> spans)
    {
        var byTrace = spans.GroupBy(s => s.TraceId).ToDictionary(g => g.Key, g => g.ToList());
        var result = new Dictionary<string, SessionSummary>();
        var sessionIds = spans.Select(s => s.SessionId.Trim()).Where(id => id is not ("" or "null")).Distinct();
        foreach (var id in sessionIds)
        {
            var traces = byTrace.Values.Where(t => t.Any(s => s.SessionId.Trim() == id)).ToList();
            var all = traces.SelectMany(t => t).ToList();
            static string? Smallest(IEnumerable<string> values) => values.Where(v => v.Length > 0).Order(StringComparer.Ordinal).FirstOrDefault();
            result[id] = new SessionSummary
            {
                Id = id,
                Name = Smallest(all.Where(s => s.SessionId.Trim() == id).Select(s => s.SessionName))
                    ?? Smallest(all.Select(s => s.PromptName)) ?? Smallest(all.Select(s => s.TraceName)) ?? "",
                StartNs = all.Min(s => s.StartTimeUnixNano),
                EndNs = all.Max(s => s.StartTimeUnixNano),
                TraceCount = traces.Count,
                TotalCost = all.Sum(s => s.Cost),
                TotalTokens = all.Sum(s => s.TotalTokens),
                LatencyMs = all.Max(s => s.Duration),
            };
        }
        return result;
    }

    [Fact]
    public async Task Requests_are_generation_spans_with_their_io()
    {
        await Append(
            SpanFactory.Span("t", "root", startOffsetMs: 0, userId: "u1"),
            SpanFactory.Span("t", "g1", parent: "root", startOffsetMs: 10, durationMs: 300, type: SpanTypes.Generation, model: "gpt-4o",
                inputTokens: 100, outputTokens: 20, cost: 0.2, status: "0", userId: "u1", input: "[{\"role\":\"user\",\"content\":\"hi\"}]", output: "hello"),
            SpanFactory.Span("t", "g2", parent: "root", startOffsetMs: 20, durationMs: 100, type: SpanTypes.Generation, model: "gpt-4o-mini",
                inputTokens: 50, outputTokens: 80, cost: 0.05, status: "2", userId: "u2"),
            SpanFactory.Span("u", "g3", startOffsetMs: 30, durationMs: 200, type: SpanTypes.Generation, model: "gpt-4o",
                inputTokens: 10, outputTokens: 5, cost: 0.9, status: "1.0"));

        async Task<string[]> Ids(RequestQuery query) => (await Requests.ListRequestsAsync(query, CancellationToken.None)).Items.Select(s => s.SpanId).ToArray();
        var app = new RequestQuery("local");
        var page = await Requests.ListRequestsAsync(app, CancellationToken.None);
        Assert.Equal(3, page.Total);
        Assert.Equal(["g3", "g2", "g1"], page.Items.Select(s => s.SpanId));
        Assert.Equal("hello", page.Items[2].Output);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"hi\"}]", page.Items[2].Input);

        Assert.Equal(["g1", "g2", "g3"], await Ids(app with { Descending = false }));
        Assert.Equal(["g3", "g1", "g2"], await Ids(app with { SortBy = RequestSortField.Cost }));
        Assert.Equal(["g1", "g3", "g2"], await Ids(app with { SortBy = RequestSortField.Latency }));
        Assert.Equal(["g1", "g2", "g3"], await Ids(app with { SortBy = RequestSortField.PromptTokens }));
        Assert.Equal(["g2", "g1", "g3"], await Ids(app with { SortBy = RequestSortField.CompletionTokens }));
        Assert.Equal(["g3", "g1"], await Ids(app with { Error = false }));
        Assert.Equal(["g2"], await Ids(app with { Error = true }));
        Assert.Equal(["g3", "g1"], await Ids(app with { Model = "gpt-4o" }));
        Assert.Equal(["g1"], await Ids(app with { UserId = "u1" }));
        Assert.Equal(["g2"], await Ids(app with { StartFromNs = SpanFactory.BaseNs + 15_000_000, StartToNs = SpanFactory.BaseNs + 20_000_000 }));
        var second = await Requests.ListRequestsAsync(app with { Limit = 1, Offset = 1 }, CancellationToken.None);
        Assert.Equal((3L, "g2"), (second.Total, second.Items.Single().SpanId));
        Assert.Equal(0, (await Requests.ListRequestsAsync(new RequestQuery("other"), CancellationToken.None)).Total);
    }
}
