using AgentMark.Core.Spans;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.OpenLlmetry;

/// <summary>
/// Input and output of OpenLLMetry spans (ingestion §2.8), each from the first source that has one:
/// the flattened LLM messages, then the workflow/task entity input and output (<c>traceloop.entity.*</c>),
/// then the older prompt/completion events.
/// </summary>
internal static class OpenLlmetryMessages
{
    public static void Extract(DecodedSpan span, AttributeView a, NormalizedFields f)
    {
        if (IndexedMessages.Parse(a, IndexedMessageLayout.OpenLlmetryPrompt) is { } prompt)
        {
            f.Input = prompt.Messages;
        }
        else if (a.TryGet("traceloop.entity.input", out var entityInput))
        {
            f.Input = new JsArray(MessageJson.Create("user", entityInput as string ?? JsJson.Stringify(entityInput)));
        }
        else if (EventText(span, "gen_ai.prompt") is { } promptText)
        {
            f.Input = new JsArray(MessageJson.Create("user", promptText));
        }

        if (IndexedMessages.Parse(a, IndexedMessageLayout.OpenLlmetryCompletion) is { } completion)
        {
            f.ToolCalls = completion.ToolCalls;
            f.Output = IndexedMessages.PlainText(completion.Messages);
        }
        else if (a.TryGet("traceloop.entity.output", out var entityOutput))
        {
            EntityOutput(entityOutput!, f);
        }
        else if (EventText(span, "gen_ai.completion") is { } completionText)
        {
            f.Output = completionText;
        }
    }

    /// <summary>A string is the output, and also the output object when it is JSON text of an object; any
    /// other value is written as compact JSON and kept as the object when it is an object or array.</summary>
    private static void EntityOutput(object value, NormalizedFields f)
    {
        if (value is string text)
        {
            f.Output = text;
            if (JsJson.TryParse(text, out var parsed) && parsed is JsObject) f.OutputObject = parsed;
            return;
        }
        f.Output = JsJson.Stringify(value);
        if (value is JsObject or JsArray) f.OutputObject = value;
    }

    /// <summary>The first event holding a non-empty string under <paramref name="key"/> or <c>content</c>.</summary>
    private static string? EventText(DecodedSpan span, string key)
    {
        foreach (var e in span.Events)
        {
            if (e.Attributes.TryGetValue(key, out var node) && JsonNodeValues.ToJs(node) is string { Length: > 0 } text) return text;
            if (e.Attributes.TryGetValue("content", out node) && JsonNodeValues.ToJs(node) is string { Length: > 0 } content) return content;
        }
        return null;
    }
}
