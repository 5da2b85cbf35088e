using AgentMark.Core.Spans;
using AgentMark.Normalization.Tests.Support;

namespace AgentMark.Normalization.Tests;

/// <summary>
/// The real export captured from the Vercel AI SDK 6 (<c>generateText</c> with one tool call, mock
/// provider): four spans, every column asserted. AI SDK 6 keeps the v5 keys, so model steps use the v5
/// strategy; it sends a tool call's <c>input</c> as JSON text, which the spec keeps as given.
/// </summary>
public sealed class AiSdkV6FixtureTests
{
    private const string TraceId = "235aed8fe9685021cff1580bbd0b0537";
    private const string WrapperId = "3e17b749dad221ca";
    private const string Resource = "{\"service.name\":\"feas-ai-sdk\",\"deployment.environment\":\"test\"}";
    private const string Metadata = "{\"userId\":\"u-1\",\"sessionId\":\"s-1\"}";

    private static readonly Dictionary<string, SpanRecord> Records = OtlpJson
        .ReadFixture("ai-sdk-v6-generateText-toolcall.otlp.json")
        .Select(span => Spans.Normalize(span, "local"))
        .ToDictionary(r => r.SpanId);

    [Fact]
    public void FixtureHasFourSpansInOneTrace()
    {
        Assert.Equal(4, Records.Count);
        Assert.All(Records.Values, r => Assert.Equal(TraceId, r.TraceId));
    }

    [Fact]
    public void FirstModelStep_RequestsTheTool()
    {
        const string attributes = "{\"operation.name\":\"ai.generateText.doGenerate feas-weather\",\"resource.name\":\"feas-weather\",\"ai.operationId\":\"ai.generateText.doGenerate\",\"ai.telemetry.functionId\":\"feas-weather\",\"ai.model.provider\":\"mock-provider\",\"ai.model.id\":\"mock-model-1\",\"ai.settings.maxRetries\":2,\"ai.telemetry.metadata.userId\":\"u-1\",\"ai.telemetry.metadata.sessionId\":\"s-1\",\"ai.request.headers.user-agent\":\"ai/6.0.326\",\"ai.prompt.messages\":\"[{\\\"role\\\":\\\"user\\\",\\\"content\\\":[{\\\"type\\\":\\\"text\\\",\\\"text\\\":\\\"What is the weather in Paris?\\\"}]}]\",\"ai.prompt.tools\":[\"{\\\"type\\\":\\\"function\\\",\\\"name\\\":\\\"weather\\\",\\\"description\\\":\\\"get weather\\\",\\\"inputSchema\\\":{\\\"$schema\\\":\\\"http://json-schema.org/draft-07/schema#\\\",\\\"type\\\":\\\"object\\\",\\\"properties\\\":{\\\"city\\\":{\\\"type\\\":\\\"string\\\"}},\\\"required\\\":[\\\"city\\\"],\\\"additionalProperties\\\":false}}\"],\"ai.prompt.toolChoice\":\"{\\\"type\\\":\\\"auto\\\"}\",\"gen_ai.system\":\"mock-provider\",\"gen_ai.request.model\":\"mock-model-1\",\"ai.response.finishReason\":\"tool-calls\",\"ai.response.toolCalls\":\"[{\\\"toolCallId\\\":\\\"call-1\\\",\\\"toolName\\\":\\\"weather\\\",\\\"input\\\":\\\"{\\\\\\\"city\\\\\\\":\\\\\\\"Paris\\\\\\\"}\\\"}]\",\"ai.response.id\":\"aitxt-Re96VIbLRh2NowxcNC0XqefG\",\"ai.response.model\":\"mock-model-1\",\"ai.response.timestamp\":\"2026-11-25T14:23:41.636Z\",\"ai.usage.inputTokens\":12,\"ai.usage.inputTokenDetails.noCacheTokens\":12,\"ai.usage.inputTokenDetails.cacheReadTokens\":0,\"ai.usage.inputTokenDetails.cacheWriteTokens\":0,\"ai.usage.outputTokens\":7,\"ai.usage.outputTokenDetails.textTokens\":7,\"ai.usage.outputTokenDetails.reasoningTokens\":0,\"ai.usage.totalTokens\":19,\"ai.usage.reasoningTokens\":0,\"ai.usage.cachedInputTokens\":0,\"gen_ai.response.finish_reasons\":[\"tool-calls\"],\"gen_ai.response.id\":\"aitxt-Re96VIbLRh2NowxcNC0XqefG\",\"gen_ai.response.model\":\"mock-model-1\",\"gen_ai.usage.input_tokens\":12,\"gen_ai.usage.output_tokens\":7}";

        RecordAssert.Equal(new SpanRecord
        {
            AppId = "local", TraceId = TraceId, SpanId = "beb64198a9282155", ParentSpanId = WrapperId, TraceState = null,
            Type = "GENERATION", StartTimeUnixNano = 1795616621634000000, EndTime = 1795616621637.4622, Duration = 3,
            SpanName = "ai.generateText.doGenerate", SpanKind = "1", SemanticKind = "llm", ServiceName = "feas-ai-sdk",
            ScopeName = "ai", ScopeVersion = null, StatusCode = "0", StatusMessage = null,
            Model = "mock-model-1", InputTokens = 12, OutputTokens = 7, TotalTokens = 19, ReasoningTokens = 0, Cost = 0,
            Input = "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is the weather in Paris?\"}]}]",
            Output = null, OutputObject = null,
            // AI SDK 6 reports the tool input as JSON text; `args: tc.input` keeps it as that string.
            ToolCalls = "[{\"type\":\"tool-call\",\"toolCallId\":\"call-1\",\"toolName\":\"weather\",\"args\":\"{\\\"city\\\":\\\"Paris\\\"}\"}]",
            FinishReason = "tool-calls", Settings = null,
            SessionId = "", UserId = "", TraceName = "", PromptName = "", Props = null,
            Metadata = Metadata, Tags = "[]",
            ResourceAttributes = Resource,
            // Model and both token counts present: cost injected even though the mock model has no price.
            SpanAttributes = attributes[..^1] + ",\"gen_ai.usage.cost\":0}",
            Events = "[]", Links = "[]",
        }, Records["beb64198a9282155"]);
    }

    [Fact]
    public void ToolExecution_IsRenamedToTheTool()
    {
        const string attributes = "{\"operation.name\":\"ai.toolCall feas-weather\",\"resource.name\":\"feas-weather\",\"ai.operationId\":\"ai.toolCall\",\"ai.telemetry.functionId\":\"feas-weather\",\"ai.telemetry.metadata.userId\":\"u-1\",\"ai.telemetry.metadata.sessionId\":\"s-1\",\"ai.toolCall.name\":\"weather\",\"ai.toolCall.id\":\"call-1\",\"ai.toolCall.args\":\"{\\\"city\\\":\\\"Paris\\\"}\",\"ai.toolCall.result\":\"{\\\"city\\\":\\\"Paris\\\",\\\"temp\\\":21}\"}";

        RecordAssert.Equal(new SpanRecord
        {
            AppId = "local", TraceId = TraceId, SpanId = "c1b9285129c7675a", ParentSpanId = WrapperId,
            Type = "SPAN", StartTimeUnixNano = 1795616621642000000, EndTime = 1795616621642.8667, Duration = 0,
            SpanName = "weather", SpanKind = "1", SemanticKind = "tool", ServiceName = "feas-ai-sdk",
            ScopeName = "ai", StatusCode = "0",
            Model = "", InputTokens = 0, OutputTokens = 0, TotalTokens = 0, ReasoningTokens = 0, Cost = 0,
            Input = null, Output = null, OutputObject = null,
            ToolCalls = "[{\"type\":\"tool-call\",\"toolCallId\":\"call-1\",\"toolName\":\"weather\",\"args\":{\"city\":\"Paris\"},\"result\":\"{\\\"city\\\":\\\"Paris\\\",\\\"temp\\\":21}\"}]",
            FinishReason = null, Settings = null,
            Metadata = Metadata, Tags = "[]",
            ResourceAttributes = Resource, SpanAttributes = attributes,
            Events = "[]", Links = "[]",
        }, Records["c1b9285129c7675a"]);
    }

    [Fact]
    public void SecondModelStep_AnswersWithTheToolResult()
    {
        const string attributes = "{\"operation.name\":\"ai.generateText.doGenerate feas-weather\",\"resource.name\":\"feas-weather\",\"ai.operationId\":\"ai.generateText.doGenerate\",\"ai.telemetry.functionId\":\"feas-weather\",\"ai.model.provider\":\"mock-provider\",\"ai.model.id\":\"mock-model-1\",\"ai.settings.maxRetries\":2,\"ai.telemetry.metadata.userId\":\"u-1\",\"ai.telemetry.metadata.sessionId\":\"s-1\",\"ai.request.headers.user-agent\":\"ai/6.0.326\",\"ai.prompt.messages\":\"[{\\\"role\\\":\\\"user\\\",\\\"content\\\":[{\\\"type\\\":\\\"text\\\",\\\"text\\\":\\\"What is the weather in Paris?\\\"}]},{\\\"role\\\":\\\"assistant\\\",\\\"content\\\":[{\\\"type\\\":\\\"tool-call\\\",\\\"toolCallId\\\":\\\"call-1\\\",\\\"toolName\\\":\\\"weather\\\",\\\"input\\\":{\\\"city\\\":\\\"Paris\\\"}}]},{\\\"role\\\":\\\"tool\\\",\\\"content\\\":[{\\\"type\\\":\\\"tool-result\\\",\\\"toolCallId\\\":\\\"call-1\\\",\\\"toolName\\\":\\\"weather\\\",\\\"output\\\":{\\\"type\\\":\\\"json\\\",\\\"value\\\":{\\\"city\\\":\\\"Paris\\\",\\\"temp\\\":21}}}]}]\",\"ai.prompt.tools\":[\"{\\\"type\\\":\\\"function\\\",\\\"name\\\":\\\"weather\\\",\\\"description\\\":\\\"get weather\\\",\\\"inputSchema\\\":{\\\"$schema\\\":\\\"http://json-schema.org/draft-07/schema#\\\",\\\"type\\\":\\\"object\\\",\\\"properties\\\":{\\\"city\\\":{\\\"type\\\":\\\"string\\\"}},\\\"required\\\":[\\\"city\\\"],\\\"additionalProperties\\\":false}}\"],\"ai.prompt.toolChoice\":\"{\\\"type\\\":\\\"auto\\\"}\",\"gen_ai.system\":\"mock-provider\",\"gen_ai.request.model\":\"mock-model-1\",\"ai.response.finishReason\":\"stop\",\"ai.response.text\":\"It is sunny in Paris.\",\"ai.response.id\":\"aitxt-qwUgNN2SLtaPakuoQwl5ApC9\",\"ai.response.model\":\"mock-model-1\",\"ai.response.timestamp\":\"2026-11-25T14:23:41.645Z\",\"ai.usage.inputTokens\":12,\"ai.usage.inputTokenDetails.noCacheTokens\":12,\"ai.usage.inputTokenDetails.cacheReadTokens\":0,\"ai.usage.inputTokenDetails.cacheWriteTokens\":0,\"ai.usage.outputTokens\":7,\"ai.usage.outputTokenDetails.textTokens\":7,\"ai.usage.outputTokenDetails.reasoningTokens\":0,\"ai.usage.totalTokens\":19,\"ai.usage.reasoningTokens\":0,\"ai.usage.cachedInputTokens\":0,\"gen_ai.response.finish_reasons\":[\"stop\"],\"gen_ai.response.id\":\"aitxt-qwUgNN2SLtaPakuoQwl5ApC9\",\"gen_ai.response.model\":\"mock-model-1\",\"gen_ai.usage.input_tokens\":12,\"gen_ai.usage.output_tokens\":7}";

        RecordAssert.Equal(new SpanRecord
        {
            AppId = "local", TraceId = TraceId, SpanId = "d07ef07009dd47e0", ParentSpanId = WrapperId,
            Type = "GENERATION", StartTimeUnixNano = 1795616621645000000, EndTime = 1795616621645.603, Duration = 0,
            SpanName = "ai.generateText.doGenerate", SpanKind = "1", SemanticKind = "llm", ServiceName = "feas-ai-sdk",
            ScopeName = "ai", StatusCode = "0",
            Model = "mock-model-1", InputTokens = 12, OutputTokens = 7, TotalTokens = 19, ReasoningTokens = 0, Cost = 0,
            Input = "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is the weather in Paris?\"}]},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool-call\",\"toolCallId\":\"call-1\",\"toolName\":\"weather\",\"args\":{\"city\":\"Paris\"}}]},{\"role\":\"tool\",\"content\":[{\"type\":\"tool-result\",\"toolCallId\":\"call-1\",\"toolName\":\"weather\",\"result\":{\"city\":\"Paris\",\"temp\":21}}]}]",
            Output = "It is sunny in Paris.", OutputObject = null, ToolCalls = null,
            FinishReason = "stop", Settings = null,
            Metadata = Metadata, Tags = "[]",
            ResourceAttributes = Resource,
            SpanAttributes = attributes[..^1] + ",\"gen_ai.usage.cost\":0}",
            Events = "[]", Links = "[]",
        }, Records["d07ef07009dd47e0"]);
    }

    [Fact]
    public void Wrapper_HasModelButNoTokensUnderV5()
    {
        const string attributes = "{\"operation.name\":\"ai.generateText feas-weather\",\"resource.name\":\"feas-weather\",\"ai.operationId\":\"ai.generateText\",\"ai.telemetry.functionId\":\"feas-weather\",\"ai.model.provider\":\"mock-provider\",\"ai.model.id\":\"mock-model-1\",\"ai.settings.maxRetries\":2,\"ai.telemetry.metadata.userId\":\"u-1\",\"ai.telemetry.metadata.sessionId\":\"s-1\",\"ai.request.headers.user-agent\":\"ai/6.0.326\",\"ai.prompt\":\"{\\\"prompt\\\":\\\"What is the weather in Paris?\\\"}\",\"ai.response.finishReason\":\"stop\",\"ai.response.text\":\"It is sunny in Paris.\",\"ai.usage.inputTokens\":24,\"ai.usage.inputTokenDetails.noCacheTokens\":24,\"ai.usage.inputTokenDetails.cacheReadTokens\":0,\"ai.usage.inputTokenDetails.cacheWriteTokens\":0,\"ai.usage.outputTokens\":14,\"ai.usage.outputTokenDetails.textTokens\":14,\"ai.usage.outputTokenDetails.reasoningTokens\":0,\"ai.usage.totalTokens\":38,\"ai.usage.reasoningTokens\":0,\"ai.usage.cachedInputTokens\":0}";

        RecordAssert.Equal(new SpanRecord
        {
            AppId = "local", TraceId = TraceId, SpanId = WrapperId, ParentSpanId = null,
            Type = "SPAN", StartTimeUnixNano = 1795616621578000000, EndTime = 1795616621651.8152, Duration = 73,
            SpanName = "ai.generateText", SpanKind = "1", SemanticKind = "llm", ServiceName = "feas-ai-sdk",
            ScopeName = "ai", StatusCode = "0",
            Model = "mock-model-1", InputTokens = 0, OutputTokens = 0, TotalTokens = 0, ReasoningTokens = 0, Cost = 0,
            Input = "[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}]",
            Output = "It is sunny in Paris.", OutputObject = null, ToolCalls = null,
            FinishReason = "stop", Settings = null,
            Metadata = Metadata, Tags = "[]",
            ResourceAttributes = Resource,
            SpanAttributes = attributes, // no gen_ai.usage.* → no tokens → no cost injection
            Events = "[]", Links = "[]",
        }, Records[WrapperId]);
    }
}
