using AgentMark.Core.Spans;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Coercion;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.OpenLlmetry;

/// <summary>
/// OpenLLMetry / Traceloop instrumentations (ingestion §2.8), reached only through the dispatcher, also for
/// bare vector-store spans: flattened <c>gen_ai.prompt.N.*</c> / <c>gen_ai.completion.N.*</c> messages,
/// <c>traceloop.entity.*</c> workflow and task spans, association properties and vector-store result events.
/// Token counts are IntLoose, settings FiniteNum.
/// </summary>
internal sealed class OpenLlmetryConvention : ISpanConvention
{
    private const string AssociationPrefix = "traceloop.association.properties.";

    private static readonly TokenKeys Tokens = new(
        InputKey: "gen_ai.usage.input_tokens", PromptKey: "gen_ai.usage.prompt_tokens",
        OutputKey: "gen_ai.usage.output_tokens", CompletionKey: "gen_ai.usage.completion_tokens",
        TotalKey: "gen_ai.usage.total_tokens", ReasoningKey: null);

    private static readonly (string Setting, string Key)[] SettingKeys =
    [
        ("temperature", "gen_ai.request.temperature"),
        ("maxTokens", "gen_ai.request.max_tokens"),
        ("topP", "gen_ai.request.top_p"),
        ("presencePenalty", "gen_ai.request.presence_penalty"),
        ("frequencyPenalty", "gen_ai.request.frequency_penalty"),
    ];

    public string Classify(DecodedSpan span, AttributeView a)
    {
        var kind = a["traceloop.span.kind"];
        if (kind is not null && JsValue.ToJsString(kind).ToUpperInvariant() == "LLM") return SpanTypes.Generation;
        return a.Has("gen_ai.usage.prompt_tokens") || a.Has("gen_ai.usage.completion_tokens") || a.Has("gen_ai.usage.input_tokens")
            ? SpanTypes.Generation
            : SpanTypes.Span;
    }

    public void Transform(DecodedSpan span, AttributeView a, NormalizedFields f)
    {
        // The first key present decides: an empty response model does not fall back to the request model.
        if (a.FirstExisting("gen_ai.response.model", "gen_ai.request.model") is string { Length: > 0 } model) f.Model = model;

        var tokens = AttributeCoercion.ParseTokens(a, Tokens);
        f.InputTokens = tokens.Input;
        f.OutputTokens = tokens.Output;
        f.TotalTokens = tokens.Total ?? AttributeCoercion.FiniteNum(a["llm.usage.total_tokens"]);

        f.Settings = Settings(a);
        f.FinishReason = FinishReason(a);

        OpenLlmetryMessages.Extract(span, a, f);
        OpenLlmetryVectorResults.Extract(span, f);

        if (a["traceloop.entity.name"] is string { Length: > 0 } entityName) f.TraceName = entityName;
        ExtractAssociationProperties(a, f);
    }

    private static JsObject? Settings(AttributeView a)
    {
        JsObject? settings = null;
        foreach (var (setting, key) in SettingKeys)
        {
            if (AttributeCoercion.FiniteNum(a[key]) is not { } value) continue;
            settings ??= new JsObject(SettingKeys.Length);
            settings[setting] = value;
        }
        return settings;
    }

    /// <summary><c>gen_ai.response.finish_reason</c> (singular; an array gives its first element), else the
    /// first completion's <c>finish_reason</c>. An empty result leaves it unset.</summary>
    private static string? FinishReason(AttributeView a)
    {
        if (a.TryGet("gen_ai.response.finish_reason", out var value))
        {
            if (value is JsArray array) return array.Count > 0 ? JsValue.ToJsString(array[0]) : null;
            return JsValue.ToJsString(value);
        }
        if (a.TryGet("gen_ai.completion.0.finish_reason", out value)) return JsValue.ToJsString(value);
        // Deviation: OpenLLMetry JS 0.27 sends the v1.37 list gen_ai.response.finish_reasons instead.
        return OtelGenAi.OtelGenAiConvention.FirstFinishReason(a["gen_ai.response.finish_reasons"]);
    }

    /// <summary><c>session_id</c> and <c>user_id</c> are promoted; every other property is custom metadata
    /// (strings as they are, other values as compact JSON).</summary>
    private static void ExtractAssociationProperties(AttributeView a, NormalizedFields f)
    {
        if (!a.AnyKeyStartsWith(AssociationPrefix)) return;
        foreach (var key in a.Keys)
        {
            if (key.Length <= AssociationPrefix.Length || !key.StartsWith(AssociationPrefix, StringComparison.Ordinal)) continue;
            var value = a[key];
            if (value is null) continue;
            var property = key[AssociationPrefix.Length..];
            switch (property)
            {
                case "session_id": f.SessionId = JsValue.ToJsString(value); break;
                case "user_id": f.UserId = JsValue.ToJsString(value); break;
                default: f.SetMetadata(property, value as string ?? JsJson.Stringify(value)); break;
            }
        }
    }
}
