using System.Text.Json.Nodes;
using AgentMark.Ingest.Legacy;
using AgentMark.Ingest.Otlp;
using static AgentMark.Ingest.Tests.TestData;

namespace AgentMark.Ingest.Tests;

/// <summary>POST /v1/export-traces rows of @agentmark/sdk 4.x (legacy-sdk-endpoints.md).</summary>
public sealed class LegacyRowDecoderTests
{
    private static DecodeResult Decode(string json) => LegacyRowDecoder.Decode(Utf8(json));

    private static string Row(string extra = "") =>
        """{"Timestamp":1767225601834123456,"TraceId":"0123456789ABCDEF0123456789ABCDEF","SpanId":"89ABCDEF01234567","ParentSpanId":"","TraceState":"","SpanName":"ai.generateText","SpanKind":0,"ServiceName":"","StatusMessage":"","ResourceAttributes":{},"SpanAttributes":{},"Duration":0,"StatusCode":0"""
        + (extra.Length > 0 ? "," + extra : "") + "}";

    private static AgentMark.Core.Spans.DecodedSpan Single(string json)
    {
        var result = Decode(json);
        Assert.Equal(0, result.RejectedCount);
        return Assert.Single(result.Spans);
    }

    [Fact]
    public void A_real_sdk_row_decodes_exactly()
    {
        var json = """
            [{"Timestamp":1767225601834123456,
              "TraceId":"0123456789ABCDEF0123456789ABCDEF","SpanId":"89ABCDEF01234567","ParentSpanId":"fedcba9876543210",
              "TraceState":"","SpanName":"ai.generateText.doGenerate","SpanKind":2,"ServiceName":"my-app",
              "ResourceAttributes":{"service.name":"my-app","telemetry.sdk.language":"nodejs","process.pid":4242},
              "SpanAttributes":{"ai.model.id":"gpt-4o","ai.usage.promptTokens":12,"ai.settings.temperature":0.7,
                                "ai.stream":false,"ai.response.finishReason":"stop","tags":["a","b"],
                                "ai.telemetry.metadata.props":{"k":1,"n":null},"nothing":null,
                                "end_time":1767225601934987654},
              "Duration":100,"StatusCode":2,"StatusMessage":"failed",
              "Events.Timestamp":[1767225601835000001,1767225601836000002],
              "Events.Name":["ai.stream.firstChunk","exception"],
              "Events.Attributes":[{"ai.response.msToFirstChunk":1.5},{"exception.message":"boom"}],
              "Links.TraceId":["AAAAAAAAAAAAAAAAAAAAAA==","trace-x"],"Links.SpanId":["0102030405060708","s"],
              "Links.TraceState":[{"entries":{}},"a=b"],"Links.Attributes":[{},{"l":true}]}]
            """;
        var span = Single(json);
        Assert.Equal("0123456789abcdef0123456789abcdef", span.TraceId);
        Assert.Equal("89abcdef01234567", span.SpanId);
        Assert.Equal("fedcba9876543210", span.ParentSpanId);
        Assert.Null(span.TraceState);
        Assert.Equal("ai.generateText.doGenerate", span.Name);
        Assert.Equal("3", span.Kind); // CLIENT: JS enum 2 + 1
        Assert.Equal(1767225601834123456, span.StartTimeUnixNano);
        Assert.Equal(1767225601934987654, span.EndTimeUnixNano);
        Assert.Equal("2", span.StatusCode);
        Assert.Equal("failed", span.StatusMessage);
        Assert.Equal("ai", span.ScopeName);
        Assert.Null(span.ScopeVersion);

        Assert.Equal("my-app", AsString(span.ResourceAttributes["service.name"]));
        Assert.Equal(4242, AsLong(span.ResourceAttributes["process.pid"]));

        Assert.False(span.SpanAttributes.ContainsKey("end_time"));
        Assert.Equal(["ai.model.id", "ai.usage.promptTokens", "ai.settings.temperature", "ai.stream", "ai.response.finishReason", "tags",
            "ai.telemetry.metadata.props", "nothing"], span.SpanAttributes.Keys);
        Assert.Equal("gpt-4o", AsString(span.SpanAttributes["ai.model.id"]));
        Assert.Equal(12, AsLong(span.SpanAttributes["ai.usage.promptTokens"]));
        Assert.Equal(0.7, AsDouble(span.SpanAttributes["ai.settings.temperature"]));
        Assert.False(AsBool(span.SpanAttributes["ai.stream"]));
        Assert.Equal("""["a","b"]""", Assert.IsType<JsonArray>(span.SpanAttributes["tags"]).ToJsonString());
        Assert.Equal("""{"k":1,"n":null}""", Assert.IsType<JsonObject>(span.SpanAttributes["ai.telemetry.metadata.props"]).ToJsonString());
        Assert.Null(span.SpanAttributes["nothing"]);

        Assert.Equal(2, span.Events.Count);
        Assert.Equal((1767225601835000001L, "ai.stream.firstChunk"), (span.Events[0].TimeUnixNano, span.Events[0].Name));
        Assert.Equal(1.5, AsDouble(span.Events[0].Attributes["ai.response.msToFirstChunk"]));
        Assert.Equal((1767225601836000002L, "exception"), (span.Events[1].TimeUnixNano, span.Events[1].Name));
        Assert.Equal("boom", AsString(span.Events[1].Attributes["exception.message"]));

        Assert.Equal(2, span.Links.Count);
        Assert.Equal(("00000000000000000000000000000000", "0102030405060708", null), (span.Links[0].TraceId, span.Links[0].SpanId, span.Links[0].TraceState));
        Assert.Equal(("trace-x", "s", "a=b"), (span.Links[1].TraceId, span.Links[1].SpanId, span.Links[1].TraceState));
        Assert.True(AsBool(span.Links[1].Attributes["l"]));
    }

    [Fact]
    public void Timestamp_above_2_pow_53_is_exact()
    {
        var span = Single("[" + Row() + "]");
        Assert.Equal(1767225601834123456, span.StartTimeUnixNano);
        // Through double it would have become ...834123520.
        Assert.NotEqual((long)(double)1767225601834123456, span.StartTimeUnixNano);
    }

    [Fact]
    public void Without_end_time_the_end_is_timestamp_plus_duration_ms()
    {
        var span = Single("[" + Row("\"Duration\":250") + "]");
        Assert.Equal(1767225601834123456 + 250_000_000, span.EndTimeUnixNano);
        Assert.Empty(span.SpanAttributes);
    }

    [Theory]
    [InlineData("\"SpanAttributes\":{\"end_time\":\"soon\",\"a\":1},\"Duration\":3")]
    [InlineData("\"SpanAttributes\":{\"end_time\":-5,\"a\":1},\"Duration\":3")]
    [InlineData("\"SpanAttributes\":{\"end_time\":null,\"a\":1},\"Duration\":3")]
    public void Unusable_end_time_falls_back_to_duration_and_is_still_removed(string extra)
    {
        var span = Single("[" + Row(extra) + "]");
        Assert.Equal(1767225601834123456 + 3_000_000, span.EndTimeUnixNano);
        Assert.Equal(["a"], span.SpanAttributes.Keys);
    }

    [Fact]
    public void End_time_as_digit_string_is_accepted()
    {
        var span = Single("[" + Row("\"SpanAttributes\":{\"end_time\":\"1767225601999999999\"}") + "]");
        Assert.Equal(1767225601999999999, span.EndTimeUnixNano);
    }

    [Fact]
    public void Without_end_time_or_duration_the_end_is_the_start()
    {
        var json = """[{"Timestamp":5,"TraceId":"t","SpanId":"s"}]""";
        var span = Single(json);
        Assert.Equal((5L, 5L), (span.StartTimeUnixNano, span.EndTimeUnixNano));
        Assert.Equal(("", "0", "0"), (span.Name, span.Kind, span.StatusCode));
        Assert.Empty(span.ResourceAttributes);
        Assert.Empty(span.SpanAttributes);
    }

    [Theory]
    [InlineData(0, "1")]
    [InlineData(1, "2")]
    [InlineData(2, "3")]
    [InlineData(3, "4")]
    [InlineData(4, "5")]
    public void Span_kind_is_shifted_by_one(int jsKind, string stored)
    {
        Assert.Equal(stored, Single("[" + Row($"\"SpanKind\":{jsKind}") + "]").Kind);
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("1", "1")]
    [InlineData("2", "2")]
    [InlineData("\"ERROR\"", "2")]
    [InlineData("7", "7")]
    public void Status_codes_are_the_same_in_both_numberings(string token, string stored)
    {
        Assert.Equal(stored, Single("[" + Row($"\"StatusCode\":{token}") + "]").StatusCode);
    }

    [Theory]
    [InlineData("\"ParentSpanId\":\"\"")]
    [InlineData("\"ParentSpanId\":\"0000000000000000\"")]
    [InlineData("\"ParentSpanId\":null")]
    public void Empty_or_zero_parent_is_a_root(string parent)
    {
        Assert.Null(Single("[" + Row(parent) + "]").ParentSpanId);
    }

    [Fact]
    public void Trace_state_object_is_null_and_text_is_kept()
    {
        Assert.Null(Single("[" + Row("\"TraceState\":{\"_internalState\":{}}") + "]").TraceState);
        Assert.Equal("k=v", Single("[" + Row("\"TraceState\":\"k=v\"") + "]").TraceState);
    }

    [Fact]
    public void Metadata_ids_that_are_not_hex_are_stored_verbatim()
    {
        var span = Single("[" + Row("\"TraceId\":\"my-trace\",\"SpanId\":\"My-Span\"") + "]");
        Assert.Equal(("my-trace", "My-Span"), (span.TraceId, span.SpanId));
    }

    [Fact]
    public void Service_name_is_added_to_resource_attributes_when_missing()
    {
        var span = Single("[" + Row("\"ServiceName\":\"svc\",\"ResourceAttributes\":{\"a\":\"b\"}") + "]");
        Assert.Equal(["a", "service.name"], span.ResourceAttributes.Keys);
        Assert.Equal("svc", AsString(span.ResourceAttributes["service.name"]));
        var kept = Single("[" + Row("\"ServiceName\":\"svc\",\"ResourceAttributes\":{\"service.name\":\"own\"}") + "]");
        Assert.Equal("own", AsString(kept.ResourceAttributes["service.name"]));
    }

    [Fact]
    public void Unusable_attribute_keys_are_skipped()
    {
        var span = Single("[" + Row("\"SpanAttributes\":{\"__proto__\":1,\"\":2,\"ok\":3,\"ok\":4}") + "]");
        Assert.Equal(["ok"], span.SpanAttributes.Keys);
        Assert.Equal(4, AsLong(span.SpanAttributes["ok"]));
    }

    [Fact]
    public void Bad_rows_are_rejected_alone()
    {
        var json = "[" + string.Join(",",
            Row(),
            "42",
            """{"Timestamp":1,"SpanId":"s"}""",
            """{"Timestamp":1,"TraceId":"t","SpanId":""}""",
            """{"TraceId":"t","SpanId":"s"}""",
            """{"Timestamp":-1,"TraceId":"t","SpanId":"s"}""",
            """{"Timestamp":1.5,"TraceId":"t","SpanId":"s"}""",
            """{"Timestamp":1,"TraceId":5,"SpanId":"s"}""",
            "null") + "]";
        var result = Decode(json);
        Assert.Single(result.Spans);
        Assert.Equal(8, result.RejectedCount);
        Assert.Equal(
            "8 span(s) rejected: row is not an object (2), missing TraceId (1), invalid TraceId (1), missing SpanId (1), " +
            "missing Timestamp (1), invalid Timestamp (2)",
            result.RejectionMessage);
    }

    [Fact]
    public void Empty_array_is_valid()
    {
        var result = Decode("[]");
        Assert.Empty(result.Spans);
        Assert.Null(result.RejectionMessage);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[{\"Timestamp\":1,}]")]
    [InlineData("[] []")]
    [InlineData("{}")]
    [InlineData("{\"rows\":[]}")]
    [InlineData("null")]
    [InlineData("\"[]\"")]
    public void Not_json_or_not_an_array_is_400_invalid_request_body(string body)
    {
        var e = Fails(() => Decode(body), 400, "invalid_request_body");
        Assert.NotEmpty(e.Message);
    }
}
