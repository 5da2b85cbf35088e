using System.Text;
using System.Text.Json.Nodes;
using AgentMark.Normalization.Json;

namespace AgentMark.Normalization.Conventions;

/// <summary>Small message-shape helpers (ingestion §2.12) shared by the conventions.</summary>
internal static class MessageJson
{
    public static JsonObject Create(string role, JsonNode? content) => new() { ["role"] = role, ["content"] = content };

    /// <summary>
    /// <c>[{role:"user", content: s}]</c> unless <paramref name="text"/> is a non-empty JSON array whose
    /// every element is an object having both <c>role</c> and <c>content</c>, which is used as-is
    /// (the AgentMark SDK's <c>ParseLooseInput</c>).
    /// </summary>
    public static JsonArray ParseLooseInput(string text)
    {
        if (JsJson.TryParse(text, out var parsed) && parsed is JsonArray { Count: > 0 } array && AllMessageLike(array))
        {
            return array;
        }
        return new JsonArray(Create("user", text));
    }

    private static bool AllMessageLike(JsonArray array)
    {
        foreach (var element in array)
        {
            if (element is not JsonObject o || !o.ContainsKey("role") || !o.ContainsKey("content")) return false;
        }
        return true;
    }

    /// <summary>True when the first message is an object whose role is the string "system".</summary>
    public static bool StartsWithSystemMessage(JsonArray? messages)
        => messages is { Count: > 0 } && JsValue.TryGetString(JsValue.Prop(messages[0], "role"), out var role) && role == "system";

    /// <summary>Prepends <c>{role:"system", content}</c> unless the input already starts with a system message.</summary>
    public static JsonArray PrependSystem(JsonArray? input, string content)
    {
        if (StartsWithSystemMessage(input)) return input!;
        input ??= new JsonArray();
        input.Insert(0, Create("system", content));
        return input;
    }

    /// <summary>
    /// The <c>content</c> values of the parts whose <c>type</c> is "text", joined with newlines. With
    /// <paramref name="requireStringContent"/> only string contents count (AgentMark SDK); otherwise any
    /// truthy content counts and is converted with <c>String(v)</c> (OTel GenAI).
    /// </summary>
    public static string TextOfParts(JsonArray parts, bool requireStringContent)
    {
        StringBuilder? sb = null;
        string? single = null;
        foreach (var part in parts)
        {
            if (!JsValue.TryGetString(JsValue.Prop(part, "type"), out var type) || type != "text") continue;
            var content = JsValue.Prop(part, "content");
            string text;
            if (requireStringContent)
            {
                if (!JsValue.TryGetString(content, out var s)) continue;
                text = s;
            }
            else
            {
                if (!JsValue.IsTruthy(content)) continue;
                text = JsValue.ToJsString(content);
            }
            if (single is null && sb is null)
            {
                single = text;
                continue;
            }
            sb ??= new StringBuilder(single);
            sb.Append('\n').Append(text);
        }
        return sb?.ToString() ?? single ?? "";
    }
}
