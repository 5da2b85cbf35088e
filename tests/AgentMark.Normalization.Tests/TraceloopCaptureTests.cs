using AgentMark.Core.Spans;
using AgentMark.Normalization.Tests.Support;

namespace AgentMark.Normalization.Tests;

/// <summary>
/// Spans produced by the real OpenLLMetry SDK (js/traceloop-openai.cjs: @traceloop/node-server-sdk 0.27 with
/// its OpenAI instrumentation, a workflow, a task and association properties), decoded by the gateway's
/// OTLP/JSON decoder. OpenLLMetry 0.27 writes the v1.37 message arrays rather than the flattened
/// <c>gen_ai.prompt.N.*</c> keys of §2.8; the convention reads them when the flattened keys are absent.
/// </summary>
public sealed class TraceloopCaptureTests
{
    private static readonly Lazy<IReadOnlyList<SpanRecord>> Records = new(() => NodeCapture.Run("traceloop-openai.cjs"));

    private static SpanRecord Named(string name) => Records.Value.Single(r => r.SpanName == name);

    [Fact]
    public void OneTraceOfFourSpans_AllCarryTheAssociationProperties()
    {
        Assert.Equal(4, Records.Value.Count);
        Assert.Single(Records.Value.Select(r => r.TraceId).Distinct());
        Assert.All(Records.Value, r =>
        {
            Assert.Equal("conv-7", r.SessionId);
            Assert.Equal("user-3", r.UserId);
            Assert.Equal("{\"tenant\":\"acme\"}", r.Metadata);
            Assert.Equal("traceloop-capture", r.ServiceName);
        });
    }

    [Fact]
    public void WorkflowSpan()
    {
        var r = Named("capital_workflow.workflow");
        Assert.Equal("SPAN", r.Type);
        Assert.Equal("function", r.SemanticKind); // traceloop.span.kind is lower-case "workflow": rule 3b is exact
        Assert.Null(r.ParentSpanId);
        Assert.Equal("capital_workflow", r.TraceName);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"{\\\"args\\\":[],\\\"kwargs\\\":{}}\"}]", r.Input);
        Assert.Equal("{\"answer\":\"Paris\"}", r.Output);
        Assert.Equal("{\"answer\":\"Paris\"}", r.OutputObject);
        Assert.Equal("", r.Model);
    }

    [Fact]
    public void TaskSpan_AStringResultIsNotAnOutputObject()
    {
        var r = Named("ask_capital.task");
        Assert.Equal("SPAN", r.Type);
        Assert.Equal("ask_capital", r.TraceName);
        Assert.Equal("\"Paris\"", r.Output);
        Assert.Null(r.OutputObject);
    }

    [Fact]
    public void ChatSpan_FromTheOpenAiInstrumentation()
    {
        var r = Records.Value.Single(x => x.SpanName == "chat gpt-4o" && x.Output == "Paris");
        Assert.Equal("@traceloop/instrumentation-openai", r.ScopeName);
        Assert.Equal("GENERATION", r.Type);
        Assert.Equal("llm", r.SemanticKind);
        Assert.Equal("gpt-4o-2024-08-06", r.Model); // the response model wins
        Assert.Equal((24, 2, 26), (r.InputTokens, r.OutputTokens, r.TotalTokens));
        Assert.Equal(0.00008, r.Cost, 12);
        Assert.Equal("{\"temperature\":0.2,\"maxTokens\":256}", r.Settings);
        Assert.Equal("stop", r.FinishReason);
        Assert.Equal("[{\"role\":\"system\",\"content\":\"Answer in one word.\"},{\"role\":\"user\",\"content\":\"Capital of France?\"}]", r.Input);
        Assert.Null(r.ToolCalls);
        Assert.Equal("", r.TraceName); // only entity spans carry traceloop.entity.name
        Assert.Equal(Named("ask_capital.task").SpanId, r.ParentSpanId);
    }

    [Fact]
    public void ChatSpan_RequestingATool()
    {
        var r = Records.Value.Single(x => x.SpanName == "chat gpt-4o" && x.ToolCalls is not null);
        Assert.Equal("GENERATION", r.Type);
        Assert.Equal("[{\"type\":\"tool-call\",\"toolCallId\":\"call_weather_1\",\"toolName\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}]", r.ToolCalls);
        Assert.Null(r.Output);
        Assert.Equal("tool_call", r.FinishReason);
        Assert.Equal((24, 9, 33), (r.InputTokens, r.OutputTokens, r.TotalTokens));
        Assert.Null(r.Settings);
    }
}
