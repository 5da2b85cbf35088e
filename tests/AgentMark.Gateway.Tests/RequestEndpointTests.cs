using System.Net;
using System.Text.Json;

namespace AgentMark.Gateway.Tests;

/// <summary>GET /v1/requests (wire-contract §9): one record per GENERATION span.</summary>
public sealed class RequestEndpointTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync();
        var body = Otlp.JsonBody("agentmark",
            Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(1), name: "agent", startMs: 0, durationMs: 1000, attributes: Otlp.StringAttr("agentmark.user_id", "u1")),
            SessionEndpointTests.Generation(1, 2, 1, startMs: 10, durationMs: 300, cost: 0.2, input: 100, output: 20,
                Otlp.StringAttr("gen_ai.request.input", "What is 2+2?"), Otlp.StringAttr("gen_ai.response.output", "4"),
                Otlp.StringAttr("agentmark.prompt_name", "qa.prompt"), Otlp.StringAttr("agentmark.props", "{\"q\":1}"),
                Otlp.StringAttr("agentmark.user_id", "u1")),
            SessionEndpointTests.Generation(1, 3, 1, startMs: 20, durationMs: 100, cost: 0.05, input: 50, output: 80)
                .Replace("\"status\":{\"code\":0}", "\"status\":{\"code\":2,\"message\":\"rate limited\"}"),
            SessionEndpointTests.Generation(2, 4, null, startMs: 30, durationMs: 200, cost: 0.9, input: 10, output: 5)
                .Replace("\"status\":{\"code\":0}", "\"status\":{\"code\":1}"));
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", body, "application/json"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> Get(string path) => await ApiAssert.Ok(await _server.Client.GetAsync(path));

    private async Task<string[]> Ids(string query) =>
        (await Get("/v1/requests" + query)).GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToArray();

    private static string Ids(params int[] spans) => string.Join(",", spans.Select(Otlp.SpanId));

    [Fact]
    public async Task Records_have_every_field_of_the_contract()
    {
        var body = await Get("/v1/requests");
        Assert.Equal(3, body.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(50, body.GetProperty("pagination").GetProperty("limit").GetInt32());
        var records = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([Otlp.SpanId(4), Otlp.SpanId(3), Otlp.SpanId(2)], records.Select(r => r.GetProperty("id").GetString()));

        var first = records[2];
        Assert.Equal(["id", "tenant_id", "app_id", "cost", "prompt_tokens", "completion_tokens", "latency_ms", "model_used", "status",
            "input", "output", "ts", "user_id", "prompt_name", "trace_id", "status_message", "props"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("", first.GetProperty("tenant_id").GetString());
        Assert.Equal("local", first.GetProperty("app_id").GetString());
        Assert.Equal(0.2, first.GetProperty("cost").GetDouble());
        Assert.Equal((100, 20, 300), (first.GetProperty("prompt_tokens").GetInt64(), first.GetProperty("completion_tokens").GetInt64(), first.GetProperty("latency_ms").GetInt64()));
        Assert.Equal("test-model", first.GetProperty("model_used").GetString());
        Assert.Equal("OK", first.GetProperty("status").GetString()); // UNSET reads as OK
        Assert.Equal("What is 2+2?", JsonDocument.Parse(first.GetProperty("input").GetString()!).RootElement[0].GetProperty("content").GetString());
        Assert.Equal("4", first.GetProperty("output").GetString());
        Assert.Equal("2026-01-01T00:00:00.010Z", first.GetProperty("ts").GetString());
        Assert.Equal(("u1", "qa.prompt", Otlp.TraceId(1), "", "{\"q\":1}"),
            (first.GetProperty("user_id").GetString(), first.GetProperty("prompt_name").GetString(), first.GetProperty("trace_id").GetString(),
             first.GetProperty("status_message").GetString(), first.GetProperty("props").GetString()));

        var failed = records[1];
        Assert.Equal("ERROR", failed.GetProperty("status").GetString());
        Assert.Equal("rate limited", failed.GetProperty("status_message").GetString());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("output").ValueKind);
        Assert.Equal(("", "", ""), (failed.GetProperty("input").GetString(), failed.GetProperty("user_id").GetString(), failed.GetProperty("props").GetString()));
    }

    [Theory]
    [InlineData("?sort_order=asc", new[] { 2, 3, 4 })]
    [InlineData("?sort_by=ts&sort_order=desc", new[] { 4, 3, 2 })]
    [InlineData("?sort_by=cost", new[] { 4, 2, 3 })]
    [InlineData("?sort_by=latency_ms", new[] { 2, 4, 3 })]
    [InlineData("?sort_by=prompt_tokens&sort_order=asc", new[] { 4, 3, 2 })]
    [InlineData("?sort_by=completion_tokens", new[] { 3, 2, 4 })]
    [InlineData("?status=OK", new[] { 4, 2 })]
    [InlineData("?status=ERROR", new[] { 3 })]
    [InlineData("?model=test-model", new[] { 4, 3, 2 })]
    [InlineData("?model=test", new int[0])]
    [InlineData("?user_id=u1", new[] { 2 })]
    [InlineData("?start_date=2026-01-01T00:00:00.015Z&end_date=2026-01-01T00:00:00.020Z", new[] { 3 })]
    [InlineData("?limit=1&offset=2", new[] { 2 })]
    public async Task Requests_sort_filter_and_page(string query, int[] expected)
    {
        Assert.Equal(Ids(expected), string.Join(",", await Ids(query)));
    }

    [Fact]
    public async Task A_page_keeps_the_true_total()
    {
        var page = await Get("/v1/requests?limit=1&offset=1&status=OK");
        Assert.Equal((2, 1, 1), (page.GetProperty("pagination").GetProperty("total").GetInt64(),
            page.GetProperty("pagination").GetProperty("limit").GetInt32(), page.GetProperty("pagination").GetProperty("offset").GetInt32()));
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=1001", "limit")]
    [InlineData("?offset=1.5", "offset")]
    [InlineData("?sort_by=model", "sort_by")]
    [InlineData("?sort_order=newest", "sort_order")]
    [InlineData("?status=UNSET", "status")]
    [InlineData("?start_date=2026-01-01", "start_date")]
    [InlineData("?end_date=yesterday", "end_date")]
    [InlineData("?model=a&model=b", "model")]
    public async Task Invalid_parameters_name_the_offending_field(string query, string field)
    {
        var error = await ApiAssert.Error(await _server.Client.GetAsync("/v1/requests" + query), HttpStatusCode.BadRequest, "invalid_query_params");
        Assert.True(error.GetProperty("details").TryGetProperty(field, out _), error.ToString());
    }

    [Fact]
    public async Task The_filter_language_selects_requests_and_a_bad_filter_is_refused()
    {
        Assert.Equal([Otlp.SpanId(4), Otlp.SpanId(2)], await Ids("?filter=" + Uri.EscapeDataString("cost > 0.1")));
        Assert.Equal([Otlp.SpanId(3)], await Ids("?filter=" + Uri.EscapeDataString("""[{"field":"cost","operator":"lt","value":0.1}]""")));
        await ApiAssert.Error(await _server.Client.GetAsync("/v1/requests?filter=" + Uri.EscapeDataString("model > 1")), HttpStatusCode.BadRequest, "invalid_filter");
    }
}
