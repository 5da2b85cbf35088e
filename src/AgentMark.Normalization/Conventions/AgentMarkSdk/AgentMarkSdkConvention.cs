using AgentMark.Core.Spans;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Coercion;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.AgentMarkSdk;

/// <summary>
/// Spans of the AgentMark SDKs (scope <c>agentmark</c>, ingestion §2.4): prompt spans from the webhook
/// runner, <c>span()</c>/<c>observe()</c> spans and the Claude Agent SDK adapters. GenAI semantic
/// convention keys plus <c>agentmark.*</c> keys, where the AgentMark keys win.
/// </summary>
internal sealed class AgentMarkSdkConvention : ISpanConvention
{
    public string Classify(DecodedSpan span, AttributeView a)
    {
        var name = span.Name;
        if (a["gen_ai.operation.name"] is "chat" or "text_completion" or "embeddings")
        {
            return SpanTypes.Generation;
        }
        if (name == "chat" || name.StartsWith("chat ", StringComparison.Ordinal)) return SpanTypes.Generation;
        if (name is "gen_ai.llm.turn" or "gen_ai.session") return SpanTypes.Generation;
        // Tool, agent and grouping names are checked before the Anthropic fallback below.
        if (name == "execute_tool" || name.StartsWith("execute_tool ", StringComparison.Ordinal)
            || name.StartsWith("gen_ai.tool.call", StringComparison.Ordinal))
        {
            return SpanTypes.Span;
        }
        if (name == "invoke_agent" || name.StartsWith("invoke_agent ", StringComparison.Ordinal)) return SpanTypes.Span;
        if (name is "gen_ai.conversation" or "gen_ai.subagent") return SpanTypes.Span;
        if ((a["gen_ai.system"] is "anthropic" || a["gen_ai.provider.name"] is "anthropic")
            && a.Has("gen_ai.usage.input_tokens") && a.Has("gen_ai.response.output"))
        {
            return SpanTypes.Generation;
        }
        return SpanTypes.Span;
    }

    public void Transform(DecodedSpan span, AttributeView a, NormalizedFields f)
    {
        // The response model is what actually answered; prefer it.
        var model = a["gen_ai.response.model"];
        if (!JsValue.IsTruthy(model)) model = a["gen_ai.request.model"];
        if (JsValue.IsTruthy(model)) f.Model = JsValue.ToJsString(model);

        f.InputTokens = AttributeCoercion.NumOnly(a.FirstExisting("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"));
        f.OutputTokens = AttributeCoercion.NumOnly(a.FirstExisting("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"));
        if (f.InputTokens is { } input && f.OutputTokens is { } output) f.TotalTokens = input + output;

        if (AttributeCoercion.NumOnly(a["agentmark.usage.cost_usd"]) is > 0 and var cost) f.Cost = cost;

        f.FinishReason = FinishReason(a["gen_ai.response.finish_reasons"]);
        f.Settings = Settings(a);

        AgentMarkSdkMessages.ExtractInput(a, f);
        AgentMarkSdkMessages.ExtractOutput(a, f);
        ExtractToolCall(a, f);

        // Direct agentmark.* keys win over their agentmark.metadata.* forms.
        AttributeCoercion.ParseMetadata(a, MetadataPrefix.AgentMark, f);
        AttributeCoercion.ParseAgentMarkAttributes(a, f);
        AttributeCoercion.ExtractCustomMetadata(a, MetadataPrefix.AgentMark, f);
    }

    /// <summary>
    /// A JSON-array string gives its first element; other JSON gives nothing; non-JSON text is used raw.
    /// A native OTLP array is joined with commas (JavaScript <c>String(array)</c>).
    /// </summary>
    private static string? FinishReason(object? value)
    {
        if (!JsValue.IsTruthy(value)) return null;
        if (value is string text)
        {
            if (!JsJson.TryParse(text, out var parsed)) return text;
            return parsed is JsArray { Count: > 0 } reasons ? JsValue.ToJsString(reasons[0]) : null;
        }
        return value is JsArray ? JsValue.ToJsString(value) : null;
    }

    /// <summary>Present when either key exists; only numeric values are kept (a string temperature gives {}).</summary>
    private static JsObject? Settings(AttributeView a)
    {
        var maxTokens = a["gen_ai.request.max_tokens"];
        var temperature = a["gen_ai.request.temperature"];
        if (maxTokens is null && temperature is null) return null;
        var settings = new JsObject(2);
        if (JsValue.IsNumber(maxTokens)) settings["maxTokens"] = maxTokens;
        if (JsValue.IsNumber(temperature)) settings["temperature"] = temperature;
        return settings;
    }

    /// <summary>Tool execution spans are renamed to the tool and carry one tool call.</summary>
    private static void ExtractToolCall(AttributeView a, NormalizedFields f)
    {
        if (!JsValue.TryGetTruthyString(a["gen_ai.tool.name"], out var toolName)) return;
        f.Name = toolName;
        var toolCallId = a["gen_ai.tool.call.id"] as string ?? "";
        JsValue.TryGetTruthyString(a["gen_ai.tool.output"], out var result);
        var call = ToolCallJson.Create(toolCallId, toolName, ToolCallJson.ArgsFromJsonText(a["gen_ai.tool.input"]), result);
        f.ToolCalls = new JsArray(call);
    }
}
