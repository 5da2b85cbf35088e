using AgentMark.Core.Spans;
using AgentMark.Normalization.Tests.Support;

namespace AgentMark.Normalization.Tests;

/// <summary>
/// Spans produced by the real Arize OpenInference libraries (js/openinference-openai.cjs:
/// @arizeai/openinference-instrumentation-openai around the real `openai` client, plus the retriever and
/// tool helpers of @arizeai/openinference-core), decoded by the gateway's OTLP/JSON decoder. Ids and
/// times differ per run; every field the convention produces is asserted.
/// </summary>
public sealed class OpenInferenceCaptureTests
{
    private static readonly Lazy<IReadOnlyList<SpanRecord>> Records = new(() => NodeCapture.Run("openinference-openai.cjs"));

    private static IEnumerable<SpanRecord> Chats => Records.Value.Where(r => r.SpanName == "OpenAI Chat Completions");

    [Fact]
    public void EverySpanGoesThroughTheOpenInferenceConvention()
    {
        Assert.Equal(5, Records.Value.Count);
        Assert.All(Records.Value, r => Assert.Equal("openinference-capture", r.ServiceName));
        Assert.Equal(3, Chats.Count());
    }

    [Fact]
    public void ChatCompletion_WithSessionUserAndMetadataContext()
    {
        var r = Chats.Single(c => c.SessionId != "");
        Assert.Equal("GENERATION", r.Type);
        Assert.Equal("llm", r.SemanticKind);
        Assert.Equal("@arizeai/openinference-instrumentation-openai", r.ScopeName);
        Assert.Equal("gpt-4o-2024-08-06", r.Model);
        Assert.Equal((24, 2, 26, 0), (r.InputTokens, r.OutputTokens, r.TotalTokens, r.ReasoningTokens));
        Assert.Equal(0.00008, r.Cost, 12);
        Assert.Equal("[{\"role\":\"system\",\"content\":\"Answer in one word.\"},{\"role\":\"user\",\"content\":\"Capital of France?\"}]", r.Input);
        Assert.Equal("Paris", r.Output);
        Assert.Null(r.OutputObject); // output.value (the raw response) is ignored when output messages exist
        Assert.Null(r.ToolCalls);
        Assert.Null(r.FinishReason); // llm.finish_reason is sent but not read (§2.7)
        Assert.Equal("{\"temperature\":0.2,\"maxTokens\":256}", r.Settings);
        Assert.Equal("conv-1", r.SessionId);
        Assert.Equal("user-9", r.UserId);
        Assert.Equal("{\"experiment\":\"A\",\"attempt\":\"2\"}", r.Metadata);
        Assert.Equal("1", r.StatusCode);
        Assert.Contains("\"gen_ai.usage.cost\":0.00008", r.SpanAttributes);
    }

    [Fact]
    public void ChatCompletion_RequestingATool()
    {
        var r = Chats.Single(c => c.ToolCalls is not null);
        Assert.Equal("GENERATION", r.Type);
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":\"call_weather_1\",\"toolName\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}]", r.ToolCalls);
        Assert.Null(r.Output); // only tool calls: no text, and output.value is not used
        Assert.Null(r.Settings); // the invocation parameters hold only the model and tools
        Assert.Equal("[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}]", r.Input);
        Assert.Equal((24, 9, 33), (r.InputTokens, r.OutputTokens, r.TotalTokens));
        Assert.Equal("", r.SessionId);
    }

    [Fact]
    public void ChatCompletion_AnsweringFromTheToolResult()
    {
        var r = Chats.Single(c => c.Output == "It is sunny in Paris.");
        Assert.Equal(
            "[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"},"
            + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool-call\",\"toolCallId\":\"call_weather_1\",\"toolName\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}]},"
            + "{\"role\":\"tool\",\"content\":\"{\\\"sky\\\":\\\"sunny\\\"}\"}]",
            r.Input);
        Assert.Null(r.ToolCalls);
    }

    [Fact]
    public void RetrieverSpan_DocumentsBecomeTheOutput()
    {
        var r = Records.Value.Single(x => x.SpanName == "retrieve-docs");
        Assert.Equal("SPAN", r.Type);
        Assert.Equal("retrieval", r.SemanticKind);
        Assert.Equal("openinference-core", r.ScopeName);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"capital of France\"}]", r.Input);
        Assert.Equal(
            "{\"documents\":[{\"id\":\"doc-1\",\"content\":\"Paris is the capital of France.\",\"score\":0.92,\"metadata\":{\"source\":\"atlas\"}},"
            + "{\"id\":\"2\",\"content\":\"France is in Europe.\",\"score\":0.5}]}",
            r.OutputObject);
        Assert.Equal("Paris is the capital of France.\n\nFrance is in Europe.", r.Output);
        Assert.Equal("", r.Model);
        Assert.Equal(0, r.Cost);
    }

    [Fact]
    public void ToolSpan_IsRenamedToTheTool()
    {
        var r = Records.Value.Single(x => x.SpanName == "get_weather");
        Assert.Equal("SPAN", r.Type);
        Assert.Equal("tool", r.SemanticKind);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"Paris\"}]", r.Input);
        Assert.Equal("{\"city\":\"Paris\",\"sky\":\"sunny\"}", r.Output);
        Assert.Equal("{\"city\":\"Paris\",\"sky\":\"sunny\"}", r.OutputObject);
        Assert.Null(r.ToolCalls); // OpenInference tool spans carry no tool-call list
    }
}
