using AgentMark.Core.Spans;

namespace AgentMark.Storage.Tests;

/// <summary>
/// The metrics and export contract (wire-contract §12, §6.7), written once for every backend.
/// A backend supplies the store and a way to attach a score (the scores API is separate).
/// </summary>
public abstract class MetricsExportContract() : StoreContract("metrics")
{
    protected const long HourMs = 3_600_000;
    protected abstract Task InsertScoreAsync(string app, string resourceId, string name, double score, string label = "", string reason = "");

    private IMetricsStore Metrics => (IMetricsStore)Store;
    private IExportStore Export => (IExportStore)Store;

    protected static SpanRecord Generation(string trace, string span, long startOffsetMs, long durationMs = 100, string model = "gpt-4o",
        long inputTokens = 10, long outputTokens = 5, double cost = 0.5, string status = "1", string userId = "", string app = "local") =>
        SpanFactory.Span(trace, span, app: app, startOffsetMs: startOffsetMs, durationMs: durationMs, type: SpanTypes.Generation,
            name: "chat", status: status, model: model, inputTokens: inputTokens, outputTokens: outputTokens, cost: cost, userId: userId);

    /// <summary>Metrics over [from, to) given as offsets from 2026-01-01T00:00Z in ms.</summary>
    protected Task<MetricsReport> MetricsAsync(long fromMs, long toMs, string app = "local") =>
        Metrics.GetMetricsAsync(new MetricsQuery(app, Ns(fromMs), Ns(toMs)), CancellationToken.None);

    protected static long Ns(long offsetMs) => SpanFactory.BaseNs + offsetMs * 1_000_000;

    private async Task SeedThreeHoursAsync()
    {
        await Append(
            Generation("t1", "a", 10 * 60_000, durationMs: 100, model: "gpt-4o", cost: 0.25, userId: "u1"),
            Generation("t1", "b", 20 * 60_000, durationMs: 300, model: "claude", cost: 0.5, status: "2", userId: "u2"),
            SpanFactory.Span("t1", "root", startOffsetMs: 0, durationMs: 5000, userId: "u9", model: "gpt-4o", cost: 7), // not a request
            Generation("t2", "c", 2 * HourMs + 5 * 60_000, durationMs: 200, model: "gpt-4o", inputTokens: 7, outputTokens: 3, cost: 1, userId: "u1"),
            Generation("t2", "d", 2 * HourMs + 50 * 60_000, durationMs: 400, model: "", cost: 0, status: "0"));
    }

    [Fact]
    public async Task Requests_are_generation_spans_bucketed_by_hour()
    {
        await SeedThreeHoursAsync();
        var report = await MetricsAsync(0, 24 * HourMs);

        var s = report.Summary;
        Assert.Equal(4, s.Requests);
        Assert.Equal(1, s.Errors);
        Assert.Equal(3, s.Successes);
        Assert.Equal(1.75, s.Cost, 12);
        Assert.Equal(15 + 15 + 10 + 15, s.Tokens);
        Assert.Equal(10 + 10 + 7 + 10, s.InputTokens);
        Assert.Equal(5 + 5 + 3 + 5, s.OutputTokens);
        Assert.Equal(250, s.AvgLatencyMs);
        Assert.Equal(2, s.UniqueUsers);
        Assert.Equal(2, report.ModelCount);

        Assert.Equal([Ns(0), Ns(2 * HourMs)], report.Hours.Select(h => h.HourStartNs));
        var first = report.Hours[0].Totals;
        Assert.Equal((2, 1, 0.75, 200.0, 2L), (first.Requests, first.Errors, first.Cost, first.AvgLatencyMs, first.UniqueUsers));
        var third = report.Hours[1].Totals;
        Assert.Equal((2, 0, 1.0, 300.0, 1L), (third.Requests, third.Errors, third.Cost, third.AvgLatencyMs, third.UniqueUsers));
    }

    [Fact]
    public async Task Ranges_that_cut_hours_are_exact()
    {
        await SeedThreeHoursAsync();
        // 00:15 .. 02:30 drops the 00:10 request and the 02:50 one.
        var report = await MetricsAsync(15 * 60_000, 2 * HourMs + 30 * 60_000);
        Assert.Equal(2, report.Summary.Requests);
        Assert.Equal(1.5, report.Summary.Cost, 12);
        Assert.Equal(2, report.Summary.UniqueUsers);
        Assert.Equal([1L, 1L], report.Hours.Select(h => h.Totals.Requests));

        // Inside one hour, and across one hour boundary without a whole hour.
        Assert.Equal(1, (await MetricsAsync(15 * 60_000, 25 * 60_000)).Summary.Requests);
        Assert.Equal(1, (await MetricsAsync(2 * HourMs + 40 * 60_000, 3 * HourMs + 10 * 60_000)).Summary.Requests);
        // Bounds: inclusive start, exclusive end.
        Assert.Equal(1, (await MetricsAsync(10 * 60_000, 10 * 60_000 + 1)).Summary.Requests);
        Assert.Equal(0, (await MetricsAsync(0, 10 * 60_000)).Summary.Requests);
        Assert.Empty((await MetricsAsync(5 * HourMs, 6 * HourMs)).Hours);
    }

    [Fact]
    public async Task A_user_in_a_cut_hour_and_a_whole_hour_counts_once()
    {
        await Append(
            Generation("t1", "a", 10 * 60_000, userId: "u1"),
            Generation("t1", "b", HourMs + 10 * 60_000, userId: "u1"),
            Generation("t1", "c", 2 * HourMs + 10 * 60_000, userId: "u2"));
        var report = await MetricsAsync(5 * 60_000, 3 * HourMs);
        Assert.Equal(2, report.Summary.UniqueUsers);
        Assert.Equal([1L, 1L, 1L], report.Hours.Select(h => h.Totals.UniqueUsers));
    }

    [Fact]
    public async Task Resent_spans_are_counted_once_and_their_last_version_wins()
    {
        var original = Generation("t1", "a", 10 * 60_000, durationMs: 100, cost: 0.1, userId: "u1");
        await Append(original);
        await Append(Generation("t1", "a", 10 * 60_000, durationMs: 100, cost: 0.1, userId: "u1")); // exporter retry
        await Append(Generation("t1", "b", 11 * 60_000, cost: 0.2), Generation("t1", "b", 11 * 60_000, cost: 0.2)); // twice in one batch
        var report = await MetricsAsync(0, 24 * HourMs);
        Assert.Equal(2, report.Summary.Requests);
        Assert.Equal(0.3, report.Summary.Cost, 12);
        Assert.Equal(1, report.Summary.UniqueUsers);

        // A re-send that moves the span to another hour, user, model and status replaces the old version everywhere.
        await Append(Generation("t1", "a", 3 * HourMs, durationMs: 900, model: "claude", cost: 0.4, status: "2", userId: "u2"));
        report = await MetricsAsync(0, 24 * HourMs);
        Assert.Equal(2, report.Summary.Requests);
        Assert.Equal(1, report.Summary.Errors);
        Assert.Equal(0.6, report.Summary.Cost, 12);
        Assert.Equal(1, report.Summary.UniqueUsers);
        Assert.Equal(2, report.ModelCount);
        Assert.Equal([1L, 1L], report.Hours.Select(h => h.Totals.Requests));
        Assert.Equal(900, report.Hours[1].Totals.P50LatencyMs, 0.04 * 900);
        Assert.Equal(0, report.Hours[0].Totals.UniqueUsers);

        // A span that stops being a generation leaves the metrics.
        await Append(SpanFactory.Span("t1", "b", startOffsetMs: 11 * 60_000));
        Assert.Equal(1, (await MetricsAsync(0, 24 * HourMs)).Summary.Requests);
    }

    [Fact]
    public async Task Latency_percentiles_are_within_a_few_percent()
    {
        await Append(Enumerable.Range(1, 1000).Select(i => Generation("t", "s" + i, i, durationMs: i)).ToArray());
        var s = (await MetricsAsync(0, HourMs)).Summary;
        Assert.Equal(500.5, s.AvgLatencyMs);
        Assert.Equal(500, s.P50LatencyMs, 0.04 * 500);
        Assert.Equal(950, s.P95LatencyMs, 0.04 * 950);
        Assert.Equal(990, s.P99LatencyMs, 0.04 * 990);
        Assert.Equal(0, (await MetricsAsync(2 * HourMs, 3 * HourMs)).Summary.P99LatencyMs);
    }

    [Fact]
    public async Task Metrics_are_scoped_to_the_app()
    {
        await Append(Generation("t1", "a", 0, app: "local"), Generation("t2", "b", 0, app: "other"), Generation("t3", "c", 1, app: "other"));
        Assert.Equal(1, (await MetricsAsync(0, HourMs)).Summary.Requests);
        Assert.Equal(2, (await MetricsAsync(0, HourMs, app: "other")).Summary.Requests);
        Assert.Equal(0, (await MetricsAsync(0, HourMs, app: "none")).Summary.Requests);
    }

    // ---- export ----

    private async Task<List<ExportedSpan>> ExportAsync(ExportQuery query, Action<ExportPage>? inspect = null)
    {
        await using var page = await Export.OpenExportPageAsync(query, CancellationToken.None);
        inspect?.Invoke(page);
        var rows = new List<ExportedSpan>();
        await foreach (var row in page.ReadRowsAsync(CancellationToken.None)) rows.Add(row);
        Assert.Equal(page.Total, rows.Count);
        return rows;
    }

    private static ExportQuery Window(string app = "local") => new(app) { FromNs = Ns(-HourMs), ToNs = Ns(48 * HourMs) };

    [Fact]
    public async Task Export_streams_spans_newest_first_with_trace_name_and_io()
    {
        var root = SpanFactory.Span("t1", "root", startOffsetMs: 0, traceName: "Checkout", input: "[]", output: "done");
        var child = Generation("t1", "gen", 5);
        child.Input = """[{"role":"user","content":"hi"}]""";
        child.Output = "hello";
        await Append(root, child, SpanFactory.Span("t2", "other", startOffsetMs: 10));

        var rows = await ExportAsync(Window());
        Assert.Equal(["other", "gen", "root"], rows.Select(r => r.Span.SpanId));
        Assert.Equal("Checkout", rows[1].TraceName);
        Assert.Equal("hello", rows[1].Span.Output);
        Assert.Equal(child.Input, rows[1].Span.Input);

        var light = await ExportAsync(Window() with { IncludeIo = false });
        Assert.All(light, r => Assert.Null(r.Span.Input));
        Assert.All(light, r => Assert.Null(r.Span.Output));
    }

    [Fact]
    public async Task Export_pages_cover_every_span_once_even_when_milliseconds_are_shared()
    {
        // 23 spans in 6 milliseconds, 4 to a millisecond but the last.
        var spans = Enumerable.Range(0, 23).Select(i => SpanFactory.Span("t" + i % 3, "s" + i, startOffsetMs: i / 4 * 7)).ToArray();
        foreach (var span in spans.Where((_, i) => i % 4 == 0)) span.StartTimeUnixNano += 123; // same ms, different ns
        await Append(spans);

        foreach (var limit in new[] { 1, 2, 3, 4, 5, 10, 50 })
        {
            var seen = new List<string>();
            long? cursor = null;
            for (var pages = 0; pages < 100; pages++)
            {
                long? next = null;
                var query = Window() with { Limit = limit, ToNs = cursor is { } c ? c * 1_000_000 : Window().ToNs };
                var rows = await ExportAsync(query, page => next = page.NextCursorMs);
                // A page exceeds the limit only when one millisecond alone holds more spans.
                if (rows.Count > limit) Assert.Single(rows.Select(r => r.Span.StartTimeUnixNano / 1_000_000).Distinct());
                seen.AddRange(rows.Select(r => r.Span.SpanId));
                if (next is null) break;
                Assert.Equal(rows[^1].Span.StartTimeUnixNano / 1_000_000, next);
                cursor = next;
            }
            Assert.Equal(spans.Select(s => s.SpanId).Order(), seen.Order());
            Assert.Equal(seen.Count, seen.Distinct().Count());
        }
    }

    [Fact]
    public async Task Export_filters_select_the_documented_rows()
    {
        var tagged = SpanFactory.Span("t1", "a", startOffsetMs: 1, name: "Search Docs", tags: """["prod"]""", userId: "u1", metadata: """{"team":"core"}""");
        var gen = Generation("t1", "b", 2, model: "gpt-4o-mini", status: "2", userId: "u2");
        var other = SpanFactory.Span("t2", "c", startOffsetMs: 3, status: "1", metadata: """{"team":"edge"}""");
        await Append(tagged, gen, other);

        async Task<string[]> Ids(ExportQuery q) => (await ExportAsync(q)).Select(r => r.Span.SpanId).ToArray();
        Assert.Equal(["b"], await Ids(Window() with { Type = SpanTypes.Generation }));
        Assert.Equal(["b"], await Ids(Window() with { Model = "gpt-4o-mini" }));
        Assert.Empty(await Ids(Window() with { Model = "gpt-4o" }));
        Assert.Equal(["b"], await Ids(Window() with { Status = "2" }));
        Assert.Equal(["c"], await Ids(Window() with { Status = "1" }));
        Assert.Equal(["a"], await Ids(Window() with { Status = "0" }));
        Assert.Equal(["a"], await Ids(Window() with { Name = "search" }));
        Assert.Empty(await Ids(Window() with { Name = "%" }));
        Assert.Equal(["a"], await Ids(Window() with { UserId = "u1" }));
        Assert.Equal(["b", "a"], await Ids(Window() with { Tag = "prod" }));
        Assert.Equal(["c"], await Ids(Window() with { MetadataKey = "team", MetadataValue = "edge" }));
        Assert.Empty(await Ids(Window() with { MetadataKey = "team", MetadataValue = "nope" }));
        Assert.Equal(["b"], await Ids(Window() with { FromNs = Ns(2), ToNs = Ns(3) }));
        Assert.Empty(await Ids(Window("other")));
    }

    [Fact]
    public async Task Export_reads_scores_of_the_span_and_its_trace()
    {
        await Append(SpanFactory.Span("t1", "root", startOffsetMs: 1), SpanFactory.Span("t1", "leaf", parent: "root", startOffsetMs: 2),
            SpanFactory.Span("t2", "lone", startOffsetMs: 3));
        await InsertScoreAsync("local", "t1", "quality", 0.9, "good", "fine");
        await InsertScoreAsync("local", "leaf", "accuracy", 0.2);
        await InsertScoreAsync("other", "t2", "quality", 1);

        var rows = await ExportAsync(Window());
        var leaf = rows.Single(r => r.Span.SpanId == "leaf");
        Assert.Equal([("quality", 0.9, "good", "fine"), ("accuracy", 0.2, "", "")], leaf.Scores.Select(s => (s.Name, s.Score, s.Label, s.Reason)));
        Assert.Single(rows.Single(r => r.Span.SpanId == "root").Scores);
        Assert.Empty(rows.Single(r => r.Span.SpanId == "lone").Scores);

        async Task<string[]> Ids(ExportQuery q) => (await ExportAsync(q)).Select(r => r.Span.SpanId).Order().ToArray();
        Assert.Equal(["leaf", "root"], await Ids(Window() with { MinScore = 0.5 }));
        Assert.Equal(["leaf", "root"], await Ids(Window() with { MaxScore = 0.2 }));
        Assert.Empty(await Ids(Window() with { MinScore = 0.3, MaxScore = 0.8 }));
        Assert.Empty(await Ids(Window() with { MinScore = 0.95 }));
    }

    [Fact]
    public async Task An_export_page_can_be_read_twice_from_the_same_snapshot()
    {
        await Append(SpanFactory.Span("t1", "a", startOffsetMs: 1), SpanFactory.Span("t1", "b", startOffsetMs: 2));
        await using var page = await Export.OpenExportPageAsync(Window(), CancellationToken.None);
        var first = new List<string>();
        await foreach (var row in page.ReadRowsAsync(CancellationToken.None)) first.Add(row.Span.SpanId);
        await Append(SpanFactory.Span("t1", "c", startOffsetMs: 3));
        var second = new List<string>();
        await foreach (var row in page.ReadRowsAsync(CancellationToken.None)) second.Add(row.Span.SpanId);
        Assert.Equal(["b", "a"], first);
        Assert.Equal(first, second);
        Assert.Null(page.NextCursorMs);
    }
}
