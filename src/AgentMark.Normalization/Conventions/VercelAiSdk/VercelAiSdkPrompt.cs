using System.Text.Json.Nodes;
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
    public static JsonArray? Extract(AttributeView a, VercelAiSdkVersion version)
    {
        var raw = a["ai.prompt.messages"] ?? a["ai.prompt"];
        if (raw is null) return null;

        JsonNode? value;
        if (JsValue.TryGetString(raw, out var text))
        {
            // Unparseable text is kept as the string itself.
            value = JsJson.TryParse(text, out var parsed) ? parsed : JsonValue.Create(text);
        }
        else
        {
            value = JsValue.Detached(raw);
        }

        var messages = ToMessages(value);
        if (messages is null) return null;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is JsonObject message) messages[i] = NormalizeMessage(message, version);
        }
        return messages;
    }

    private static JsonArray? ToMessages(JsonNode? value)
    {
        if (JsValue.TryGetString(value, out var s)) return new JsonArray(MessageJson.Create("user", s));
        if (value is JsonArray array) return array;
        if (value is not JsonObject obj) return null;

        var system = JsValue.TryGetString(JsValue.Prop(obj, "system"), out var systemText) ? systemText : null;
        if (JsValue.Prop(obj, "messages") is JsonArray)
        {
            JsValue.TryTake(obj, "messages", out var taken);
            var messages = (JsonArray)taken!;
            if (system is not null) messages.Insert(0, MessageJson.Create("system", system));
            return messages;
        }
        if (JsValue.TryGetString(JsValue.Prop(obj, "prompt"), out var prompt))
        {
            var messages = new JsonArray();
            if (system is not null) messages.Add(MessageJson.Create("system", system));
            messages.Add(MessageJson.Create("user", prompt));
            return messages;
        }
        return null;
    }

    /// <summary><c>{role: role || "", content: normalized, ...every other property unchanged}</c>.</summary>
    private static JsonObject NormalizeMessage(JsonObject message, VercelAiSdkVersion version)
    {
        var properties = JsValue.TakeAll(message);
        JsonNode? role = null;
        JsonNode? content = null;
        var hasContent = false;
        foreach (var (key, value) in properties)
        {
            if (key == "role") role = value;
            else if (key == "content") { content = value; hasContent = true; }
        }

        var normalized = new JsonObject { ["role"] = JsValue.IsTruthy(role) ? role : "" };
        // A missing content stays missing (JSON.stringify omits undefined).
        if (hasContent) normalized["content"] = NormalizeContent(content, version);
        foreach (var (key, value) in properties)
        {
            if (key is "role" or "content") continue;
            normalized[key] = value;
        }
        return normalized;
    }

    private static JsonNode? NormalizeContent(JsonNode? content, VercelAiSdkVersion version)
    {
        switch (content)
        {
            case JsonArray parts:
                for (var i = 0; i < parts.Count; i++)
                {
                    // Unknown parts come back unchanged and must stay where they are (a node has one parent).
                    if (parts[i] is JsonObject part && NormalizePart(part, version) is var normalized && !ReferenceEquals(normalized, part))
                    {
                        parts[i] = normalized;
                    }
                }
                return parts;
            case JsonObject part:
                return NormalizePart(part, version);
            default:
                return content;
        }
    }

    private static JsonObject NormalizePart(JsonObject part, VercelAiSdkVersion version)
    {
        if (!JsValue.TryGetString(JsValue.Prop(part, "type"), out var type)) return part;
        switch (type)
        {
            case "text":
            {
                JsValue.TryTake(part, "text", out var text);
                return new JsonObject { ["type"] = "text", ["text"] = JsValue.IsTruthy(text) ? text : "" };
            }
            case "tool-call":
            {
                var (id, name) = TakeIdAndName(part);
                JsValue.TryTake(part, "input", out var input);
                JsValue.TryTake(part, "args", out var args);
                JsonNode? callArgs = version == VercelAiSdkVersion.V5 && JsValue.IsTruthy(input) ? input
                    : JsValue.IsTruthy(args) ? args
                    : new JsonObject();
                return new JsonObject { ["type"] = "tool-call", ["toolCallId"] = id, ["toolName"] = name, ["args"] = callArgs };
            }
            case "tool-result":
            {
                var (id, name) = TakeIdAndName(part);
                var normalized = new JsonObject { ["type"] = "tool-result", ["toolCallId"] = id, ["toolName"] = name };
                if (version == VercelAiSdkVersion.V5 && JsValue.TryTake(part, "output", out var output))
                {
                    // v5 wraps results as {type, value}; the value is the result.
                    normalized["result"] = output is JsonObject wrapper && JsValue.TryTake(wrapper, "value", out var inner) ? inner : output;
                }
                else if (JsValue.TryTake(part, "result", out var result))
                {
                    normalized["result"] = result;
                }
                return normalized;
            }
            default:
                return part;
        }
    }

    private static (JsonNode? Id, JsonNode? Name) TakeIdAndName(JsonObject part)
    {
        JsValue.TryTake(part, "toolCallId", out var id);
        JsValue.TryTake(part, "toolName", out var name);
        return (JsValue.IsTruthy(id) ? id : "", JsValue.IsTruthy(name) ? name : "");
    }
}
