using AgentMark.Core.Spans;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Coercion;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.VercelAiSdk;

/// <summary>
/// Spans of the Vercel AI SDK's telemetry (scope <c>ai</c>, ingestion §2.5), v4 and v5+ (v6 keeps the v5
/// keys). Only the <c>doGenerate</c>/<c>doStream</c> leaf spans are generations; wrapper spans keep their
/// model but get no tokens under v5 because the SDK puts <c>gen_ai.usage.*</c> on the leaves only.
/// </summary>
internal sealed class VercelAiSdkConvention : ISpanConvention
{
    private static readonly TokenKeys V5Tokens = new(
        InputKey: "gen_ai.usage.input_tokens", PromptKey: "ai.usage.promptTokens",
        OutputKey: "gen_ai.usage.output_tokens", CompletionKey: "ai.usage.completionTokens",
        TotalKey: "gen_ai.usage.total_tokens", ReasoningKey: "ai.usage.reasoningTokens");

    private static readonly TokenKeys V4Tokens = new(
        InputKey: "gen_ai.usage.prompt_tokens", PromptKey: "ai.usage.promptTokens",
        OutputKey: "gen_ai.usage.completion_tokens", CompletionKey: "ai.usage.completionTokens",
        TotalKey: "gen_ai.usage.total_tokens", ReasoningKey: null);

    public string Classify(DecodedSpan span, AttributeView a) => span.Name switch
    {
        "ai.generateText.doGenerate" or "ai.streamText.doStream"
            or "ai.generateObject.doGenerate" or "ai.streamObject.doStream" => SpanTypes.Generation,
        _ => SpanTypes.Span,
    };

    public void Transform(DecodedSpan span, AttributeView a, NormalizedFields f)
    {
        var version = VercelAiSdkVersionDetector.Detect(a);
        var v5 = version == VercelAiSdkVersion.V5;

        // The request model, not the response model: the AI SDK reports the dated response id there.
        var model = a["gen_ai.request.model"];
        if (!JsValue.IsTruthy(model)) model = a["ai.model.id"];
        if (JsValue.IsTruthy(model)) f.Model = JsValue.ToJsString(model);

        // Plain text conversations are written straight to JSON; everything else is parsed and normalized.
        if (VercelAiSdkPromptWriter.TryWrite(a) is { } inputJson) f.InputJson = inputJson;
        else f.Input = VercelAiSdkPrompt.Extract(a, version);

        var text = v5 ? a["ai.response.text"] : a["ai.result.text"] ?? a["ai.response.text"];
        if (text is not null) f.Output = JsValue.ToJsString(text);
        f.OutputObject = OutputObject(v5 ? a["ai.response.object"] : a["ai.result.object"] ?? a["ai.response.object"], v5);

        f.ToolCalls = VercelAiSdkToolCalls.Extract(a, version);
        f.FinishReason = FinishReason(a, v5);
        f.SettingsJson = SettingsJson(a);

        var tokens = AttributeCoercion.ParseTokens(a, v5 ? V5Tokens : V4Tokens);
        f.InputTokens = tokens.Input;
        f.OutputTokens = tokens.Output;
        f.TotalTokens = tokens.Total;
        var reasoning = v5 && a.Has("ai.usage.reasoningTokens") ? tokens.Reasoning : ProviderMetadataReasoningTokens(a);
        // Reasoning is always set for AI SDK spans; any falsy result (absent, 0, NaN) is 0.
        f.ReasoningTokens = reasoning is { } r && r != 0 && !double.IsNaN(r) ? r : 0;

        // Promoted keys: the ai.telemetry.metadata. form wins over agentmark.metadata.
        AttributeCoercion.ParseMetadata(a, MetadataPrefix.AgentMark, f);
        AttributeCoercion.ParseMetadata(a, MetadataPrefix.AiTelemetry, f);
        // Custom keys: telemetry wins here; the universal overlay (§2.10.2) re-applies agentmark.metadata.
        AttributeCoercion.ExtractCustomMetadata(a, MetadataPrefix.AgentMark, f);
        AttributeCoercion.ExtractCustomMetadata(a, MetadataPrefix.AiTelemetry, f);

        if (JsValue.TryGetTruthyString(a["ai.toolCall.name"], out var toolName)) f.Name = toolName;
    }

    /// <summary>A string is parsed (unparseable → unset). v5 keeps only objects/arrays otherwise; v4 keeps any value.</summary>
    private static object? OutputObject(object? value, bool v5)
    {
        if (value is null) return null;
        if (value is string text) return JsJson.TryParse(text, out var parsed) ? parsed : null;
        if (v5 && value is not (JsObject or JsArray)) return null;
        return value;
    }

    private static string? FinishReason(AttributeView a, bool v5)
    {
        var direct = v5 ? a["ai.response.finishReason"] : a["ai.result.finishReason"] ?? a["ai.response.finishReason"];
        if (direct is not null) return JsValue.ToJsString(direct);
        var reasons = a["gen_ai.response.finish_reasons"];
        if (reasons is null) return null;
        // Microsoft.Extensions.AI sends the array as JSON text (Addendum); it counts as the array.
        if (reasons is JsArray { Count: > 0 } array) return JsValue.ToJsString(array[0]);
        if (reasons is string single && JsJson.TryParseSingleStringArray(single, out var only)) return only;
        if (reasons is string text && JsJson.TryParse(text, out var parsed) && parsed is JsArray { Count: > 0 } parsedArray)
        {
            return JsValue.ToJsString(parsedArray[0]);
        }
        return JsValue.ToJsString(reasons);
    }

    /// <summary>The settings of the last span on this thread: most spans repeat them, and then share the text.</summary>
    [ThreadStatic] private static string? t_lastSettings;

    /// <summary>
    /// The <c>Settings</c> column: each setting from its OTel key when present, else the AI SDK key; unset
    /// when none is present. Numbers are kept as decoded (an int64 stays exact); anything else is parsed
    /// like parseFloat/parseInt, and NaN is written as null.
    /// </summary>
    private static string? SettingsJson(AttributeView a)
    {
        JsonTextBuilder? sb = null;
        AddSetting(ref sb, "temperature", a["gen_ai.request.temperature"] ?? a["ai.settings.temperature"], integer: false);
        AddSetting(ref sb, "maxTokens", a["gen_ai.request.max_tokens"] ?? a["ai.settings.maxTokens"], integer: true);
        AddSetting(ref sb, "topP", a["gen_ai.request.top_p"] ?? a["ai.settings.topP"], integer: false);
        AddSetting(ref sb, "presencePenalty", a["gen_ai.request.presence_penalty"] ?? a["ai.settings.presencePenalty"], integer: false);
        AddSetting(ref sb, "frequencyPenalty", a["gen_ai.request.frequency_penalty"] ?? a["ai.settings.frequencyPenalty"], integer: false);
        if (sb is null) return null;
        sb.Append('}');
        return JsJson.ReturnBuilder(sb, ref t_lastSettings);
    }

    private static void AddSetting(ref JsonTextBuilder? sb, string name, object? value, bool integer)
    {
        if (value is null) return;
        if (sb is null)
        {
            sb = JsJson.RentBuilder();
            sb.Append('{');
        }
        else
        {
            sb.Append(',');
        }
        JsJsonWriter.WriteString(sb, name);
        sb.Append(':');
        if (JsValue.IsNumber(value)) JsJsonWriter.WriteValue(sb, value);
        else JsJsonWriter.WriteNumber(sb, integer ? AttributeCoercion.IntOrParse(value) : AttributeCoercion.FloatOrParse(value));
    }

    /// <summary><c>openai.reasoningTokens</c> of <c>ai.response.providerMetadata</c> (object or JSON text), when a number.</summary>
    private static double? ProviderMetadataReasoningTokens(AttributeView a)
    {
        var metadata = a["ai.response.providerMetadata"];
        if (!JsValue.IsTruthy(metadata)) return null;
        if (metadata is string text && !JsJson.TryParse(text, out metadata)) return null;
        return JsValue.TryGetNumber(JsValue.Prop(JsValue.Prop(metadata, "openai"), "reasoningTokens"), out var tokens) ? tokens : null;
    }
}
