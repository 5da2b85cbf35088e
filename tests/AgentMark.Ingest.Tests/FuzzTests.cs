using AgentMark.Ingest.Legacy;
using AgentMark.Ingest.Otlp;

namespace AgentMark.Ingest.Tests;

/// <summary>Mangled input must end in a result or an IngestException with the decoder's code, nothing else.</summary>
public sealed class FuzzTests
{
    private static readonly byte[] Alphabet = "{}[]\":,0123456789-.eE tfnul\\abcdefxyzAB"u8.ToArray();

    private static void Mangle(byte[] seed, Action<byte[]> decode, string code, int seedValue)
    {
        var random = new Random(seedValue);
        for (var i = 0; i < 1500; i++)
        {
            var input = (byte[])seed.Clone();
            for (var edits = random.Next(1, 5); edits > 0; edits--)
            {
                var at = random.Next(input.Length);
                input[at] = random.Next(4) == 0 ? (byte)random.Next(256) : Alphabet[random.Next(Alphabet.Length)];
            }
            if (random.Next(5) == 0) input = input[..random.Next(input.Length)];
            try
            {
                decode(input);
            }
            catch (IngestException e)
            {
                Assert.Equal((400, code), (e.Status, e.Code));
            }
        }
    }

    [Fact]
    public void Otlp_json_decoder_survives_mangled_fixtures()
    {
        Mangle(TestData.Fixture("ai-sdk-v6-generateText-toolcall.otlp.json"), b => OtlpJsonDecoder.Decode(b), "invalid_otlp_payload", 1);
        var small = TestData.Utf8(TestData.OtlpJson(TestData.Span(
            "\"status\":{\"code\":[\"x\",{}]},\"events\":[{\"timeUnixNano\":\"1\"}],\"links\":[{\"traceId\":\"a\"}]," +
            "\"attributes\":[{\"key\":\"k\",\"value\":{\"kvlistValue\":{\"values\":[{\"key\":\"a\",\"value\":{\"arrayValue\":{\"values\":[{\"intValue\":\"1\"}]}}}]}}}]")));
        Mangle(small, b => OtlpJsonDecoder.Decode(b), "invalid_otlp_payload", 2);
    }

    [Fact]
    public void Legacy_decoder_survives_mangled_rows()
    {
        var rows = TestData.Utf8("""
            [{"Timestamp":1767225601834123456,"TraceId":"0123456789abcdef0123456789abcdef","SpanId":"0123456789abcdef",
              "ParentSpanId":"","TraceState":"","SpanName":"n","SpanKind":0,"ServiceName":"s","ResourceAttributes":{"a":[1,2.5]},
              "SpanAttributes":{"end_time":1767225601934123456,"o":{"x":null}},"Duration":100,"StatusCode":1,"StatusMessage":"",
              "Events.Timestamp":[1],"Events.Name":["e"],"Events.Attributes":[{}],
              "Links.TraceId":["t"],"Links.SpanId":["s"],"Links.TraceState":[""],"Links.Attributes":[{}]}]
            """);
        Mangle(rows, b => LegacyRowDecoder.Decode(b), "invalid_request_body", 3);
    }

    [Fact]
    public void Invalid_utf8_inside_a_structured_status_code_is_a_400_at_worst()
    {
        var json = TestData.Utf8(TestData.OtlpJson(TestData.Span("\"status\":{\"code\":[\"@\"]}")));
        json[Array.IndexOf(json, (byte)'@')] = 0xFF;
        try
        {
            Assert.Single(OtlpJsonDecoder.Decode(json).Spans);
        }
        catch (IngestException e)
        {
            Assert.Equal((400, "invalid_otlp_payload"), (e.Status, e.Code));
        }
    }
}
