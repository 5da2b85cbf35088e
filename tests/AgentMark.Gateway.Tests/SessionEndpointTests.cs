using System.Net;
using System.Text.Json;

namespace AgentMark.Gateway.Tests;

/// <summary>GET /v1/sessions and the deprecated GET /v1/sessions/{id}/traces (wire-contract §8, ingestion §5.6).</summary>
public sealed class SessionEndpointTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    internal static string DoubleAttr(string key, double value) =>
        $"{{\"key\":\"{key}\",\"value\":{{\"doubleValue\":{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}}}";

    /// <summary>An AgentMark-SDK generation with an unpriced model, so the SDK-reported cost is stored as sent.</summary>
    internal static string Generation(int trace, int span, int? parent, long startMs, long durationMs, double cost, long input, long output, params string[] more) =>
        Otlp.JsonSpan(Otlp.TraceId(trace), Otlp.SpanId(span), parent: parent is { } p ? Otlp.SpanId(p) : null, name: "chat test-model", startMs: startMs, durationMs: durationMs,
            attributes: string.Join(",", [Otlp.StringAttr("gen_ai.request.model", "test-model"), Otlp.IntAttr("gen_ai.usage.input_tokens", input),
                Otlp.IntAttr("gen_ai.usage.output_tokens", output), DoubleAttr("agentmark.usage.cost_usd", cost), .. more]));

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync();
        var body = Otlp.JsonBody("agentmark",
            // Session chat-1: two turns; the generations carry no session id and still count.
            Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(1), name: "turn-1", startMs: 0, durationMs: 1000, status: 1, attributes: string.Join(",",
                Otlp.StringAttr("agentmark.session_id", "chat-1"), Otlp.StringAttr("agentmark.session_name", "Support chat"),
                Otlp.StringAttr("agentmark.user_id", "u1"), Otlp.StringAttr("agentmark.tags", "[\"prod\"]"))),
            Generation(1, 2, 1, startMs: 10, durationMs: 800, cost: 0.01, input: 100, output: 20),
            Otlp.JsonSpan(Otlp.TraceId(2), Otlp.SpanId(3), name: "turn-2", startMs: 60_000, durationMs: 500, attributes:
                Otlp.StringAttr("agentmark.session_id", "chat-1")),
            Generation(2, 4, 3, startMs: 60_010, durationMs: 400, cost: 0.02, input: 50, output: 10),
            // Session batch-7: named after its prompt.
            Generation(3, 5, null, startMs: 120_000, durationMs: 300, cost: 0.5, input: 10, output: 5,
                Otlp.StringAttr("agentmark.session_id", "batch-7"), Otlp.StringAttr("agentmark.prompt_name", "summarize.prompt"),
                Otlp.StringAttr("agentmark.user_id", "u2")),
            // Not sessions: "null" and no id.
            Otlp.JsonSpan(Otlp.TraceId(4), Otlp.SpanId(6), name: "nothing", startMs: 150_000, attributes: Otlp.StringAttr("agentmark.session_id", "null")),
            Otlp.JsonSpan(Otlp.TraceId(5), Otlp.SpanId(7), name: "plain", startMs: 160_000),
            // A padded id is trimmed; no session or prompt name, so the trace name names it.
            Otlp.JsonSpan(Otlp.TraceId(6), Otlp.SpanId(8), name: "span-name", startMs: 180_000, durationMs: 20, attributes: string.Join(",",
                Otlp.StringAttr("agentmark.session_id", "  padded  "), Otlp.StringAttr("agentmark.trace_name", "padded-trace"))));
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", body, "application/json"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> Get(string path) => await ApiAssert.Ok(await _server.Client.GetAsync(path));

    private async Task<string[]> Ids(string query) =>
        (await Get("/v1/sessions" + query)).GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToArray();

    [Fact]
    public async Task The_list_has_the_contract_shape_and_derived_values()
    {
        var body = await Get("/v1/sessions");
        var pagination = body.GetProperty("pagination");
        Assert.Equal((3, 50, 0), (pagination.GetProperty("total").GetInt64(), pagination.GetProperty("limit").GetInt32(), pagination.GetProperty("offset").GetInt32()));
        var sessions = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["padded", "batch-7", "chat-1"], sessions.Select(s => s.GetProperty("id").GetString()));

        var chat = sessions[2];
        Assert.Equal(["id", "name", "start", "end", "trace_count", "total_cost", "total_tokens", "latency_ms", "tags"],
            chat.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Support chat", chat.GetProperty("name").GetString());
        Assert.Equal("2026-01-01T00:00:00.000Z", chat.GetProperty("start").GetString());
        // The latest span start, not the latest end (which would be 00:01:00.500).
        Assert.Equal("2026-01-01T00:01:00.010Z", chat.GetProperty("end").GetString());
        Assert.Equal(2, chat.GetProperty("trace_count").GetInt64());
        // Sums over every span of both traces: a trace would report its largest span instead.
        Assert.Equal(0.03, chat.GetProperty("total_cost").GetDouble(), 12);
        Assert.Equal(180, chat.GetProperty("total_tokens").GetInt64());
        Assert.Equal(1000, chat.GetProperty("latency_ms").GetInt64());
        Assert.Equal(["prod"], chat.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        var batch = sessions[1];
        Assert.Equal("summarize.prompt", batch.GetProperty("name").GetString());
        Assert.False(batch.TryGetProperty("tags", out _));
        Assert.Equal(0.5, batch.GetProperty("total_cost").GetDouble());
        Assert.Equal(15, batch.GetProperty("total_tokens").GetInt64());
        Assert.Equal("padded-trace", sessions[0].GetProperty("name").GetString());
        Assert.Equal(0, sessions[0].GetProperty("total_cost").GetDouble());
    }

    [Theory]
    [InlineData("?sort_by=total_cost", "batch-7,chat-1,padded")]
    [InlineData("?sort_by=total_cost&sort_order=asc", "padded,chat-1,batch-7")]
    [InlineData("?sort_by=name&sort_order=asc", "chat-1,padded,batch-7")]
    [InlineData("?sort_by=trace_count", "chat-1,padded,batch-7")]
    [InlineData("?sort_by=total_tokens", "chat-1,batch-7,padded")]
    [InlineData("?sort_by=latency_ms&sort_order=asc", "padded,batch-7,chat-1")]
    [InlineData("?sort_by=start&sort_order=asc", "chat-1,batch-7,padded")]
    [InlineData("?sort_by=end", "padded,batch-7,chat-1")]
    [InlineData("?search=SUPPORT", "chat-1")]
    [InlineData("?search=pad", "padded")]
    [InlineData("?search=", "padded,batch-7,chat-1")]
    [InlineData("?user_id=u2", "batch-7")]
    [InlineData("?start_date=2026-01-01T00:02:00.000Z", "padded,batch-7")]
    [InlineData("?end_date=2026-01-01T00:02:00Z", "batch-7,chat-1")]
    [InlineData("?start_date=2026-01-01T00:00:30Z&end_date=2026-01-01T00:02:30Z", "batch-7")]
    public async Task Sessions_sort_and_filter(string query, string expected)
    {
        Assert.Equal(expected.Split(','), await Ids(query));
    }

    [Fact]
    public async Task Pages_carry_the_true_total()
    {
        var page = await Get("/v1/sessions?limit=1&offset=1");
        Assert.Equal(3, page.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(1, page.GetProperty("pagination").GetProperty("limit").GetInt32());
        Assert.Equal(["batch-7"], page.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var filtered = await Get("/v1/sessions?user_id=u1&limit=1");
        Assert.Equal(1, filtered.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(0, (await Get("/v1/sessions?offset=10")).GetProperty("data").GetArrayLength());
    }

    [Theory]
    [InlineData("/v1/sessions?limit=0", "limit")]
    [InlineData("/v1/sessions?limit=1001", "limit")]
    [InlineData("/v1/sessions?offset=-1", "offset")]
    [InlineData("/v1/sessions?limit=2&limit=3", "limit")]
    [InlineData("/v1/sessions?sort_by=cost", "sort_by")]
    [InlineData("/v1/sessions?sort_order=DESC", "sort_order")]
    [InlineData("/v1/sessions?start_date=2026-01-01", "start_date")]
    [InlineData("/v1/sessions?end_date=2026-01-01T00:00:00%2B01:00", "end_date")]
    [InlineData("/v1/sessions?end_date=2300-01-01T00:00:00Z", "end_date")]
    [InlineData("/v1/sessions?user_id=a&user_id=b", "user_id")]
    public async Task Invalid_parameters_name_the_offending_field(string path, string field)
    {
        var error = await ApiAssert.Error(await _server.Client.GetAsync(path), HttpStatusCode.BadRequest, "invalid_query_params");
        Assert.True(error.GetProperty("details").TryGetProperty(field, out _), error.ToString());
    }

    [Fact]
    public async Task Session_traces_are_deprecated_snake_case_and_not_stitched()
    {
        var response = await _server.Client.GetAsync("/v1/sessions/chat-1/traces?limit=abc");
        var body = await ApiAssert.Ok(response);
        Assert.Equal("true", response.Headers.GetValues("Deprecation").Single());
        Assert.Equal("Tue, 21 Oct 2026 00:00:00 GMT", response.Headers.GetValues("Sunset").Single());
        Assert.Equal("</v1/traces?session_id=chat-1>; rel=\"successor-version\"", response.Headers.GetValues("Link").Single());

        var traces = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([Otlp.TraceId(1), Otlp.TraceId(2)], traces.Select(t => t.GetProperty("id").GetString()));
        var first = traces[0];
        Assert.Equal(["id", "name", "status", "start", "end", "latency_ms", "cost", "tokens", "spans"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("turn-1", "OK", "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:01.000Z"),
            (first.GetProperty("name").GetString(), first.GetProperty("status").GetString(), first.GetProperty("start").GetString(), first.GetProperty("end").GetString()));
        // Trace numbers: the largest single span, not a sum.
        Assert.Equal(0.01, first.GetProperty("cost").GetDouble());
        Assert.Equal(120, first.GetProperty("tokens").GetInt64());
        Assert.Equal(1000, first.GetProperty("latency_ms").GetInt64());

        // Own spans only (no spans of turn-2), with the parent rolled up from its child.
        var spans = first.GetProperty("spans").EnumerateArray().ToList();
        Assert.Equal([Otlp.SpanId(1), Otlp.SpanId(2)], spans.Select(s => s.GetProperty("id").GetString()));
        Assert.All(spans, s => Assert.Equal(Otlp.TraceId(1), s.GetProperty("trace_id").GetString()));
        Assert.Equal("test-model", spans[0].GetProperty("model").GetString());
        Assert.Equal(120, spans[0].GetProperty("tokens").GetInt64());
        Assert.True(spans[0].TryGetProperty("prompt_name", out _));
        Assert.Equal(2, traces[1].GetProperty("spans").GetArrayLength());
    }

    [Fact]
    public async Task Session_traces_match_the_path_exactly_and_an_unknown_session_is_empty()
    {
        var unknown = await _server.Client.GetAsync("/v1/sessions/nope/traces");
        Assert.Equal(0, (await ApiAssert.Ok(unknown)).GetProperty("data").GetArrayLength());
        Assert.Equal("true", unknown.Headers.GetValues("Deprecation").Single());
        // The list shows the trimmed id; the traces route compares the stored value exactly.
        Assert.Equal(0, (await Get("/v1/sessions/padded/traces")).GetProperty("data").GetArrayLength());
        Assert.Equal(1, (await Get("/v1/sessions/%20%20padded%20%20/traces")).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Later_spans_of_a_session_trace_update_the_session()
    {
        // A tool span of turn-2 arrives in its own request, without a session id.
        var body = Otlp.JsonBody("agentmark", Generation(2, 9, 3, startMs: 61_000, durationMs: 5000, cost: 1, input: 1, output: 1));
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", body, "application/json"));

        var chat = (await Get("/v1/sessions?search=chat-1")).GetProperty("data")[0];
        Assert.Equal(1.03, chat.GetProperty("total_cost").GetDouble(), 12);
        Assert.Equal(182, chat.GetProperty("total_tokens").GetInt64());
        Assert.Equal(5000, chat.GetProperty("latency_ms").GetInt64());
        Assert.Equal("2026-01-01T00:01:01.000Z", chat.GetProperty("end").GetString());
        Assert.Equal(2, chat.GetProperty("trace_count").GetInt64());
    }
}
