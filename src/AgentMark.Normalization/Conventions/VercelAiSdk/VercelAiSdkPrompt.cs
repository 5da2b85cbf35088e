using AgentMark.Normalization.Attributes;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions.VercelAiSdk;

/// <summary>
/// Input of AI SDK spans (ingestion §2.5 "Input coercion"): <c>ai.prompt.messages</c> on model steps,
/// <c>ai.prompt</c> (<c>{system?, prompt}</c> or <c>{system?, messages}</c>) on wrappers, normalized to the
/// message shapes of §2.12 (v5 <c>input</c> → <c>args</c>, <c>output.value</c> → <c>result</c>).
/// </summary>
internal static class VercelAiSdkPrompt
{
    public static JsArray? Extract(AttributeView a, VercelAiSdkVersion version)
    {
        var raw = a["ai.prompt.messages"] ?? a["ai.prompt"];
        if (raw is null) return null;

        // Unparseable text is kept as the string itself.
        var value = raw is string text && JsJson.TryParse(text, out var parsed) ? parsed : raw;
        var messages = ToMessages(value);
        if (messages is null) return null;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is JsObject message) messages[i] = NormalizeMessage(message, version);
        }
        return messages;
    }

    private static JsArray? ToMessages(object? value)
    {
        switch (value)
        {
            case string s:
                return new JsArray(MessageJson.Create("user", s));
            case JsArray array:
                return array;
            case JsObject obj:
                var system = obj["system"] as string;
                if (obj["messages"] is JsArray messages)
                {
                    if (system is not null) messages.Insert(0, MessageJson.Create("system", system));
                    return messages;
                }
                if (obj["prompt"] is string prompt)
                {
                    var result = new JsArray(2);
                    if (system is not null) result.Add(MessageJson.Create("system", system));
                    result.Add(MessageJson.Create("user", prompt));
                    return result;
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary><c>{role: role || "", content: normalized, ...every other property unchanged}</c>.</summary>
    private static JsObject NormalizeMessage(JsObject message, VercelAiSdkVersion version)
    {
        var role = message["role"];
        var normalized = new JsObject(message.Count + 1) { ["role"] = JsValue.IsTruthy(role) ? role : "" };
        // A missing content stays missing (JSON.stringify omits undefined).
        if (message.TryGetValue("content", out var content)) normalized["content"] = NormalizeContent(content, version);
        foreach (var (key, value) in message)
        {
            if (key is "role" or "content") continue;
            normalized[key] = value;
        }
        return normalized;
    }

    private static object? NormalizeContent(object? content, VercelAiSdkVersion version)
    {
        switch (content)
        {
            case JsArray parts:
                for (var i = 0; i < parts.Count; i++)
                {
                    if (parts[i] is JsObject part) parts[i] = NormalizePart(part, version);
                }
                return parts;
            case JsObject part:
                return NormalizePart(part, version);
            default:
                return content;
        }
    }

    private static JsObject NormalizePart(JsObject part, VercelAiSdkVersion version)
    {
        switch (part["type"])
        {
            case "text":
            {
                var text = part["text"];
                return new JsObject(2) { ["type"] = "text", ["text"] = JsValue.IsTruthy(text) ? text : "" };
            }
            case "tool-call":
            {
                var input = part["input"];
                var args = part["args"];
                var callArgs = version == VercelAiSdkVersion.V5 && JsValue.IsTruthy(input) ? input
                    : JsValue.IsTruthy(args) ? args
                    : new JsObject();
                return new JsObject(4)
                {
                    ["type"] = "tool-call", ["toolCallId"] = OrEmpty(part["toolCallId"]), ["toolName"] = OrEmpty(part["toolName"]), ["args"] = callArgs,
                };
            }
            case "tool-result":
            {
                var normalized = new JsObject(4)
                {
                    ["type"] = "tool-result", ["toolCallId"] = OrEmpty(part["toolCallId"]), ["toolName"] = OrEmpty(part["toolName"]),
                };
                if (version == VercelAiSdkVersion.V5 && part["output"] is { } output)
                {
                    // v5 wraps results as {type, value}; the value is the result.
                    normalized["result"] = output is JsObject wrapper && wrapper.TryGetValue("value", out var inner) ? inner : output;
                }
                else
                {
                    normalized["result"] = part["result"]; // undefined when missing: omitted
                }
                return normalized;
            }
            default:
                return part;
        }
    }

    private static object OrEmpty(object? value) => JsValue.IsTruthy(value) ? value! : "";
}
