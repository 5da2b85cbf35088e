using AgentMark.Normalization.Coercion;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.OpenInference;

/// <summary>
/// <c>llm.invocation_parameters</c> (the provider request's parameters, as JSON text or a kvlist) mapped to
/// the settings keys (ingestion §2.7). OpenAI and LangChain spell the same parameter differently, so each
/// setting takes the first of its spellings that is present.
/// </summary>
internal static class OpenInferenceSettings
{
    private static readonly (string Setting, string[] Keys)[] Map =
    [
        ("temperature", ["temperature"]),
        ("maxTokens", ["max_tokens", "maxTokens", "max_completion_tokens"]),
        ("topP", ["top_p", "topP"]),
        ("presencePenalty", ["presence_penalty", "presencePenalty"]),
        ("frequencyPenalty", ["frequency_penalty", "frequencyPenalty"]),
    ];

    public static JsObject? FromInvocationParameters(object? value)
    {
        var parameters = value is string text && JsJson.TryParse(text, out var parsed) ? parsed : value;
        if (parameters is not JsObject p) return null;
        JsObject? settings = null;
        foreach (var (setting, keys) in Map)
        {
            // "First present" is JavaScript's a ?? b ?? c: a JSON null falls through like a missing key, and a
            // present but unusable value does not.
            object? raw = null;
            foreach (var key in keys)
            {
                raw = p[key];
                if (raw is not (null or JsNull)) break;
            }
            if (AttributeCoercion.FiniteNum(raw) is { } number)
            {
                settings ??= new JsObject(Map.Length);
                settings[setting] = number;
            }
        }
        return settings;
    }
}
