using System.Net;
using System.Text;
using System.Text.Json;

namespace AgentMark.Gateway.Tests;

public sealed class IngestTests : IAsyncLifetime
{
    private GatewayServer _server = null!;
    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<long> StoredSpans() =>
        (await ApiAssert.Ok(await _server.Client.GetAsync("/v1/spans?limit=1"))).GetProperty("pagination").GetProperty("total").GetInt64();

    [Fact]
    public async Task The_captured_ai_sdk_payload_is_stored_and_readable()
    {
        var body = await File.ReadAllBytesAsync(Otlp.FixturePath("ai-sdk-v6-generateText-toolcall.otlp.json"));
        var ack = await ApiAssert.Ok(await _server.PostAsync("/v1/traces", body, "application/json"));
        Assert.True(Guid.TryParse(ack.GetProperty("data").GetProperty("requestId").GetString(), out _));
        Assert.False(ack.TryGetProperty("partialSuccess", out _));

        var list = await ApiAssert.Ok(await _server.Client.GetAsync("/v1/traces"));
        var trace = list.GetProperty("data").EnumerateArray().Single();
        Assert.Equal(1, list.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(4, trace.GetProperty("span_count").GetInt32());
        Assert.Equal("ai.generateText", trace.GetProperty("name").GetString());

        var detail = (await ApiAssert.Ok(await _server.Client.GetAsync($"/v1/traces/{trace.GetProperty("id").GetString()}"))).GetProperty("data");
        var spans = detail.GetProperty("spans").EnumerateArray().ToList();
        Assert.Equal(4, spans.Count);
        var generations = spans.Where(s => s.GetProperty("type").GetString() == "GENERATION").ToList();
        Assert.Equal(2, generations.Count);
        Assert.All(generations, g => Assert.False(string.IsNullOrEmpty(g.GetProperty("model").GetString())));
        Assert.Contains(spans, s => s.GetProperty("span_kind").GetString() == "tool");
        Assert.True(detail.GetProperty("tokens").GetInt64() > 0);
        Assert.True(detail.TryGetProperty("input", out _));
        Assert.True(detail.TryGetProperty("output", out _));
        // Timestamps: exactly three fractional digits and Z.
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", detail.GetProperty("start").GetString());
    }

    [Fact]
    public async Task Protobuf_and_gzip_bodies_are_accepted()
    {
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", Otlp.ProtobufBody(1, 3), "application/x-protobuf"));
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", Otlp.Gzip(Otlp.ProtobufBody(2, 2)), "application/x-protobuf", "gzip"));
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", Otlp.ProtobufBody(3, 1), "application/protobuf"));
        var json = Otlp.JsonBody("agentmark", Otlp.JsonSpan(Otlp.TraceId(4), Otlp.SpanId(1)));
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", Otlp.Gzip(json), "application/json; charset=utf-8", "gzip"));
        Assert.Equal(7, await StoredSpans());

        // Protobuf byte ids are stored as lower-case hex.
        var spans = await ApiAssert.Ok(await _server.Client.GetAsync($"/v1/traces/{Otlp.TraceId(1)}/spans"));
        Assert.Equal([Otlp.SpanId(1), Otlp.SpanId(2), Otlp.SpanId(3)], spans.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task The_request_id_header_is_echoed()
    {
        var ack = await ApiAssert.Ok(await _server.PostAsync("/v1/traces", Otlp.JsonBody("x"), "application/json", null, ("X-Request-Id", "req-42")));
        Assert.Equal("req-42", ack.GetProperty("data").GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task A_retried_export_is_stored_once()
    {
        var body = Otlp.ProtobufBody(9, 5);
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", body, "application/x-protobuf"));
        await ApiAssert.Ok(await _server.PostAsync("/v1/traces", body, "application/x-protobuf"));
        Assert.Equal(5, await StoredSpans());
    }

    [Fact]
    public async Task Bad_spans_are_rejected_individually_with_partial_success()
    {
        var good = Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(1));
        var noSpanId = Otlp.JsonSpan(Otlp.TraceId(1), "");
        var body = Otlp.JsonBody("agentmark", good, noSpanId);
        var ack = await ApiAssert.Ok(await _server.PostAsync("/v1/traces", body, "application/json"));
        var partial = ack.GetProperty("partialSuccess");
        Assert.Equal("1", partial.GetProperty("rejectedSpans").GetString());
        Assert.Contains("missing spanId", partial.GetProperty("errorMessage").GetString());
        Assert.Equal(1, await StoredSpans());
    }

    public static TheoryData<string, string, string?, byte[], int, string> BadRequests()
    {
        var validJson = Otlp.JsonBody("x", Otlp.JsonSpan(Otlp.TraceId(1), Otlp.SpanId(1)));
        var validProto = Otlp.ProtobufBody(1, 2);
        return new()
        {
            { "malformed json", "application/json", null, Encoding.UTF8.GetBytes("{\"resourceSpans\": [ {"), 400, "invalid_otlp_payload" },
            { "json that is not an object", "application/json", null, Encoding.UTF8.GetBytes("[1,2]"), 400, "invalid_otlp_payload" },
            { "missing resourceSpans", "application/json", null, Encoding.UTF8.GetBytes("{\"spans\":[]}"), 400, "invalid_otlp_payload" },
            { "resourceSpans not an array", "application/json", null, Encoding.UTF8.GetBytes("{\"resourceSpans\":{}}"), 400, "invalid_otlp_payload" },
            { "empty json body", "application/json", null, [], 400, "invalid_otlp_payload" },
            { "truncated protobuf", "application/x-protobuf", null, validProto[..(validProto.Length / 2)], 400, "protobuf_decode_failed" },
            { "garbage protobuf", "application/x-protobuf", null, [0xff, 0xff, 0xff, 0xff, 0x0f, 0x01], 400, "protobuf_decode_failed" },
            { "unknown content type", "text/plain", null, validJson, 400, "invalid_request_body" },
            { "bad gzip json", "application/json", "gzip", Encoding.UTF8.GetBytes("not gzip at all"), 400, "invalid_otlp_payload" },
            { "bad gzip protobuf", "application/x-protobuf", "gzip", [0x1f, 0x8b, 0x08, 0, 0, 0], 400, "protobuf_decode_failed" },
            { "truncated gzip", "application/json", "gzip", Otlp.Gzip(validJson)[..20], 400, "invalid_otlp_payload" },
            { "unsupported encoding", "application/json", "br", validJson, 415, "unsupported_content_encoding" },
            { "oversized body", "application/json", null, new byte[10 * 1024 * 1024 + 10], 413, "payload_too_large" },
            { "gzip bomb", "application/json", "gzip", Otlp.Gzip(new byte[40 * 1024 * 1024]), 413, "payload_too_large" },
        };
    }

    [Theory]
    // Not enumerated at discovery: xunit would serialize the 10 MiB and 40 MiB bodies into the test list (GBs of memory).
    [MemberData(nameof(BadRequests), DisableDiscoveryEnumeration = true)]
    public async Task Bad_requests_get_a_precise_error_and_store_nothing(string _, string contentType, string? encoding, byte[] body, int status, string code)
    {
        await ApiAssert.Error(await _server.PostAsync("/v1/traces", body, contentType, encoding), (HttpStatusCode)status, code);
        Assert.Equal(0, await StoredSpans());
    }

    [Fact]
    public async Task A_missing_content_type_is_rejected()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = new ByteArrayContent(Otlp.JsonBody("x")) };
        await ApiAssert.Error(await _server.Client.SendAsync(request), HttpStatusCode.BadRequest, "invalid_request_body");
    }

    [Fact]
    public async Task Protobuf_ids_of_the_wrong_length_are_rejected_and_nothing_is_stored()
    {
        var request = new AgentMark.Ingest.Otlp.Proto.Collector.Trace.V1.ExportTraceServiceRequest();
        var resource = new AgentMark.Ingest.Otlp.Proto.Trace.V1.ResourceSpans();
        var scope = new AgentMark.Ingest.Otlp.Proto.Trace.V1.ScopeSpans();
        scope.Spans.Add(new AgentMark.Ingest.Otlp.Proto.Trace.V1.Span
        {
            TraceId = Google.Protobuf.ByteString.CopyFrom(new byte[] { 1, 2, 3 }),
            SpanId = Google.Protobuf.ByteString.CopyFrom(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }),
            StartTimeUnixNano = 1,
            EndTimeUnixNano = 2,
        });
        resource.ScopeSpans.Add(scope);
        request.ResourceSpans.Add(resource);
        var ack = await ApiAssert.Ok(await _server.PostAsync("/v1/traces", Google.Protobuf.MessageExtensions.ToByteArray(request), "application/x-protobuf"));
        Assert.Equal("1", ack.GetProperty("partialSuccess").GetProperty("rejectedSpans").GetString());
        Assert.Equal(0, await StoredSpans());
    }

    [Fact]
    public async Task Legacy_sdk_rows_are_stored_with_exact_nanoseconds()
    {
        const long start = 1_767_225_601_834_123_457; // above 2^53: a double would lose the last digits
        var rows = $$"""
            [{"Timestamp":{{start}},"TraceId":"{{Otlp.TraceId(7)}}","SpanId":"{{Otlp.SpanId(1)}}","ParentSpanId":"","TraceState":"",
              "SpanName":"ai.generateText.doGenerate","SpanKind":2,"ServiceName":"app","ResourceAttributes":{"service.name":"app"},
              "SpanAttributes":{"end_time":{{start + 1_500_000_000}},"gen_ai.request.model":"gpt-4o-mini","gen_ai.usage.input_tokens":12,
                                "gen_ai.usage.output_tokens":3,"ai.response.text":"hi","ai.telemetry.metadata.session_id":"sess-1"},
              "Duration":1500,"StatusCode":1,"StatusMessage":"","Events.Timestamp":[],"Events.Name":[],"Events.Attributes":[],
              "Links.TraceId":[],"Links.SpanId":[],"Links.TraceState":[],"Links.Attributes":[]},
             {"TraceId":"{{Otlp.TraceId(7)}}","SpanId":"{{Otlp.SpanId(2)}}","SpanName":"no timestamp"}]
            """;
        var ack = await ApiAssert.Ok(await _server.PostAsync("/v1/export-traces", Encoding.UTF8.GetBytes(rows), "application/json",
            null, ("Authorization", "undefined"), ("X-Agentmark-App-Id", "undefined")));
        Assert.Equal("1", ack.GetProperty("partialSuccess").GetProperty("rejectedSpans").GetString());

        var spans = (await ApiAssert.Ok(await _server.Client.GetAsync($"/v1/traces/{Otlp.TraceId(7)}"))).GetProperty("data").GetProperty("spans");
        var span = spans.EnumerateArray().Single();
        Assert.Equal("GENERATION", span.GetProperty("type").GetString());
        Assert.Equal("gpt-4o-mini", span.GetProperty("model").GetString());
        Assert.Equal(1500, span.GetProperty("duration_ms").GetInt64());
        Assert.Equal("2026-01-01T00:00:01.834Z", span.GetProperty("timestamp").GetString());
        var sessions = await ApiAssert.Ok(await _server.Client.GetAsync("/v1/traces?session_id=sess-1"));
        Assert.Equal(1, sessions.GetProperty("pagination").GetProperty("total").GetInt64());

        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_server.DataDir, "agentmark.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT start_ns FROM spans";
        Assert.Equal(start, (long)(await command.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData("not json", "invalid_request_body")]
    [InlineData("{\"TraceId\":\"x\"}", "invalid_request_body")]
    public async Task Legacy_rows_that_are_not_a_json_array_are_rejected(string body, string code)
    {
        await ApiAssert.Error(await _server.PostAsync("/v1/export-traces", Encoding.UTF8.GetBytes(body), "application/json"), HttpStatusCode.BadRequest, code);
        Assert.Equal(0, await StoredSpans());
    }
}
