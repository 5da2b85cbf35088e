using System.Net;
using System.Text.Json;

namespace AgentMark.Gateway.Tests;

/// <summary>
/// Session stitching in the trace detail (wire-contract §6.3, ingestion §5.5), the graph projections
/// next to it, and the deprecated run alias (wire-contract §15.5).
/// </summary>
public sealed class TraceStitchingTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync();
        var body = Otlp.JsonBody("agentmark",
            // Trace 1: the agent process, its generation late. Trace 2: a worker process of the same session,
            // starting before trace 1's generation.
            Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(1), name: "invoke_agent planner", startMs: 0, durationMs: 2000, attributes: string.Join(",",
                Otlp.StringAttr("agentmark.session_id", "run-s"), Otlp.StringAttr("agentmark.metadata.graph.node.id", "plan"))),
            SessionEndpointTests.Generation(1, 2, 1, startMs: 1000, durationMs: 100, cost: 0.1, input: 10, output: 10,
                Otlp.StringAttr("gen_ai.request.input", "from A"), Otlp.StringAttr("gen_ai.response.output", "A says"),
                Otlp.StringAttr("agentmark.metadata.graph.node.id", "answer"), Otlp.StringAttr("agentmark.metadata.graph.node.parent_ids", "[\"plan\",\"search\"]")),
            Otlp.JsonSpan(Otlp.TraceId(2), Otlp.SpanId(3), name: "worker", startMs: 500, durationMs: 100, attributes: string.Join(",",
                Otlp.StringAttr("agentmark.session_id", "run-s"), Otlp.StringAttr("agentmark.metadata.graph.node.id", "search"))),
            SessionEndpointTests.Generation(2, 4, 3, startMs: 510, durationMs: 50, cost: 0.7, input: 300, output: 30,
                Otlp.StringAttr("gen_ai.request.input", "from B"), Otlp.StringAttr("gen_ai.response.output", "B says")),
            Otlp.JsonSpan(Otlp.TraceId(3), Otlp.SpanId(5), name: "solo", startMs: 3000),
            Otlp.JsonSpan(Otlp.TraceId(4), Otlp.SpanId(6), name: "item-1", startMs: 4000, attributes: Otlp.StringAttr("agentmark.dataset_run_id", "exp-1")),
            Otlp.JsonSpan(Otlp.TraceId(5), Otlp.SpanId(7), name: "item-2", startMs: 5000, attributes: Otlp.StringAttr("agentmark.dataset_run_id", "exp-1")));
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", body, "application/json"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> Get(string path) => await ApiAssert.Ok(await _server.Client.GetAsync(path));

    private static string FirstContent(JsonElement detail, string field) =>
        JsonDocument.Parse(detail.GetProperty(field).GetString()!).RootElement[0].GetProperty("content").GetString()!;

    [Fact]
    public async Task The_sessions_other_traces_follow_the_own_spans_under_the_agent_root()
    {
        var detail = (await Get($"/v1/traces/{Otlp.TraceId(1)}")).GetProperty("data");
        var spans = detail.GetProperty("spans").EnumerateArray().ToList();
        // Own spans by start, then the stitched ones by start; the combined list is not re-sorted.
        Assert.Equal([Otlp.SpanId(1), Otlp.SpanId(2), Otlp.SpanId(3), Otlp.SpanId(4)], spans.Select(s => s.GetProperty("id").GetString()));
        Assert.Equal([Otlp.TraceId(1), Otlp.TraceId(1), Otlp.TraceId(2), Otlp.TraceId(2)], spans.Select(s => s.GetProperty("trace_id").GetString()));
        Assert.Equal(Otlp.SpanId(1), spans[2].GetProperty("parent_id").GetString()); // re-parented in the response only
        Assert.Equal(Otlp.SpanId(3), spans[3].GetProperty("parent_id").GetString());
        Assert.Equal("B says", spans[3].GetProperty("output").GetString());

        // Summary numbers are the trace's own; the I/O derivation runs over the combined list, generations in start order.
        Assert.Equal((0.1, 20L, "2026-01-01T00:00:02.000Z"), (detail.GetProperty("cost").GetDouble(), detail.GetProperty("tokens").GetInt64(), detail.GetProperty("end").GetString()));
        Assert.Equal("from B", FirstContent(detail, "input"));
        Assert.Equal("A says", detail.GetProperty("output").GetString());

        // Storage is untouched: the worker trace still has its own root.
        var worker = (await Get($"/v1/traces/{Otlp.TraceId(2)}/spans")).GetProperty("data");
        Assert.Equal(JsonValueKind.Null, worker[0].GetProperty("parent_id").ValueKind);
    }

    [Fact]
    public async Task Without_an_invoke_agent_root_the_stitched_roots_stay_roots()
    {
        var detail = (await Get($"/v1/traces/{Otlp.TraceId(2)}")).GetProperty("data");
        var spans = detail.GetProperty("spans").EnumerateArray().ToList();
        Assert.Equal([Otlp.SpanId(3), Otlp.SpanId(4), Otlp.SpanId(1), Otlp.SpanId(2)], spans.Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, spans[2].GetProperty("parent_id").ValueKind);
        Assert.Equal((0.7, 330L), (detail.GetProperty("cost").GetDouble(), detail.GetProperty("tokens").GetInt64()));
        Assert.Equal("worker", detail.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_trace_outside_any_session_shows_only_its_spans()
    {
        var spans = (await Get($"/v1/traces/{Otlp.TraceId(3)}")).GetProperty("data").GetProperty("spans");
        Assert.Equal([Otlp.SpanId(5)], spans.EnumerateArray().Select(s => s.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Session_traces_list_each_trace_with_its_own_spans_only()
    {
        var traces = (await Get("/v1/sessions/run-s/traces")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([Otlp.TraceId(1), Otlp.TraceId(2)], traces.Select(t => t.GetProperty("id").GetString()));
        Assert.Equal([Otlp.SpanId(1), Otlp.SpanId(2)], traces[0].GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal([Otlp.SpanId(3), Otlp.SpanId(4)], traces[1].GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, traces[1].GetProperty("spans")[0].GetProperty("parent_id").ValueKind);
    }

    [Fact]
    public async Task The_graph_is_built_from_the_traces_own_spans()
    {
        var graph = (await Get($"/v1/traces/{Otlp.TraceId(1)}?fields=graph")).GetProperty("data").GetProperty("graph").EnumerateArray().ToList();
        // One row per parent of "answer"; the stitched worker's "search" node is not a node of this trace.
        Assert.Equal(["plan", "answer", "answer"], graph.Select(n => n.GetProperty("nodeId").GetString()));
        Assert.Equal([null, "plan", "search"], graph.Select(n => n.TryGetProperty("parentNodeId", out var p) ? p.GetString() : null));
        Assert.Equal(["invoke_agent planner", "chat test-model", "chat test-model"], graph.Select(n => n.GetProperty("spanName").GetString()));
        Assert.All(graph, n => Assert.Equal("", n.GetProperty("nodeType").GetString()));

        var response = await _server.Client.GetAsync($"/v1/traces/{Otlp.TraceId(1)}/graph");
        Assert.Equal(3, (await ApiAssert.Ok(response)).GetProperty("data").GetArrayLength());
        Assert.Equal($"</v1/traces/{Otlp.TraceId(1)}?fields=graph>; rel=\"successor-version\"", response.Headers.GetValues("Link").Single());
        Assert.Equal("Tue, 21 Oct 2026 00:00:00 GMT", response.Headers.GetValues("Sunset").Single());
    }

    [Fact]
    public async Task The_run_alias_lists_the_runs_traces_with_deprecation_headers()
    {
        var response = await _server.Client.GetAsync("/v1/runs/exp-1/traces");
        var body = await ApiAssert.Ok(response);
        Assert.Equal([Otlp.TraceId(5), Otlp.TraceId(4)], body.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal("item-2", body.GetProperty("data")[0].GetProperty("name").GetString());
        Assert.Equal(2, body.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal("true", response.Headers.GetValues("Deprecation").Single());
        Assert.Equal("</v1/traces?dataset_run_id=exp-1>; rel=\"successor-version\"", response.Headers.GetValues("Link").Single());

        var page = await Get("/v1/runs/exp-1/traces?limit=200&offset=1");
        Assert.Equal((2L, 200, 1), (page.GetProperty("pagination").GetProperty("total").GetInt64(), page.GetProperty("pagination").GetProperty("limit").GetInt32(),
            page.GetProperty("pagination").GetProperty("offset").GetInt32()));
        var error = await ApiAssert.Error(await _server.Client.GetAsync("/v1/runs/exp-1/traces?limit=201"), HttpStatusCode.BadRequest, "invalid_query_params");
        Assert.True(error.GetProperty("details").TryGetProperty("limit", out _));
        var missing = await ApiAssert.Error(await _server.Client.GetAsync("/v1/runs/nope/traces"), HttpStatusCode.NotFound, "not_found");
        Assert.Equal("Run not found", missing.GetProperty("message").GetString());
    }
}
