using System.Text.Json.Nodes;
using AgentMark.Ingest.Otlp;
using static AgentMark.Ingest.Tests.TestData;

namespace AgentMark.Ingest.Tests;

/// <summary>The real AI SDK v6 export (shared/fixtures/otlp), decoded exactly.</summary>
public sealed class OtlpJsonFixtureTests
{
    private static readonly DecodeResult Result = OtlpJsonDecoder.Decode(Fixture("ai-sdk-v6-generateText-toolcall.otlp.json"));

    [Fact]
    public void Four_spans_in_document_order_none_rejected()
    {
        Assert.Equal(0, Result.RejectedCount);
        Assert.Null(Result.RejectionMessage);
        Assert.Equal(
            ["beb64198a9282155", "c1b9285129c7675a", "d07ef07009dd47e0", "3e17b749dad221ca"],
            Result.Spans.Select(s => s.SpanId));
        Assert.Equal(
            ["ai.generateText.doGenerate", "ai.toolCall", "ai.generateText.doGenerate", "ai.generateText"],
            Result.Spans.Select(s => s.Name));
    }

    [Fact]
    public void Ids_times_kind_status_and_scope_are_exact()
    {
        var expected = new (string SpanId, string? Parent, long Start, long End)[]
        {
            ("beb64198a9282155", "3e17b749dad221ca", 1795616621634000000, 1795616621637462180),
            ("c1b9285129c7675a", "3e17b749dad221ca", 1795616621642000000, 1795616621642866652),
            ("d07ef07009dd47e0", "3e17b749dad221ca", 1795616621645000000, 1795616621645603049),
            ("3e17b749dad221ca", null, 1795616621578000000, 1795616621651815095),
        };
        for (var i = 0; i < expected.Length; i++)
        {
            var span = Result.Spans[i];
            Assert.Equal("235aed8fe9685021cff1580bbd0b0537", span.TraceId);
            Assert.Equal(expected[i].SpanId, span.SpanId);
            Assert.Equal(expected[i].Parent, span.ParentSpanId);
            Assert.Equal(expected[i].Start, span.StartTimeUnixNano);
            Assert.Equal(expected[i].End, span.EndTimeUnixNano);
            Assert.Equal("1", span.Kind);
            Assert.Equal("0", span.StatusCode);
            Assert.Null(span.StatusMessage);
            Assert.Null(span.TraceState);
            Assert.Equal("ai", span.ScopeName);
            Assert.Null(span.ScopeVersion);
            Assert.Empty(span.Events);
            Assert.Empty(span.Links);
        }
    }

    [Fact]
    public void Resource_attributes_are_shared_by_the_resources_spans()
    {
        foreach (var span in Result.Spans)
        {
            Assert.Equal(["service.name", "deployment.environment"], span.ResourceAttributes.Keys);
            Assert.Equal("feas-ai-sdk", AsString(span.ResourceAttributes["service.name"]));
            Assert.Equal("test", AsString(span.ResourceAttributes["deployment.environment"]));
        }
    }

    [Fact]
    public void Span_attributes_keep_order_and_value_kinds()
    {
        var generate = Result.Spans[0];
        Assert.Equal(35, generate.SpanAttributes.Count);
        Assert.Equal("operation.name", generate.SpanAttributes.Keys.First());
        Assert.Equal("gen_ai.usage.output_tokens", generate.SpanAttributes.Keys.Last());
        Assert.Equal("ai.generateText.doGenerate feas-weather", AsString(generate.SpanAttributes["operation.name"]));
        Assert.Equal(2, AsLong(generate.SpanAttributes["ai.settings.maxRetries"]));
        Assert.Equal(12, AsLong(generate.SpanAttributes["gen_ai.usage.input_tokens"]));
        Assert.Equal(7, AsLong(generate.SpanAttributes["gen_ai.usage.output_tokens"]));
        Assert.Equal(19, AsLong(generate.SpanAttributes["ai.usage.totalTokens"]));
        Assert.Equal(0, AsLong(generate.SpanAttributes["ai.usage.cachedInputTokens"]));
        Assert.Equal("[{\"toolCallId\":\"call-1\",\"toolName\":\"weather\",\"input\":\"{\\\"city\\\":\\\"Paris\\\"}\"}]",
            AsString(generate.SpanAttributes["ai.response.toolCalls"]));

        var finish = Assert.IsType<JsonArray>(generate.SpanAttributes["gen_ai.response.finish_reasons"]);
        Assert.Equal("tool-calls", AsString(Assert.Single(finish)));
        var tools = Assert.IsType<JsonArray>(generate.SpanAttributes["ai.prompt.tools"]);
        Assert.StartsWith("{\"type\":\"function\",\"name\":\"weather\"", AsString(Assert.Single(tools)));

        var tool = Result.Spans[1];
        Assert.Equal(10, tool.SpanAttributes.Count);
        Assert.Equal("call-1", AsString(tool.SpanAttributes["ai.toolCall.id"]));
        Assert.Equal("{\"city\":\"Paris\"}", AsString(tool.SpanAttributes["ai.toolCall.args"]));
        Assert.Equal("{\"city\":\"Paris\",\"temp\":21}", AsString(tool.SpanAttributes["ai.toolCall.result"]));

        Assert.Equal(35, Result.Spans[2].SpanAttributes.Count);
        Assert.Equal("It is sunny in Paris.", AsString(Result.Spans[2].SpanAttributes["ai.response.text"]));

        var root = Result.Spans[3];
        Assert.Equal(23, root.SpanAttributes.Count);
        Assert.Equal(24, AsLong(root.SpanAttributes["ai.usage.inputTokens"]));
        Assert.Equal("{\"prompt\":\"What is the weather in Paris?\"}", AsString(root.SpanAttributes["ai.prompt"]));
    }

    [Fact]
    public async Task Gzipped_fixture_decodes_the_same_through_the_body_reader()
    {
        var raw = Fixture("ai-sdk-v6-generateText-toolcall.otlp.json");
        var ms = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(ms, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) gz.Write(raw);
        using var body = await RequestBodyReader.ReadAsync(new MemoryStream(ms.ToArray()), "gzip", RequestBodyReader.DefaultMaxBytes,
            "invalid_otlp_payload", CancellationToken.None);
        var again = OtlpJsonDecoder.Decode(body.Memory.Span);
        Assert.Equal(Result.Spans.Select(Describe), again.Spans.Select(Describe));
    }
}
