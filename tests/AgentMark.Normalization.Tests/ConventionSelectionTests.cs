using System.Text.Json.Nodes;
using AgentMark.Core.Spans;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Conventions;
using AgentMark.Normalization.Conventions.AgentMarkSdk;
using AgentMark.Normalization.Conventions.Mastra;
using AgentMark.Normalization.Conventions.OpenInference;
using AgentMark.Normalization.Conventions.OpenLlmetry;
using AgentMark.Normalization.Conventions.OtelGenAi;
using AgentMark.Normalization.Conventions.VercelAiSdk;
using AgentMark.Normalization.Tests.Support;
using static AgentMark.Normalization.Tests.Support.Spans;

namespace AgentMark.Normalization.Tests;

/// <summary>Transformer selection (ingestion §2.3).</summary>
public sealed class ConventionSelectionTests
{
    private static readonly ConventionSelector Selector = new();

    private static ISpanConvention Select(string? scope, params (string Key, JsonNode? Value)[] attributes)
        => Select(Span(scope: scope, attributes: attributes));

    private static ISpanConvention Select(DecodedSpan span)
        => Selector.Select(span, new AttributeView(span.ResourceAttributes, span.SpanAttributes));

    [Theory]
    [InlineData("ai", typeof(VercelAiSdkConvention))]
    [InlineData("agentmark", typeof(AgentMarkSdkConvention))]
    [InlineData("pydantic-ai", typeof(OtelGenAiConvention))]
    [InlineData("default-tracer", typeof(MastraConvention))]
    [InlineData("AI", typeof(OtelGenAiConvention))]              // exact, case-sensitive
    [InlineData("agentmark ", typeof(OtelGenAiConvention))]
    [InlineData("", typeof(OtelGenAiConvention))]
    [InlineData(null, typeof(OtelGenAiConvention))]
    [InlineData("Microsoft.Extensions.AI", typeof(OtelGenAiConvention))]
    public void ScopeNameIsMatchedExactly(string? scope, Type expected) => Assert.IsType(expected, Select(scope));

    [Fact]
    public void ScopeRegistrationWinsOverAttributes()
    {
        Assert.IsType<VercelAiSdkConvention>(Select("ai", ("openinference.span.kind", S("LLM"))));
        Assert.IsType<AgentMarkSdkConvention>(Select("agentmark", ("openinference.span.kind", S("CHAIN")), ("traceloop.span.kind", S("TOOL"))));
    }

    [Fact]
    public void SpecExample_8_3_CarriesTheOpenInferenceSignature()
    {
        var span = OtlpJson.ReadFixture("spec-8.3-openinference.otlp.json").Single();
        var view = new AttributeView(span.ResourceAttributes, span.SpanAttributes);
        Assert.True(ConventionSignatures.IsOpenInference(view));
        Assert.IsType<OpenInferenceConvention>(Select(span));
    }

    [Theory]
    [InlineData("openinference.span.kind", true)]
    [InlineData("llm.model_name", true)]
    [InlineData("llm.input_messages.0.message.role", true)]
    [InlineData("llm.output_messages.3.message.content", true)]
    [InlineData("llm.token_count.prompt", true)]
    [InlineData("llm.token_count", false)]
    [InlineData("llm.invocation_parameters", false)]
    [InlineData("gen_ai.request.model", false)]
    public void OpenInferenceSignature(string key, bool expected)
        => Assert.Equal(expected, ConventionSignatures.IsOpenInference(new AttributeView(Map(), Map((key, S("x"))))));

    [Fact]
    public void OpenInferenceSignatureNeedsADefinedValueForItsMarkerKeys()
        => Assert.False(ConventionSignatures.IsOpenInference(new AttributeView(Map(), Map(("openinference.span.kind", null)))));

    [Theory]
    [InlineData("traceloop.span.kind", true)]
    [InlineData("traceloop.entity.name", true)]
    [InlineData("gen_ai.prompt.0.content", true)]
    [InlineData("gen_ai.completion.12.role", true)]
    [InlineData("gen_ai.prompt", false)]
    [InlineData("gen_ai.prompt.x.content", false)]
    [InlineData("gen_ai.prompt.0", false)]
    [InlineData("gen_ai.completion", false)]
    public void OpenLlmetrySignature(string key, bool expected)
        => Assert.Equal(expected, ConventionSignatures.IsOpenLlmetry(new AttributeView(Map(), Map((key, S("x"))))));

    [Theory]
    [InlineData("db.system", "Pinecone", true)]
    [InlineData("db.system", "chromadb", true)]
    [InlineData("db.system", "postgresql", false)]
    [InlineData("db.system.name", "qdrant", true)]
    [InlineData("db.vector.query.top_k", "5", true)]
    public void VectorStoreSignature(string key, string value, bool expected)
    {
        var span = Span(attributes: [(key, S(value))]);
        Assert.Equal(expected, ConventionSignatures.IsVectorStore(span, new AttributeView(span.ResourceAttributes, span.SpanAttributes)));
    }

    [Fact]
    public void VectorStoreSignature_DbSystemShadowsDbSystemName()
    {
        var span = Span(attributes: [("db.system", S("postgresql")), ("db.system.name", S("milvus"))]);
        Assert.False(ConventionSignatures.IsVectorStore(span, new AttributeView(span.ResourceAttributes, span.SpanAttributes)));
    }

    [Theory]
    [InlineData("db.query.result", true)]
    [InlineData("db.search.result", true)]
    [InlineData("gen_ai.first_token", false)]
    public void VectorStoreSignature_Events(string eventName, bool expected)
    {
        var span = Span(events: [new SpanEvent(1, eventName, Map())]);
        Assert.Equal(expected, ConventionSignatures.IsVectorStore(span, new AttributeView(span.ResourceAttributes, span.SpanAttributes)));
    }

    [Fact]
    public void DispatcherOrder_OpenInferenceBeforeOpenLlmetryBeforeVectorStoreBeforeOtelGenAi()
    {
        Assert.IsType<OpenInferenceConvention>(Select("x", ("llm.model_name", S("m")), ("traceloop.span.kind", S("LLM"))));
        Assert.IsType<OpenLlmetryConvention>(Select("x", ("gen_ai.prompt.0.content", S("hi")), ("db.system", S("pinecone"))));
        Assert.IsType<OpenLlmetryConvention>(Select("x", ("db.system", S("pinecone")), ("gen_ai.usage.input_tokens", I(3))));
        Assert.IsType<OtelGenAiConvention>(Select("x", ("gen_ai.prompt", S("hi")), ("gen_ai.usage.input_tokens", I(3))));
    }

    [Fact]
    public void ResourceAttributesTakePartInDispatch()
    {
        var span = Span(resource: [("traceloop.sdk.version", S("0.27"))]);
        var view = new AttributeView(span.ResourceAttributes, span.SpanAttributes);
        Assert.True(ConventionSignatures.IsOpenLlmetry(view));
    }
}
