using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using AgentMark.Ingest.Otlp;
using AgentMark.Ingest.Otlp.Proto.Collector.Trace.V1;
using AgentMark.Ingest.Otlp.Proto.Common.V1;
using AgentMark.Ingest.Otlp.Proto.Resource.V1;
using AgentMark.Ingest.Otlp.Proto.Trace.V1;
using Google.Protobuf;
using static AgentMark.Ingest.Tests.TestData;
using ProtoSpan = AgentMark.Ingest.Otlp.Proto.Trace.V1.Span;

namespace AgentMark.Ingest.Tests;

public sealed class OtlpProtobufDecoderTests
{
    private static readonly byte[] TraceId = Convert.FromHexString("0123456789ABCDEF0123456789ABCDEF");

    private static KeyValue Kv(string key, AnyValue? value) => value is null ? new KeyValue { Key = key } : new KeyValue { Key = key, Value = value };

    private static ProtoSpan ValidSpan(byte spanByte = 1) => new()
    {
        TraceId = ByteString.CopyFrom(TraceId),
        SpanId = ByteString.CopyFrom([0, 0, 0, 0, 0, 0, 0, spanByte]),
        Name = "s",
        StartTimeUnixNano = 1000,
        EndTimeUnixNano = 2000,
    };

    private static DecodeResult RoundTrip(params ProtoSpan[] spans)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "scope", Version = "1.2" } };
        scope.Spans.AddRange(spans);
        var rs = new ResourceSpans { Resource = new Resource() };
        rs.Resource.Attributes.Add(Kv("service.name", new AnyValue { StringValue = "svc" }));
        rs.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(rs);
        return OtlpProtobufDecoder.Decode(request.ToByteArray());
    }

    [Fact]
    public void Round_trip_of_every_field()
    {
        var span = ValidSpan();
        span.ParentSpanId = ByteString.CopyFrom(Convert.FromHexString("FEDCBA9876543210"));
        span.TraceState = "k=v";
        span.Kind = ProtoSpan.Types.SpanKind.Client;
        span.StartTimeUnixNano = 1795616621634000123;
        span.EndTimeUnixNano = 1795616621637462180;
        span.Status = new Status { Code = Status.Types.StatusCode.Error, Message = "boom" };
        span.Flags = 257;
        var kvlist = new KeyValueList();
        kvlist.Values.Add(Kv("x", new AnyValue { IntValue = 1 }));
        kvlist.Values.Add(Kv("gone", new AnyValue()));
        kvlist.Values.Add(Kv("__proto__", new AnyValue { IntValue = 2 }));
        var array = new ArrayValue();
        array.Values.Add(new AnyValue { StringValue = "a" });
        array.Values.Add(new AnyValue { BoolValue = false });
        array.Values.Add(new AnyValue());
        span.Attributes.Add(Kv("str", new AnyValue { StringValue = "text" }));
        span.Attributes.Add(Kv("int", new AnyValue { IntValue = long.MaxValue }));
        span.Attributes.Add(Kv("neg", new AnyValue { IntValue = -5 }));
        span.Attributes.Add(Kv("dbl", new AnyValue { DoubleValue = 0.25 }));
        span.Attributes.Add(Kv("bool", new AnyValue { BoolValue = true }));
        span.Attributes.Add(Kv("bytes", new AnyValue { BytesValue = ByteString.CopyFrom(1, 2, 3, 4) }));
        span.Attributes.Add(Kv("arr", new AnyValue { ArrayValue = array }));
        span.Attributes.Add(Kv("kv", new AnyValue { KvlistValue = kvlist }));
        span.Attributes.Add(Kv("empty", new AnyValue()));
        span.Attributes.Add(Kv("novalue", null));
        span.Attributes.Add(Kv("", new AnyValue { StringValue = "skipped" }));
        span.Attributes.Add(Kv("constructor", new AnyValue { StringValue = "skipped" }));
        span.Attributes.Add(Kv("str", new AnyValue { StringValue = "last" }));
        var ev = new ProtoSpan.Types.Event { TimeUnixNano = 1795616621634000999, Name = "evt" };
        ev.Attributes.Add(Kv("e", new AnyValue { IntValue = 9 }));
        span.Events.Add(ev);
        span.Events.Add(new ProtoSpan.Types.Event { TimeUnixNano = ulong.MaxValue, Name = "late" });
        var link = new ProtoSpan.Types.Link { TraceId = ByteString.CopyFrom(TraceId), SpanId = ByteString.CopyFrom(1, 2, 3, 4, 5, 6, 7, 8), TraceState = "a=b" };
        link.Attributes.Add(Kv("l", new AnyValue { BoolValue = true }));
        span.Links.Add(link);
        span.Links.Add(new ProtoSpan.Types.Link());

        var result = RoundTrip(span);
        Assert.Equal(0, result.RejectedCount);
        var d = Assert.Single(result.Spans);
        Assert.Equal("0123456789abcdef0123456789abcdef", d.TraceId);
        Assert.Equal("0000000000000001", d.SpanId);
        Assert.Equal("fedcba9876543210", d.ParentSpanId);
        Assert.Equal("k=v", d.TraceState);
        Assert.Equal("s", d.Name);
        Assert.Equal("3", d.Kind);
        Assert.Equal(1795616621634000123, d.StartTimeUnixNano);
        Assert.Equal(1795616621637462180, d.EndTimeUnixNano);
        Assert.Equal("2", d.StatusCode);
        Assert.Equal("boom", d.StatusMessage);
        Assert.Equal(("scope", "1.2"), (d.ScopeName, d.ScopeVersion));
        Assert.Equal("svc", AsString(d.ResourceAttributes["service.name"]));

        Assert.Equal(["str", "int", "neg", "dbl", "bool", "bytes", "arr", "kv", "empty", "novalue"], d.SpanAttributes.Keys);
        Assert.Equal("last", AsString(d.SpanAttributes["str"]));
        Assert.Equal(long.MaxValue, AsLong(d.SpanAttributes["int"]));
        Assert.Equal(-5, AsLong(d.SpanAttributes["neg"]));
        Assert.Equal(0.25, AsDouble(d.SpanAttributes["dbl"]));
        Assert.True(AsBool(d.SpanAttributes["bool"]));
        Assert.Equal("AQIDBA==", AsString(d.SpanAttributes["bytes"]));
        Assert.Equal("""["a",false,null]""", Assert.IsType<JsonArray>(d.SpanAttributes["arr"]).ToJsonString());
        Assert.Equal("""{"x":1}""", Assert.IsType<JsonObject>(d.SpanAttributes["kv"]).ToJsonString());
        Assert.Null(d.SpanAttributes["empty"]);
        Assert.Null(d.SpanAttributes["novalue"]);

        Assert.Equal(2, d.Events.Count);
        Assert.Equal((1795616621634000999L, "evt"), (d.Events[0].TimeUnixNano, d.Events[0].Name));
        Assert.Equal(9, AsLong(d.Events[0].Attributes["e"]));
        Assert.Equal((0L, "late"), (d.Events[1].TimeUnixNano, d.Events[1].Name));
        Assert.Equal(2, d.Links.Count);
        Assert.Equal(("0123456789abcdef0123456789abcdef", "0102030405060708", "a=b"), (d.Links[0].TraceId, d.Links[0].SpanId, d.Links[0].TraceState));
        Assert.True(AsBool(d.Links[0].Attributes["l"]));
        Assert.Equal(("", "", null), (d.Links[1].TraceId, d.Links[1].SpanId, d.Links[1].TraceState));
    }

    [Fact]
    public void Defaults_when_fields_are_unset()
    {
        var d = Assert.Single(OtlpProtobufDecoder.Decode(new ExportTraceServiceRequest
        {
            ResourceSpans = { new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { ValidSpan() } } } } },
        }.ToByteArray()).Spans);
        Assert.Null(d.ParentSpanId);
        Assert.Null(d.TraceState);
        Assert.Equal("0", d.Kind);
        Assert.Equal("0", d.StatusCode);
        Assert.Null(d.StatusMessage);
        Assert.Null(d.ScopeName);
        Assert.Null(d.ScopeVersion);
        Assert.Empty(d.ResourceAttributes);
        Assert.Empty(d.SpanAttributes);
        Assert.Empty(d.Events);
        Assert.Empty(d.Links);
    }

    [Fact]
    public void Zero_parent_is_a_root()
    {
        var span = ValidSpan();
        span.ParentSpanId = ByteString.CopyFrom(new byte[8]);
        Assert.Null(Assert.Single(RoundTrip(span).Spans).ParentSpanId);
    }

    [Fact]
    public void Ids_of_the_wrong_length_reject_the_span()
    {
        var shortSpan = ValidSpan();
        shortSpan.SpanId = ByteString.CopyFrom(0xAB, 0xCD);
        var longTrace = ValidSpan();
        longTrace.TraceId = ByteString.CopyFrom(new byte[17]);
        var result = RoundTrip(shortSpan, longTrace);
        Assert.Empty(result.Spans);
        Assert.Equal(2, result.RejectedCount);
        Assert.Equal("2 span(s) rejected: invalid traceId (1), invalid spanId (1)", result.RejectionMessage);
    }

    [Fact]
    public void A_parent_id_of_unusual_length_is_kept_as_hex()
    {
        var span = ValidSpan();
        span.ParentSpanId = ByteString.CopyFrom(new byte[] { 0, 0, 0, 1 });
        Assert.Equal("00000001", Assert.Single(RoundTrip(span).Spans).ParentSpanId);
    }

    [Fact]
    public void Unknown_enum_numbers_are_kept()
    {
        var span = ValidSpan();
        span.Kind = (ProtoSpan.Types.SpanKind)9;
        span.Status = new Status { Code = (Status.Types.StatusCode)7 };
        var d = Assert.Single(RoundTrip(span).Spans);
        Assert.Equal(("9", "7"), (d.Kind, d.StatusCode));
    }

    [Fact]
    public void Zero_length_ids_and_times_beyond_int64_are_rejected_but_zero_times_are_valid()
    {
        var noTrace = ValidSpan(2);
        noTrace.TraceId = ByteString.Empty;
        var noSpan = ValidSpan(3);
        noSpan.SpanId = ByteString.Empty;
        var bigStart = ValidSpan(4);
        bigStart.StartTimeUnixNano = (ulong)long.MaxValue + 1;
        var bigEnd = ValidSpan(5);
        bigEnd.EndTimeUnixNano = ulong.MaxValue;
        var zeroTimes = ValidSpan(6);
        zeroTimes.StartTimeUnixNano = 0;
        zeroTimes.EndTimeUnixNano = 0;
        var maxTimes = ValidSpan(7);
        maxTimes.StartTimeUnixNano = long.MaxValue;

        var result = RoundTrip(ValidSpan(1), noTrace, noSpan, bigStart, bigEnd, zeroTimes, maxTimes);
        Assert.Equal(["0000000000000001", "0000000000000006", "0000000000000007"], result.Spans.Select(s => s.SpanId));
        Assert.Equal((0L, 0L), (result.Spans[1].StartTimeUnixNano, result.Spans[1].EndTimeUnixNano));
        Assert.Equal(long.MaxValue, result.Spans[2].StartTimeUnixNano);
        Assert.Equal(4, result.RejectedCount);
        Assert.Equal(
            "4 span(s) rejected: missing traceId (1), missing spanId (1), invalid startTimeUnixNano (1), invalid endTimeUnixNano (1)",
            result.RejectionMessage);
    }

    [Fact]
    public void Empty_body_is_a_request_without_spans()
    {
        var result = OtlpProtobufDecoder.Decode(ReadOnlyMemory<byte>.Empty);
        Assert.Empty(result.Spans);
        Assert.Null(result.RejectionMessage);
    }

    [Fact]
    public void Truncated_body_is_400_protobuf_decode_failed()
    {
        var bytes = new ExportTraceServiceRequest
        {
            ResourceSpans = { new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { ValidSpan() } } } } },
        }.ToByteArray();
        var e = Fails(() => OtlpProtobufDecoder.Decode(bytes[..^3]), 400, "protobuf_decode_failed");
        Assert.StartsWith("Failed to decode protobuf: ", e.Message);
        Assert.True(e.Message.Length > "Failed to decode protobuf: ".Length);
    }

    [Fact]
    public void Invalid_utf8_string_is_400()
    {
        // ResourceSpans(1) { ScopeSpans(2) { Span(2) { name(5) = 0xFF 0xFE } } }
        byte[] span = [0x2A, 0x02, 0xFF, 0xFE];
        byte[] scope = [0x12, (byte)span.Length, .. span];
        byte[] rs = [0x12, (byte)scope.Length, .. scope];
        byte[] request = [0x0A, (byte)rs.Length, .. rs];
        Fails(() => OtlpProtobufDecoder.Decode(request), 400, "protobuf_decode_failed");
    }

    [Fact]
    public void Json_sent_as_protobuf_is_400()
    {
        Fails(() => OtlpProtobufDecoder.Decode(Fixture("ai-sdk-v6-generateText-toolcall.otlp.json")), 400, "protobuf_decode_failed");
    }

    [Fact]
    public void Random_garbage_never_escapes_as_anything_but_ingest_exception()
    {
        var random = new Random(12345);
        var valid = new ExportTraceServiceRequest
        {
            ResourceSpans = { new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { ValidSpan(), ValidSpan(2) } } } } },
        }.ToByteArray();
        for (var i = 0; i < 3000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(1, 200)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])valid.Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--) input[random.Next(input.Length)] = (byte)random.Next(256);
            }
            try
            {
                OtlpProtobufDecoder.Decode(input);
            }
            catch (IngestException e)
            {
                Assert.Equal(("protobuf_decode_failed", 400), (e.Code, e.Status));
            }
        }
    }

    [Fact]
    public void Same_trace_as_protobuf_and_as_json_decodes_identically()
    {
        var json = OtlpJsonDecoder.Decode(Fixture("ai-sdk-v6-generateText-toolcall.otlp.json"));
        var proto = OtlpProtobufDecoder.Decode(ToProtobuf(json.Spans).ToByteArray());
        Assert.Equal(json.Spans.Select(Describe), proto.Spans.Select(Describe));
    }

    /// <summary>Re-encodes decoded spans (one resource, one scope) as a protobuf request.</summary>
    private static ExportTraceServiceRequest ToProtobuf(IReadOnlyList<DecodedSpan> spans)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = spans[0].ScopeName ?? "" } };
        var resource = new Resource();
        foreach (var (k, v) in spans[0].ResourceAttributes) resource.Attributes.Add(Kv(k, ToAnyValue(v)));
        foreach (var s in spans)
        {
            var p = new ProtoSpan
            {
                TraceId = ByteString.CopyFrom(Convert.FromHexString(s.TraceId)),
                SpanId = ByteString.CopyFrom(Convert.FromHexString(s.SpanId)),
                ParentSpanId = s.ParentSpanId is null ? ByteString.Empty : ByteString.CopyFrom(Convert.FromHexString(s.ParentSpanId)),
                Name = s.Name,
                Kind = (ProtoSpan.Types.SpanKind)int.Parse(s.Kind),
                StartTimeUnixNano = (ulong)s.StartTimeUnixNano,
                EndTimeUnixNano = (ulong)s.EndTimeUnixNano,
                Status = new Status { Code = (Status.Types.StatusCode)int.Parse(s.StatusCode) },
            };
            foreach (var (k, v) in s.SpanAttributes) p.Attributes.Add(Kv(k, ToAnyValue(v)));
            scope.Spans.Add(p);
        }
        return new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { Resource = resource, ScopeSpans = { scope } } } };
    }

    private static AnyValue ToAnyValue(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                var values = new ArrayValue();
                foreach (var element in array) values.Values.Add(ToAnyValue(element));
                return new AnyValue { ArrayValue = values };
            case JsonValue v when v.TryGetValue<long>(out var l): return new AnyValue { IntValue = l };
            case JsonValue v when v.TryGetValue<double>(out var d): return new AnyValue { DoubleValue = d };
            case JsonValue v when v.TryGetValue<bool>(out var b): return new AnyValue { BoolValue = b };
            case JsonValue v: return new AnyValue { StringValue = v.GetValue<string>() };
            default: return new AnyValue();
        }
    }
}
