using AgentMark.Core.Spans;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.OpenLlmetry;

/// <summary>
/// Input and output of OpenLLMetry spans (ingestion §2.8), each from the first source that has one:
/// the flattened LLM messages, then the workflow/task entity input and output (<c>traceloop.entity.*</c>),
/// then the older prompt/completion events.
/// </summary>
/// <remarks>
/// <b>Deviation</b> (not in ingestion §2.8): OpenLLMetry JS 0.27 no longer writes the flattened
/// <c>gen_ai.prompt.N.*</c> keys; its LLM spans carry the v1.37 <c>gen_ai.input.messages</c> /
/// <c>gen_ai.output.messages</c> arrays instead. They are read when the flattened keys are absent, so
/// spans of older versions are normalized exactly as the reference does.
/// </remarks>
internal static class OpenLlmetryMessages
{
    public static void Extract(DecodedSpan span, AttributeView a, NormalizedFields f)
    {
        if (IndexedMessages.Parse(a, IndexedMessageLayout.OpenLlmetryPrompt) is { } prompt)
        {
            f.Input = prompt.Messages;
        }
        else if (a["gen_ai.input.messages"] is string { Length: > 0 } inputMessages
                 && OtelGenAi.OtelGenAiMessages.NormalizeMessages(inputMessages) is { } specInput)
        {
            f.Input = specInput;
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
        else if (a["gen_ai.output.messages"] is string { Length: > 0 } outputMessages && SpecOutput(outputMessages, f))
        {
            // Filled by SpecOutput.
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

    /// <summary>
    /// A v1.37 output message array: the text parts are the output (joined with newlines), the
    /// <c>tool_call</c> parts the span's tool calls, as the flattened completion keys give them.
    /// False when the text is not a non-empty JSON array.
    /// </summary>
    private static bool SpecOutput(string json, NormalizedFields f)
    {
        if (!JsJson.TryParse(json, out var parsed) || parsed is not JsArray { Count: > 0 } messages) return false;
        var texts = new JsArray();
        JsArray? toolCalls = null;
        foreach (var message in messages)
        {
            if (JsValue.Prop(message, "parts") is not JsArray parts) continue;
            foreach (var part in parts)
            {
                switch (JsValue.Prop(part, "type"))
                {
                    case "text" when JsValue.Prop(part, "content") is string { Length: > 0 } text:
                        texts.Add(MessageJson.Create("assistant", text));
                        break;
                    case "tool_call" when JsValue.Prop(part, "name") is string { Length: > 0 } name:
                        var id = JsValue.Prop(part, "id");
                        toolCalls ??= new JsArray();
                        toolCalls.Add(new JsObject(4)
                        {
                            ["type"] = ToolCallJson.ToolCallType,
                            ["toolCallId"] = id is null or JsNull ? "" : JsValue.ToJsString(id),
                            ["toolName"] = name,
                            ["args"] = JsValue.Prop(part, "arguments") switch
                            {
                                JsObject args => args,
                                string s when JsJson.TryParse(s, out var p) && p is JsObject o => o,
                                null or JsNull => new JsObject(),
                                var other => new JsObject(1) { ["raw"] = other },
                            },
                        });
                        break;
                }
            }
        }
        f.Output = IndexedMessages.PlainText(texts);
        f.ToolCalls = toolCalls;
        return true;
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
