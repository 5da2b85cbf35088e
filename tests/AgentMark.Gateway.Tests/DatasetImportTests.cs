using System.Net;
using System.Text;
using System.Text.Json;

namespace AgentMark.Gateway.Tests;

/// <summary>POST /v1/datasets/{name}/rows/from-traces and /from-spans with spans ingested over OTLP.</summary>
public sealed class DatasetImportTests : IAsyncLifetime
{
    private GatewayServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync();
        // Trace 1: a prompt run whose root carries template variables and metadata, with a model call.
        // Trace 2: a plain model call, no props.
        var body = Otlp.JsonBody("agentmark",
            Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(1), name: "answer", durationMs: 900, status: 1, attributes: string.Join(",",
                Otlp.StringAttr("agentmark.props", """{"ticket":"refund"}"""), Otlp.StringAttr("agentmark.metadata.source", "support"))),
            Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(2), parent: Otlp.SpanId(1), name: "chat gpt-4o", startMs: 10, durationMs: 500, attributes: string.Join(",",
                Otlp.StringAttr("gen_ai.operation.name", "chat"), Otlp.StringAttr("gen_ai.request.model", "gpt-4o"),
                Otlp.StringAttr("gen_ai.request.input", "Refund please"), Otlp.StringAttr("gen_ai.response.output", "Refund issued"))),
            Otlp.JsonSpan(Otlp.TraceId(2), Otlp.SpanId(3), name: "chat gpt-4o", startMs: 2000, durationMs: 100, attributes: string.Join(",",
                Otlp.StringAttr("gen_ai.operation.name", "chat"), Otlp.StringAttr("gen_ai.request.model", "gpt-4o"),
                Otlp.StringAttr("gen_ai.request.input", "Hello"), Otlp.StringAttr("gen_ai.response.output", """{"greeting":"hi"}"""))));
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", body, "application/json"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> Post(string path, string json) => _server.PostAsync(path, Encoding.UTF8.GetBytes(json), "application/json");

    private string[] Lines(string relative) =>
        File.ReadAllText(Path.Combine(_server.ProjectDir, "agentmark", relative)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Traces_import_with_the_default_mapping()
    {
        var response = await Post("/v1/datasets/imports%2Ftraces/rows/from-traces", $$"""{"trace_ids":["{{Otlp.TraceId(1)}}","{{Otlp.TraceId(2)}}"],"ignored":true}""");
        var data = (await ApiAssert.Ok(response, HttpStatusCode.Created)).GetProperty("data");
        Assert.Equal(2, data.GetProperty("added").GetInt32());
        var results = data.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([Otlp.TraceId(1), Otlp.TraceId(2)], results.Select(r => r.GetProperty("source_id").GetString()));
        Assert.All(results, r => Assert.Equal("created", r.GetProperty("status").GetString()));
        Assert.Equal([0L, 1L], results.Select(r => r.GetProperty("line_number").GetInt64()));
        Assert.All(results, r => Assert.False(r.TryGetProperty("error", out _)));

        var lines = Lines("imports/traces.jsonl");
        // Props win as the input; the trace output is the expected output, JSON-parsed when it parses.
        Assert.Equal("""{"input":{"ticket":"refund"},"expected_output":"Refund issued","metadata":{}}""", lines[0]);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("hi", second.RootElement.GetProperty("expected_output").GetProperty("greeting").GetString());
        Assert.Equal(JsonValueKind.Array, second.RootElement.GetProperty("input").ValueKind); // the messages, no props
    }

    [Fact]
    public async Task An_explicit_mapping_and_per_item_failures_answer_207()
    {
        var response = await Post("/v1/datasets/imports%2Fmapped/rows/from-traces", $$$"""
            {"trace_ids":["{{{Otlp.TraceId(1)}}}","nope","{{{Otlp.TraceId(2)}}}","{{{Otlp.TraceId(1)}}}"],
             "mapping":{"input":"$.spans[1].output","expected_output":"$.root_span.name",
                        "metadata":{"trace":"$.id","source":"$.metadata.source","gone":"$.metadata.nothing.deeper","status":"$.status"} } }
            """);
        var data = (await ApiAssert.Ok(response, HttpStatusCode.MultiStatus)).GetProperty("data");
        Assert.Equal(2, data.GetProperty("added").GetInt32());
        var results = data.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["created", "failed", "failed", "created"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("Source not found", results[1].GetProperty("error").GetString());
        Assert.Equal("Mapping path \"$.spans[1].output\" did not resolve to an input value", results[2].GetProperty("error").GetString());
        Assert.False(results[1].TryGetProperty("line_number", out _));
        Assert.Equal([0L, 1L], new[] { results[0], results[3] }.Select(r => r.GetProperty("line_number").GetInt64()));
        var lines = Lines("imports/mapped.jsonl");
        Assert.Equal(2, lines.Length);
        Assert.Equal($$$"""{"input":"Refund issued","expected_output":"answer","metadata":{"trace":"{{{Otlp.TraceId(1)}}}","source":"support","status":"OK"}}""", lines[0]);
    }

    [Fact]
    public async Task A_path_not_starting_with_dollar_fails_the_item_and_all_failed_is_still_207()
    {
        var response = await Post("/v1/datasets/imports%2Fbad/rows/from-traces", $$$"""{"trace_ids":["{{{Otlp.TraceId(1)}}}"],"mapping":{"input":"input"}}""");
        var data = (await ApiAssert.Ok(response, HttpStatusCode.MultiStatus)).GetProperty("data");
        Assert.Equal(0, data.GetProperty("added").GetInt32());
        Assert.Equal("Invalid path \"input\"", data.GetProperty("results")[0].GetProperty("error").GetString());
        Assert.False(File.Exists(Path.Combine(_server.ProjectDir, "agentmark", "imports", "bad.jsonl")) && Lines("imports/bad.jsonl").Length > 0);
    }

    [Fact]
    public async Task Spans_import_prefers_props_then_input()
    {
        var response = await Post("/v1/datasets/imports%2Fspans/rows/from-spans", $$"""{"span_ids":["{{Otlp.SpanId(1)}}","{{Otlp.SpanId(3)}}","{{Otlp.SpanId(9)}}"]}""");
        var data = (await ApiAssert.Ok(response, HttpStatusCode.MultiStatus)).GetProperty("data");
        Assert.Equal(["created", "created", "failed"], data.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        var lines = Lines("imports/spans.jsonl");
        Assert.StartsWith("""{"input":{"ticket":"refund"},""", lines[0]);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(JsonValueKind.Array, second.RootElement.GetProperty("input").ValueKind);
        Assert.Equal("hi", second.RootElement.GetProperty("expected_output").GetProperty("greeting").GetString());

        var mapped = await Post("/v1/datasets/imports%2Fspans/rows/from-spans", $$$"""{"span_ids":["{{{Otlp.SpanId(2)}}}"],"mapping":{"input":"$.model","metadata":{"parent":"$.parent_id","kind":"$.span_kind"} } }""");
        var created = (await ApiAssert.Ok(mapped, HttpStatusCode.Created)).GetProperty("data").GetProperty("results")[0];
        Assert.Equal(2, created.GetProperty("line_number").GetInt64());
        Assert.Equal($$$"""{"input":"gpt-4o","expected_output":"Refund issued","metadata":{"parent":"{{{Otlp.SpanId(1)}}}","kind":"llm"}}""", Lines("imports/spans.jsonl")[2]);
    }

    [Theory]
    [InlineData("""{}""", "trace_ids")]
    [InlineData("""{"trace_ids":[]}""", "trace_ids")]
    [InlineData("""{"trace_ids":"abc"}""", "trace_ids")]
    [InlineData("""{"trace_ids":["a",""]}""", "trace_ids.1")]
    [InlineData("""{"trace_ids":["a",5]}""", "trace_ids.1")]
    [InlineData("""{"trace_ids":["a"],"mapping":[]}""", "mapping")]
    [InlineData("""{"trace_ids":["a"],"mapping":{"input":""}}""", "mapping.input")]
    [InlineData("""{"trace_ids":["a"],"mapping":{"metadata":{"k":1}}}""", "mapping.metadata.k")]
    [InlineData("""[1]""", "_")]
    [InlineData("""{"trace_ids":""", "_")]
    public async Task Bad_import_bodies_are_400(string body, string field)
    {
        var error = await ApiAssert.Error(await Post("/v1/datasets/imports%2Fnever/rows/from-traces", body), HttpStatusCode.BadRequest, "invalid_request_body");
        Assert.True(error.GetProperty("details").TryGetProperty(field, out _), error.ToString());
        Assert.False(File.Exists(Path.Combine(_server.ProjectDir, "agentmark", "imports", "never.jsonl")));
    }

    [Fact]
    public async Task More_than_100_ids_are_refused()
    {
        var ids = string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"id{i}\""));
        var error = await ApiAssert.Error(await Post("/v1/datasets/imports%2Fnever/rows/from-spans", $$"""{"span_ids":[{{ids}}]}"""), HttpStatusCode.BadRequest, "invalid_request_body");
        Assert.True(error.GetProperty("details").TryGetProperty("span_ids", out _));
    }

    [Fact]
    public async Task Another_app_does_not_see_the_sources()
    {
        await using var server = await GatewayServer.StartAsync("--AgentMark:Apps:0=other");
        await ApiAssert.Ok(await server.PostAsync("/v1/traces", Otlp.JsonBody("agentmark", Otlp.JsonSpan(Otlp.TraceId(7), Otlp.SpanId(7), attributes: Otlp.StringAttr("agentmark.props", """{"a":1}"""))), "application/json"));
        var response = await server.PostAsync("/v1/datasets/x/rows/from-traces", Encoding.UTF8.GetBytes($$"""{"trace_ids":["{{Otlp.TraceId(7)}}"]}"""), "application/json",
            headers: ("X-Agentmark-App-Id", "other"));
        var data = (await ApiAssert.Ok(response, HttpStatusCode.MultiStatus)).GetProperty("data");
        Assert.Equal("Source not found", data.GetProperty("results")[0].GetProperty("error").GetString());
    }
}
