using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using AgentMark.Normalization.Tests.Support;
using static AgentMark.Normalization.Tests.Support.Spans;

namespace AgentMark.Normalization.Tests;

/// <summary>Base record, overlays and column defaults (ingestion §2.1, §2.10, §6.1).</summary>
public sealed class StoredRecordTests
{
    [Fact]
    public void MinimalSpanGetsEveryColumnDefault()
    {
        var span = new DecodedSpan
        {
            TraceId = "t", SpanId = "s", ResourceAttributes = Map(), SpanAttributes = Map(),
            StartTimeUnixNano = 1_000_000, EndTimeUnixNano = 3_500_000,
        };
        RecordAssert.Equal(new SpanRecord
        {
            AppId = "tenant-1", TraceId = "t", SpanId = "s", ParentSpanId = null, TraceState = null,
            Type = "SPAN", StartTimeUnixNano = 1_000_000, EndTime = 3.5, Duration = 2,
            SpanName = "", SpanKind = "0", SemanticKind = "function", ServiceName = null, ScopeName = null, ScopeVersion = null,
            StatusCode = "0", StatusMessage = null, Model = "", InputTokens = 0, OutputTokens = 0, TotalTokens = 0, ReasoningTokens = 0,
            Cost = 0, Input = null, Output = null, OutputObject = null, ToolCalls = null, FinishReason = null, Settings = null,
            Props = null, Metadata = null, Tags = "[]", ResourceAttributes = "{}", SpanAttributes = "{}", Events = "[]", Links = "[]",
        }, Spans.Normalizer.Normalize(span, "tenant-1"));
    }

    [Fact]
    public void IdentityTimingStatusAndScopeAreCopied()
    {
        var span = new DecodedSpan
        {
            TraceId = "trace-1", SpanId = "span-1", ParentSpanId = "parent-1", TraceState = "k=v", Name = "n", Kind = "5",
            StartTimeUnixNano = 1767225600000500001, EndTimeUnixNano = 1767225600000000000,
            StatusCode = "STATUS_CODE_WEIRD", StatusMessage = "boom", ScopeName = "scope", ScopeVersion = "1.0",
            ResourceAttributes = Map(), SpanAttributes = Map(),
        };
        var record = Spans.Normalizer.Normalize(span, "a");
        Assert.Equal(("trace-1", "span-1", "parent-1", "k=v"), (record.TraceId, record.SpanId, record.ParentSpanId, record.TraceState));
        Assert.Equal(("n", "5", "STATUS_CODE_WEIRD", "boom"), (record.SpanName, record.SpanKind, record.StatusCode, record.StatusMessage));
        Assert.Equal(("scope", "1.0"), (record.ScopeName, record.ScopeVersion));
        Assert.Equal(1767225600000500001, record.StartTimeUnixNano); // exact, not via double
        Assert.Equal(-1, record.Duration);                           // end before start: negative, floored, not clamped
    }

    [Fact]
    public void EndTimeKeepsSubMillisecondsAndDurationIsFloored()
    {
        var record = Normalize(Span(start: 1767225600000000000, end: 1767225601834512345));
        Assert.Equal(1767225601834.5125, record.EndTime);
        Assert.Equal(1834, record.Duration);
    }

    [Fact]
    public void ServiceNameComesFromTheResourceOnly()
    {
        Assert.Equal("res", Normalize(Span(resource: [("service.name", S("res"))], attributes: [("service.name", S("span"))])).ServiceName);
        Assert.Null(Normalize(Span(attributes: [("service.name", S("span"))])).ServiceName);
        Assert.Equal("5", Normalize(Span(resource: [("service.name", I(5))])).ServiceName);
        Assert.Null(Normalize(Span(resource: [("service.name", null)])).ServiceName);
    }

    [Fact]
    public void AttributeMapsAreStoredAsDecodedWithAbsentValuesOmitted()
    {
        var record = Normalize(Span(
            resource: [("service.name", S("svc")), ("host.cpu", I(8)), ("absent", null)],
            attributes: [("s", S("{\"not\":\"parsed\"}")), ("d", D(0.00001)), ("big", D(1e21)), ("b", B(false)),
                ("arr", Arr(S("a"), null, D(2.0))), ("kv", new JsonObject { ["x"] = 1, ["gone"] = null }), ("nan", D(double.NaN)), ("none", null)]));
        Assert.Equal("{\"service.name\":\"svc\",\"host.cpu\":8}", record.ResourceAttributes);
        Assert.Equal("{\"s\":\"{\\\"not\\\":\\\"parsed\\\"}\",\"d\":0.00001,\"big\":1e+21,\"b\":false,\"arr\":[\"a\",null,2],\"kv\":{\"x\":1},\"nan\":null}",
            record.SpanAttributes);
    }

    [Fact]
    public void EventsAreStoredWithNanosecondTimestamps()
    {
        var record = Normalize(Span(events: [
            new SpanEvent(1767225900400000000, "first", Map(("latency_ms", D(400.0)), ("absent", null))),
            // Not a multiple of the double spacing: floor((ns / 1e6) × 1e6) in doubles, written as JavaScript would.
            new SpanEvent(1795616621634123457, "second \"quoted\"", Map())]));
        Assert.Equal("[{\"timestamp\":1767225900400000000,\"name\":\"first\",\"attributes\":{\"latency_ms\":400}},"
            + "{\"timestamp\":1795616621634123500,\"name\":\"second \\\"quoted\\\"\",\"attributes\":{}}]", record.Events);
    }

    [Fact]
    public void LinksAreStoredWithNullTraceStateWhenEmpty()
    {
        var record = Normalize(Span(links: [
            new SpanLink("0af7651916cd43dd8448eb211c80319c", "b2b2b2b2b2b2b2b2", null, Map(("k", S("v")))),
            new SpanLink("t2", "s2", "vendor=1", Map())]));
        Assert.Equal("[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b2b2b2b2b2b2b2b2\",\"traceState\":null,\"attributes\":{\"k\":\"v\"}},"
            + "{\"traceId\":\"t2\",\"spanId\":\"s2\",\"traceState\":\"vendor=1\",\"attributes\":{}}]", record.Links);
    }

    [Fact]
    public void TokensAreFlooredAndNonFiniteValuesStoredAsZero()
    {
        var fractional = Normalize(Span("x", "agentmark", [("gen_ai.usage.input_tokens", D(12.7)), ("gen_ai.usage.output_tokens", D(0.5))]));
        Assert.Equal((12, 0, 13), (fractional.InputTokens, fractional.OutputTokens, fractional.TotalTokens));
        var nan = Normalize(Span("x", "agentmark", [("gen_ai.usage.input_tokens", D(double.NaN)), ("gen_ai.usage.output_tokens", D(double.PositiveInfinity))]));
        Assert.Equal((0, long.MaxValue), (nan.InputTokens, nan.OutputTokens));
    }

    [Fact]
    public void EmptyStringsAndFalsyObjectsBecomeNull()
    {
        var record = Normalize(Span("x", "agentmark", [("gen_ai.response.output", S("false")), ("gen_ai.response.finish_reasons", S("[\"\"]")),
            ("agentmark.props", S(""))]));
        Assert.Equal(("false", (string?)null, (string?)null, (string?)null), (record.Output, record.OutputObject, record.FinishReason, record.Props));
    }

    [Fact]
    public void DirectAgentMarkKeysOverrideEveryConventionAndApplyFromTheResource()
    {
        foreach (var scope in new[] { "agentmark", "ai", "pydantic-ai", "openinference.instrumentation.langchain", null })
        {
            var record = Normalize(Span("x", scope,
                attributes: [("ai.telemetry.metadata.session_id", S("telemetry")), ("agentmark.dataset_input", S("{\"q\":1}")),
                    ("agentmark.experiment_key", S("exp")), ("agentmark.source_tree_hash", S("tree"))],
                resource: [("agentmark.session_id", S("from-resource")), ("agentmark.trace_name", S("tn"))]));
            Assert.Equal(("from-resource", "tn"), (record.SessionId, record.TraceName));
            Assert.Equal(("{\"q\":1}", "exp", "tree"), (record.DatasetInput, record.ExperimentKey, record.SourceTreeHash));
        }
    }

    [Fact]
    public void ConversationIdFillsOnlyAnEmptySession()
    {
        Assert.Equal("conv", Normalize(Span(scope: "ai", attributes: [("gen_ai.conversation.id", S("conv"))])).SessionId);
        Assert.Equal("42", Normalize(Span(resource: [("gen_ai.conversation.id", I(42))])).SessionId);
        Assert.Equal("set", Normalize(Span(attributes: [("gen_ai.conversation.id", S("conv")), ("agentmark.session_id", S("set"))])).SessionId);
        Assert.Equal("", Normalize(Span(attributes: [("gen_ai.conversation.id", S(""))])).SessionId);
    }

    [Fact]
    public void GroupingAttributesConformanceVectorOnAThirdPartyScope()
    {
        // grouping-attributes.json: what @agentmark-ai/otel stamps on every span, whatever its scope.
        var record = Normalize(Span("ChatOpenAI", "openinference.instrumentation.langchain", [
            ("agentmark.session_id", S("sess-1")), ("agentmark.session_name", S("Support chat")), ("agentmark.user_id", S("user-1")),
            ("agentmark.trace_name", S("triage")), ("agentmark.tags", S("[\"a\",\"b\"]")),
            ("agentmark.metadata.k", S("{\"k\":1,\"nested\":[\"a\"]}")), ("agentmark.metadata.n", S("2"))]));
        Assert.Equal(("sess-1", "Support chat", "user-1", "triage"), (record.SessionId, record.SessionName, record.UserId, record.TraceName));
        Assert.Equal("[\"a\",\"b\"]", record.Tags);
        Assert.Equal("{\"k\":\"{\\\"k\\\":1,\\\"nested\\\":[\\\"a\\\"]}\",\"n\":\"2\"}", record.Metadata);
    }

    [Fact]
    public void ToolRenameReplacesTheSpanName()
    {
        Assert.Equal("lookup", Normalize(Span("execute_tool lookup", "agentmark", [("gen_ai.tool.name", S("lookup"))])).SpanName);
        Assert.Equal("lookup", Normalize(Span("execute_tool lookup", null, [("gen_ai.tool.name", S("lookup"))])).SpanName);
        Assert.Equal("ai.toolCall", Normalize(Span("ai.toolCall", "ai", [("ai.toolCall.name", S(""))])).SpanName);
    }

    [Fact]
    public void NormalizerRejectsNullArguments()
    {
        Assert.Throws<ArgumentNullException>(() => new SpanNormalizer(null!));
        Assert.Throws<ArgumentNullException>(() => Spans.Normalizer.Normalize(null!, "a"));
        Assert.Throws<ArgumentNullException>(() => Spans.Normalizer.Normalize(Span(), null!));
    }
}
