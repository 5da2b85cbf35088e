using AgentMark.Core.Spans;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.OtelGenAi;

/// <summary>
/// <b>Deviation</b> (not in ingestion §2.9): the message events of the GenAI semantic conventions before
/// v1.37, which Semantic Kernel 1.x still sends instead of message attributes. Each message is a span event
/// (<c>gen_ai.system.message</c>, <c>gen_ai.user.message</c>, <c>gen_ai.assistant.message</c>,
/// <c>gen_ai.tool.message</c>; the answer is <c>gen_ai.choice</c>) whose <c>gen_ai.event.content</c>
/// attribute holds the message as JSON. Used only for what the attributes left unset, so spans the
/// reference understands are normalized exactly as it does.
/// </summary>
internal static class OtelGenAiEvents
{
    private const string ContentAttribute = "gen_ai.event.content";
    private const string ChoiceEvent = "gen_ai.choice";

    public static void Extract(DecodedSpan span, NormalizedFields f)
    {
        JsArray? input = null;
        JsObject? choice = null;
        foreach (var e in span.Events)
        {
            var role = e.Name switch
            {
                "gen_ai.system.message" => "system",
                "gen_ai.user.message" => "user",
                "gen_ai.assistant.message" => "assistant",
                "gen_ai.tool.message" => "tool",
                ChoiceEvent => "",
                _ => null,
            };
            if (role is null || Content(e) is not JsObject content) continue;
            if (role.Length == 0)
            {
                choice ??= content; // the first choice is the answer
                continue;
            }
            input ??= new JsArray();
            // The event name is the role: SK writes the assistant's as "Assistant" inside the content.
            input.Add(Message(role, content));
        }

        if (f.Input is null && input is not null) f.Input = input;
        if (choice is null || !string.IsNullOrEmpty(f.Output) || f.OutputObject is not null || f.ToolCalls is not null) return;
        var answer = JsValue.Prop(choice, "message") as JsObject ?? choice;
        if (JsValue.Prop(answer, "content") is string { Length: > 0 } text) f.Output = text;
        if (ToolCalls(answer) is { } calls) f.ToolCalls = calls;
    }

    private static object? Content(SpanEvent e)
        => e.Attributes.TryGetValue(ContentAttribute, out var node) && JsonNodeValues.ToJs(node) is string json
            && JsJson.TryParse(json, out var parsed) ? parsed : null;

    /// <summary><c>{role, content}</c>; with tool calls the content is the text part and tool-call parts,
    /// the shape the indexed-message parser gives (§2.2).</summary>
    private static JsObject Message(string role, JsObject content)
    {
        var text = JsValue.Prop(content, "content") as string;
        if (ToolCalls(content) is not { } calls) return MessageJson.Create(role, text ?? "");
        var parts = new JsArray(calls.Count + 1);
        if (!string.IsNullOrEmpty(text)) parts.Add(new JsObject(2) { ["type"] = "text", ["text"] = text });
        parts.AddRange(calls);
        return MessageJson.Create(role, parts);
    }

    /// <summary><c>tool_calls: [{id, function: {name, arguments}}]</c> as tool-call parts; null when none.</summary>
    private static JsArray? ToolCalls(JsObject message)
    {
        if (JsValue.Prop(message, "tool_calls") is not JsArray { Count: > 0 } list) return null;
        JsArray? calls = null;
        foreach (var call in list)
        {
            var function = JsValue.Prop(call, "function");
            if (JsValue.Prop(function, "name") is not string { Length: > 0 } name) continue;
            var id = JsValue.Prop(call, "id");
            calls ??= new JsArray(list.Count);
            calls.Add(new JsObject(4)
            {
                ["type"] = ToolCallJson.ToolCallType,
                ["toolCallId"] = id is null or JsNull ? "" : JsValue.ToJsString(id),
                ["toolName"] = name,
                ["args"] = Arguments(JsValue.Prop(function, "arguments")),
            });
        }
        return calls;
    }

    /// <summary>An object as it is; JSON text of an object parsed; anything else <c>{"raw": value}</c>; none → <c>{}</c>.</summary>
    private static object Arguments(object? value) => value switch
    {
        null or JsNull => new JsObject(),
        JsObject => value,
        string s when JsJson.TryParse(s, out var parsed) && parsed is JsObject => parsed!,
        _ => new JsObject(1) { ["raw"] = value },
    };
}
