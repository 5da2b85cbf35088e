using System.Net;
using System.Text.Json;

namespace AgentMark.Gateway.Tests;

public sealed class TraceReadTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync();
        // Trace 1: an AgentMark prompt run with a generation child; trace 2: an error in another session.
        var body = Otlp.JsonBody("agentmark",
            Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(1), name: "checkout", startMs: 0, durationMs: 900, status: 1, attributes: string.Join(",",
                Otlp.StringAttr("agentmark.session_id", "sess-a"), Otlp.StringAttr("agentmark.user_id", "user-1"),
                Otlp.StringAttr("agentmark.trace_name", "Checkout Run"), Otlp.StringAttr("agentmark.tags", "[\"prod\",\"web\"]"),
                Otlp.StringAttr("agentmark.metadata.graph.node.id", "start"), Otlp.StringAttr("agentmark.metadata.team", "core"))),
            Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(2), parent: Otlp.SpanId(1), name: "chat gpt-4o", startMs: 10, durationMs: 500, attributes: string.Join(",",
                Otlp.StringAttr("gen_ai.operation.name", "chat"), Otlp.StringAttr("gen_ai.request.model", "gpt-4o"),
                Otlp.IntAttr("gen_ai.usage.input_tokens", 1000), Otlp.IntAttr("gen_ai.usage.output_tokens", 200),
                Otlp.StringAttr("gen_ai.request.input", "What is 2+2?"), Otlp.StringAttr("gen_ai.response.output", "4"),
                Otlp.StringAttr("agentmark.metadata.graph.node.id", "llm"), Otlp.StringAttr("agentmark.metadata.graph.node.parent_id", "start"))),
            Otlp.JsonSpan(Otlp.TraceId(2), Otlp.SpanId(3), name: "search", startMs: 86_400_000, durationMs: 50, status: 2, attributes: string.Join(",",
                Otlp.StringAttr("agentmark.session_id", "sess-b"), Otlp.StringAttr("agentmark.tags", "[\"dev\"]"))));
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", body, "application/json"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> Get(string path) => await ApiAssert.Ok(await _server.Client.GetAsync(path));

    private async Task<string[]> TraceIds(string query) =>
        (await Get("/v1/traces" + query)).GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToArray();

    [Fact]
    public async Task The_list_has_the_contract_shape()
    {
        var body = await Get("/v1/traces");
        Assert.Equal(JsonValueKind.Object, body.GetProperty("pagination").ValueKind);
        Assert.Equal(2, body.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(50, body.GetProperty("pagination").GetProperty("limit").GetInt32());
        Assert.Equal(0, body.GetProperty("pagination").GetProperty("offset").GetInt32());
        var traces = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([Otlp.TraceId(2), Otlp.TraceId(1)], traces.Select(t => t.GetProperty("id").GetString()));
        var checkout = traces[1];
        Assert.Equal("Checkout Run", checkout.GetProperty("name").GetString());
        Assert.Equal("OK", checkout.GetProperty("status").GetString());
        Assert.Equal("2026-01-01T00:00:00.000Z", checkout.GetProperty("start").GetString());
        Assert.Equal("2026-01-01T00:00:00.900Z", checkout.GetProperty("end").GetString());
        Assert.Equal(900, checkout.GetProperty("latency_ms").GetInt64());
        Assert.Equal(1200, checkout.GetProperty("tokens").GetInt64());
        Assert.True(checkout.GetProperty("cost").GetDouble() > 0);
        Assert.Equal(2, checkout.GetProperty("span_count").GetInt32());
        Assert.Equal(["prod", "web"], checkout.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("4", checkout.GetProperty("output_preview").GetString());
        Assert.Equal("ERROR", traces[0].GetProperty("status").GetString());
        Assert.False(traces[0].TryGetProperty("input_preview", out _));
    }

    [Theory]
    [InlineData("?session_id=sess-a", 1)]
    [InlineData("?user_id=user-1", 1)]
    [InlineData("?model=gpt-4o", 1)]
    [InlineData("?tag=dev&tag=nope", 2)]
    [InlineData("?status=ERROR", 2)]
    [InlineData("?status=OK", 1)]
    [InlineData("?name=checkout", 1)]
    [InlineData("?start_date=2026-01-02&end_date=2026-01-02", 2)]
    [InlineData("?end_date=2026-01-01", 1)]
    public async Task Filters_select_the_right_traces(string query, int expectedTrace)
    {
        Assert.Equal([Otlp.TraceId(expectedTrace)], await TraceIds(query));
    }

    [Fact]
    public async Task Sorting_and_paging_work()
    {
        Assert.Equal([Otlp.TraceId(2), Otlp.TraceId(1)], await TraceIds("?sort_by=latency&sort_order=asc"));
        var page = await Get("/v1/traces?limit=1&offset=1");
        Assert.Equal(2, page.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal([Otlp.TraceId(1)], page.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("/v1/traces?limit=0", "limit")]
    [InlineData("/v1/traces?limit=1001", "limit")]
    [InlineData("/v1/traces?limit=10.5", "limit")]
    [InlineData("/v1/traces?limit=abc", "limit")]
    [InlineData("/v1/traces?limit=", "limit")]
    [InlineData("/v1/traces?offset=-1", "offset")]
    [InlineData("/v1/traces?limit=5&limit=6", "limit")]
    [InlineData("/v1/traces?sort_by=bogus", "sort_by")]
    [InlineData("/v1/traces?sort_order=up", "sort_order")]
    [InlineData("/v1/traces?status=UNSET", "status")]
    [InlineData("/v1/traces?start_date=2026-13-01", "start_date")]
    [InlineData("/v1/traces?end_date=2026-01-01T00:00:00Z", "end_date")]
    [InlineData("/v1/traces?start_date=1969-12-31", "start_date")]
    [InlineData("/v1/spans?limit=501", "limit")]
    [InlineData("/v1/spans?type=LLM", "type")]
    [InlineData("/v1/spans?start_date=2026-01-01", "start_date")]
    [InlineData("/v1/spans?start_date=2026-01-01T00:00:00%2B01:00", "start_date")]
    [InlineData("/v1/spans?min_duration=-5", "min_duration")]
    public async Task Invalid_query_parameters_name_the_offending_field(string path, string field)
    {
        var error = await ApiAssert.Error(await _server.Client.GetAsync(path), HttpStatusCode.BadRequest, "invalid_query_params");
        Assert.Equal("Invalid query parameters", error.GetProperty("message").GetString());
        Assert.True(error.GetProperty("details").TryGetProperty(field, out _), error.ToString());
    }

    [Fact]
    public async Task Number_coercion_follows_the_schema()
    {
        Assert.Equal(100, (await Get("/v1/traces?limit=1e2")).GetProperty("pagination").GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task A_filter_expression_is_refused_not_ignored()
    {
        await ApiAssert.Error(await _server.Client.GetAsync("/v1/traces?filter=modle%3Dgpt-4o"), HttpStatusCode.BadRequest, "invalid_filter");
    }

    [Fact]
    public async Task Trace_detail_has_enriched_spans_and_trace_io()
    {
        var detail = (await Get($"/v1/traces/{Otlp.TraceId(1)}")).GetProperty("data");
        Assert.Equal("What is 2+2?", JsonDocument.Parse(detail.GetProperty("input").GetString()!).RootElement[0].GetProperty("content").GetString());
        Assert.Equal("4", detail.GetProperty("output").GetString());
        Assert.Equal("core", detail.GetProperty("metadata").GetProperty("team").GetString());
        Assert.False(detail.GetProperty("metadata").TryGetProperty("graph.node.id", out _));
        Assert.False(detail.TryGetProperty("graph", out _));
        Assert.False(detail.TryGetProperty("scores", out _));

        var spans = detail.GetProperty("spans").EnumerateArray().ToList();
        var root = spans[0];
        Assert.Equal(JsonValueKind.Null, root.GetProperty("parent_id").ValueKind);
        // The root reports nothing itself; read-time enrichment rolls the child up (ingestion §5.4).
        Assert.Equal("gpt-4o", root.GetProperty("model").GetString());
        Assert.Equal(1000, root.GetProperty("input_tokens").GetInt64());
        Assert.Equal(1200, root.GetProperty("tokens").GetInt64());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("prompt_name").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("settings").ValueKind);
        Assert.False(root.TryGetProperty("status_message", out _));
        Assert.False(root.TryGetProperty("reasoning_tokens", out _));
        var generation = spans[1];
        Assert.Equal("GENERATION", generation.GetProperty("type").GetString());
        Assert.Equal("llm", generation.GetProperty("span_kind").GetString());
        Assert.Equal("4", generation.GetProperty("output").GetString());
        Assert.Equal("tests", generation.GetProperty("service_name").GetString());
    }

    [Fact]
    public async Task Graph_and_scores_projections()
    {
        var detail = (await Get($"/v1/traces/{Otlp.TraceId(1)}?fields=graph,scores")).GetProperty("data");
        var nodes = detail.GetProperty("graph").EnumerateArray().ToList();
        Assert.Equal(2, nodes.Count);
        Assert.False(nodes[0].TryGetProperty("parentNodeId", out _));
        Assert.Equal("start", nodes[1].GetProperty("parentNodeId").GetString());
        Assert.Equal("llm", nodes[1].GetProperty("nodeId").GetString());
        Assert.Equal(Otlp.SpanId(2), nodes[1].GetProperty("spanId").GetString());
        Assert.Equal(JsonValueKind.Array, detail.GetProperty("scores").ValueKind);

        var response = await _server.Client.GetAsync($"/v1/traces/{Otlp.TraceId(1)}/graph");
        var deprecated = await ApiAssert.Ok(response);
        Assert.Equal(2, deprecated.GetProperty("data").GetArrayLength());
        Assert.Equal("true", response.Headers.GetValues("Deprecation").Single());
        Assert.Contains("successor-version", response.Headers.GetValues("Link").Single());
        Assert.Equal(0, (await Get("/v1/traces/unknown/graph")).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Trace_spans_and_span_io()
    {
        var spans = (await Get($"/v1/traces/{Otlp.TraceId(1)}/spans")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, spans.Count);
        Assert.Equal("", spans[0].GetProperty("status_message").GetString());
        Assert.Equal(JsonValueKind.Object, spans[0].GetProperty("metadata").ValueKind);
        Assert.False(spans[1].TryGetProperty("input", out _));

        var io = (await Get($"/v1/traces/{Otlp.TraceId(1)}/spans/{Otlp.SpanId(2)}")).GetProperty("data");
        Assert.Equal("4", io.GetProperty("output").GetString());
        Assert.Equal(JsonValueKind.Null, io.GetProperty("tool_calls").ValueKind);
        var rootIo = (await Get($"/v1/traces/{Otlp.TraceId(1)}/spans/{Otlp.SpanId(1)}")).GetProperty("data");
        Assert.Equal("", rootIo.GetProperty("output").GetString());
    }

    [Theory]
    [InlineData("/v1/traces/nope", "Trace not found")]
    [InlineData("/v1/traces/nope/spans", "Trace not found")]
    [InlineData("/v1/traces/nope/spans/nope", "Span not found")]
    public async Task Unknown_ids_are_404(string path, string message)
    {
        var error = await ApiAssert.Error(await _server.Client.GetAsync(path), HttpStatusCode.NotFound, "not_found");
        Assert.Equal(message, error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Span_list_filters_and_totals()
    {
        var all = await Get("/v1/spans");
        Assert.Equal(3, all.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(100, all.GetProperty("pagination").GetProperty("limit").GetInt32());
        var generations = await Get("/v1/spans?type=GENERATION&model=GPT");
        Assert.Equal([Otlp.SpanId(2)], generations.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var errors = await Get("/v1/spans?status=ERROR");
        Assert.Equal([Otlp.SpanId(3)], errors.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var window = await Get("/v1/spans?start_date=2026-01-01T00:00:00.010Z&end_date=2026-01-01T00:00:00.010Z");
        Assert.Equal([Otlp.SpanId(2)], window.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var slow = await Get("/v1/spans?min_duration=500&max_duration=900");
        Assert.Equal(2, slow.GetProperty("pagination").GetProperty("total").GetInt64());
    }
}
