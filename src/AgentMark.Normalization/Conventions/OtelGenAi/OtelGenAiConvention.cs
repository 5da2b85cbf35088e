using AgentMark.Core.Spans;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Coercion;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.OtelGenAi;

/// <summary>
/// The OpenTelemetry GenAI semantic conventions (ingestion §2.9): Pydantic AI (scope <c>pydantic-ai</c>)
/// and the dispatcher's catch-all for any other instrumentation, including Microsoft.Extensions.AI and
/// plain HTTP/DB spans.
/// </summary>
internal sealed class OtelGenAiConvention : ISpanConvention
{
    /// <summary>Microsoft.Extensions.AI's function-invocation loop; it repeats the summed usage of the chat
    /// calls beneath it, so reading it would count every call twice in session totals (Addendum).</summary>
    private const string OrchestrateToolsSpanName = "orchestrate_tools";

    public string Classify(DecodedSpan span, AttributeView a)
    {
        var name = span.Name;
        if (name.StartsWith("chat ", StringComparison.Ordinal)) return SpanTypes.Generation;
        if (name.StartsWith("invoke_agent", StringComparison.Ordinal) || name == "agent run") return SpanTypes.Span;
        if (name.StartsWith("execute_tool", StringComparison.Ordinal) || name.StartsWith("running ", StringComparison.Ordinal)) return SpanTypes.Span;
        if (name == OrchestrateToolsSpanName) return SpanTypes.Span;
        return a.Has("gen_ai.usage.input_tokens") ? SpanTypes.Generation : SpanTypes.Span;
    }

    public void Transform(DecodedSpan span, AttributeView a, NormalizedFields f)
    {
        var model = a["gen_ai.response.model"];
        if (!JsValue.IsTruthy(model)) model = a["gen_ai.request.model"];
        if (JsValue.TryGetTruthyString(model, out var modelName)) f.Model = modelName;

        if (span.Name != OrchestrateToolsSpanName)
        {
            f.InputTokens = AttributeCoercion.NumOnly(a.FirstExisting("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"));
            f.OutputTokens = AttributeCoercion.NumOnly(a.FirstExisting("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"));
            if (f.InputTokens is { } input && f.OutputTokens is { } output) f.TotalTokens = input + output;
        }

        // Deviation: Semantic Kernel sends the list under the singular key, as JSON text (["Stop"]).
        f.FinishReason = FirstFinishReason(a["gen_ai.response.finish_reasons"] ?? a["gen_ai.response.finish_reason"]);

        // gen_ai.request.max_tokens is deliberately not read by this convention (§2.9).
        var temperature = a["gen_ai.request.temperature"];
        if (JsValue.IsNumber(temperature)) f.Settings = new JsObject(1) { ["temperature"] = temperature };

        OtelGenAiMessages.Extract(a, f);
        ExtractToolCall(a, f);
        // Deviation: Semantic Kernel's messages arrive as span events (pre-1.37 conventions).
        if (span.Events.Count > 0) OtelGenAiEvents.Extract(span, f);

        AttributeCoercion.ParseAgentMarkAttributes(a, f);
        // Promoted agentmark.metadata.* keys (session_id, ...) are not read here and, being reserved, are
        // not kept as custom metadata either (§2.9 note).
        AttributeCoercion.ExtractCustomMetadata(a, MetadataPrefix.AgentMark, f);
    }

    /// <summary>The first element of a non-empty array: a native OTLP array or JSON text of one
    /// (Microsoft.Extensions.AI sends <c>"[\"stop\"]"</c>). Anything else → unset.</summary>
    internal static string? FirstFinishReason(object? value)
    {
        if (value is JsArray { Count: > 0 } array) return JsValue.ToJsString(array[0]);
        if (value is string text && JsJson.TryParse(text, out var parsed) && parsed is JsArray { Count: > 0 } parsedArray)
        {
            return JsValue.ToJsString(parsedArray[0]);
        }
        return null;
    }

    /// <summary>Tool execution spans (<c>gen_ai.tool.name</c>) are renamed to the tool and carry one call.</summary>
    private static void ExtractToolCall(AttributeView a, NormalizedFields f)
    {
        if (!JsValue.TryGetTruthyString(a["gen_ai.tool.name"], out var toolName)) return;
        f.Name = toolName;
        var id = a["gen_ai.tool.call.id"];
        var toolCallId = JsValue.IsTruthy(id) ? id : "";
        JsValue.TryGetTruthyString(a["gen_ai.tool.call.result"], out var result);
        var args = ToolCallJson.ArgsFromJsonText(a["gen_ai.tool.call.arguments"]);
        f.ToolCalls = new JsArray(ToolCallJson.Create(toolCallId, toolName, args, result));
    }
}
