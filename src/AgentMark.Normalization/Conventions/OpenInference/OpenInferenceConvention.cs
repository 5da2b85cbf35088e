using AgentMark.Core.Spans;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Coercion;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.OpenInference;

/// <summary>
/// Arize OpenInference (Phoenix) instrumentations (ingestion §2.7), reached only through the dispatcher:
/// <c>llm.*</c> flattened messages and token counts, generic <c>input.value</c>/<c>output.value</c>, and
/// <c>retrieval.documents.*</c>. OpenInference numbers are read with FiniteNum (strings accepted, not floored).
/// </summary>
internal sealed class OpenInferenceConvention : ISpanConvention
{
    private const string JsonMimeType = "application/json";

    public string Classify(DecodedSpan span, AttributeView a)
    {
        var kind = a["openinference.span.kind"];
        if (kind is not null && JsValue.ToJsString(kind).ToUpperInvariant() == "LLM") return SpanTypes.Generation;
        return a.Has("llm.token_count.prompt") || a.Has("llm.token_count.completion") ? SpanTypes.Generation : SpanTypes.Span;
    }

    public void Transform(DecodedSpan span, AttributeView a, NormalizedFields f)
    {
        // llm.provider and llm.system are not read: the model name alone identifies the price.
        if (JsValue.TryGetTruthyString(a["llm.model_name"], out var model)) f.Model = model;

        f.InputTokens = AttributeCoercion.FiniteNum(a["llm.token_count.prompt"]);
        f.OutputTokens = AttributeCoercion.FiniteNum(a["llm.token_count.completion"]);
        f.TotalTokens = AttributeCoercion.FiniteNum(a["llm.token_count.total"]);
        if (f.TotalTokens is null && f.InputTokens is { } input && f.OutputTokens is { } output) f.TotalTokens = input + output;
        f.ReasoningTokens = AttributeCoercion.FiniteNum(a["llm.token_count.completion_details.reasoning"]);

        f.Settings = OpenInferenceSettings.FromInvocationParameters(a["llm.invocation_parameters"]);

        if (IndexedMessages.Parse(a, IndexedMessageLayout.OpenInferenceInput) is { } inputMessages) f.Input = inputMessages.Messages;
        else f.Input = GenericInput(a);

        if (IndexedMessages.Parse(a, IndexedMessageLayout.OpenInferenceOutput) is { } outputMessages)
        {
            // With output messages the generic output.value (the raw provider response) is ignored, even
            // when the messages hold only tool calls and so give no text.
            f.ToolCalls = outputMessages.ToolCalls;
            f.Output = IndexedMessages.PlainText(outputMessages.Messages);
        }
        else
        {
            GenericOutput(a, f);
        }

        OpenInferenceDocuments.Extract(a, f);

        if (JsValue.TryGetTruthyString(a["tool.name"], out var toolName)) f.Name = toolName;
        if (a.TryGet("session.id", out var sessionId)) f.SessionId = JsValue.ToJsString(sessionId);
        if (a.TryGet("user.id", out var userId)) f.UserId = JsValue.ToJsString(userId);
        ExtractMetadata(a["metadata"], f);
    }

    /// <summary><c>input.value</c>: a JSON message array as-is when the MIME type says JSON, other JSON
    /// re-serialized compactly into one user message, anything else as text.</summary>
    private static JsArray? GenericInput(AttributeView a)
    {
        if (!a.TryGet("input.value", out var value)) return null;
        if (a["input.mime_type"] is JsonMimeType && value is string text && JsJson.TryParse(text, out var parsed))
        {
            if (parsed is JsArray array && AllHaveRole(array)) return array;
            return new JsArray(MessageJson.Create("user", JsJson.Stringify(parsed)));
        }
        return new JsArray(MessageJson.Create("user", JsValue.ToJsString(value)));
    }

    private static bool AllHaveRole(JsArray array)
    {
        foreach (var element in array)
        {
            if (!JsValue.HasProp(element, "role")) return false;
        }
        return true;
    }

    private static void GenericOutput(AttributeView a, NormalizedFields f)
    {
        if (!a.TryGet("output.value", out var value)) return;
        if (a["output.mime_type"] is JsonMimeType && value is string text && JsJson.TryParse(text, out var parsed))
        {
            f.Output = JsJson.Stringify(parsed);
            f.OutputObject = parsed;
            return;
        }
        f.Output = JsValue.ToJsString(value);
    }

    /// <summary><c>metadata</c> (a JSON object, as text or a kvlist): strings kept, other values as compact JSON.</summary>
    private static void ExtractMetadata(object? value, NormalizedFields f)
    {
        var metadata = value is string text && JsJson.TryParse(text, out var parsed) ? parsed : value;
        if (metadata is not JsObject entries) return;
        foreach (var (key, entry) in entries)
        {
            if (entry is null) continue; // undefined: JSON.stringify would drop it
            f.SetMetadata(key, entry as string ?? JsJson.Stringify(entry));
        }
    }
}
