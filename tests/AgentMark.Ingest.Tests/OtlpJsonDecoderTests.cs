using System.Text.Json.Nodes;
using AgentMark.Ingest.Otlp;
using static AgentMark.Ingest.Tests.TestData;

namespace AgentMark.Ingest.Tests;

public sealed class OtlpJsonDecoderTests
{
    private const string Structure = "Invalid OTLP payload: expected ExportTraceServiceRequest with resourceSpans array";

    private static DecodeResult Decode(string json) => OtlpJsonDecoder.Decode(Utf8(json));

    // ---- document structure and errors (§1.5, §1.8) ----

    [Theory]
    [InlineData("{")]
    [InlineData("{\"resourceSpans\":[}")]
    [InlineData("not json")]
    [InlineData("{\"resourceSpans\":[]} trailing")]
    [InlineData("{\"resourceSpans\":[],}")]
    [InlineData("")]
    [InlineData("   ")]
    public void Invalid_json_is_400_invalid_otlp_payload(string body)
    {
        var e = Fails(() => Decode(body), 400, "invalid_otlp_payload");
        Assert.NotEqual(Structure, e.Message);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"resourceSpans\"")]
    [InlineData("42")]
    [InlineData("{}")]
    [InlineData("{\"resourceSpans\":null}")]
    [InlineData("{\"resourceSpans\":{}}")]
    [InlineData("{\"resourceSpans\":\"[]\"}")]
    [InlineData("{\"resource_spans\":[]}")]
    [InlineData("{\"resourceSpans\":[],\"resourceSpans\":{}}")]
    public void Wrong_document_shape_is_400_with_the_exact_message(string body)
    {
        var e = Fails(() => Decode(body), 400, "invalid_otlp_payload");
        Assert.Equal(Structure, e.Message);
    }

    [Fact]
    public void Empty_resource_spans_is_valid_and_empty()
    {
        var result = Decode("{\"resourceSpans\":[]}");
        Assert.Empty(result.Spans);
        Assert.Equal(0, result.RejectedCount);
        Assert.Null(result.RejectionMessage);
    }

    [Fact]
    public void Utf8_bom_is_accepted()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Utf8(OtlpJson(Span()))).ToArray();
        Assert.Single(OtlpJsonDecoder.Decode(body).Spans);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_400_not_a_crash()
    {
        var deep = new string('[', 5000) + new string(']', 5000);
        Fails(() => Decode("{\"resourceSpans\":" + deep + "}"), 400, "invalid_otlp_payload");
        var deepValue = string.Concat(Enumerable.Repeat("{\"arrayValue\":{\"values\":[", 200)) + "{}" + string.Concat(Enumerable.Repeat("]}}", 200));
        Fails(() => Decode(OtlpJson(Span("\"attributes\":[{\"key\":\"k\",\"value\":" + deepValue + "}]"))), 400, "invalid_otlp_payload");
    }

    [Fact]
    public void Non_object_entries_are_skipped_and_non_object_spans_rejected()
    {
        var json = $$$"""
            {"resourceSpans":[1,null,"x",{"scopeSpans":[null,7,{"spans":[{{{Span()}}},null,3]}]}]}
            """;
        var result = Decode(json);
        Assert.Single(result.Spans);
        Assert.Equal(2, result.RejectedCount);
        Assert.Equal("2 span(s) rejected: span is not an object (2)", result.RejectionMessage);
    }

    [Fact]
    public void Missing_scope_spans_and_spans_mean_none()
    {
        var result = Decode("""{"resourceSpans":[{},{"resource":{}},{"scopeSpans":[{}]},{"scopeSpans":[{"scope":{"name":"x"}}]}]}""");
        Assert.Empty(result.Spans);
        Assert.Equal(0, result.RejectedCount);
    }

    [Fact]
    public void Deprecated_instrumentation_library_spans_yield_no_spans()
    {
        var result = Decode($$"""{"resourceSpans":[{"instrumentationLibrarySpans":[{"spans":[{{Span()}}]}]}]}""");
        Assert.Empty(result.Spans);
    }

    [Fact]
    public void Each_span_gets_its_own_resource_and_scope()
    {
        var json = $$$"""
            {"resourceSpans":[
              {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"a"}}]},
               "scopeSpans":[{"scope":{"name":"ai","version":"6.0"},"spans":[{{{Span(spanId: "0000000000000001")}}}]},
                             {"spans":[{{{Span(spanId: "0000000000000002")}}}]}]},
              {"scopeSpans":[{"scope":{"name":"agentmark"},"spans":[{{{Span(spanId: "0000000000000003")}}}]}]}
            ]}
            """;
        var spans = Decode(json).Spans;
        Assert.Equal(3, spans.Count);
        Assert.Equal(("ai", "6.0"), (spans[0].ScopeName, spans[0].ScopeVersion));
        Assert.Equal("a", AsString(spans[0].ResourceAttributes["service.name"]));
        Assert.Equal((null, null), (spans[1].ScopeName, spans[1].ScopeVersion));
        Assert.Same(spans[0].ResourceAttributes, spans[1].ResourceAttributes);
        Assert.Equal("agentmark", spans[2].ScopeName);
        Assert.Empty(spans[2].ResourceAttributes);
    }

    [Fact]
    public void Keys_may_come_in_any_order()
    {
        var json = $$$"""
            {"resourceSpans":[{"scopeSpans":[{"spans":[{{{Span()}}}],"scope":{"version":"1","name":"late"}}],
                               "resource":{"attributes":[{"value":{"stringValue":"svc"},"key":"service.name"}]}}]}
            """;
        var span = Assert.Single(Decode(json).Spans);
        Assert.Equal(("late", "1"), (span.ScopeName, span.ScopeVersion));
        Assert.Equal("svc", AsString(span.ResourceAttributes["service.name"]));
    }

    [Fact]
    public void Repeated_keys_take_the_last_occurrence_like_json_parse()
    {
        var json = $$$"""
            {"resourceSpans":[{"scopeSpans":[{"scope":{"name":"first"},
                "spans":[{{{Span(spanId: "0000000000000001")}}},{"spanId":"x"}],
                "spans":[{{{Span(spanId: "0000000000000002")}}}],
                "scope":{"name":"second"}}]}]}
            """;
        var result = Decode(json);
        var span = Assert.Single(result.Spans);
        Assert.Equal("0000000000000002", span.SpanId);
        Assert.Equal("second", span.ScopeName);
        // The rejection in the overridden "spans" array does not count.
        Assert.Equal(0, result.RejectedCount);

        var twice = Decode($$"""{"resourceSpans":[{"scopeSpans":[{"spans":[{{Span()}}]}]}],"resourceSpans":[]}""");
        Assert.Empty(twice.Spans);

        var inSpan = SingleSpan(OtlpJson(Span("\"name\":\"later\",\"startTimeUnixNano\":\"5\"")));
        Assert.Equal(("later", 5L), (inSpan.Name, inSpan.StartTimeUnixNano));
    }

    [Fact]
    public void Unknown_and_ignored_fields_are_skipped()
    {
        var span = SingleSpan(OtlpJson(Span("""
            "flags":257,"droppedAttributesCount":3,"droppedEventsCount":1,"droppedLinksCount":2,"schemaUrl":"x",
            "somethingNew":{"nested":[1,2,{"a":null}]},"status":{"deprecated_code":2,"code":1}
            """)));
        Assert.Equal("1", span.StatusCode);
    }

    [Fact]
    public void Name_defaults_to_empty_and_trace_state_is_kept()
    {
        var json = """{"traceId":"0123456789abcdef0123456789abcdef","spanId":"1111111111111111","startTimeUnixNano":"1","endTimeUnixNano":"2","traceState":"k=v"}""";
        var span = SingleSpan(OtlpJson(json));
        Assert.Equal("", span.Name);
        Assert.Equal("0", span.Kind);
        Assert.Equal("k=v", span.TraceState);
        Assert.Empty(span.SpanAttributes);
        Assert.Null(SingleSpan(OtlpJson(Span("\"traceState\":\"\""))).TraceState);
    }

    // ---- ids (§1.10) ----

    [Theory]
    [InlineData("0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef")]
    [InlineData("ASNFZ4mrze8BI0VniavN7w==", "0123456789abcdef0123456789abcdef")] // base64 of 16 bytes
    [InlineData("trace-1", "trace-1")]
    [InlineData("0123456789abcdef", "0123456789abcdef")] // hex of the wrong length: verbatim
    [InlineData("ZZ23456789abcdef0123456789abcdef", "ZZ23456789abcdef0123456789abcdef")]
    [InlineData("AQIDBAUGBwg=", "AQIDBAUGBwg=")] // base64 of 8 bytes is not a trace id
    public void Trace_ids_are_canonicalized(string input, string expected)
    {
        var span = SingleSpan(OtlpJson(Span($"\"traceId\":\"{input}\"")));
        Assert.Equal(expected, span.TraceId);
    }

    [Theory]
    [InlineData("ABCDEF0123456789", "abcdef0123456789")]
    [InlineData("AQIDBAUGBwg=", "0102030405060708")] // base64 of 8 bytes
    [InlineData("span-a", "span-a")]
    public void Span_ids_are_canonicalized(string input, string expected)
    {
        Assert.Equal(expected, SingleSpan(OtlpJson(Span($"\"spanId\":\"{input}\""))).SpanId);
    }

    [Theory]
    [InlineData("\"parentSpanId\":\"0000000000000000\"")]
    [InlineData("\"parentSpanId\":\"AAAAAAAAAAA=\"")] // 8 zero bytes in base64
    [InlineData("\"parentSpanId\":\"\"")]
    [InlineData("\"parentSpanId\":null")]
    [InlineData("\"other\":1")]
    public void Missing_empty_or_zero_parent_is_a_root(string parent)
    {
        Assert.Null(SingleSpan(OtlpJson(Span(parent))).ParentSpanId);
    }

    [Theory]
    [InlineData("FEDCBA9876543210", "fedcba9876543210")]
    [InlineData("/ty6mHZUMhA=", "fedcba9876543210")]
    [InlineData("parent-x", "parent-x")]
    public void Parent_ids_follow_the_id_rules(string input, string expected)
    {
        Assert.Equal(expected, SingleSpan(OtlpJson(Span($"\"parentSpanId\":\"{input}\""))).ParentSpanId);
    }

    // ---- partial success (§1.7) ----

    [Fact]
    public void Bad_spans_are_rejected_alone_with_the_spec_message()
    {
        var json = OtlpJson(
            Span(spanId: "0000000000000001"),
            Span("\"spanId\":\"\"", spanId: "0000000000000002"),
            Span("\"startTimeUnixNano\":\"-5\"", spanId: "0000000000000003"),
            Span(spanId: "0000000000000004"));
        var result = Decode(json);
        Assert.Equal(["0000000000000001", "0000000000000004"], result.Spans.Select(s => s.SpanId));
        Assert.Equal(2, result.RejectedCount);
        Assert.Equal("2 span(s) rejected: missing spanId (1), invalid startTimeUnixNano (1)", result.RejectionMessage);
    }

    [Fact]
    public void Every_rejection_reason_is_counted_once_per_span()
    {
        var json = OtlpJson(
            """{"spanId":"1111111111111111","startTimeUnixNano":"1","endTimeUnixNano":"2"}""",
            """{"traceId":"","spanId":"","startTimeUnixNano":"1","endTimeUnixNano":"2"}""",
            """{"traceId":123,"spanId":"1111111111111111","startTimeUnixNano":"1","endTimeUnixNano":"2"}""",
            """{"traceId":"t","spanId":{},"startTimeUnixNano":"1","endTimeUnixNano":"2"}""",
            """{"traceId":"t","spanId":"s","endTimeUnixNano":"2"}""",
            """{"traceId":"t","spanId":"s","startTimeUnixNano":"1"}""",
            """{"traceId":"t","spanId":"s","startTimeUnixNano":"1","endTimeUnixNano":"2.5"}""",
            """{"traceId":"t","spanId":"s","startTimeUnixNano":"1","endTimeUnixNano":"2"}""");
        var result = Decode(json);
        Assert.Single(result.Spans);
        Assert.Equal(7, result.RejectedCount);
        Assert.Equal(
            "7 span(s) rejected: missing traceId (2), invalid traceId (1), invalid spanId (1), " +
            "missing startTimeUnixNano (1), missing endTimeUnixNano (1), invalid endTimeUnixNano (1)",
            result.RejectionMessage);
    }

    [Fact]
    public void Odd_but_valid_spans_are_accepted()
    {
        var span = SingleSpan(OtlpJson(Span("\"kind\":42,\"status\":{\"code\":\"ok\"},\"name\":null,\"attributes\":null")));
        Assert.Equal(("42", "ok", ""), (span.Kind, span.StatusCode, span.Name));
    }

    // ---- timestamps (§1.11) ----

    [Theory]
    [InlineData("\"1795616621634000123\"", 1795616621634000123)]
    [InlineData("1795616621634000123", 1795616621634000123)] // number above 2^53, exact
    [InlineData("9007199254740993", 9007199254740993)]
    [InlineData("1.795616621634e18", 1795616621634000000)]
    [InlineData("1000.0", 1000)]
    [InlineData("0", 0)]
    [InlineData("\"0\"", 0)]
    [InlineData("\"0001\"", 1)]
    [InlineData("\"9223372036854775807\"", long.MaxValue)]
    public void Start_times_are_exact_integers(string token, long expected)
    {
        Assert.Equal(expected, SingleSpan(OtlpJson(Span($"\"startTimeUnixNano\":{token}"))).StartTimeUnixNano);
    }

    [Theory]
    [InlineData("\"-1\"")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("\"1.5\"")]
    [InlineData("\" 1\"")]
    [InlineData("\"+1\"")]
    [InlineData("\"1e3\"")]
    [InlineData("\"\"")]
    [InlineData("\"abc\"")]
    [InlineData("\"9223372036854775808\"")]
    [InlineData("18446744073709551615")]
    [InlineData("1e400")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("[1]")]
    public void Invalid_start_times_reject_the_span(string token)
    {
        var result = Decode(OtlpJson(Span($"\"startTimeUnixNano\":{token}")));
        Assert.Empty(result.Spans);
        Assert.Equal("1 span(s) rejected: invalid startTimeUnixNano (1)", result.RejectionMessage);
    }

    [Fact]
    public void Null_time_counts_as_missing()
    {
        Assert.Equal("1 span(s) rejected: missing endTimeUnixNano (1)",
            Decode(OtlpJson(Span("\"endTimeUnixNano\":null"))).RejectionMessage);
    }

    [Fact]
    public void End_before_start_is_kept()
    {
        var span = SingleSpan(OtlpJson(Span("\"startTimeUnixNano\":\"5000\",\"endTimeUnixNano\":\"10\"")));
        Assert.Equal((5000L, 10L), (span.StartTimeUnixNano, span.EndTimeUnixNano));
    }

    // ---- status (§1.12) and kind (§1.13) ----

    [Theory]
    [InlineData("", "0")]
    [InlineData("\"status\":null", "0")]
    [InlineData("\"status\":{}", "0")]
    [InlineData("\"status\":{\"code\":null}", "0")]
    [InlineData("\"status\":{\"code\":\"\"}", "0")]
    [InlineData("\"status\":{\"code\":0}", "0")]
    [InlineData("\"status\":{\"code\":\"0\"}", "0")]
    [InlineData("\"status\":{\"code\":\"STATUS_CODE_UNSET\"}", "0")]
    [InlineData("\"status\":{\"code\":\"UNSET\"}", "0")]
    [InlineData("\"status\":{\"code\":\"Unset\"}", "0")]
    [InlineData("\"status\":{\"code\":1}", "1")]
    [InlineData("\"status\":{\"code\":1.0}", "1")]
    [InlineData("\"status\":{\"code\":\"1\"}", "1")]
    [InlineData("\"status\":{\"code\":\"STATUS_CODE_OK\"}", "1")]
    [InlineData("\"status\":{\"code\":\"OK\"}", "1")]
    [InlineData("\"status\":{\"code\":\"Ok\"}", "1")]
    [InlineData("\"status\":{\"code\":2}", "2")]
    [InlineData("\"status\":{\"code\":\"2\"}", "2")]
    [InlineData("\"status\":{\"code\":\"STATUS_CODE_ERROR\"}", "2")]
    [InlineData("\"status\":{\"code\":\"ERROR\"}", "2")]
    [InlineData("\"status\":{\"code\":\"Error\"}", "2")]
    [InlineData("\"status\":{\"code\":\"ok\"}", "ok")]
    [InlineData("\"status\":{\"code\":\"error\"}", "error")]
    [InlineData("\"status\":{\"code\":5}", "5")]
    [InlineData("\"status\":{\"code\":\"5\"}", "5")]
    [InlineData("\"status\":{\"code\":2.5}", "2.5")]
    [InlineData("\"status\":{\"code\":true}", "true")]
    public void Status_codes_follow_the_table(string status, string expected)
    {
        Assert.Equal(expected, SingleSpan(OtlpJson(Span(status))).StatusCode);
    }

    [Fact]
    public void Status_message_is_kept_and_empty_is_null()
    {
        Assert.Equal("boom", SingleSpan(OtlpJson(Span("\"status\":{\"code\":2,\"message\":\"boom\"}"))).StatusMessage);
        Assert.Null(SingleSpan(OtlpJson(Span("\"status\":{\"code\":2,\"message\":\"\"}"))).StatusMessage);
    }

    [Theory]
    [InlineData("\"kind\":null", "0")]
    [InlineData("\"kind\":0", "0")]
    [InlineData("\"kind\":3", "3")]
    [InlineData("\"kind\":\"2\"", "2")]
    [InlineData("\"kind\":\"SPAN_KIND_UNSPECIFIED\"", "0")]
    [InlineData("\"kind\":\"SPAN_KIND_INTERNAL\"", "1")]
    [InlineData("\"kind\":\"SPAN_KIND_SERVER\"", "2")]
    [InlineData("\"kind\":\"SPAN_KIND_CLIENT\"", "3")]
    [InlineData("\"kind\":\"SPAN_KIND_PRODUCER\"", "4")]
    [InlineData("\"kind\":\"SPAN_KIND_CONSUMER\"", "5")]
    public void Kinds_follow_the_table(string kind, string expected)
    {
        Assert.Equal(expected, SingleSpan(OtlpJson(Span(kind))).Kind);
    }

    [Fact]
    public void Missing_kind_is_unspecified()
    {
        var json = """{"traceId":"t","spanId":"s","startTimeUnixNano":"1","endTimeUnixNano":"2"}""";
        Assert.Equal("0", SingleSpan(OtlpJson(json)).Kind);
    }

    // ---- events and links (§1.14) ----

    [Fact]
    public void Events_and_links_keep_order_and_use_the_id_rules()
    {
        var span = SingleSpan(OtlpJson(Span("""
            "events":[
              {"timeUnixNano":"1795616621634000001","name":"first","attributes":[{"key":"a","value":{"intValue":"1"}}]},
              {"timeUnixNano":1795616621634000002,"name":"second"},
              {"name":"no time"},
              7
            ],
            "links":[
              {"traceId":"0123456789ABCDEF0123456789ABCDEF","spanId":"AQIDBAUGBwg=","traceState":"a=b",
               "attributes":[{"key":"l","value":{"boolValue":true}}]},
              {"traceId":"other","spanId":"","traceState":""}
            ]
            """)));
        Assert.Equal(3, span.Events.Count);
        Assert.Equal((1795616621634000001L, "first"), (span.Events[0].TimeUnixNano, span.Events[0].Name));
        Assert.Equal(1, AsLong(span.Events[0].Attributes["a"]));
        Assert.Equal((1795616621634000002L, "second"), (span.Events[1].TimeUnixNano, span.Events[1].Name));
        Assert.Empty(span.Events[1].Attributes);
        Assert.Equal((0L, "no time"), (span.Events[2].TimeUnixNano, span.Events[2].Name));

        Assert.Equal(2, span.Links.Count);
        Assert.Equal("0123456789abcdef0123456789abcdef", span.Links[0].TraceId);
        Assert.Equal("0102030405060708", span.Links[0].SpanId);
        Assert.Equal("a=b", span.Links[0].TraceState);
        Assert.True(AsBool(span.Links[0].Attributes["l"]));
        Assert.Equal(("other", "", null), (span.Links[1].TraceId, span.Links[1].SpanId, span.Links[1].TraceState));
    }

    // ---- string decoding ----

    [Fact]
    public void Escapes_invalid_utf8_and_lone_surrogates_do_not_fail_the_batch()
    {
        // A span whose name holds invalid UTF-8, then one whose name ends in a lone escaped surrogate.
        var json = Utf8(OtlpJson(
            Span("\"name\":\"bad-@\"", spanId: "0000000000000001"),
            Span("\"name\":\"cut \\ud83d\"", spanId: "0000000000000002"),
            Span("\"name\":\"esc \\\"q\\\" \\u00e9 \\n\"", spanId: "0000000000000003")));
        var bad = Array.IndexOf(json, (byte)'@');
        json[bad] = 0xFF;
        var spans = OtlpJsonDecoder.Decode(json).Spans;
        Assert.Equal("bad-\uFFFD", spans[0].Name);
        Assert.Equal("cut \ud83d", spans[1].Name);
        Assert.Equal("esc \"q\" é \n", spans[2].Name);
    }
}
