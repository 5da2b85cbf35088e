using System.Text;
using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions;

/// <summary>
/// Where one library puts the parts of a flattened message list (the settings table of the indexed-message
/// parser, ingestion §2.2). All keys are relative: message keys to <c>prefix.i.</c>, tool-call keys to the
/// tool call's base.
/// </summary>
internal sealed record IndexedMessageLayout(
    string Prefix,
    string MessageInfix,
    bool MultiPartContents,
    string ToolCallInfix,
    string ToolNameKey,
    string ToolIdKey,
    string ToolArgumentsKey)
{
    /// <summary>OpenInference: <c>llm.input_messages.0.message.tool_calls.0.tool_call.function.name</c>.</summary>
    public static readonly IndexedMessageLayout OpenInferenceInput = OpenInference("llm.input_messages.");
    public static readonly IndexedMessageLayout OpenInferenceOutput = OpenInference("llm.output_messages.");

    /// <summary>OpenLLMetry: <c>gen_ai.completion.0.tool_calls.0.name</c>.</summary>
    public static readonly IndexedMessageLayout OpenLlmetryPrompt = OpenLlmetry("gen_ai.prompt.");
    public static readonly IndexedMessageLayout OpenLlmetryCompletion = OpenLlmetry("gen_ai.completion.");

    private static IndexedMessageLayout OpenInference(string prefix)
        => new(prefix, "message.", MultiPartContents: true, "tool_call.", "function.name", "id", "function.arguments");

    private static IndexedMessageLayout OpenLlmetry(string prefix)
        => new(prefix, "", MultiPartContents: false, "", "name", "id", "arguments");
}

/// <summary>
/// The indexed-message parser of ingestion §2.2 (OpenInference and OpenLLMetry), with its two helpers:
/// span-level tool calls (<c>extractIndexedToolCalls</c>) and plain text (<c>messagesToPlainText</c>).
/// </summary>
internal static class IndexedMessages
{
    /// <summary>One parsed list: the messages (§2.12 shapes) and, flattened in message order, their tool calls.</summary>
    public readonly record struct Parsed(JsArray Messages, JsArray? ToolCalls);

    /// <summary>The messages under the layout's prefix, or null when there are none ("absent").</summary>
    public static Parsed? Parse(AttributeView a, IndexedMessageLayout layout)
    {
        var indices = IndexedAttributes.Indices(a, layout.Prefix);
        if (indices.Count == 0) return null;
        var messages = new JsArray(indices.Count);
        JsArray? allToolCalls = null;
        foreach (var index in indices)
        {
            var b = IndexedAttributes.Key(layout.Prefix, index) + layout.MessageInfix;
            var role = a[b + "role"];
            var text = Text(a, b, layout);
            var toolCalls = ToolCalls(a, b, layout);
            if (role is null && text is null && toolCalls is null) continue;

            object content;
            if (toolCalls is not null)
            {
                var parts = new JsArray(toolCalls.Count + 1);
                if (!string.IsNullOrEmpty(text)) parts.Add(new JsObject(2) { ["type"] = "text", ["text"] = text });
                parts.AddRange(toolCalls);
                content = parts;
                allToolCalls ??= new JsArray();
                allToolCalls.AddRange(toolCalls);
            }
            else
            {
                content = text ?? "";
            }
            messages.Add(MessageJson.Create(role is null ? "user" : JsValue.ToJsString(role), content));
        }
        return messages.Count == 0 ? null : new Parsed(messages, allToolCalls);
    }

    /// <summary>
    /// Non-empty string contents and non-empty <c>text</c> parts, joined with newlines; tool-call parts are
    /// dropped. Null when there is no text.
    /// </summary>
    public static string? PlainText(JsArray messages)
    {
        StringBuilder? sb = null;
        foreach (var message in messages)
        {
            switch (JsValue.Prop(message, "content"))
            {
                case string { Length: > 0 } s:
                    Append(ref sb, s);
                    break;
                case JsArray parts:
                    foreach (var part in parts)
                    {
                        if (JsValue.Prop(part, "type") is "text" && JsValue.Prop(part, "text") is string { Length: > 0 } t) Append(ref sb, t);
                    }
                    break;
            }
        }
        return sb?.ToString();
    }

    private static void Append(ref StringBuilder? sb, string text)
    {
        if (sb is null) sb = new StringBuilder(text);
        else sb.Append('\n').Append(text);
    }

    /// <summary>The content when it is a string, <c>String(v)</c> of any other present value, else (when the
    /// layout has them) the non-empty text parts joined with newlines; null when there is none.</summary>
    private static string? Text(AttributeView a, string b, IndexedMessageLayout layout)
    {
        var content = a[b + "content"];
        if (content is not null) return JsValue.ToJsString(content);
        if (!layout.MultiPartContents) return null;
        var partsPrefix = b + "contents.";
        StringBuilder? sb = null;
        foreach (var j in IndexedAttributes.Indices(a, partsPrefix))
        {
            if (a[IndexedAttributes.Key(partsPrefix, j) + "message_content.text"] is string { Length: > 0 } part) Append(ref sb, part);
        }
        return sb?.ToString();
    }

    /// <summary>The message's tool calls in index order, those without a name skipped; null when none.</summary>
    private static JsArray? ToolCalls(AttributeView a, string b, IndexedMessageLayout layout)
    {
        var callsPrefix = b + "tool_calls.";
        JsArray? calls = null;
        foreach (var j in IndexedAttributes.Indices(a, callsPrefix))
        {
            var c = IndexedAttributes.Key(callsPrefix, j) + layout.ToolCallInfix;
            var name = a[c + layout.ToolNameKey];
            if (name is null) continue;
            var id = a[c + layout.ToolIdKey];
            calls ??= new JsArray();
            calls.Add(new JsObject(4)
            {
                ["type"] = ToolCallJson.ToolCallType,
                ["toolCallId"] = id is null ? "" : JsValue.ToJsString(id),
                ["toolName"] = JsValue.ToJsString(name),
                ["args"] = Arguments(a[c + layout.ToolArgumentsKey]),
            });
        }
        return calls;
    }

    /// <summary>Objects as they are; JSON text parsed when it gives an object or array, else kept as
    /// <c>{"raw": s}</c>; missing → <c>{}</c>; any other value → <c>{"raw": value}</c>.</summary>
    private static object Arguments(object? value) => value switch
    {
        null => new JsObject(),
        JsObject or JsArray => value,
        string s => JsJson.TryParse(s, out var parsed) && parsed is JsObject or JsArray ? parsed! : new JsObject(1) { ["raw"] = s },
        _ => new JsObject(1) { ["raw"] = value },
    };
}
