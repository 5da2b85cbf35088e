using System.Net;
using System.Text.Json;

namespace AgentMark.Gateway.Tests;

public sealed class MetricsTests : IAsyncLifetime
{
    private const long Minute = 60_000, Hour = 60 * Minute;
    private const string Day = "start_date=2026-01-01T00:00:00.000Z&end_date=2026-01-01T23:59:59.999Z";
    private GatewayServer _server = null!;

    private static string Generation(int trace, int span, long startMs, long durationMs, string model, long input, long output,
        string user, int status = 1, int? parent = null) =>
        Otlp.JsonSpan(Otlp.TraceId(trace), Otlp.SpanId(span), parent: parent is { } p ? Otlp.SpanId(p) : null, name: "chat " + model,
            startMs: startMs, durationMs: durationMs, status: status, attributes: string.Join(",",
                Otlp.StringAttr("gen_ai.operation.name", "chat"), Otlp.StringAttr("gen_ai.request.model", model),
                Otlp.IntAttr("gen_ai.usage.input_tokens", input), Otlp.IntAttr("gen_ai.usage.output_tokens", output),
                Otlp.StringAttr("agentmark.user_id", user)));

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync("--AgentMark:Apps:0=app-b");
        // 2026-01-01: a root span (not a request) and two generations in hour 0, one of them an error;
        // one generation in hour 2. The first generation is then re-sent, as an exporter retry would.
        var first = Generation(1, 2, 10 * Minute, 500, "gpt-4o", 1000, 200, "user-1", parent: 1);
        await Post(Otlp.JsonBody("agentmark",
            Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(1), name: "checkout", startMs: 0, durationMs: 30 * Minute,
                attributes: Otlp.StringAttr("agentmark.user_id", "user-9")),
            first,
            Generation(1, 3, 20 * Minute, 300, "gpt-4o-mini", 100, 50, "user-2", status: 2, parent: 1),
            Generation(2, 4, 2 * Hour + 5 * Minute, 200, "gpt-4o", 10, 5, "user-1")));
        await Post(Otlp.JsonBody("agentmark", first));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task Post(byte[] body, string? app = null)
    {
        (string, string)[] headers = app is null ? [] : [("X-Agentmark-App-Id", app)];
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", body, "application/json", null, headers));
    }

    private async Task<JsonElement> Metrics(string query) => (await ApiAssert.Ok(await _server.Client.GetAsync("/v1/metrics?" + query))).GetProperty("data");

    /// <summary>Costs come from the pricing table; the metrics must sum exactly what the spans report.</summary>
    private async Task<double> SpanCost(params int[] spans)
    {
        var list = await ApiAssert.Ok(await _server.Client.GetAsync("/v1/spans?type=GENERATION"));
        return list.GetProperty("data").EnumerateArray()
            .Where(s => spans.Select(Otlp.SpanId).Contains(s.GetProperty("id").GetString()))
            .Sum(s => s.GetProperty("cost").GetDouble());
    }

    [Fact]
    public async Task The_summary_and_hourly_series_add_up_the_generation_spans()
    {
        var data = await Metrics(Day);
        var summary = data.GetProperty("summary");
        Assert.Equal(3, summary.GetProperty("total_requests").GetInt64());
        Assert.Equal(2, summary.GetProperty("success_count").GetInt64());
        Assert.Equal(1, summary.GetProperty("error_count").GetInt64());
        Assert.Equal(1365, summary.GetProperty("total_tokens").GetInt64());
        Assert.Equal(1110, summary.GetProperty("input_tokens").GetInt64());
        Assert.Equal(255, summary.GetProperty("output_tokens").GetInt64());
        Assert.Equal(1000 / 3.0, summary.GetProperty("avg_latency_ms").GetDouble(), 9);
        Assert.Equal(2, summary.GetProperty("unique_users").GetInt64());
        var cost = await SpanCost(2, 3, 4);
        Assert.True(cost > 0);
        Assert.Equal(cost, summary.GetProperty("total_cost").GetDouble(), 12);
        // Additive: error rate and latency percentiles.
        Assert.Equal(1 / 3.0, summary.GetProperty("error_rate").GetDouble(), 9);
        Assert.Equal(300, summary.GetProperty("p50_latency_ms").GetDouble(), 0.04 * 300);
        Assert.Equal(500, summary.GetProperty("p99_latency_ms").GetDouble(), 0.04 * 500);
        // Extended fields only on request.
        Assert.False(summary.TryGetProperty("model_count", out _));
        Assert.False(summary.TryGetProperty("avg_cost_per_request", out _));

        var series = data.GetProperty("time_series").EnumerateArray().ToList();
        Assert.Equal(2, series.Count);
        var h0 = series[0];
        Assert.Equal("2026-01-01", h0.GetProperty("date").GetString());
        Assert.Equal(0, h0.GetProperty("hour").GetInt32());
        Assert.Equal((2L, 1L, 1L), (h0.GetProperty("requests").GetInt64(), h0.GetProperty("successes").GetInt64(), h0.GetProperty("errors").GetInt64()));
        Assert.Equal((1350L, 1100L, 250L), (h0.GetProperty("tokens").GetInt64(), h0.GetProperty("input_tokens").GetInt64(), h0.GetProperty("output_tokens").GetInt64()));
        Assert.Equal(400, h0.GetProperty("avg_latency_ms").GetDouble());
        Assert.Equal(2, h0.GetProperty("unique_users").GetInt64());
        Assert.Equal(await SpanCost(2, 3), h0.GetProperty("cost").GetDouble(), 12);
        var h2 = series[1];
        Assert.Equal(2, h2.GetProperty("hour").GetInt32());
        Assert.Equal((1L, 1L, 0L, 15L, 1L), (h2.GetProperty("requests").GetInt64(), h2.GetProperty("successes").GetInt64(),
            h2.GetProperty("errors").GetInt64(), h2.GetProperty("tokens").GetInt64(), h2.GetProperty("unique_users").GetInt64()));
        Assert.Equal(200, h2.GetProperty("avg_latency_ms").GetDouble());
    }

    [Fact]
    public async Task Extended_adds_per_request_averages_and_the_model_count()
    {
        var summary = (await Metrics(Day + "&extended=true")).GetProperty("summary");
        Assert.Equal(2, summary.GetProperty("model_count").GetInt32());
        Assert.Equal(370, summary.GetProperty("avg_input_tokens_per_request").GetDouble());
        Assert.Equal(85, summary.GetProperty("avg_output_tokens_per_request").GetDouble());
        Assert.Equal(455, summary.GetProperty("avg_total_tokens_per_request").GetDouble());
        Assert.Equal(await SpanCost(2, 3, 4) / 3, summary.GetProperty("avg_cost_per_request").GetDouble(), 12);
        Assert.True((await Metrics(Day + "&extended=1")).GetProperty("summary").TryGetProperty("model_count", out _));
        Assert.False((await Metrics(Day + "&extended=FALSE")).GetProperty("summary").TryGetProperty("model_count", out _));
    }

    [Fact]
    public async Task A_range_that_cuts_hours_counts_only_what_it_covers()
    {
        var data = await Metrics("start_date=2026-01-01T00:15:00.000Z&end_date=2026-01-01T02:30:00.000Z");
        Assert.Equal(2, data.GetProperty("summary").GetProperty("total_requests").GetInt64());
        Assert.Equal(1, data.GetProperty("summary").GetProperty("error_count").GetInt64());
        Assert.Equal([0, 2], data.GetProperty("time_series").EnumerateArray().Select(b => b.GetProperty("hour").GetInt32()));
        // end_date is inclusive to the millisecond.
        var edge = await Metrics("start_date=2026-01-01T00:00:00.000Z&end_date=2026-01-01T00:10:00.000Z");
        Assert.Equal(1, edge.GetProperty("summary").GetProperty("total_requests").GetInt64());
    }

    [Fact]
    public async Task An_empty_range_has_zeros_and_no_buckets()
    {
        var data = await Metrics("start_date=2025-06-01T00:00:00Z&end_date=2025-06-02T00:00:00Z&extended=true");
        var summary = data.GetProperty("summary");
        Assert.Equal(0, summary.GetProperty("total_requests").GetInt64());
        Assert.Equal(0, summary.GetProperty("avg_latency_ms").GetDouble());
        Assert.Equal(0, summary.GetProperty("avg_cost_per_request").GetDouble());
        Assert.Equal(0, summary.GetProperty("model_count").GetInt32());
        Assert.Equal(0, data.GetProperty("time_series").GetArrayLength());
    }

    [Fact]
    public async Task Metrics_are_scoped_to_the_app()
    {
        await Post(Otlp.JsonBody("agentmark", Generation(7, 7, 0, 100, "gpt-4o", 1, 1, "someone")), app: "app-b");
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/metrics?" + Day) { Headers = { { "X-Agentmark-App-Id", "app-b" } } };
        var data = (await ApiAssert.Ok(await _server.Client.SendAsync(request))).GetProperty("data");
        Assert.Equal(1, data.GetProperty("summary").GetProperty("total_requests").GetInt64());
        Assert.Equal(3, (await Metrics(Day)).GetProperty("summary").GetProperty("total_requests").GetInt64());
    }

    [Theory]
    [InlineData("", "start_date")]
    [InlineData("", "end_date")]
    [InlineData("start_date=2026-01-01T00:00:00Z", "end_date")]
    [InlineData("start_date=2026-01-01&end_date=2026-01-02T00:00:00Z", "start_date")]
    [InlineData("start_date=2026-01-01T00:00:00%2B01:00&end_date=2026-01-02T00:00:00Z", "start_date")]
    [InlineData("start_date=2026-01-02T00:00:00Z&end_date=2026-01-01T00:00:00Z", "end_date")]
    [InlineData("start_date=2026-01-01T00:00:00Z&end_date=2026-04-02T00:00:00Z", "end_date")]
    [InlineData(Day + "&extended=yes", "extended")]
    [InlineData(Day + "&start_date=2026-01-01T00:00:00Z", "start_date")]
    public async Task Bad_parameters_are_400_with_details(string query, string field)
    {
        var error = await ApiAssert.Error(await _server.Client.GetAsync("/v1/metrics?" + query), HttpStatusCode.BadRequest, "invalid_query_params");
        Assert.True(error.GetProperty("details").TryGetProperty(field, out _), error.ToString());
    }

    [Fact]
    public async Task Ninety_days_is_the_longest_range()
    {
        var data = await Metrics("start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:00Z");
        Assert.Equal(3, data.GetProperty("summary").GetProperty("total_requests").GetInt64());
    }
}
